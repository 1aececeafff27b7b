import type { Kysely } from 'kysely';
import type { CompareAndSwapResult, WitnessState, WitnessStorage } from '../ledger/witness.js';
import type { Database } from './schema.js';

/** Rounds of update-then-insert before giving up: each lost round means another request moved the row. */
const MAX_ROUNDS = 3;

/**
 * A witness's memory on either store, one row per log origin in `witness_logs`. The compare-and-swap is a single
 * `UPDATE … WHERE origin = ? AND size = ?` (or an INSERT that does nothing on a duplicate origin): on PostgreSQL a
 * concurrent UPDATE waits for the row and re-checks the size, on SQLite writers are serialised. Neither store
 * can let two requests both see the old size and so roll the stored size back.
 */
export class KyselyWitnessStorage implements WitnessStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async read(origin: string): Promise<WitnessState | undefined> {
    const row = await this.db
      .selectFrom('witness_logs')
      .select(['size', 'root_hash', 'note'])
      .where('origin', '=', origin)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      size: Number(row.size),
      rootHash: new Uint8Array(row.root_hash),
      note: row.note === null ? null : new Uint8Array(row.note),
    };
  }

  async compareAndSwap(origin: string, expectedOldSize: number, next: WitnessState): Promise<CompareAndSwapResult> {
    const values = {
      size: next.size,
      root_hash: Buffer.from(next.rootHash),
      note: next.note === null ? null : Buffer.from(next.note),
      updated_at: new Date().toISOString(),
    };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const updated = await this.db
        .updateTable('witness_logs')
        .set(values)
        .where('origin', '=', origin)
        .where('size', '=', expectedOldSize)
        .executeTakeFirst();
      if (updated.numUpdatedRows > 0n) return { ok: true };
      if (expectedOldSize === 0) {
        // Never cosigned (no row) counts as size 0: the first checkpoint inserts; of two racing inserts one wins.
        const inserted = await this.db
          .insertInto('witness_logs')
          .values({ origin, ...values })
          .onConflict((oc) => oc.column('origin').doNothing())
          .executeTakeFirst();
        if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return { ok: true };
      }
      const current = await this.read(origin);
      const currentSize = current?.size ?? 0;
      // Another request stored exactly the expected size between our statements: try again.
      if (currentSize !== expectedOldSize) return { ok: false, currentSize };
    }
    throw new Error(`witness state for ${JSON.stringify(origin)} kept changing under compare-and-swap`);
  }
}
