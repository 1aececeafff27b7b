import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The access index keyed by period first: (period, tag, ledger index), a period being 4096 consecutive
 * ledger entries. Tags are random, so keyed by tag alone every decision's row lands on its own page of
 * the index, and a batch of decisions rewrote (and synced) hundreds of pages; keyed by period, a batch's
 * rows share the few pages of the current period. Finding a person's entries costs one seek per period.
 * On SQLite the table is the index itself (WITHOUT ROWID).
 */
export async function up(db: Kysely<unknown>, { bigint, dialect }: MigrationContext): Promise<void> {
  let create = db.schema
    .createTable('gate_access_index_by_period')
    .addColumn('period', bigint, (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('gate_access_index_period_pk', ['period', 'tag', 'ledger_index']);
  if (dialect === 'sqlite') create = create.modifyEnd(sql`without rowid`);
  await create.execute();
  // Integer division on both stores (ledger_index is an integer column).
  await sql`insert into gate_access_index_by_period (period, tag, ledger_index) select ledger_index / 4096, tag, ledger_index from gate_access_index`.execute(db);
  await db.schema.dropTable('gate_access_index').execute();
  await db.schema.alterTable('gate_access_index_by_period').renameTo('gate_access_index').execute();
}
