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
import { details, OperationError } from './errors.js';
import { BAGGING_COLUMNS, requireParcels, requireStatus, requireTracking } from './parcels.js';
import { canonicalSscc, type BagResult } from './dispatch.js';

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
  const specs = input.bags.map((b) => ({ lane: b.lane, tns: [...new Set(requireTracking(b.trackingNumbers))] }));
  if (specs.some((s) => s.tns.length === 0)) throw new OperationError('INVALID', 'a bag needs at least one parcel');
  const all = specs.flatMap((s) => s.tns);
  if (new Set(all).size !== all.length) throw new OperationError('INVALID', 'a parcel can go into one bag only');
  if (specs.length === 0) return [];
  const time = input.time ?? new Date();
  const at = time.toISOString();
  return hub.db.transaction().execute(async (tx) => {
    const laneIds = [...new Set(specs.map((s) => s.lane))];
    const lanes = new Map((await selectIn<{ id: string; kind: string }>(tx, 'select id, kind from lanes', 'id', laneIds)).map((l) => [l.id, l.kind]));
    for (const id of laneIds) {
      const kind = lanes.get(id);
      if (kind === undefined) throw new OperationError('NOT_FOUND', `lane ${id} does not exist`);
      if (kind !== 'outbound') throw new OperationError('CONFLICT', `lane ${id} is a ${kind} lane: nothing is bagged there`);
    }
    const parcels = await requireParcels(tx, all, BAGGING_COLUMNS);
    requireStatus(parcels.values(), ['sorted'], 'bagged');
    const elsewhere = specs.flatMap((s) => s.tns.filter((tn) => parcels.get(tn)!.lane !== s.lane));
    if (elsewhere.length > 0) throw new OperationError('CONFLICT', `${elsewhere.length} parcel(s) were sorted to another lane`, details(elsewhere, 'sorted to another lane'));

    const last = await addToCounter(tx, 'bag-serial', specs.length);
    const readPoint = pointLocation(hub.config, input.point ?? 'BAGGING');
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
  const specs = input.trucks.map((t) => ({ truckId: checkTruckId(t.truckId), ssccs: [...new Set(t.bags.map(canonicalSscc))], dock: t.dock ?? 'DOCK' }));
  if (specs.some((s) => s.ssccs.length === 0)) throw new OperationError('INVALID', 'no bag to load');
  if (new Set(specs.map((s) => s.truckId)).size !== specs.length) throw new OperationError('INVALID', 'a truck appears twice');
  const allBags = specs.flatMap((s) => s.ssccs);
  if (new Set(allBags).size !== allBags.length) throw new OperationError('INVALID', 'a bag can go on one truck only');
  if (specs.length === 0) return [];
  const time = input.time ?? new Date();
  const at = time.toISOString();
  return hub.db.transaction().execute(async (tx) => {
    const bags = new Map((await selectIn<BagRow>(tx, 'select sscc, lane, status, parcel_count from bags', 'sscc', allBags)).map((b) => [b.sscc, b]));
    const missing = allBags.filter((s) => !bags.has(s));
    if (missing.length > 0) throw new OperationError('NOT_FOUND', `${missing.length} bag(s) are not known`, details(missing, 'unknown bag'));
    const notClosed = allBags.filter((s) => bags.get(s)!.status !== 'closed');
    if (notClosed.length > 0) throw new OperationError('CONFLICT', `${notClosed.length} bag(s) are not closed`, details(notClosed, 'not closed'));
    const existing = await selectIn<{ id: string }>(tx, 'select id from trucks', 'id', specs.map((s) => s.truckId));
    if (existing.length > 0) throw new OperationError('CONFLICT', `${existing.length} truck(s) exist already`, details(existing.map((t) => t.id), 'truck exists'));
    const laneIds = [...new Set(allBags.map((s) => bags.get(s)!.lane))];
    const carriers = new Map((await selectIn<{ id: string; carrier: string | null }>(tx, 'select id, carrier from lanes', 'id', laneIds)).map((l) => [l.id, l.carrier]));

    const bizLocation = hubLocation(hub.config);
    const offset = localOffset(hub.config, time);
    const events: HubEvent[] = [];
    const truckRows: SqlValue[][] = [];
    const bagRows: SqlValue[][] = [];
    const results = specs.map((s): DispatchedTruck => {
      const lane = bags.get(s.ssccs[0]!)!.lane;
      const foreign = s.ssccs.filter((b) => bags.get(b)!.lane !== lane);
      if (foreign.length > 0) throw new OperationError('CONFLICT', `a truck serves one lane (${lane})`, details(foreign, 'bag of another lane'));
      const carrier = carriers.get(lane) ?? null;
      if (carrier === null) throw new OperationError('CONFLICT', `lane ${lane} has no carrier`);
      const readPoint = pointLocation(hub.config, s.dock);
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
      return { truckId: s.truckId, lane, carrier, bags: s.ssccs.length, parcels, loadEventID: loaded.eventID, departEventID: departed.eventID };
    });
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
