/**
 * Bagging and dispatch: sorted parcels of one lane go into a bag (a new SSCC under the hub's GS1
 * Company Prefix, serial from the `bag-serial` counter: AggregationEvent ADD, bizStep `packing`), the bag
 * is closed, closed bags of one lane are loaded on that lane's truck (AggregationEvent ADD, bizStep
 * `loading`, parent the truck) and the truck departs (ObjectEvent `departing` for the truck and its
 * bags; every parcel `dispatched`). Each step is one transaction with its event.
 */
import type { Kysely } from 'kysely';
import { makeSscc, parseSscc } from '../../domain/index.js';
import type { Database } from '../../store/index.js';
import { aggregationEvent, objectEvent, s10Epc, ssccEpc } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { checkTruckId, hubLocation, localOffset, pointLocation, truckEpc, type Hub } from './config.js';
import { withholdErased, type WithheldParcel } from './erased.js';
import { details, distinct, located, OperationError, type Located } from './errors.js';
import { BAGGING_COLUMNS, nextCounter, requireParcels, requireStatus, requireTracking, updateParcels } from './parcels.js';

export interface BagResult {
  readonly sscc: string;
  readonly lane: string;
  readonly parcels: number;
  readonly eventID: string;
}

/** Puts sorted parcels of `lane` into a new, open bag. */
export async function bagParcels(hub: Hub, input: { lane: string; trackingNumbers: readonly string[]; point?: string; time?: Date }): Promise<BagResult> {
  const items = distinct(requireTracking(located('trackingNumbers', input.trackingNumbers)));
  const tns = items.map((item) => item.value);
  if (tns.length === 0) throw new OperationError('INVALID', 'a bag needs at least one parcel', [{ field: 'trackingNumbers', reason: 'no parcel' }]);
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const lane = await tx.selectFrom('lanes').select(['id', 'kind']).where('id', '=', input.lane).executeTakeFirst();
    if (!lane) throw new OperationError('NOT_FOUND', `lane ${JSON.stringify(input.lane)} does not exist`, details([{ field: 'lane', value: input.lane }], 'unknown lane'));
    if (lane.kind !== 'outbound') throw new OperationError('CONFLICT', `lane ${lane.id} is a ${lane.kind} lane: nothing is bagged there`, details([{ field: 'lane', value: lane.id }], `${lane.kind} lane, not outbound`));
    const parcels = await requireParcels(tx, items, BAGGING_COLUMNS);
    requireStatus(items, parcels, ['sorted'], 'bagged');
    const elsewhere = items.filter((item) => parcels.get(item.value)!.lane !== lane.id);
    if (elsewhere.length > 0) throw new OperationError('CONFLICT', `${elsewhere.length} parcel(s) were sorted to another lane`, details(elsewhere, 'sorted to another lane'));
    const sscc = makeSscc(hub.config.ssccExtension, hub.config.companyPrefix, await nextCounter(tx, 'bag-serial'));
    const event = aggregationEvent({
      action: 'ADD',
      bizStep: 'packing',
      readPoint: pointLocation(hub.config, input.point ?? 'BAGGING', 'point'),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      parentID: ssccEpc(sscc),
      childEPCs: tns.map(s10Epc),
      extensions: { lane: lane.id },
    });
    await tx.insertInto('bags').values({ sscc, lane: lane.id, status: 'open', truck: null, parcel_count: tns.length, created_at: time.toISOString(), closed_at: null }).execute();
    await updateParcels(tx, tns, { status: 'bagged', bag: sscc, updated_at: time.toISOString() });
    await recordEvents(tx, [event]);
    return { sscc, lane: lane.id, parcels: tns.length, eventID: event.eventID };
  });
}

/** The canonical SSCC of a bag given at `field` of the input, or INVALID naming it. */
export function canonicalSscc(raw: string, field: string): string {
  const parsed = parseSscc(raw);
  if (!parsed.ok) throw new OperationError('INVALID', `bag ${JSON.stringify(raw)}: ${parsed.reason}`, [{ field, value: raw, reason: parsed.reason }]);
  return parsed.value.value;
}

/** The bags of the input's list `list`, canonical, each named once (where first given). */
export function canonicalSsccs(list: string, raws: readonly string[]): Located[] {
  return distinct(located(list, raws).map(({ field, value }) => ({ field, value: canonicalSscc(value, field) })));
}

async function requireBag(tx: Kysely<Database>, sscc: string) {
  const bag = await tx.selectFrom('bags').selectAll().where('sscc', '=', sscc).executeTakeFirst();
  if (!bag) throw new OperationError('NOT_FOUND', `bag ${sscc} is not known`, details([{ field: 'sscc', value: sscc }], 'unknown bag'));
  return bag;
}

/** Closes an open bag (ObjectEvent OBSERVE, bizStep `packing`, disposition `container_closed`). */
export async function closeBag(hub: Hub, input: { sscc: string; point?: string; time?: Date }): Promise<{ sscc: string; eventID: string }> {
  const sscc = canonicalSscc(input.sscc, 'sscc');
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const bag = await requireBag(tx, sscc);
    if (bag.status !== 'open') throw new OperationError('CONFLICT', `bag ${sscc} is ${bag.status}, not open`, details([{ field: 'sscc', value: sscc }], `${bag.status}, not open`));
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'packing',
      disposition: 'container_closed',
      readPoint: pointLocation(hub.config, input.point ?? 'BAGGING', 'point'),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      epcList: [ssccEpc(sscc)],
      extensions: { lane: bag.lane },
    });
    await tx.updateTable('bags').set({ status: 'closed', closed_at: time.toISOString() }).where('sscc', '=', sscc).execute();
    await recordEvents(tx, [event]);
    return { sscc, eventID: event.eventID };
  });
}

/** Loads closed bags of one lane on its truck, which is opened (status `loading`) by its first load. */
export async function loadTruck(hub: Hub, input: { truckId: string; bags: readonly string[]; dock?: string; time?: Date }): Promise<{ truckId: string; lane: string; bags: number; eventID: string }> {
  const truckId = checkTruckId(input.truckId);
  const items = canonicalSsccs('bags', input.bags);
  const ssccs = items.map((item) => item.value);
  if (ssccs.length === 0) throw new OperationError('INVALID', 'no bag to load', [{ field: 'bags', reason: 'no bag' }]);
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const bags = new Map((await tx.selectFrom('bags').selectAll().where('sscc', 'in', ssccs).execute()).map((b) => [b.sscc, b]));
    const missing = items.filter((item) => !bags.has(item.value));
    if (missing.length > 0) throw new OperationError('NOT_FOUND', `${missing.length} bag(s) are not known`, details(missing, 'unknown bag'));
    const notClosed = items.filter((item) => bags.get(item.value)!.status !== 'closed');
    if (notClosed.length > 0) throw new OperationError('CONFLICT', `${notClosed.length} bag(s) are not closed`, details(notClosed, 'not closed'));
    const truck = await tx.selectFrom('trucks').selectAll().where('id', '=', truckId).executeTakeFirst();
    const lane = truck?.lane ?? bags.get(ssccs[0]!)!.lane;
    const foreign = items.filter((item) => bags.get(item.value)!.lane !== lane);
    if (foreign.length > 0) throw new OperationError('CONFLICT', `a truck serves one lane (${lane})`, details(foreign, 'bag of another lane'));
    if (truck && truck.status !== 'loading') throw new OperationError('CONFLICT', `truck ${truckId} has departed`, details([{ field: 'truckId', value: truckId }], 'departed'));
    if (!truck) {
      const l = await tx.selectFrom('lanes').select(['carrier']).where('id', '=', lane).executeTakeFirstOrThrow();
      if (l.carrier === null) throw new OperationError('CONFLICT', `lane ${lane} has no carrier`);
      await tx.insertInto('trucks').values({ id: truckId, lane, carrier: l.carrier, status: 'loading', departure_at: null, dispatched_at: null, created_at: time.toISOString() }).execute();
    }
    const event = aggregationEvent({
      action: 'ADD',
      bizStep: 'loading',
      readPoint: pointLocation(hub.config, input.dock ?? 'DOCK', 'dock'),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      parentID: truckEpc(truckId),
      childEPCs: ssccs.map(ssccEpc),
      extensions: { lane },
    });
    await tx.updateTable('bags').set({ status: 'loaded', truck: truckId }).where('sscc', 'in', ssccs).execute();
    await tx.updateTable('parcels').set({ status: 'loaded', updated_at: time.toISOString() }).where('bag', 'in', ssccs).execute();
    await recordEvents(tx, [event]);
    return { truckId, lane, bags: ssccs.length, eventID: event.eventID };
  });
}

/**
 * The truck departs: truck, bags and parcels `dispatched`, one `departing` event (disposition `in_transit`).
 * A parcel whose recipient's data was erased since it was bagged stays behind, listed in `withheld` (erased.ts).
 */
export async function dispatchTruck(
  hub: Hub,
  input: { truckId: string; dock?: string; time?: Date },
): Promise<{ truckId: string; bags: number; parcels: number; eventID: string; withheld: WithheldParcel[] }> {
  const truckId = checkTruckId(input.truckId);
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const truck = await tx.selectFrom('trucks').selectAll().where('id', '=', truckId).executeTakeFirst();
    const named = [{ field: 'truckId', value: truckId }];
    if (!truck) throw new OperationError('NOT_FOUND', `truck ${truckId} is not known`, details(named, 'unknown truck'));
    if (truck.status !== 'loading') throw new OperationError('CONFLICT', `truck ${truckId} has already departed`, details(named, 'departed'));
    const bags = await tx.selectFrom('bags').select(['sscc', 'parcel_count']).where('truck', '=', truckId).orderBy('sscc').execute();
    if (bags.length === 0) throw new OperationError('CONFLICT', `truck ${truckId} carries no bag`, details(named, 'carries no bag'));
    const withheld = await withholdErased(tx, hub, new Map(bags.map((b) => [b.sscc, input.dock ?? 'DOCK'])), time);
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'departing',
      disposition: 'in_transit',
      readPoint: pointLocation(hub.config, input.dock ?? 'DOCK', 'dock'),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      epcList: [truckEpc(truckId), ...bags.map((b) => ssccEpc(b.sscc))],
      extensions: { lane: truck.lane, carrier: truck.carrier },
    });
    const at = time.toISOString();
    await tx.updateTable('trucks').set({ status: 'dispatched', dispatched_at: at, departure_at: at }).where('id', '=', truckId).execute();
    await tx.updateTable('bags').set({ status: 'dispatched' }).where('truck', '=', truckId).execute();
    const ssccs = bags.map((b) => b.sscc);
    await tx.updateTable('parcels').set({ status: 'dispatched', updated_at: at }).where('bag', 'in', ssccs).execute();
    await recordEvents(tx, [event]);
    return { truckId, bags: bags.length, parcels: bags.reduce((n, b) => n + Number(b.parcel_count), 0) - withheld.length, eventID: event.eventID, withheld };
  });
}
