import type { Store } from '../../src/store/index.js';

/** Inserts a parcel row directly (as an import would), pointing at a sealed consignee record. */
export async function insertParcel(store: Pick<Store, 'db'>, trackingNumber: string, consigneeRef: string, destPostcode = '4000', destCountry = 'BE'): Promise<void> {
  const now = new Date().toISOString();
  await store.db
    .insertInto('flights')
    .values({ id: 'CK231/2026-11-25', flight_number: 'CK231', flight_date: '2026-11-25', status: 'expected', arrived_at: null, created_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  await store.db
    .insertInto('parcels')
    .values({
      tracking_number: trackingNumber,
      flight_id: 'CK231/2026-11-25',
      awb: '112-12345675',
      uld: null,
      seller_country: 'CN',
      dest_country: destCountry,
      dest_postcode: destPostcode,
      gross_mass_g: 500,
      ioss_number: null,
      item_count: 1,
      consignee_ref: consigneeRef,
      seller_ref: null,
      status: 'manifested',
      lane: null,
      bag: null,
      storage_location: null,
      received_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
