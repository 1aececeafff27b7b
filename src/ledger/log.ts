import { LedgerError } from './errors.js';
import { LogEdge } from './edge.js';
import { consistencyProof, inclusionProof } from './proof.js';
import type { EntryCompanion, LogHead, LogStorage, StoredCheckpoint } from './storage.js';
import { ENTRY_BUNDLE_LEVEL } from './storage.js';
import { TileReader } from './tile-reader.js';
import { HASH_SIZE } from './hash.js';
import { MAX_ENTRY_SIZE, TILE_WIDTH, entryBundlePrefixLength } from './tiles.js';

export interface LogOptions {
  /** Signs a checkpoint body (C2SP tlog-checkpoint text) as a signed note. */
  readonly signCheckpoint: (size: number, rootHash: Buffer) => Buffer;
  /** Most entries committed in one transaction. */
  readonly maxBatchSize?: number;
  /**
   * Longest an entry waits for its batch to start when the log is idle. A batch starts sooner, once the
   * event loop has run what it has, when as many entries wait as the previous batch held.
   */
  readonly maxDelayMs?: number;
  /** Called after every committed checkpoint (e.g. to ask witnesses to cosign it). */
  readonly onCheckpoint?: (checkpoint: StoredCheckpoint) => void;
}

interface Pending<C> {
  readonly entry: Uint8Array;
  readonly companion: C | undefined;
  readonly resolve: (index: number) => void;
  readonly reject: (err: unknown) => void;
}

const DEFAULTS = { maxBatchSize: 8192, maxDelayMs: 5 };
/**
 * Another process appending to the same log (a CLI beside the hub) moves the head between our read of it and
 * our commit; the batch is then rebuilt on the new head, under the log's lock where storage offers one
 * (`LogStorage.exclusive`), else after a random wait that grows, up to 50 ms.
 */
const MAX_CONFLICT_RETRIES = 16;

/** A committed batch: where it starts, the size it made, and its signed checkpoint. */
interface Integrated {
  readonly fromSize: number;
  readonly size: number;
  readonly checkpoint: Buffer;
}

/**
 * An append-only RFC 6962 log with batched sequencing and integration.
 * Concurrent appends are pooled; a batch is hashed into the tiles and committed in one transaction together
 * with its signed checkpoint, and only then does each append resolve with its index. While one batch commits
 * the next one gathers, so the batch size follows the load (group commit).
 * `C` is what its storage accepts to write beside an entry, in the same transaction (see `append`).
 */
export class TransparencyLog<C = unknown> {
  private pending: Pending<C>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Immediate | undefined;
  /** Size of the last batch: when as many wait again, the callers of that batch are back (closed loop). */
  private lastBatch: number;
  private flushing: Promise<void> | undefined;
  private closed = false;
  private readonly maxBatchSize: number;
  private readonly maxDelayMs: number;

  private constructor(
    private readonly storage: LogStorage<C>,
    readonly tiles: TileReader,
    private edge: LogEdge,
    private readonly options: LogOptions,
  ) {
    this.maxBatchSize = options.maxBatchSize ?? DEFAULTS.maxBatchSize;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) throw new RangeError('maxBatchSize must be a positive integer');
    if (!(this.maxDelayMs >= 0 && this.maxDelayMs <= 1000)) throw new RangeError('maxDelayMs must be within 0..1000');
    this.lastBatch = this.maxBatchSize;
  }

  static async open<C = never>(storage: LogStorage<C>, options: LogOptions): Promise<TransparencyLog<C>> {
    const tiles = new TileReader(storage);
    let head = await storage.readHead();
    if (!head) {
      // A new log publishes its empty checkpoint at once, so that clients and witnesses have a start.
      const empty = LogEdge.empty();
      try {
        await storage.commit({
          fromSize: 0,
          head: { size: 0, rootHash: empty.root() },
          tiles: [],
          checkpoint: options.signCheckpoint(0, empty.root()),
          companions: [],
        });
      } catch (err) {
        // Another process created it first: go on from what it wrote.
        if (!(await storage.readHead())) throw err;
      }
      head = await storage.readHead();
    }
    return new TransparencyLog(storage, tiles, await loadEdge(head, tiles), options);
  }

  /** The size of the integrated tree, as this process knows it. */
  get size(): number {
    return this.edge.size;
  }

  /**
   * Appends one entry; resolves with its index once it is integrated and durable. A `companion` is handed
   * to storage with the entry's index and committed in the same transaction as the entry.
   */
  append(entry: Uint8Array, companion?: C): Promise<number> {
    if (this.closed) return Promise.reject(new LedgerError('CLOSED', 'the log is closed'));
    if (!(entry instanceof Uint8Array)) return Promise.reject(new LedgerError('INVALID_ENTRY', 'an entry must be bytes'));
    if (entry.length > MAX_ENTRY_SIZE) {
      return Promise.reject(new LedgerError('INVALID_ENTRY', `an entry is at most ${MAX_ENTRY_SIZE} bytes, got ${entry.length}`));
    }
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ entry, companion, resolve, reject });
      if (this.pending.length >= this.maxBatchSize) this.kick();
      else if (this.pending.length >= this.lastBatch) this.soon ??= setImmediate(() => this.kick());
      else this.timer ??= setTimeout(() => this.kick(), this.maxDelayMs);
    });
  }

  /** Waits until everything appended so far is integrated. */
  async flush(): Promise<void> {
    // A batch at a time: each kick starts the next one, until nothing is pending.
    for (;;) {
      this.kick();
      if (!this.flushing) return;
      await this.flushing;
    }
  }

  /**
   * Refuses new appends, then integrates what is pending. (Flushing first could never end while another
   * task kept appending: each commit would find new entries to integrate.)
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.soon) {
      clearImmediate(this.soon);
      this.soon = undefined;
    }
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      // Entries that arrived during the last commit start their batch on the next turn of the event loop,
      // not at once: on SQLite every step of a commit is a microtask, so a caller appending back to back
      // would otherwise keep the loop in microtasks for good (no timer, no I/O, no other writer's turn).
      if (this.pending.length > 0) this.soon ??= setImmediate(() => this.kick());
    });
  }

  /** One batch; the rest goes on the next turn of the event loop (see `kick`). */
  private async drain(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatchSize);
    this.lastBatch = batch.length;
    try {
      const first = await this.integrate(batch);
      batch.forEach((p, i) => p.resolve(first + i));
    } catch (err) {
      batch.forEach((p) => p.reject(err));
    }
  }

  /** Hashes the batch into the tiles and commits it with its companions; returns the index of its first entry. */
  private async integrate(batch: readonly Pending<C>[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.announce(await this.integrateOn(this.storage, batch));
      } catch (err) {
        const conflict = err instanceof LedgerError && err.code === 'CONFLICT';
        // The edge was advanced in memory but not committed (or another writer moved the head): rebuild
        // it from what storage holds, which is the truth, before anything else is integrated.
        if (conflict && this.storage.exclusive) return this.announce(await this.storage.exclusive((locked) => this.integrateLocked(locked, batch)));
        const retry = conflict && attempt < MAX_CONFLICT_RETRIES;
        if (retry) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
        this.edge = await loadEdge(await this.storage.readHead(), this.tiles);
        if (!retry) throw err;
      }
    }
  }

  /** Tells `onCheckpoint` of a committed batch; answers the index of its first entry. */
  private announce(done: Integrated): number {
    this.options.onCheckpoint?.({ size: done.size, note: done.checkpoint, cosignedNote: null });
    return done.fromSize;
  }

  /** Under the lock: the edge rebuilt from the locked head (read through the lock's transaction), then the batch. */
  private async integrateLocked(locked: LogStorage<C>, batch: readonly Pending<C>[]): Promise<Integrated> {
    const head = await locked.readHead();
    this.edge = await loadEdge(head, new TileReader(locked));
    try {
      return await this.integrateOn(locked, batch);
    } catch (err) {
      // Not committed: the edge must not keep the batch.
      this.edge = await loadEdge(head, new TileReader(locked));
      throw err;
    }
  }

  /** Builds the batch on the current edge and commits it through `storage` (not yet announced). */
  private async integrateOn(storage: LogStorage<C>, batch: readonly Pending<C>[]): Promise<Integrated> {
    const fromSize = this.edge.size;
    const tiles = this.edge.integrate(batch.map((p) => p.entry));
    const rootHash = this.edge.root();
    const size = this.edge.size;
    const checkpoint = this.options.signCheckpoint(size, rootHash);
    // Indexes are those of this attempt: after a conflict the batch lands elsewhere.
    const companions: EntryCompanion<C>[] = [];
    batch.forEach((p, i) => {
      if (p.companion !== undefined) companions.push({ index: fromSize + i, companion: p.companion });
    });
    await storage.commit({ fromSize, head: { size, rootHash }, tiles, checkpoint, companions });
    return { fromSize, size, checkpoint };
  }

  /** The newest signed checkpoint note (without cosignatures). */
  async checkpoint(): Promise<StoredCheckpoint> {
    const cp = await this.storage.readCheckpoint();
    if (!cp) throw new LedgerError('NOT_FOUND', 'the log has no checkpoint yet');
    return cp;
  }

  async checkpointAt(size: number): Promise<StoredCheckpoint | undefined> {
    return this.storage.readCheckpoint(size);
  }

  async cosignedCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.storage.readCosignedCheckpoint();
  }

  async saveCosignedCheckpoint(size: number, note: Buffer): Promise<void> {
    await this.storage.saveCosignedCheckpoint(size, note);
  }

  /** The committed tree size (from storage, so it includes other processes' appends). */
  async committedSize(): Promise<number> {
    return (await this.storage.readHead())?.size ?? 0;
  }

  async inclusionProof(index: number, size: number): Promise<Buffer[]> {
    await this.assertCommitted(size);
    return inclusionProof(index, size, (l, i) => this.tiles.nodeHash(l, i));
  }

  async consistencyProof(from: number, to: number): Promise<Buffer[]> {
    await this.assertCommitted(to);
    return consistencyProof(from, to, (l, i) => this.tiles.nodeHash(l, i));
  }

  /**
   * A hash tile or entry bundle as C2SP tlog-tiles serves it: `width` items (256 for a full tile), or
   * undefined when the log does not hold that many yet.
   */
  async readTile(level: number, index: number, width: number): Promise<Buffer | undefined> {
    const tile = await this.tiles.tile(level, index, width);
    if (!tile) return undefined;
    if (tile.width === width) return tile.data;
    return tile.data.subarray(0, level === ENTRY_BUNDLE_LEVEL ? entryBundlePrefixLength(tile.data, width) : width * HASH_SIZE);
  }

  /** The entry at `index`, read from its bundle. */
  async readEntry(index: number): Promise<Buffer> {
    const bundleIndex = Math.floor(index / TILE_WIDTH);
    const tile = await this.tiles.tile(ENTRY_BUNDLE_LEVEL, bundleIndex, (index % TILE_WIDTH) + 1);
    if (!tile) throw new LedgerError('NOT_FOUND', `no entry at index ${index}`);
    const at = entryBundlePrefixLength(tile.data, index % TILE_WIDTH);
    return Buffer.from(tile.data.subarray(at + 2, at + 2 + tile.data.readUInt16BE(at)));
  }

  private async assertCommitted(size: number): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0) throw new LedgerError('INVALID_ARGUMENT', `size ${size} is not a tree size`);
    if (size > this.edge.size && size > (await this.committedSize())) {
      throw new LedgerError('NOT_FOUND', `the log has no tree of size ${size} yet`);
    }
  }
}

/**
 * The edge of the stored tree, refused unless its tiles reproduce the stored root: the next checkpoint is
 * signed over what the edge computes, so a tile (or a stored interior) that disagrees must stop the log.
 */
async function loadEdge(head: LogHead | undefined, tiles: TileReader): Promise<LogEdge> {
  const size = head?.size ?? 0;
  const edge = await LogEdge.load(size, tiles);
  if (head !== undefined && !edge.root().equals(head.rootHash)) {
    throw new LedgerError('ROOT_MISMATCH', `stored tiles do not reproduce the stored root at size ${size}`);
  }
  return edge;
}
