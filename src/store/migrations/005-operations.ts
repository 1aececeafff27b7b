import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * What running the hub needs beyond 003: event sequence numbers on PostgreSQL (SQLite's `integer primary
 * key` is the rowid and numbers itself), the role of each identifier in an event's index rows (EPCIS
 * `MATCH_epc` looks at `epcList` and `childEPCs` only, not at `parentID`), named counters (bag SSCC
 * serials), scan exceptions (over-carried and unknown parcels) and the register of dispatch manifests
 * disclosed to carriers. None of these columns holds personal data.
 */
export async function up(db: Kysely<unknown>, { dialect, bigint }: MigrationContext): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create sequence epcis_events_seq owned by epcis_events.seq`.execute(db);
    await sql`alter table epcis_events alter column seq set default nextval('epcis_events_seq')`.execute(db);
  }
  // 'epc' / 'epc-raw' (epcList, childEPCs), 'parent' (parentID), 'input' / 'output' (TransformationEvent).
  await db.schema.alterTable('epcis_event_epcs').addColumn('role', 'text', (c) => c.notNull().defaultTo('epc')).execute();
  await db.schema
    .createTable('hub_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('hub_exceptions')
    .addColumn('event_id', 'text', (c) => c.primaryKey()) // the exception's own EPCIS event
    .addColumn('kind', 'text', (c) => c.notNull()) // over-carried | unknown-parcel
    .addColumn('flight_id', 'text')
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('scanner', 'text')
    .addColumn('scanned_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hub_exceptions_flight_idx').on('hub_exceptions').columns(['flight_id', 'kind']).execute();
  await db.schema
    .createTable('dispatch_disclosures')
    .addColumn('truck_id', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull()) // 1 for the dispatch, 2… for each explicit re-issue
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('parcel_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dispatch_disclosures_pk', ['truck_id', 'n'])
    .execute();
  await db.schema.createIndex('parcels_uld_idx').on('parcels').columns(['flight_id', 'uld']).execute();
}
