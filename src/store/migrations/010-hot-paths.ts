import type { Kysely } from 'kysely';

/**
 * Indexes for the freighter's hot paths (issue 3):
 * - sealing finds a person's existing records by (subject, content index), the unique constraint's own
 *   index, now that record and subject ids grow with time (`src/vault/seal.ts`). The index on the content
 *   index alone served the old lookup only, and as a keyed HMAC it was written at a random page per
 *   record: dropped. Existing ids (random) stay valid; new ones sort after them;
 * - a truck's bags (dispatch, its manifest) were found by scanning every parcel: `bags (truck)`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('vault_records_content_idx').ifExists().execute();
  await db.schema.createIndex('bags_truck_idx').on('bags').column('truck').execute();
}
