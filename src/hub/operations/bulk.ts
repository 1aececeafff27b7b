/**
 * Bagging and dispatch for a whole wave at once: the same checks, rows and EPCIS events as `bagParcels` +
 * `closeBag` and `loadTruck` + `dispatchTruck`, but many bags (or trucks) per transaction and every write
 * a multi-row statement. A freighter fills thousands of bags; one transaction each (and its fsync) cost
 * more than all the work inside them.
 */
import type { Kysely } from 'kysely';
import { makeSscc } from '../../domain/index.js';
import { insertRows, selectIn, updateFromValues, type Database, type SqlValue } from '../../store/index.js';
import { aggregationEvent, objectEvent, s10Epc, ssccEpc, type HubEvent } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { checkTruckId, hubLocation, localOffset, pointLocation, truckEpc, type Hub } from './config.js';
import { details, distinct, located, MAX_DETAILS, OperationError, repeated } from './errors.js';
import { BAGGING_COLUMNS, requireParcels, requireStatus, requireTracking } from './parcels.js';
import { canonicalSsccs, type BagResult } from './dispatch.js';
import { withholdErased, type WithheldParcel } from './erased.js';

/** Rows per bulk statement: within both stores' parameter limits at the widest row here (7 values). */
const ROWS = 1024;

export interface BagSpec {
  readonly lane: string;
  readonly trackingNumbers: readonly string[];
}

/**
 * Bags sorted parcels and closes each bag, in one transaction: per bag an AggregationEvent ADD (`packing`)
 * and an ObjectEvent `container_closed`, exactly as `bagParcels` then `closeBag`. All or nothing: one bad
 * bag refuses the whole call, naming it.
 */
export async function packBags(hub: Hub, input: { bags: readonly BagSpec[]; point?: string; time?: Date }): Promise<BagResult[]> {
  // Every bag's numbers are checked before any is refused: all the bad ones are named.
  const given = requireTracking(input.bags.flatMap((b, i) => located(`bags.${i}.trackingNumbers`, b.trackingNumbers)));
  let offset = 0;
  const specs = input.bags.map((b, i) => {
    const items = distinct(given.slice(offset, offset + b.trackingNumbers.length));
    offset += b.trackingNumbers.length;
    return { lane: b.lane, laneAt: { field: `bags.${i}.lane`, value: b.lane }, at: `bags.${i}`, items, tns: items.map((item) => item.value) };
  });
  const empty = specs.filter((s) => s.tns.length === 0).map((s) => ({ field: `${s.at}.trackingNumbers`, reason: 'no parcel' }));
  if (empty.length > 0) throw new OperationError('INVALID', 'a bag needs at least one parcel', empty.slice(0, MAX_DETAILS));
  const items = specs.flatMap((s) => s.items);
  const twice = repeated(items);
  if (twice.length > 0) throw new OperationError('INVALID', 'a parcel can go into one bag only', details(twice, 'in another bag too'));
  if (specs.length === 0) return [];
  const time = input.time ?? new Date();
  const at = time.toISOString();
  return hub.db.transaction().execute(async (tx) => {
    const laneIds = [...new Set(specs.map((s) => s.lane))];
    const lanes = new Map((await selectIn<{ id: string; kind: string }>(tx, 'select id, kind from lanes', 'id', laneIds)).map((l) => [l.id, l.kind]));
    const unknown = specs.filter((s) => !lanes.has(s.lane)).map((s) => s.laneAt);
    if (unknown.length > 0) throw new OperationError('NOT_FOUND', `lane ${JSON.stringify(unknown[0]!.value)} does not exist`, details(unknown, 'unknown lane'));
    const notOutbound = specs.filter((s) => lanes.get(s.lane) !== 'outbound');
    if (notOutbound.length > 0) {
      const { lane } = notOutbound[0]!;
      const list = notOutbound.slice(0, MAX_DETAILS).map((s) => ({ ...s.laneAt, reason: `${lanes.get(s.lane)!} lane, not outbound` }));
      throw new OperationError('CONFLICT', `lane ${lane} is a ${lanes.get(lane)!} lane: nothing is bagged there`, list);
    }
    const parcels = await requireParcels(tx, items, BAGGING_COLUMNS);
    requireStatus(items, parcels, ['sorted'], 'bagged');
    const elsewhere = specs.flatMap((s) => s.items.filter((item) => parcels.get(item.value)!.lane !== s.lane));
    if (elsewhere.length > 0) throw new OperationError('CONFLICT', `${elsewhere.length} parcel(s) were sorted to another lane`, details(elsewhere, 'sorted to another lane'));

    const last = await addToCounter(tx, 'bag-serial', specs.length);
    const readPoint = pointLocation(hub.config, input.point ?? 'BAGGING', 'point');
    const bizLocation = hubLocation(hub.config);
    const offset = localOffset(hub.config, time);
    const events: HubEvent[] = [];
    const bagRows: SqlValue[][] = [];
    const parcelRows: SqlValue[][] = [];
    const results = specs.map((s, i): BagResult => {
      const sscc = makeSscc(hub.config.ssccExtension, hub.config.companyPrefix, last - specs.length + 1 + i);
      const packed = aggregationEvent({
        action: 'ADD',
        bizStep: 'packing',
        readPoint,
        bizLocation,
        eventTime: time,
        eventTimeZoneOffset: offset,
        parentID: ssccEpc(sscc),
        childEPCs: s.tns.map(s10Epc),
        extensions: { lane: s.lane },
      });
      const closed = objectEvent({
        action: 'OBSERVE',
        bizStep: 'packing',
        disposition: 'container_closed',
        readPoint,
        bizLocation,
        eventTime: time,
        eventTimeZoneOffset: offset,
        epcList: [ssccEpc(sscc)],
        extensions: { lane: s.lane },
      });
      events.push(packed, closed);
      bagRows.push([sscc, s.lane, 'closed', null, s.tns.length, at, at]);
      for (const tn of s.tns) parcelRows.push([tn, sscc, at]);
      return { sscc, lane: s.lane, parcels: s.tns.length, eventID: packed.eventID };
    });
    for (let i = 0; i < bagRows.length; i += ROWS) {
      await insertRows(tx, 'bags', ['sscc', 'lane', 'status', 'truck', 'parcel_count', 'created_at', 'closed_at'], bagRows.slice(i, i + ROWS));
    }
    for (let i = 0; i < parcelRows.length; i += ROWS) {
      await updateFromValues(tx, 'parcels', "status = 'bagged', bag = v.column2, updated_at = v.column3", 'parcels.tracking_number = v.column1', parcelRows.slice(i, i + ROWS));
    }
    await recordEvents(tx, events, { recordTime: time });
    return results;
  });
}

export interface TruckSpec {
  readonly truckId: string;
  readonly bags: readonly string[];
  readonly dock?: string;
}

export interface DispatchedTruck {
  readonly truckId: string;
  readonly lane: string;
  readonly carrier: string;
  readonly bags: number;
  readonly parcels: number;
  readonly loadEventID: string;
  readonly departEventID: string;
  /** Parcels kept off the truck: their recipient's data was erased (erased.ts). */
  readonly withheld: readonly WithheldParcel[];
}

interface BagRow {
  sscc: string;
  lane: string;
  status: string;
  parcel_count: number;
}

/**
 * Loads new trucks with closed bags and dispatches them, in one transaction: per truck an AggregationEvent
 * ADD (`loading`, parent the truck) and an ObjectEvent `departing` (`in_transit`), exactly as `loadTruck`
 * then `dispatchTruck`; trucks, bags and parcels end `dispatched`. Each truck is new and serves one lane
 * (its carrier's). All or nothing.
 */
export async function dispatchTrucks(hub: Hub, input: { trucks: readonly TruckSpec[]; time?: Date }): Promise<DispatchedTruck[]> {
  const specs = input.trucks.map((t, i) => {
    const items = canonicalSsccs(`trucks.${i}.bags`, t.bags);
    return { at: `trucks.${i}`, truckId: checkTruckId(t.truckId, `trucks.${i}.truckId`), items, ssccs: items.map((item) => item.value), dock: t.dock ?? 'DOCK' };
  });
  const empty = specs.filter((s) => s.ssccs.length === 0).map((s) => ({ field: `${s.at}.bags`, reason: 'no bag' }));
  if (empty.length > 0) throw new OperationError('INVALID', 'no bag to load', empty.slice(0, MAX_DETAILS));
  const trucks = specs.map((s) => ({ field: `${s.at}.truckId`, value: s.truckId }));
  const trucksTwice = repeated(trucks);
  if (trucksTwice.length > 0) throw new OperationError('INVALID', 'a truck appears twice', details(trucksTwice, 'appears twice'));
  const items = specs.flatMap((s) => s.items);
  const bagsTwice = repeated(items);
  if (bagsTwice.length > 0) throw new OperationError('INVALID', 'a bag can go on one truck only', details(bagsTwice, 'on another truck too'));
  if (specs.length === 0) return [];
  const allBags = items.map((item) => item.value);
  const time = input.time ?? new Date();
  const at = time.toISOString();
  return hub.db.transaction().execute(async (tx) => {
    const bags = new Map((await selectIn<BagRow>(tx, 'select sscc, lane, status, parcel_count from bags', 'sscc', allBags)).map((b) => [b.sscc, b]));
    const missing = items.filter((item) => !bags.has(item.value));
    if (missing.length > 0) throw new OperationError('NOT_FOUND', `${missing.length} bag(s) are not known`, details(missing, 'unknown bag'));
    const notClosed = items.filter((item) => bags.get(item.value)!.status !== 'closed');
    if (notClosed.length > 0) throw new OperationError('CONFLICT', `${notClosed.length} bag(s) are not closed`, details(notClosed, 'not closed'));
    const existing = new Set((await selectIn<{ id: string }>(tx, 'select id from trucks', 'id', specs.map((s) => s.truckId))).map((t) => t.id));
    if (existing.size > 0) throw new OperationError('CONFLICT', `${existing.size} truck(s) exist already`, details(trucks.filter((t) => existing.has(t.value)), 'truck exists'));
    const laneIds = [...new Set(allBags.map((s) => bags.get(s)!.lane))];
    const carriers = new Map((await selectIn<{ id: string; carrier: string | null }>(tx, 'select id, carrier from lanes', 'id', laneIds)).map((l) => [l.id, l.carrier]));

    const bizLocation = hubLocation(hub.config);
    const offset = localOffset(hub.config, time);
    const events: HubEvent[] = [];
    const truckRows: SqlValue[][] = [];
    const bagRows: SqlValue[][] = [];
    const results = specs.map((s): DispatchedTruck => {
      const lane = bags.get(s.ssccs[0]!)!.lane;
      const foreign = s.items.filter((item) => bags.get(item.value)!.lane !== lane);
      if (foreign.length > 0) throw new OperationError('CONFLICT', `a truck serves one lane (${lane})`, details(foreign, 'bag of another lane'));
      const carrier = carriers.get(lane) ?? null;
      if (carrier === null) throw new OperationError('CONFLICT', `lane ${lane} has no carrier`);
      const readPoint = pointLocation(hub.config, s.dock, `${s.at}.dock`);
      const sorted = [...s.ssccs].sort();
      const loaded = aggregationEvent({
        action: 'ADD',
        bizStep: 'loading',
        readPoint,
        bizLocation,
        eventTime: time,
        eventTimeZoneOffset: offset,
        parentID: truckEpc(s.truckId),
        childEPCs: s.ssccs.map(ssccEpc),
        extensions: { lane },
      });
      const departed = objectEvent({
        action: 'OBSERVE',
        bizStep: 'departing',
        disposition: 'in_transit',
        readPoint,
        bizLocation,
        eventTime: time,
        eventTimeZoneOffset: offset,
        epcList: [truckEpc(s.truckId), ...sorted.map(ssccEpc)],
        extensions: { lane, carrier },
      });
      events.push(loaded, departed);
      truckRows.push([s.truckId, lane, carrier, 'dispatched', at, at, at]);
      for (const sscc of s.ssccs) bagRows.push([sscc, s.truckId]);
      const parcels = s.ssccs.reduce((n, b) => n + Number(bags.get(b)!.parcel_count), 0);
      return { truckId: s.truckId, lane, carrier, bags: s.ssccs.length, parcels, loadEventID: loaded.eventID, departEventID: departed.eventID, withheld: [] };
    });
    const withheld = await withholdErased(tx, hub, new Map(specs.flatMap((s) => s.ssccs.map((sscc) => [sscc, s.dock] as const))), time);
    const truckOf = new Map(specs.flatMap((s, i) => s.ssccs.map((sscc) => [sscc, i] as const)));
    for (const w of withheld) {
      const r = results[truckOf.get(w.bag)!]!;
      results[truckOf.get(w.bag)!] = { ...r, parcels: r.parcels - 1, withheld: [...r.withheld, w] };
    }
    for (let i = 0; i < truckRows.length; i += ROWS) {
      await insertRows(tx, 'trucks', ['id', 'lane', 'carrier', 'status', 'departure_at', 'dispatched_at', 'created_at'], truckRows.slice(i, i + ROWS));
    }
    for (let i = 0; i < bagRows.length; i += ROWS) {
      await updateFromValues(tx, 'bags', "status = 'dispatched', truck = v.column2", 'bags.sscc = v.column1', bagRows.slice(i, i + ROWS));
    }
    for (let i = 0; i < bagRows.length; i += ROWS) {
      const chunk = bagRows.slice(i, i + ROWS).map((r) => r[0]!);
      await updateFromValues(tx, 'parcels', "status = 'dispatched', updated_at = v.column2", 'parcels.bag = v.column1', chunk.map((sscc) => [sscc, at]));
    }
    await recordEvents(tx, events, { recordTime: time });
    return results;
  });
}

/** Adds `n` to a named counter inside the caller's transaction; answers its new value (the last of the `n`). */
async function addToCounter(tx: Kysely<Database>, name: string, n: number): Promise<number> {
  const row = await tx
    .insertInto('hub_counters')
    .values({ name, value: n })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('hub_counters.value', '+', n) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
