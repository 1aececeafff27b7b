/**
 * What the log needs from a database. The ledger defines it and knows nothing of how it is kept;
 * `src/store/` implements it on SQLite and PostgreSQL.
 */

/** A hash tile (level ≥ 0) or an entry bundle (level = ENTRY_BUNDLE_LEVEL), with as many items as it holds now. */
export interface StoredTile {
  readonly level: number;
  readonly index: number;
  readonly width: number;
  readonly data: Buffer;
  /**
   * A full hash tile's interior (`interiorRowStarts`): the nodes between its hashes and its root, which the
   * log computes anyway as it integrates. Derivable from `data`, so storage may lack it (tiles written
   * before it was kept); never served.
   */
  readonly interior?: Buffer;
}

/** Entry bundles live beside hash tiles under a level no hash tile can have. */
export const ENTRY_BUNDLE_LEVEL = -1;

export interface LogHead {
  readonly size: number;
  readonly rootHash: Buffer;
}

/**
 * Something the application asked to be written together with an entry (e.g. a row of its own index that
 * names the entry by its index). The log only carries it to storage; what it means is storage's business.
 */
export interface EntryCompanion<C> {
  /** The index the entry received in this batch. */
  readonly index: number;
  readonly companion: C;
}

/** Everything one batch changes, written atomically. */
export interface IntegrationWrite<C = never> {
  /** The size the batch was integrated onto; the write fails with CONFLICT if the stored head differs. */
  readonly fromSize: number;
  readonly head: LogHead;
  /** New or grown tiles and bundles (a grown partial tile replaces its narrower self). */
  readonly tiles: readonly StoredTile[];
  /** The checkpoint for `head`, signed as a note. */
  readonly checkpoint: Buffer;
  /** Written in the same transaction: none of the batch is stored without its companions, or they without it. */
  readonly companions: readonly EntryCompanion<C>[];
}

export interface StoredCheckpoint {
  readonly size: number;
  readonly note: Buffer;
  /** The note with the witnesses' cosignatures, once a quorum cosigned it. */
  readonly cosignedNote: Buffer | null;
}

/** `C`: what may accompany an entry into the batch's transaction (`never` for a storage that takes nothing). */
export interface LogStorage<C = never> {
  /** The committed head, or undefined for a log that has never been written. */
  readHead(): Promise<LogHead | undefined>;
  /** The stored tile (any width), or undefined. */
  readTile(level: number, index: number): Promise<StoredTile | undefined>;
  /** Atomically writes a batch; throws LedgerError('CONFLICT') when another writer moved the head. */
  commit(write: IntegrationWrite<C>): Promise<void>;
  /**
   * Optional: runs `work` with a view of this storage bound to one transaction that holds the log's write
   * lock from its start, so that a batch read, built and committed through it cannot find the head moved.
   * The log uses it after a conflict: against a writer committing back to back, optimistic retries can lose
   * every time.
   */
  exclusive?<T>(work: (locked: LogStorage<C>) => Promise<T>): Promise<T>;
  /** The checkpoint of exactly `size`, or the newest one when size is undefined. */
  readCheckpoint(size?: number): Promise<StoredCheckpoint | undefined>;
  /** The newest checkpoint that a witness quorum cosigned. */
  readCosignedCheckpoint(): Promise<StoredCheckpoint | undefined>;
  saveCosignedCheckpoint(size: number, cosignedNote: Buffer): Promise<void>;
}
