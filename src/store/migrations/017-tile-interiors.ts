import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * `log_tiles.interior`: a full hash tile's nodes between its hashes and its root (254 hashes, see
 * `interiorRowStarts` in `src/ledger/tiles.ts`), written by the log as it integrates. A proof server
 * that has just started hashed them again for every tile a proof first touched (one new tile per five
 * proofs over a 1,000,000-entry log, the larger part of a cold proof's cost). Null for partial tiles and
 * for tiles written before this migration: readers hash those themselves. About 8 KB more per 256
 * entries, beside their ~70 KB entry bundle.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema.alterTable('log_tiles').addColumn('interior', binary).execute();
}
