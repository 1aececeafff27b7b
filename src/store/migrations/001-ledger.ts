import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/** The transparency log's tables and the witness's state. */
export async function up(db: Kysely<unknown>, { binary, bigint }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('log_state')
    .addColumn('log', 'text', (c) => c.primaryKey())
    .addColumn('size', bigint, (c) => c.notNull())
    .addColumn('root_hash', binary, (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('log_tiles')
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', bigint, (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('log_tiles_pk', ['log', 'level', 'idx'])
    .execute();
  await db.schema
    .createTable('log_entry_bundles')
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('idx', bigint, (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('data', binary, (c) => c.notNull())
    .addPrimaryKeyConstraint('log_entry_bundles_pk', ['log', 'idx'])
    .execute();
  await db.schema
    .createTable('log_checkpoints')
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('size', bigint, (c) => c.notNull())
    .addColumn('note', binary, (c) => c.notNull())
    .addColumn('cosigned_note', binary)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_checkpoints_pk', ['log', 'size'])
    .execute();
  await db.schema
    .createTable('witness_logs')
    .addColumn('origin', 'text', (c) => c.primaryKey())
    .addColumn('size', bigint, (c) => c.notNull())
    .addColumn('root_hash', binary, (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
