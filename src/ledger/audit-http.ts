/**
 * The auditor's HTTP side: GETs against a log's URL prefix with size limits, a few retries for transient
 * failures, byte accounting, and a prefetcher that keeps a bounded number of requests in flight ahead of a
 * consumer reading in a known order (so tiles stream through memory instead of accumulating).
 */
import { LedgerError } from './errors.js';

/** The subset of `fetch` the auditor uses; the global `fetch` (HTTP keep-alive, undici) is the default. */
export type Fetch = (url: string, init?: { readonly signal?: AbortSignal }) => Promise<Response>;

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 200;

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LogClient {
  /** Response body bytes received. */
  bytes = 0;
  requests = 0;
  private closed = false;
  /** One controller per request in flight (a shared signal would collect a listener per request). */
  private readonly inFlight = new Set<AbortController>();

  constructor(
    /** The log's URL prefix, ending in '/'. */
    private readonly prefix: string,
    private readonly fetchFn: Fetch,
  ) {}

  /** GETs `path` (relative to the prefix): the body of a 200 answer of at most `maxBytes`, or UNAVAILABLE. */
  async get(path: string, what: string, maxBytes: number): Promise<Uint8Array> {
    const url = this.prefix + path;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new LedgerError('UNAVAILABLE', `${what}: the audit was stopped`);
      let transient: string;
      const controller = new AbortController();
      this.inFlight.add(controller);
      try {
        const res = await this.fetchFn(url, { signal: controller.signal });
        if (res.status === 200) return await this.read(res, url, what, maxBytes);
        await res.body?.cancel();
        transient = `${what}: GET ${url} answered HTTP ${res.status}`;
        // A 4xx other than 429 will not change on retry.
        if (res.status < 500 && res.status !== 429) throw new LedgerError('UNAVAILABLE', transient);
      } catch (err) {
        if (err instanceof LedgerError || this.closed) throw err;
        transient = `${what}: GET ${url} failed: ${describe(err)}`;
      } finally {
        this.inFlight.delete(controller);
      }
      if (attempt >= ATTEMPTS) throw new LedgerError('UNAVAILABLE', transient);
      await sleep(RETRY_DELAY_MS * attempt);
    }
  }

  /** Aborts what is still in flight (after a failure, the prefetched requests nobody will read). */
  close(): void {
    this.closed = true;
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private async read(res: Response, url: string, what: string, maxBytes: number): Promise<Uint8Array> {
    const tooLarge = (): never => {
      throw new LedgerError('TAMPERED', `${what}: GET ${url} sent more than ${maxBytes} bytes`);
    };
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel();
      tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      // Leaving the loop early cancels the stream.
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > maxBytes) tooLarge();
        chunks.push(chunk);
      }
    }
    this.bytes += size;
    this.requests++;
    return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks, size));
  }
}

/**
 * Starts the loads of `schedule` in order, at most `window` of them started and not yet taken. `take(key)`
 * hands over the load of `key` (starting it now if the schedule has not reached it), so a consumer that takes
 * in schedule order finds its data already downloaded, and memory holds at most `window` responses.
 */
export class Prefetcher<T> {
  private readonly started = new Map<string, Promise<T>>();
  private exhausted = false;

  constructor(
    private readonly schedule: Iterator<string>,
    private readonly load: (key: string) => Promise<T>,
    private readonly window: number,
  ) {}

  take(key: string): Promise<T> {
    this.fill();
    let load = this.started.get(key);
    if (load === undefined) load = this.load(key);
    else this.started.delete(key);
    this.fill();
    return load;
  }

  private fill(): void {
    while (!this.exhausted && this.started.size < this.window) {
      const next = this.schedule.next();
      if (next.done === true) {
        this.exhausted = true;
        return;
      }
      const load = this.load(next.value);
      // Failures surface when taken; one that is never taken (the audit stopped first) must not go unhandled.
      load.catch(() => undefined);
      this.started.set(next.value, load);
    }
  }
}
