import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gate } from '../../src/gate/index.js';
import { s10Epc, ssccEpc, validateEpcisEvent } from '../../src/hub/epcis/index.js';
import {
  bagParcels,
  closeBag,
  dispatchManifest,
  dispatchTruck,
  dispatchTrucks,
  EXCEPTIONS_LANE,
  HOLD_LANE,
  loadTruck,
  packBags,
  seedDefaultSortPlan,
  SortPlanCache,
  sortScans,
  type ErasedRecipients,
  type Hub,
} from '../../src/hub/operations/index.js';
import { floorExceptions } from '../../src/hub/views/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { gateDeliveryDisclosure } from '../../src/runtime/delivery.js';
import { testGate } from '../support/gate.js';
import { openTestLedger } from '../support/hub.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

const person = (i: number) => ({ name: `Person ${i}`, street: `${i} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', phone: '+32470000000' });
const dpo = { id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' };

/** The gate, counting its calls: sorting asks once per batch, never per parcel. */
class CountingErasures implements ErasedRecipients {
  calls = 0;
  constructor(private readonly gate: Gate) {}
  erasedAmong(refs: readonly string[], db?: Parameters<Gate['erasedAmong']>[1]): Promise<ReadonlySet<string>> {
    this.calls++;
    return this.gate.erasedAmong(refs, db);
  }
}

describe.each(STORE_KINDS)('a parcel whose recipient was erased, on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let erasures: CountingErasures;
  let hub: Hub;
  let plans: SortPlanCache;
  let refs: string[];

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    erasures = new CountingErasures(gate);
    hub = { db: store.db, config: CONFIG, erasures };
    plans = new SortPlanCache(store.db);
    await seedDefaultSortPlan(store.db);
    const flight = await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '4000', status: 'held' }] });
    // Each parcel's consignee is a real, sealed person (the fixture's refs are not vault records).
    refs = await gate.seal(store.db, flight.parcels.map((_, i) => ({ role: 'consignee' as const, data: person(i) })));
    for (const [i, tn] of flight.parcels.entries()) await store.db.updateTable('parcels').set({ consignee_ref: refs[i]! }).where('tracking_number', '=', tn).execute();
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  const erase = (i: number) => gate.erase({ principal: dpo, purpose: 'erasure', customsRetention: false, refs: [refs[i]!], category: 'consignee' });
  const scan = (i: number, minute = 10) => ({ trackingNumber: tracking(i), scanner: 'S1', location: 'SORTER-1', time: at(minute) });

  it('is sorted to the exceptions lane, found by one lookup per batch that opens nothing', async () => {
    await erase(1);
    await erase(3); // held by customs: the hold comes first
    const from = log.size;
    const { results } = await sortScans(hub, plans, [0, 1, 2, 3].map((i) => scan(i)));
    expect(results).toEqual([
      { trackingNumber: tracking(0), lane: 'BE-BPOST', reason: 'rule', status: 'sorted' },
      { trackingNumber: tracking(1), lane: EXCEPTIONS_LANE, reason: 'recipient-erased', status: 'exception' },
      { trackingNumber: tracking(2), lane: 'BE-BPOST', reason: 'rule', status: 'sorted' },
      { trackingNumber: tracking(3), lane: HOLD_LANE, reason: 'customs-hold', status: 'held' },
    ]);
    expect(erasures.calls).toBe(1);
    expect(log.size).toBe(from); // no decision: nothing of anyone was read
    expect(await store.db.selectFrom('parcels').select(['status', 'lane']).where('tracking_number', '=', tracking(1)).executeTakeFirst()).toEqual({ status: 'exception', lane: EXCEPTIONS_LANE });
    const event = (await storedEvents(store.db)).find((e) => (e['epcList'] as string[] | undefined)?.includes(s10Epc(tracking(1))))!;
    expect(validateEpcisEvent(event)).toEqual({ ok: true });
    expect(event).toMatchObject({ bizStep: 'holding', 'glasshub:lane': EXCEPTIONS_LANE, 'glasshub:exception': 'recipient-erased' });
    // Scanned again, it stays there; and it cannot be bagged for a carrier.
    expect((await sortScans(hub, plans, [scan(1, 11)])).results[0]).toMatchObject({ lane: EXCEPTIONS_LANE, reason: 'recipient-erased' });
    await expect(bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(1)] })).rejects.toMatchObject({ code: 'CONFLICT' });

    const view = await floorExceptions(store.db, 100, gate);
    expect(view.counts).toMatchObject({ unknownDestination: 0, recipientErased: 1 });
    expect(view.items.filter((i) => i.kind === 'recipient-erased').map((i) => i.trackingNumber)).toEqual([tracking(1)]);
  });

  it('erased after bagging: kept off the truck with the reason, out of the manifest, listed as an exception', async () => {
    await sortScans(hub, plans, [0, 1, 2].map((i) => scan(i)));
    const bag = await bagParcels(hub, { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1), tracking(2)], time: at(20) });
    await closeBag(hub, { sscc: bag.sscc, time: at(21) });
    await loadTruck(hub, { truckId: 'TRK-1', bags: [bag.sscc], time: at(30) });
    await erase(1);

    const dispatched = await dispatchTruck(hub, { truckId: 'TRK-1', dock: 'DOCK-07', time: at(40) });
    expect(dispatched).toMatchObject({ bags: 1, parcels: 2 });
    expect(dispatched.withheld).toEqual([{ trackingNumber: tracking(1), bag: bag.sscc, reason: expect.stringMatching(/personal data was erased.*take it out of bag .* to lane EXCEPTIONS/) as unknown }]);
    expect(await store.db.selectFrom('parcels').select(['status', 'bag', 'lane']).where('tracking_number', '=', tracking(1)).executeTakeFirst()).toEqual({ status: 'exception', bag: null, lane: EXCEPTIONS_LANE });
    expect([await statusOf(store.db, tracking(0)), await statusOf(store.db, tracking(2))]).toEqual(['dispatched', 'dispatched']);
    expect(await store.db.selectFrom('bags').select('parcel_count').executeTakeFirst()).toEqual({ parcel_count: 2 });
    const out = (await storedEvents(store.db)).find((e) => e['action'] === 'DELETE')!;
    expect(validateEpcisEvent(out)).toEqual({ ok: true });
    expect(out).toMatchObject({ type: 'AggregationEvent', bizStep: 'unpacking', parentID: ssccEpc(bag.sscc), childEPCs: [s10Epc(tracking(1))], 'glasshub:exception': 'recipient-erased' });

    // The carrier's manifest: the two it carries, each with an address; no line without one.
    const manifest = await dispatchManifest(hub, gateDeliveryDisclosure(gate, 'BE'), { truckId: 'TRK-1', requestedBy: 'p-1' });
    expect(manifest.lines.map((l) => [l.trackingNumber, l.recipient?.name, l.exception])).toEqual([
      [tracking(0), 'Person 0', undefined],
      [tracking(2), 'Person 2', undefined],
    ]);
    expect((await floorExceptions(store.db, 100, gate)).items).toContainEqual(expect.objectContaining({ kind: 'recipient-erased', trackingNumber: tracking(1), location: EXCEPTIONS_LANE }));
  });

  it('is kept off a truck dispatched in a wave too', async () => {
    await sortScans(hub, plans, [0, 1, 2].map((i) => scan(i)));
    const [bag] = await packBags(hub, { bags: [{ lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1), tracking(2)] }], time: at(20) });
    await erase(2);
    const [truck] = await dispatchTrucks(hub, { trucks: [{ truckId: 'TRK-2', bags: [bag!.sscc] }], time: at(40) });
    expect(truck).toMatchObject({ parcels: 2, withheld: [{ trackingNumber: tracking(2), bag: bag!.sscc }] });
    expect([await statusOf(store.db, tracking(1)), await statusOf(store.db, tracking(2))]).toEqual(['dispatched', 'exception']);
  });
});
