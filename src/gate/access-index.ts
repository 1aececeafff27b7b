import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

interface Pending {
  readonly rows: readonly { tag: string; ledger_index: number }[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Which ledger entries name which tag, written by group commit: the rows of every read that arrives while
 * one batch is being written go into the next single transaction, so a read costs a share of one commit,
 * not one commit (and one fsync) of its own. The index can always be rebuilt from the ledger itself.
 */
export class AccessIndexWriter {
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  add(rows: readonly { tag: string; ledger_index: number }[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the reads of this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const rows = batch.flatMap((p) => p.rows);
        await this.db.transaction().execute(async (tx) => {
          for (let i = 0; i < rows.length; i += 400) {
            await tx
              .insertInto('gate_access_index')
              .values(rows.slice(i, i + 400))
              .onConflict((oc) => oc.columns(['tag', 'ledger_index']).doNothing())
              .execute();
          }
        });
        batch.forEach((p) => p.resolve());
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    }
    this.writing = undefined;
  }
}
