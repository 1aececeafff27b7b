import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The gate's own bookkeeping: which ledger entries name which pseudonymous tag (so that a person's
 * subject-access request finds its entries without scanning the log), and which policy versions were
 * published in the log.
 */
export async function up(db: Kysely<unknown>, { bigint }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('gate_access_index')
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('gate_access_index_pk', ['tag', 'ledger_index'])
    .execute();
  await db.schema
    .createTable('gate_policies')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();
}
