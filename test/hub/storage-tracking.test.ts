import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateEpcisEvent } from '../../src/hub/epcis/index.js';
import {
  bagParcels,
  closeBag,
  defineStorageLocations,
  dispatchTruck,
  loadTruck,
  retrieveParcel,
  seedDefaultSortPlan,
  SortPlanCache,
  sortScans,
  storeParcel,
  trackParcel,
  type Hub,
} from '../../src/hub/operations/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

describe.each(STORE_KINDS)('temporary storage and public tracking on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
    await seedDefaultSortPlan(store.db);
    await defineStorageLocations(store.db, [{ id: 'CAGE-A', description: 'Customs cage A' }, { id: 'RACK-01', description: 'Rack 1' }], CONFIG);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000', status: 'received' }, { country: 'DE', status: 'held' }] });
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('stores and retrieves parcels with storing / removing events; a customs hold stays a hold', async () => {
    expect(await storeParcel(hub, { trackingNumber: tracking(0), location: 'RACK-01', time: at(1) })).toMatchObject({ status: 'stored', location: 'RACK-01' });
    expect(await storeParcel(hub, { trackingNumber: tracking(1), location: 'CAGE-A', time: at(2) })).toMatchObject({ status: 'held', location: 'CAGE-A' });
    await expect(storeParcel(hub, { trackingNumber: tracking(0), location: 'RACK-01' })).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'location', value: 'RACK-01', reason: 'the parcel is stored here already' }] });
    await expect(storeParcel(hub, { trackingNumber: tracking(0), location: 'NOWHERE' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'location', value: 'NOWHERE', reason: 'unknown storage location' }] });
    await expect(storeParcel(hub, { trackingNumber: tracking(99), location: 'RACK-01' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'trackingNumber', value: tracking(99), reason: 'unknown parcel' }] });
    expect(await retrieveParcel(hub, { trackingNumber: tracking(0), time: at(3) })).toMatchObject({ status: 'received', location: null });
    expect(await retrieveParcel(hub, { trackingNumber: tracking(1), time: at(4) })).toMatchObject({ status: 'held' });
    await expect(retrieveParcel(hub, { trackingNumber: tracking(0) })).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'trackingNumber', value: tracking(0), reason: 'not in storage' }] });
    await expect(retrieveParcel(hub, { trackingNumber: 'nonsense' })).rejects.toMatchObject({ code: 'INVALID', details: [{ field: 'trackingNumber', value: 'nonsense', reason: 'not an S10 number' }] });
    const events = await storedEvents(store.db);
    for (const e of events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(events.map((e) => e.bizStep)).toEqual(['storing', 'storing', 'removing', 'removing']);
    expect(events[0]).toMatchObject({ bizLocation: { id: 'https://id.gs1.org/414/5412345000013/254/RACK-01' } });
  });

  it('tracks a parcel from arrival to dispatch with no personal data, each step once (bagging and closing are one packing), and knows nothing of unknown numbers', async () => {
    const plans = new SortPlanCache(store.db);
    await sortScans(hub, plans, [{ trackingNumber: tracking(0), scanner: 'S1', location: 'SORTER-1', time: at(10) }]);
    const bag = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0)], time: at(20) });
    await closeBag(hub, { sscc: bag.sscc, time: at(21) });
    await loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc], time: at(30) });
    await dispatchTruck(hub, { truckId: 'TRK-1', time: at(40) });
    const view = await trackParcel(hub, tracking(0).toLowerCase());
    expect(view).toEqual({
      trackingNumber: tracking(0),
      status: 'dispatched',
      statusText: 'Handed over to the delivery carrier',
      carrier: 'bpost',
      history: [
        { time: at(10).toISOString(), step: 'staging_outbound', description: 'Sorted for onward transport', place: 'glasshub Liège' },
        { time: at(20).toISOString(), step: 'packing', description: 'Packed for onward transport', place: 'glasshub Liège' },
        { time: at(30).toISOString(), step: 'loading', description: 'Loaded on a truck', place: 'glasshub Liège' },
        { time: at(40).toISOString(), step: 'departing', description: 'Left the hub for delivery', place: 'glasshub Liège' },
      ],
    });
    const text = JSON.stringify(view);
    for (const secret of ['4000', 'BE-BPOST', 'ref-', '"BE"', 'SORTER', 'S1']) expect(text).not.toContain(secret);
    expect(await statusOf(store.db, tracking(0))).toBe('dispatched');
    expect(await trackParcel(hub, tracking(999))).toBeUndefined();
    expect(await trackParcel(hub, 'nonsense')).toBeUndefined();
  });
});
