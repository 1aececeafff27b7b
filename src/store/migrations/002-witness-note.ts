import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/** The witness keeps the checkpoint it cosigned (log signature and its cosignature) to serve it to monitors. */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema.alterTable('witness_logs').addColumn('note', binary).execute();
}
