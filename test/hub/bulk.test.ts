import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s10Epc, ssccEpc, validateEpcisEvent } from '../../src/hub/epcis/index.js';
import {
  bagParcels,
  closeBag,
  dispatchManifests,
  dispatchTrucks,
  packBags,
  seedDefaultSortPlan,
  SortPlanCache,
  sortScans,
  truckEpc,
  type Hub,
} from '../../src/hub/operations/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, RecordingDisclosure, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

describe.each(STORE_KINDS)('bagging and dispatch in waves (packBags, dispatchTrucks, dispatchManifests) on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  let nlLane: string;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
    await seedDefaultSortPlan(store.db);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '5000' }, { country: 'BE', postcode: '6000' }, { country: 'NL' }] });
    await sortScans(hub, new SortPlanCache(store.db), [0, 1, 2, 3].map((i) => ({ trackingNumber: tracking(i), scanner: 'S1', location: 'SORTER-1', time: at(10) })));
    nlLane = (await store.db.selectFrom('parcels').select('lane').where('tracking_number', '=', tracking(3)).executeTakeFirstOrThrow()).lane!;
  });
  afterEach(async () => {
    await store.cleanup();
  });

  const bagCount = async (): Promise<number> => (await store.db.selectFrom('bags').select('sscc').execute()).length;

  it('packs and closes bags, then loads and dispatches trucks, with the events of the one-by-one path', async () => {
    const bags = await packBags(hub, {
      bags: [
        { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1)] },
        { lane: 'BE-BPOST', trackingNumbers: [tracking(2)] },
        { lane: nlLane, trackingNumbers: [tracking(3)] },
      ],
      time: at(20),
    });
    expect(bags.map((b) => [b.lane, b.parcels])).toEqual([['BE-BPOST', 2], ['BE-BPOST', 1], [nlLane, 1]]);
    expect(bags.map((b) => Number(b.sscc.slice(8, 17)))).toEqual([1, 2, 3]);
    expect(await statusOf(store.db, tracking(0))).toBe('bagged');
    expect(await store.db.selectFrom('bags').select(['status', 'closed_at']).orderBy('sscc').execute()).toEqual(Array(3).fill({ status: 'closed', closed_at: at(20).toISOString() }));
    const [be, be2, nl] = bags.map((b) => b.sscc) as [string, string, string];

    const trucks = await dispatchTrucks(hub, {
      trucks: [
        { truckId: 'TRK-BE-1', bags: [be2, be], dock: 'DOCK-07' },
        { truckId: 'TRK-NL-1', bags: [`(00)${nl}`] },
      ],
      time: at(30),
    });
    expect(trucks.map((t) => [t.truckId, t.lane, t.bags, t.parcels])).toEqual([['TRK-BE-1', 'BE-BPOST', 2, 3], ['TRK-NL-1', nlLane, 1, 1]]);
    for (const i of [0, 1, 2, 3]) expect(await statusOf(store.db, tracking(i))).toBe('dispatched');
    expect(await store.db.selectFrom('bags').select(['sscc', 'status', 'truck']).orderBy('sscc').execute()).toEqual([
      { sscc: be, status: 'dispatched', truck: 'TRK-BE-1' },
      { sscc: be2, status: 'dispatched', truck: 'TRK-BE-1' },
      { sscc: nl, status: 'dispatched', truck: 'TRK-NL-1' },
    ]);
    expect(await store.db.selectFrom('trucks').select(['id', 'status', 'dispatched_at']).orderBy('id').execute()).toEqual([
      { id: 'TRK-BE-1', status: 'dispatched', dispatched_at: at(30).toISOString() },
      { id: 'TRK-NL-1', status: 'dispatched', dispatched_at: at(30).toISOString() },
    ]);

    const events = (await storedEvents(store.db)).slice(4);
    for (const e of events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(events.map((e) => [e.type, e.bizStep, e.disposition ?? null])).toEqual([
      ...Array(3).fill([['AggregationEvent', 'packing', null], ['ObjectEvent', 'packing', 'container_closed']]).flat(),
      ['AggregationEvent', 'loading', null],
      ['ObjectEvent', 'departing', 'in_transit'],
      ['AggregationEvent', 'loading', null],
      ['ObjectEvent', 'departing', 'in_transit'],
    ]);
    expect(events[0]).toMatchObject({ parentID: ssccEpc(be), childEPCs: [s10Epc(tracking(0)), s10Epc(tracking(1))] });
    expect(events[1]).toMatchObject({ epcList: [ssccEpc(be)] });
    expect(events[6]).toMatchObject({ parentID: truckEpc('TRK-BE-1'), childEPCs: [ssccEpc(be2), ssccEpc(be)], readPoint: { id: expect.stringContaining('DOCK-07') } });
    expect(events[7]).toMatchObject({ epcList: [truckEpc('TRK-BE-1'), ssccEpc(be), ssccEpc(be2)] });
  });

  it('refuses a wave as a whole, writing nothing, when one bag or truck breaks the flow', async () => {
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: 'BE-BPOST', trackingNumbers: [tracking(1), tracking(3)] }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /another lane/,
      details: [{ field: 'bags.1.trackingNumbers.1', value: tracking(3), reason: 'sorted to another lane' }],
    });
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'bags.1.trackingNumbers.0', value: tracking(0), reason: 'in another bag too' }],
    });
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: 'NO-SUCH-LANE', trackingNumbers: [tracking(1)] }] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'lane "NO-SUCH-LANE" does not exist',
      details: [{ field: 'bags.1.lane', value: 'NO-SUCH-LANE', reason: 'unknown lane' }],
    });
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: 'BE-BPOST', trackingNumbers: [] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'bags.1.trackingNumbers', reason: 'no parcel' }],
    });
    // Every bad number of every bag is named, not only the first bag's.
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: ['x1', tracking(0)] }, { lane: 'BE-BPOST', trackingNumbers: [tracking(1), 'x2'] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [
        { field: 'bags.0.trackingNumbers.0', value: 'x1', reason: 'not an S10 number' },
        { field: 'bags.1.trackingNumbers.1', value: 'x2', reason: 'not an S10 number' },
      ],
    });
    await expect(packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: 'BE-BPOST', trackingNumbers: [tracking(1), tracking(98), tracking(99)] }] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: [
        { field: 'bags.1.trackingNumbers.1', value: tracking(98), reason: 'unknown parcel' },
        { field: 'bags.1.trackingNumbers.2', value: tracking(99), reason: 'unknown parcel' },
      ],
    });
    expect(await bagCount()).toBe(0);
    expect(await statusOf(store.db, tracking(0))).toBe('sorted');

    const [be, nl] = await packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0)] }, { lane: nlLane, trackingNumbers: [tracking(3)] }] });
    // The counter goes on from the wave: a bag made one by one afterwards gets the next serial.
    const open = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(1)] });
    expect(Number(open.sscc.slice(8, 17))).toBe(3);
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc] }, { truckId: 'TRK-2', bags: [open.sscc] }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /not closed/,
      details: [{ field: 'trucks.1.bags.0', value: open.sscc, reason: 'not closed' }],
    });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc, nl!.sscc] }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /one lane/,
      details: [{ field: 'trucks.0.bags.1', value: nl!.sscc, reason: 'bag of another lane' }],
    });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc] }, { truckId: 'TRK-2', bags: [be!.sscc] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'trucks.1.bags.0', value: be!.sscc, reason: 'on another truck too' }],
    });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc] }, { truckId: 'TRK-1', bags: [nl!.sscc] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'trucks.1.truckId', value: 'TRK-1', reason: 'appears twice' }],
    });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc] }, { truckId: 'TRK 2', bags: [nl!.sscc] }] })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'trucks.1.truckId', value: 'TRK 2' }],
    });
    expect(await store.db.selectFrom('trucks').selectAll().execute()).toEqual([]);
    await dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-1', bags: [be!.sscc] }] });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-2', bags: [open.sscc] }, { truckId: 'TRK-1', bags: [nl!.sscc] }] })).rejects.toMatchObject({ code: 'CONFLICT', message: /not closed/ });
    await closeBag(hub, { sscc: open.sscc });
    await expect(dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-2', bags: [open.sscc] }, { truckId: 'TRK-1', bags: [nl!.sscc] }] })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /exist/,
      details: [{ field: 'trucks.1.truckId', value: 'TRK-1', reason: 'truck exists' }],
    });
  });

  it('discloses each truck’s manifest once through the gate, one request per truck, and frees the refused ones', async () => {
    const [be, nl] = await packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1), tracking(2)] }, { lane: nlLane, trackingNumbers: [tracking(3)] }] });
    await dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-BE-1', bags: [be!.sscc] }, { truckId: 'TRK-NL-1', bags: [nl!.sscc] }], time: at(40) });
    const gate = new RecordingDisclosure();
    gate.deny = true;
    const refused = await dispatchManifests(hub, gate, [{ truckId: 'TRK-BE-1', requestedBy: 'p-1' }, { truckId: 'TRK-NL-1', requestedBy: 'p-1' }]);
    expect(refused.map((o) => o.ok)).toEqual([false, false]);
    expect(await store.db.selectFrom('dispatch_disclosures').selectAll().execute()).toEqual([]);

    gate.deny = false;
    const outcomes = await dispatchManifests(hub, gate, [{ truckId: 'TRK-BE-1', requestedBy: 'p-1' }, { truckId: 'TRK-NL-1', requestedBy: 'p-1' }]);
    const manifests = outcomes.map((o) => (o.ok ? o.manifest : undefined));
    expect(manifests.map((m) => [m?.truckId, m?.disclosure, m?.lines.length])).toEqual([['TRK-BE-1', 1, 3], ['TRK-NL-1', 1, 1]]);
    expect(gate.requests.slice(2).map((r) => [r.truckId, r.refs.length, r.disclosure])).toEqual([['TRK-BE-1', 3, 1], ['TRK-NL-1', 1, 1]]);
    expect(manifests[0]!.lines.map((l) => l.recipient?.name ?? null)).toEqual([`=Synthetic ref-${tracking(0)}`, `=Synthetic ref-${tracking(1)}`, null]);
    await expect(dispatchManifests(hub, gate, [{ truckId: 'TRK-BE-1', requestedBy: 'p-1', reissueReason: 'lost' }, { truckId: 'TRK-NL-1', requestedBy: 'p-1' }])).rejects.toMatchObject({
      code: 'ALREADY_DISCLOSED',
      details: [{ field: '1.reissueReason', reason: 'needed to re-issue a manifest already disclosed' }],
    });
    expect(gate.requests).toHaveLength(4);
    expect(await store.db.selectFrom('dispatch_disclosures').select(['truck_id', 'n']).orderBy('truck_id').execute()).toEqual([
      { truck_id: 'TRK-BE-1', n: 1 },
      { truck_id: 'TRK-NL-1', n: 1 },
    ]);
  });
});
