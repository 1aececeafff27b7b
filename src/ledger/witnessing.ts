/**
 * The log side of c2sp.org/tlog-witness: asks witnesses to cosign the newest checkpoint, off the append path, and
 * saves the checkpoint with their cosignatures once a quorum cosigned the same one. Witness answers are hostile
 * input: every cosignature is verified with the witness's key before it is kept.
 */
import { LedgerError } from './errors.js';
import { parseWitnessVerifierKey, verifyCosignature, type WitnessVerifier } from './cosignature.js';
import type { StoredCheckpoint } from './storage.js';
import { formatAddCheckpointRequest, MAX_ADD_CHECKPOINT_BODY } from './witness.js';

/** What the pool needs of the log (TransparencyLog has it). */
export interface WitnessedLog {
  checkpoint(): Promise<StoredCheckpoint>;
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
  saveCosignedCheckpoint(size: number, note: Buffer): Promise<void>;
}

export interface PoolWitness {
  /** The witness's cosignature/v1 verifier key (type 0x04 vkey). */
  readonly vkey: string;
  /** Its submission prefix: requests go to `<url>/add-checkpoint`. */
  readonly url: string;
}

export interface WitnessPoolOptions {
  readonly witnesses: readonly PoolWitness[];
  /** Cosignatures a checkpoint needs before it is saved as cosigned (default: all witnesses). */
  readonly quorum?: number;
  /** Longest a witness request may take, answer included (default 10 s). */
  readonly timeoutMs?: number;
  /** First wait before asking a failing witness again, doubled on each failure up to maxRetryMs. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Also read the log's newest checkpoint this often, to witness what other processes appended (default: off). */
  readonly pollMs?: number;
  /** Where failures go; nothing the pool does ever throws into the log. */
  readonly report?: (message: string, err?: unknown) => void;
}

export interface WitnessStatus {
  readonly name: string;
  /** The size this witness last cosigned, as far as the pool knows. */
  readonly size: number | undefined;
  readonly failures: number;
}

interface Member {
  readonly verifier: WitnessVerifier;
  readonly endpoint: string;
  size: number | undefined;
  /** The round size it is working on or last worked on (-1: none). */
  attempted: number;
  busy: boolean;
  failures: number;
  retry: NodeJS.Timeout | undefined;
}

interface Round {
  readonly checkpoint: StoredCheckpoint;
  readonly text: string;
  /** Verified cosignature lines by member index. */
  readonly lines: Map<number, string>;
  saved: number;
}

export class WitnessPool {
  private readonly members: Member[];
  private readonly quorum: number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly pollMs: number;
  private poller: NodeJS.Timeout | undefined;
  private readonly report: (message: string, err?: unknown) => void;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private waiters: { size: number; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private log: WitnessedLog | undefined;
  private latest: StoredCheckpoint | undefined;
  private round: Round | undefined;
  private saving: Promise<void> = Promise.resolve();
  private witnessed = -1;
  private closed = false;

  constructor(options: WitnessPoolOptions) {
    this.members = options.witnesses.map(member);
    const ids = new Set(this.members.map((m) => `${m.verifier.name}+${m.verifier.keyId}`));
    if (ids.size !== this.members.length) throw new LedgerError('INVALID_ARGUMENT', 'a witness is given twice');
    this.quorum = options.quorum ?? this.members.length;
    if (!Number.isInteger(this.quorum) || this.quorum < 1 || this.quorum > this.members.length) {
      throw new LedgerError('INVALID_ARGUMENT', `quorum must be between 1 and the number of witnesses (${this.members.length})`);
    }
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.maxRetryMs = options.maxRetryMs ?? 60_000;
    this.pollMs = options.pollMs ?? 0;
    const report = options.report ?? (() => undefined);
    this.report = (message, err) => {
      try {
        report(message, err);
      } catch {
        // a failing reporter must stop neither witnessing nor the log
      }
    };
  }

  /** Pass as LogOptions.onCheckpoint: remembers the newest checkpoint and returns at once. */
  readonly onCheckpoint = (checkpoint: StoredCheckpoint): void => {
    if (this.closed) return;
    if (this.latest === undefined || checkpoint.size > this.latest.size) this.latest = checkpoint;
    this.pump();
  };

  /** Starts witnessing `log`, beginning with its newest checkpoint (the log is opened with onCheckpoint first). */
  attach(log: WitnessedLog): void {
    this.log = log;
    const read = (): void => this.track(log.checkpoint().then(this.onCheckpoint, (err: unknown) => this.report('cannot read the newest checkpoint', err)));
    read();
    if (this.pollMs > 0) (this.poller = setInterval(read, this.pollMs)).unref();
  }

  /** Resolves once a checkpoint of at least `size` was saved with a quorum of cosignatures. */
  whenWitnessed(size: number): Promise<void> {
    if (this.witnessed >= size) return Promise.resolve();
    if (this.closed) return Promise.reject(new LedgerError('CLOSED', 'the witness pool is closed'));
    return new Promise((resolve, reject) => this.waiters.push({ size, resolve, reject }));
  }

  /** The newest size saved with a quorum (-1: none yet), and what each witness has cosigned. */
  status(): { witnessed: number; witnesses: WitnessStatus[] } {
    const witnesses = this.members.map((m) => ({ name: m.verifier.name, size: m.size, failures: m.failures }));
    return { witnessed: this.witnessed, witnesses };
  }

  /** Stops asking, cancels requests in flight and waits for them and for any save to finish. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    clearInterval(this.poller);
    for (const m of this.members) clearTimeout(m.retry);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.saving;
    for (const w of this.waiters) w.reject(new LedgerError('CLOSED', 'the witness pool is closed'));
    this.waiters = [];
  }

  private track(p: Promise<void>): void {
    const settled = p.then(undefined, (err: unknown) => this.report('witnessing failed', err));
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  /**
   * All witnesses work on one round, so that they cosign the same checkpoint. A round is decided once a quorum
   * cosigned it or nobody works on it any more; then the next one takes the newest checkpoint. Never throws.
   */
  private pump(): void {
    try {
      if (this.closed || this.log === undefined || this.latest === undefined) return;
      const round = this.round;
      const decided = round !== undefined && (round.lines.size >= this.quorum || !this.members.some((m) => m.busy && m.attempted === round.checkpoint.size));
      if (round === undefined || (decided && round.checkpoint.size < this.latest.size)) {
        this.round = { checkpoint: this.latest, text: noteText(this.latest.note), lines: new Map(), saved: 0 };
      }
      this.members.forEach((m, i) => this.start(m, i, this.round!));
    } catch (err) {
      this.report('witnessing failed', err);
    }
  }

  /** One request in flight per witness: a busy, backing-off or finished witness is left alone. */
  private start(m: Member, index: number, round: Round): void {
    if (m.busy || m.retry !== undefined || m.attempted === round.checkpoint.size) return;
    m.busy = true;
    m.attempted = round.checkpoint.size;
    const work = this.submit(m, round).then(
      (line) => {
        m.failures = 0;
        if (line !== undefined) this.record(round, index, line);
      },
      (err: unknown) => this.fail(m, err),
    );
    this.track(
      work.finally(() => {
        m.busy = false;
        this.pump();
      }),
    );
  }

  /** One add-checkpoint, and one retry with the right old size and proof after a 409. */
  private async submit(m: Member, round: Round): Promise<string | undefined> {
    const { size, note } = round.checkpoint;
    for (let attempt = 0; ; attempt++) {
      const old = m.size ?? 0;
      if (old > size) return undefined; // it has cosigned a newer checkpoint of this log: nothing to do for this one
      const proof = old > 0 && old < size ? await this.log!.consistencyProof(old, size) : [];
      const res = await this.post(m, formatAddCheckpointRequest(old, proof, note));
      if (res.status === 200) {
        const line = this.verifyAnswer(m, round, res.body);
        m.size = size;
        return line;
      }
      const known = /^(0|[1-9][0-9]{0,15})\n$/.exec(res.body);
      if (res.status !== 409 || known === null || attempt > 0) {
        throw new Error(`witness ${m.verifier.name} answered ${res.status}: ${JSON.stringify(res.body.slice(0, 200))}`);
      }
      m.size = Number(known[1]);
    }
  }

  private async post(m: Member, body: Uint8Array): Promise<{ status: number; body: string }> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.timeoutMs)]);
    const res = await fetch(m.endpoint, { method: 'POST', body, signal, headers: { 'content-type': 'text/plain' } });
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of res.body ?? []) {
      length += (chunk as Uint8Array).length; // a hostile witness could stream forever: stop reading early
      if (length > MAX_ADD_CHECKPOINT_BODY) throw new Error(`witness ${m.verifier.name} answered more than ${MAX_ADD_CHECKPOINT_BODY} bytes`);
      chunks.push(chunk as Uint8Array);
    }
    return { status: res.status, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** §add-checkpoint: signature lines; cosignatures by other keys are ignored, a bad one by this witness is not. */
  private verifyAnswer(m: Member, round: Round, body: string): string {
    if (!body.endsWith('\n')) throw new Error(`witness ${m.verifier.name} answered no signature lines`);
    for (const line of body.slice(0, -1).split('\n')) {
      try {
        if (verifyCosignature(round.text, line, m.verifier) === 0) throw new Error(`witness ${m.verifier.name} cosigned with time 0`);
        return `${line}\n`;
      } catch (err) {
        if (!(err instanceof LedgerError && err.code === 'UNKNOWN_KEY')) throw err;
      }
    }
    throw new Error(`witness ${m.verifier.name} answered no cosignature by its key`);
  }

  private record(round: Round, index: number, line: string): void {
    round.lines.set(index, line);
    if (round.lines.size < this.quorum || round.lines.size <= round.saved) return;
    round.saved = round.lines.size;
    const { size, note } = round.checkpoint;
    const lines = [...round.lines.entries()].sort(([a], [b]) => a - b).map(([, l]) => l);
    const cosigned = Buffer.concat([note, Buffer.from(lines.join(''), 'utf8')]);
    this.saving = this.saving
      .then(() => this.log!.saveCosignedCheckpoint(size, cosigned))
      .then(
        () => {
          this.witnessed = Math.max(this.witnessed, size);
          this.waiters.filter((w) => w.size <= this.witnessed).forEach((w) => w.resolve());
          this.waiters = this.waiters.filter((w) => w.size > this.witnessed);
        },
        (err: unknown) => this.report(`cannot save the cosigned checkpoint of size ${size}`, err),
      );
  }

  private fail(m: Member, err: unknown): void {
    m.failures++;
    if (this.closed) return;
    this.report(`witness ${m.verifier.name} failed (${m.failures} in a row)`, err);
    const delay = Math.min(this.retryMs * 2 ** Math.min(m.failures - 1, 30), this.maxRetryMs);
    m.retry = setTimeout(() => {
      m.retry = undefined;
      m.attempted = -1;
      this.pump();
    }, delay);
    m.retry.unref();
  }
}

function member({ vkey, url }: PoolWitness): Member {
  const verifier = parseWitnessVerifierKey(vkey);
  if (!/^https?:\/\/\S+$/.test(url) || !URL.canParse(url)) throw new LedgerError('INVALID_ARGUMENT', `witness URL ${JSON.stringify(url)} is not an http(s) URL`);
  const endpoint = `${url.replace(/\/+$/, '')}/add-checkpoint`;
  return { verifier, endpoint, size: undefined, attempted: -1, busy: false, failures: 0, retry: undefined };
}

function noteText(note: Buffer): string {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new LedgerError('INVALID_NOTE', 'the log checkpoint has no signature block');
  return note.toString('utf8', 0, split + 1);
}
