import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSscc, parseSscc } from '../../src/domain/index.js';
import { s10Epc, ssccEpc, validateEpcisEvent } from '../../src/hub/epcis/index.js';
import {
  bagParcels,
  closeBag,
  dispatchManifest,
  dispatchTruck,
  loadTruck,
  manifestCsv,
  seedDefaultSortPlan,
  SortPlanCache,
  sortScans,
  truckEpc,
  type Hub,
} from '../../src/hub/operations/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, RecordingDisclosure, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

describe.each(STORE_KINDS)('bagging, loading, dispatch and the manifest on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
    await seedDefaultSortPlan(store.db);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '5000' }, { country: 'BE', postcode: '6000' }, { country: 'NL' }] });
    await sortScans(hub, new SortPlanCache(store.db), [0, 1, 2, 3].map((i) => ({ trackingNumber: tracking(i), scanner: 'S1', location: 'SORTER-1', time: at(10) })));
  });
  afterEach(async () => {
    await store.cleanup();
  });

  async function bagAndLoad(): Promise<{ first: string; second: string }> {
    const first = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1)], time: at(20) });
    const second = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(2)], time: at(21) });
    await closeBag(hub, { sscc: first.sscc, time: at(22) });
    await closeBag(hub, { sscc: `(00)${second.sscc}`, time: at(23) });
    await loadTruck(hub, { truckId: 'TRK-BE-1', bags: [first.sscc, second.sscc], dock: 'DOCK-07', time: at(30) });
    return { first: first.sscc, second: second.sscc };
  }

  it('bags sorted parcels under new SSCCs, loads closed bags and dispatches the truck, with an event each', async () => {
    const { first, second } = await bagAndLoad();
    expect(parseSscc(first).ok && first.startsWith('05412345')).toBe(true);
    expect(Number(second.slice(8, 17))).toBe(Number(first.slice(8, 17)) + 1);
    expect(await statusOf(store.db, tracking(0))).toBe('loaded');
    const dispatched = await dispatchTruck(hub, { truckId: 'TRK-BE-1', time: at(40) });
    expect(dispatched).toMatchObject({ bags: 2, parcels: 3 });
    for (const i of [0, 1, 2]) expect(await statusOf(store.db, tracking(i))).toBe('dispatched');
    expect(await store.db.selectFrom('bags').select('status').execute()).toEqual([{ status: 'dispatched' }, { status: 'dispatched' }]);
    const events = (await storedEvents(store.db)).slice(4);
    for (const e of events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(events.map((e) => [e.type, e.action, e.bizStep])).toEqual([
      ['AggregationEvent', 'ADD', 'packing'],
      ['AggregationEvent', 'ADD', 'packing'],
      ['ObjectEvent', 'OBSERVE', 'packing'],
      ['ObjectEvent', 'OBSERVE', 'packing'],
      ['AggregationEvent', 'ADD', 'loading'],
      ['ObjectEvent', 'OBSERVE', 'departing'],
    ]);
    expect(events[0]).toMatchObject({ parentID: ssccEpc(first), childEPCs: [s10Epc(tracking(0)), s10Epc(tracking(1))] });
    expect(events[4]).toMatchObject({ parentID: truckEpc('TRK-BE-1'), childEPCs: [ssccEpc(first), ssccEpc(second)] });
    expect(events[5]).toMatchObject({ epcList: [truckEpc('TRK-BE-1'), ssccEpc(first), ssccEpc(second)], disposition: 'in_transit' });
  });

  it('refuses what breaks the flow, naming each offending item by its place in the input and its value', async () => {
    await expect(bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(3)] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /another lane/,
      details: [{ field: 'trackingNumbers.1', value: tracking(3), reason: 'sorted to another lane' }],
    });
    await expect(bagParcels(hub, { lane: 'HOLD', trackingNumbers: [tracking(0)] })).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'lane', value: 'HOLD', reason: 'hold lane, not outbound' }] });
    await expect(bagParcels(hub, { lane: '', trackingNumbers: [tracking(0)] })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'lane "" does not exist', details: [{ field: 'lane', value: '', reason: 'unknown lane' }] });
    // A number given twice is named once, where it first came; canonical (the input had it in lower case).
    await expect(bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(99).toLowerCase(), tracking(99)] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: [{ field: 'trackingNumbers.1', value: tracking(99), reason: 'unknown parcel' }],
    });
    await expect(bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0), 'nonsense'] })).rejects.toMatchObject({ code: 'INVALID', details: [{ field: 'trackingNumbers.1', value: 'nonsense', reason: 'not an S10 number' }] });
    const bag = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0)] });
    await expect(bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(1), tracking(0)] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /expected status sorted/,
      details: [{ field: 'trackingNumbers.1', value: tracking(0), reason: 'status bagged' }],
    });
    await expect(loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc] })).rejects.toMatchObject({ code: 'CONFLICT', message: /not closed/, details: [{ field: 'bags.0', value: bag.sscc, reason: 'not closed' }] });
    const unknownBag = makeSscc(0, CONFIG.companyPrefix, 999);
    await expect(loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc, unknownBag] })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'bags.1', value: unknownBag, reason: 'unknown bag' }] });
    await expect(loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc, '123'] })).rejects.toMatchObject({ code: 'INVALID', details: [{ field: 'bags.1', value: '123' }] });
    await expect(closeBag(hub, { sscc: unknownBag })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'sscc', value: unknownBag, reason: 'unknown bag' }] });
    await closeBag(hub, { sscc: bag.sscc });
    await expect(closeBag(hub, { sscc: bag.sscc })).rejects.toMatchObject({ code: 'CONFLICT', details: [{ field: 'sscc', value: bag.sscc, reason: 'closed, not open' }] });
    await expect(dispatchTruck(hub, { truckId: 'TRK-NONE' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ field: 'truckId', value: 'TRK-NONE', reason: 'unknown truck' }] });
    await expect(loadTruck(hub, { truckId: 'bad truck id', bags: [bag.sscc] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'truckId', value: 'bad truck id', reason: '1 to 32 letters, digits or hyphens' }],
    });
    await expect(loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc], dock: 'DOCK 7' })).rejects.toMatchObject({ code: 'INVALID', details: [{ field: 'dock', value: 'DOCK 7' }] });
  });

  it('discloses the manifest through the gate once, and again only as a recorded re-issue', async () => {
    await bagAndLoad();
    const gate = new RecordingDisclosure();
    await expect(dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-1' })).rejects.toMatchObject({ code: 'CONFLICT', message: /not been dispatched/ });
    expect(gate.requests).toEqual([]);
    await dispatchTruck(hub, { truckId: 'TRK-BE-1', time: at(40) });

    const manifest = await dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-1' });
    expect(gate.requests).toEqual([
      {
        recipient: 'bpost',
        requestedBy: 'p-1',
        purpose: 'delivery',
        refs: [0, 1, 2].map((i) => `ref-${tracking(i)}`),
        fields: ['name', 'street', 'postcode', 'city', 'country', 'phone'],
        truckId: 'TRK-BE-1',
        parcelCount: 3,
        disclosure: 1,
      },
    ]);
    expect(manifest).toMatchObject({ truckId: 'TRK-BE-1', carrier: 'bpost', lane: 'BE-BPOST', disclosure: 1, dispatchedAt: at(40).toISOString() });
    expect(manifest.lines.map((l) => [l.trackingNumber, l.destinationCountry, l.recipient?.name ?? null, l.exception])).toEqual([
      [tracking(0), 'BE', `=Synthetic ref-${tracking(0)}`, undefined],
      [tracking(1), 'BE', `=Synthetic ref-${tracking(1)}`, undefined],
      [tracking(2), 'BE', null, 'recipient-erased'], // shredded after dispatch: said so, never a bare null
    ]);

    await expect(dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-1' })).rejects.toMatchObject({ code: 'ALREADY_DISCLOSED' });
    expect(gate.requests).toHaveLength(1);
    const again = await dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-2', reissueReason: 'carrier lost the file' });
    expect(again.disclosure).toBe(2);
    expect(gate.requests[1]).toMatchObject({ disclosure: 2, reason: 'carrier lost the file', requestedBy: 'p-2' });
    const register = await store.db.selectFrom('dispatch_disclosures').select(['n', 'principal', 'requested_by', 'reason', 'parcel_count']).orderBy('n').execute();
    expect(register).toEqual([
      { n: 1, principal: 'bpost', requested_by: 'p-1', reason: null, parcel_count: 3 },
      { n: 2, principal: 'bpost', requested_by: 'p-2', reason: 'carrier lost the file', parcel_count: 3 },
    ]);

    const csv = manifestCsv(manifest).split('\r\n');
    expect(csv[0]).toBe('tracking_number,bag_sscc,destination_country,recipient_name,recipient_street,recipient_postcode,recipient_city,recipient_country,recipient_phone,exception');
    expect(csv[1]).toBe(`${tracking(0)},${manifest.lines[0]!.bag},BE,'=Synthetic ref-${tracking(0)},"1 Test Street, ""B""",4000,Liège,BE,+32 4 000 00 00,`.replace(',+32', ",'+32"));
    expect(csv[3]).toBe(`${tracking(2)},${manifest.lines[2]!.bag},BE,,,,,,,recipient-erased`);
  });

  it('frees the disclosure when the gate refuses, so nothing is recorded as disclosed', async () => {
    await bagAndLoad();
    await dispatchTruck(hub, { truckId: 'TRK-BE-1', time: at(40) });
    const gate = new RecordingDisclosure();
    gate.deny = true;
    await expect(dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-1' })).rejects.toThrow(/denied/);
    expect(await store.db.selectFrom('dispatch_disclosures').selectAll().execute()).toEqual([]);
    gate.deny = false;
    expect((await dispatchManifest(hub, gate, { truckId: 'TRK-BE-1', requestedBy: 'p-1' })).disclosure).toBe(1);
  });
});
