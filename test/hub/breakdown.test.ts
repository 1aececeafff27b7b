import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s10Epc, uldEpc, validateEpcisEvent } from '../../src/hub/epcis/index.js';
import { breakdownReport, closeFlight, induct, OperationError, receiveUld, type Hub } from '../../src/hub/operations/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

describe.each(STORE_KINDS)('breakdown of a freighter on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('receives a ULD: status received, flight arrived, one arriving event for the ULD and its parcels', async () => {
    const flight = await seedFlight(store.db, { parcels: Array.from({ length: 6 }, () => ({ country: 'BE' })) });
    const result = await receiveUld(hub, { flightId: flight.flightId, uld: 'AKE12345CK', time: at(0) });
    expect(result.parcels).toBe(3);
    const uld = await store.db.selectFrom('ulds').selectAll().where('uld', '=', 'AKE12345CK').executeTakeFirstOrThrow();
    expect(uld).toMatchObject({ status: 'received', received_at: at(0).toISOString() });
    expect((await store.db.selectFrom('flights').select('status').executeTakeFirstOrThrow()).status).toBe('arrived');
    const [event] = await storedEvents(store.db);
    expect(validateEpcisEvent(event)).toEqual({ ok: true });
    expect(event).toMatchObject({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'arriving', eventTimeZoneOffset: '+01:00', 'glasshub:uld': 'AKE12345CK' });
    expect(event!.epcList).toEqual([uldEpc('AKE12345CK'), ...[0, 2, 4].map((i) => s10Epc(tracking(i)))]);
    expect(await statusOf(store.db, tracking(0))).toBe('manifested');
    await expect(receiveUld(hub, { flightId: flight.flightId, uld: 'AKE12345CK' })).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'uld', value: 'AKE12345CK', reason: 'already received' }] });
    await expect(receiveUld(hub, { flightId: flight.flightId, uld: 'AKE99999CK' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'uld', value: 'AKE99999CK', reason: 'not on the manifest of the flight' }] });
    await expect(receiveUld(hub, { flightId: 'XX1/2026-01-01', uld: 'AKE12345CK' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'flightId', value: 'XX1/2026-01-01', reason: 'unknown flight' }] });
  });

  it('inducts parcels: receiving events at the induction point, status received, once', async () => {
    const flight = await seedFlight(store.db, { parcels: [{ country: 'BE' }, { country: 'NL', status: 'held' }, { country: 'DE' }] });
    const results = await induct(hub, flight.flightId, [
      { trackingNumber: tracking(0), scanner: 'HHT-7', location: 'IND-2', time: at(5) },
      { trackingNumber: tracking(1).toLowerCase(), scanner: 'HHT-7', location: 'IND-2', time: at(6) },
      { trackingNumber: tracking(0), scanner: 'HHT-7', location: 'IND-2', time: at(7) },
      'not an S10',
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['received', 'received', 'already-scanned', 'invalid']);
    expect(await statusOf(store.db, tracking(0))).toBe('received');
    expect(await statusOf(store.db, tracking(1))).toBe('held'); // customs hold survives the scan
    const received = await store.db.selectFrom('parcels').select(['tracking_number', 'received_at']).orderBy('tracking_number').execute();
    expect(received.map((r) => r.received_at)).toEqual([at(5).toISOString(), at(6).toISOString(), null]);
    const events = await storedEvents(store.db);
    expect(events).toHaveLength(3);
    for (const e of events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(events[0]).toMatchObject({ bizStep: 'receiving', readPoint: { id: 'https://id.gs1.org/414/5412345000013/254/IND-2' }, 'glasshub:scanner': 'HHT-7' });
  });

  it('reports short-shipped and over-carried parcels per flight, provisionally then finally', async () => {
    const flight = await seedFlight(store.db, { parcels: Array.from({ length: 6 }, () => ({ country: 'FR' })) });
    const other = await seedFlight(store.db, { flightId: 'QY4455/2026-11-25', ulds: ['PAG11111QY'], parcels: [{ country: 'IT' }], first: 100 });
    await receiveUld(hub, { flightId: flight.flightId, uld: 'AKE12345CK', time: at(0) }); // parcels 0, 2, 4
    const stray = tracking(900, 'RR');
    await induct(hub, flight.flightId, [tracking(0), tracking(2), stray, tracking(3), other.parcels[0]!, stray]);

    const during = await breakdownReport(hub, flight.flightId);
    expect(during).toMatchObject({ final: false, manifested: 6, scanned: 3 });
    expect(during.shortShipped.map((p) => p.trackingNumber)).toEqual([tracking(4)]); // its ULD is in, it was not scanned
    expect(during.overCarried.map((p) => p.trackingNumber)).toEqual([stray]); // once, though scanned twice
    expect(during.ulds).toEqual([
      { uld: 'AKE12345CK', status: 'received', manifested: 3, scanned: 2 },
      { uld: 'PMC67890CK', status: 'expected', manifested: 3, scanned: 1 },
    ]);

    await closeFlight(hub, flight.flightId, at(60));
    const after = await breakdownReport(hub, flight.flightId);
    expect(after.final).toBe(true);
    expect(after.shortShipped.map((p) => p.trackingNumber)).toEqual([tracking(1), tracking(4), tracking(5)]);
    expect((await breakdownReport(hub, other.flightId)).overCarried).toEqual([]); // received elsewhere, not over-carried

    const exception = (await storedEvents(store.db)).find((e) => e['glasshub:exception'] === 'over-carried');
    expect(exception).toMatchObject({ bizStep: 'receiving', disposition: 'mismatch_instance', epcList: [s10Epc(stray)], 'glasshub:flight': flight.flightId });
    expect(after.overCarried[0]!.eventID).toBe(exception!.eventID);
    await expect(closeFlight(hub, flight.flightId)).rejects.toBeInstanceOf(OperationError);
    await expect(closeFlight(hub, flight.flightId)).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'flightId', value: flight.flightId, reason: 'already closed' }] });
    await expect(breakdownReport(hub, 'XX1/2026-01-01')).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'flightId', value: 'XX1/2026-01-01', reason: 'unknown flight' }] });
  });
});
