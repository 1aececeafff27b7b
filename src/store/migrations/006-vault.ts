import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The vault: one row per person with their data key wrapped by a master key, and their data, encrypted
 * under that key. Nothing here is readable without the master key; a shredded subject's key is gone.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('vault_subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('blind_index', binary, (c) => c.unique())
    .addColumn('wrapped_key', binary)
    .addColumn('master_key_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('shredded_at', 'text')
    .execute();
  await db.schema
    .createTable('vault_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('content_index', binary, (c) => c.notNull())
    .addColumn('ciphertext', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('vault_records_content_uq', ['subject_id', 'content_index'])
    .execute();
  // Sealing finds existing records by their content index alone (the subject is not known yet for new data).
  await db.schema.createIndex('vault_records_content_idx').on('vault_records').column('content_index').execute();
}
