import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Customs: the versioned risk-rules document (changing it is an officer action), one clearance row per
 * parcel (figures and flags, no personal data: evidence names rules, values and tracking numbers only), and
 * the officers' decisions (hold, inspect, release, seize), each tied to the EPCIS event it emitted.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema
    .createTable('customs_rules')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull()) // JSON, see src/customs/rules/document.ts
    .addColumn('comment', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('customs_clearances')
    .addColumn('tracking_number', 'text', (c) => c.primaryKey())
    .addColumn('flight_id', 'text', (c) => c.notNull())
    .addColumn('date_of_import', 'text', (c) => c.notNull())
    .addColumn('procedure', 'text', (c) => c.notNull()) // H7 | H1
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('vat_rate', 'text')
    .addColumn('vat', 'text', (c) => c.notNull()) // EUR decimal strings, exact
    .addColumn('vat_due', 'text', (c) => c.notNull())
    .addColumn('duty', 'text')
    .addColumn('intrinsic_eur', 'text', (c) => c.notNull())
    .addColumn('flag_rules', 'text', (c) => c.notNull()) // ' '-separated rule names, '' for none
    .addColumn('flags', 'text', (c) => c.notNull()) // JSON [{ rule, evidence }]
    .addColumn('rules_version', 'integer', (c) => c.notNull())
    .addColumn('cleared_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customs_clearances_flight_idx').on('customs_clearances').columns(['flight_id', 'flag_rules']).execute();
  await db.schema
    .createTable('customs_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('flight_id', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull()) // held | inspection | released | seized
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('officer', 'text', (c) => c.notNull()) // principal id
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customs_decisions_parcel_idx').on('customs_decisions').columns(['tracking_number', 'decided_at']).execute();
}
