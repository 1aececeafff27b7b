import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The hub's operational tables. Nothing here names a person: a parcel points at its consignee and seller
 * only through opaque vault subject ids, and their names, addresses and contacts live encrypted in the
 * vault's tables, which only the gate reads. Destination country and postcode are kept in clear because
 * every sort decision needs them (the sorter's view of the policy).
 */
export async function up(db: Kysely<unknown>, { bigint }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('flights')
    .addColumn('id', 'text', (c) => c.primaryKey()) // "CK231/2026-11-25"
    .addColumn('flight_number', 'text', (c) => c.notNull())
    .addColumn('flight_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('arrived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('awbs')
    .addColumn('awb', 'text', (c) => c.primaryKey())
    .addColumn('flight_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ulds')
    .addColumn('flight_id', 'text', (c) => c.notNull())
    .addColumn('uld', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ulds_pk', ['flight_id', 'uld'])
    .execute();
  await db.schema
    .createTable('parcels')
    .addColumn('tracking_number', 'text', (c) => c.primaryKey())
    .addColumn('flight_id', 'text', (c) => c.notNull())
    .addColumn('awb', 'text', (c) => c.notNull())
    .addColumn('uld', 'text')
    .addColumn('seller_country', 'text', (c) => c.notNull())
    .addColumn('dest_country', 'text', (c) => c.notNull())
    .addColumn('dest_postcode', 'text', (c) => c.notNull())
    .addColumn('gross_mass_g', 'integer', (c) => c.notNull())
    .addColumn('ioss_number', 'text')
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('consignee_ref', 'text', (c) => c.notNull())
    .addColumn('seller_ref', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lane', 'text')
    .addColumn('bag', 'text')
    .addColumn('storage_location', 'text')
    .addColumn('received_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('parcels_flight_idx').on('parcels').columns(['flight_id', 'status']).execute();
  await db.schema.createIndex('parcels_bag_idx').on('parcels').column('bag').execute();
  await db.schema
    .createTable('parcel_items')
    .addColumn('tracking_number', 'text', (c) => c.notNull())
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('hs_code', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_value', 'text', (c) => c.notNull()) // decimal string, exact
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('origin_country', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('parcel_items_pk', ['tracking_number', 'line_no'])
    .execute();
  await db.schema
    .createTable('sort_plans')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull()) // JSON: the versioned rule list
    .addColumn('comment', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('lanes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // outbound | hold | exceptions
    .addColumn('carrier', 'text')
    .addColumn('service', 'text')
    .addColumn('departure', 'text') // truck departure, HH:MM local
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('bags')
    .addColumn('sscc', 'text', (c) => c.primaryKey())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closed | loaded | dispatched
    .addColumn('truck', 'text')
    .addColumn('parcel_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createTable('trucks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // loading | dispatched
    .addColumn('departure_at', 'text')
    .addColumn('dispatched_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('storage_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('epcis_events')
    .addColumn('seq', bigint, (c) => c.primaryKey()) // capture order, for paging
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_time', 'text', (c) => c.notNull()) // ISO-8601 UTC, for range queries
    .addColumn('record_time', 'text', (c) => c.notNull())
    .addColumn('biz_step', 'text')
    .addColumn('biz_location', 'text')
    .addColumn('action', 'text')
    .addColumn('document', 'text', (c) => c.notNull()) // the event as EPCIS 2.0 JSON-LD
    // Idempotent on (eventTime, eventID): hub-minted IDs hash the time in, and an index that starts with the
    // time is written in order, where one on the random ID alone dirtied a random page per event (about
    // half the scan throughput). A foreign ID reused with another time is stored as a distinct event.
    .addUniqueConstraint('epcis_events_time_id_uq', ['event_time', 'event_id'])
    .execute();
  await db.schema
    .createTable('epcis_event_epcs')
    .addColumn('epc', 'text', (c) => c.notNull())
    .addColumn('seq', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('epcis_event_epcs_pk', ['epc', 'seq'])
    .execute();
}
