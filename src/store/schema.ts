import type { ColumnType } from 'kysely';

/**
 * The tables of one glasshub database, the same on SQLite and PostgreSQL.
 * Integers that can grow past 2^31 are BIGINT on PostgreSQL and come back as JS numbers (sizes stay < 2^53).
 * Timestamps are ISO-8601 UTC text so that both stores sort and compare them alike.
 */
export interface Database {
  log_state: LogStateTable;
  log_tiles: LogTileTable;
  log_entry_bundles: LogEntryBundleTable;
  log_checkpoints: LogCheckpointTable;
  witness_logs: WitnessLogTable;
}

export interface LogStateTable {
  log: string;
  size: number;
  root_hash: Buffer;
  updated_at: string;
}

/** One row per hash tile (C2SP tlog-tiles); a partial tile is replaced by a wider one until it is full. */
export interface LogTileTable {
  log: string;
  level: number;
  idx: number;
  width: number;
  data: Buffer;
}

/** One row per entry bundle; the same growth rule as hash tiles. */
export interface LogEntryBundleTable {
  log: string;
  idx: number;
  width: number;
  data: Buffer;
}

/** Every checkpoint the log signed, kept so that each can be proven consistent with the next. */
export interface LogCheckpointTable {
  log: string;
  size: number;
  note: Buffer;
  cosigned_note: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  created_at: string;
}

/** A witness's memory: the newest checkpoint it cosigned per log origin. */
export interface WitnessLogTable {
  origin: string;
  size: number;
  root_hash: Buffer;
  updated_at: string;
}
