import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Where each screening decision (`Gate.screen`) applied: its scope (for customs, `flight:<id>`: every
 * buyer of the flight at that moment) and time, written in the decision's own transaction. Subject access
 * finds by it the screenings that compared a person's name, through the flights of their parcels: the
 * decision itself names no one. No personal data.
 */
export async function up(db: Kysely<unknown>, { bigint }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('gate_screenings')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .addColumn('screened_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('gate_screenings_pk', ['scope', 'ledger_index'])
    .execute();
}
