import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A sealed record with what is needed to open it (its subject's wrapped key); nothing in clear. */
export interface RecordRow {
  readonly id: string;
  readonly subject_id: string;
  readonly ciphertext: Uint8Array;
  readonly wrapped_key: Uint8Array | null;
  readonly master_key_id: string | null;
}

interface Waiter {
  readonly resolve: (rows: ReadonlyMap<string, RecordRow>) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * IN-lists come in a few fixed lengths, padded by repeating an id, so that a handful of statement texts
 * (compiled once, prepared once) serve every batch size; 512 stays far below both stores' parameter limits.
 */
const MAX_LIST = 512;
const LIST_SIZES: readonly number[] = [1, 4, 16, 64, 256, MAX_LIST];

/**
 * Reads sealed records for concurrent callers in one query, like the ledger's group commit: every id asked
 * for while the event loop runs what it has goes into one SELECT (building and running a query per caller
 * cost more than the rest of a read). Rows hold ciphertext only, and are shared by no one after the batch.
 */
export class RecordReader {
  private waiting: Waiter[] = [];
  private ids = new Set<string>();
  private readonly sqlBySize = new Map<number, string>();

  constructor(private readonly db: Kysely<Database>) {}

  load(ids: Iterable<string>): Promise<ReadonlyMap<string, RecordRow>> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ resolve, reject });
      for (const id of ids) this.ids.add(id);
    });
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting;
    const ids = [...this.ids];
    this.waiting = [];
    this.ids = new Set();
    try {
      const rows = new Map<string, RecordRow>();
      for (let i = 0; i < ids.length; i += MAX_LIST) {
        for (const r of await this.query(ids.slice(i, i + MAX_LIST))) rows.set(r.id, r);
      }
      for (const w of waiting) w.resolve(rows);
    } catch (err) {
      for (const w of waiting) w.reject(err);
    }
  }

  private async query(ids: string[]): Promise<readonly RecordRow[]> {
    const size = LIST_SIZES.find((s) => s >= ids.length) ?? MAX_LIST;
    while (ids.length < size) ids.push(ids[0]!);
    const { rows } = await this.db.executeQuery<RecordRow>(CompiledQuery.raw(this.sql(size), ids));
    return rows;
  }

  private sql(size: number): string {
    let text = this.sqlBySize.get(size);
    if (text === undefined) {
      text = recordQuery(this.db).where('r.id', 'in', new Array<string>(size).fill('')).compile().sql;
      this.sqlBySize.set(size, text);
    }
    return text;
  }
}

function recordQuery(db: Kysely<Database>) {
  return db
    .selectFrom('vault_records as r')
    .innerJoin('vault_subjects as s', 's.id', 'r.subject_id')
    .select(['r.id', 'r.subject_id', 'r.ciphertext', 's.wrapped_key', 's.master_key_id']);
}
