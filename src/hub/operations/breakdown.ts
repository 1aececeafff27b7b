/**
 * Breakdown of a freighter: its ULDs are received into the hub's custody, their parcels inducted one by
 * one, and the flight closed. The breakdown report compares what was manifested with what was scanned:
 *
 * - short-shipped: manifested for the flight, never scanned (no `received_at`) although its ULD was
 *   received — or at all, once the flight is closed. Before closing, the list is provisional (`final:
 *   false`): a ULD still being broken down shows its not-yet-inducted parcels there;
 * - over-carried: scanned at induction for this flight but on no manifest at all. Each such scan is
 *   recorded as an exception with its own EPCIS event (bizStep `receiving`, disposition
 *   `mismatch_instance`, `glasshub:exception` = `over-carried`). A parcel manifested on another flight
 *   is not over-carried: it is received, and missing from no one's report.
 */
import { awbUri, objectEvent, s10Epc, uldEpc, type HubEvent } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { hubLocation, localOffset, pointLocation, type Hub } from './config.js';
import { details, OperationError } from './errors.js';
import { canonicalTracking, INDUCTION_COLUMNS, insertExceptions, loadParcels, markReceived } from './parcels.js';

export interface ReceiveUldInput {
  readonly flightId: string;
  readonly uld: string;
  /** Where the ULD was received (default `AIRSIDE`). */
  readonly point?: string;
  readonly time?: Date;
}

export interface ReceiveUldResult {
  readonly flightId: string;
  readonly uld: string;
  readonly parcels: number;
  readonly eventID: string;
}

/** Receives a manifested ULD: status `received`, one `arriving` event for the ULD and its parcels. */
export async function receiveUld(hub: Hub, input: ReceiveUldInput): Promise<ReceiveUldResult> {
  const time = input.time ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const flight = await tx.selectFrom('flights').select(['id', 'status']).where('id', '=', input.flightId).executeTakeFirst();
    if (!flight) throw new OperationError('NOT_FOUND', `flight ${input.flightId} is not known`, details([{ field: 'flightId', value: input.flightId }], 'unknown flight'));
    const uld = await tx.selectFrom('ulds').select(['uld', 'status']).where('flight_id', '=', flight.id).where('uld', '=', input.uld).executeTakeFirst();
    const named = [{ field: 'uld', value: input.uld }];
    if (!uld) throw new OperationError('NOT_FOUND', `ULD ${input.uld} is not on the manifest of flight ${flight.id}`, details(named, 'not on the manifest of the flight'));
    if (uld.status === 'received') throw new OperationError('CONFLICT', `ULD ${uld.uld} of flight ${flight.id} was already received`, details(named, 'already received'));
    if (flight.status === 'broken-down') throw new OperationError('CONFLICT', `flight ${flight.id} is closed`, details([{ field: 'flightId', value: flight.id }], 'closed'));
    const parcels = await tx.selectFrom('parcels').select(['tracking_number', 'awb']).where('flight_id', '=', flight.id).where('uld', '=', uld.uld).execute();
    const awbs = [...new Set(parcels.map((p) => p.awb))];
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'arriving',
      readPoint: pointLocation(hub.config, input.point ?? 'AIRSIDE', 'point'),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      epcList: [uldEpc(uld.uld), ...parcels.map((p) => s10Epc(p.tracking_number))],
      bizTransactionList: awbs.map((awb) => ({ type: 'bol' as const, bizTransaction: awbUri(awb) })),
      extensions: { uld: uld.uld, flight: flight.id },
    });
    const at = time.toISOString();
    await tx.updateTable('ulds').set({ status: 'received', received_at: at }).where('flight_id', '=', flight.id).where('uld', '=', uld.uld).execute();
    if (flight.status === 'expected') await tx.updateTable('flights').set({ status: 'arrived', arrived_at: at }).where('id', '=', flight.id).execute();
    await recordEvents(tx, [event]);
    return { flightId: flight.id, uld: uld.uld, parcels: parcels.length, eventID: event.eventID };
  });
}

export interface InductionScan {
  readonly trackingNumber: string;
  readonly scanner?: string;
  /** The induction point (default `INDUCTION`). */
  readonly location?: string;
  readonly time?: Date;
}

export type InductionOutcome = 'received' | 'already-scanned' | 'over-carried' | 'invalid';
export interface InductionResult {
  readonly trackingNumber: string;
  readonly outcome: InductionOutcome;
}

/**
 * Inducts parcels of a flight's breakdown: per known parcel a `receiving` event at the induction point,
 * status `received` (from `manifested`; a parcel already further keeps its status) and `received_at`;
 * per unknown S10 number an over-carried exception. Invalid numbers are answered, not recorded.
 */
export async function induct(hub: Hub, flightId: string, scans: readonly (string | InductionScan)[]): Promise<InductionResult[]> {
  const now = new Date();
  const items = scans.map((s) => (typeof s === 'string' ? { trackingNumber: s } : s));
  const canonical = items.map((s) => canonicalTracking(s.trackingNumber));
  return hub.db.transaction().execute(async (tx) => {
    const flight = await tx.selectFrom('flights').select(['id', 'status']).where('id', '=', flightId).executeTakeFirst();
    if (!flight) throw new OperationError('NOT_FOUND', `flight ${flightId} is not known`, details([{ field: 'flightId', value: flightId }], 'unknown flight'));
    const known = await loadParcels(tx, canonical.filter((tn): tn is string => tn !== undefined), INDUCTION_COLUMNS);
    const events: HubEvent[] = [];
    const exceptions: { event_id: string; kind: 'over-carried'; flight_id: string; tracking_number: string; location: string; scanner: string | null; scanned_at: string }[] = [];
    const firstSeen = new Map<string, string>();
    const bizLocation = hubLocation(hub.config);
    const results = items.map((scan, i): InductionResult => {
      const tn = canonical[i];
      if (tn === undefined) return { trackingNumber: scan.trackingNumber, outcome: 'invalid' };
      const time = scan.time ?? now;
      const parcel = known.get(tn);
      const event = objectEvent({
        action: 'OBSERVE',
        bizStep: 'receiving',
        ...(parcel ? {} : { disposition: 'mismatch_instance' as const }),
        readPoint: pointLocation(hub.config, scan.location ?? 'INDUCTION', `scans.${i}.location`),
        bizLocation,
        eventTime: time,
        eventTimeZoneOffset: localOffset(hub.config, time),
        epcList: [s10Epc(tn)],
        extensions: { flight: flight.id, scanner: scan.scanner, ...(parcel ? {} : { exception: 'over-carried' }) },
      });
      events.push(event);
      if (!parcel) {
        exceptions.push({ event_id: event.eventID, kind: 'over-carried', flight_id: flight.id, tracking_number: tn, location: scan.location ?? 'INDUCTION', scanner: scan.scanner ?? null, scanned_at: time.toISOString() });
        return { trackingNumber: tn, outcome: 'over-carried' };
      }
      if (parcel.received_at !== null || firstSeen.has(tn)) return { trackingNumber: tn, outcome: 'already-scanned' };
      firstSeen.set(tn, time.toISOString());
      return { trackingNumber: tn, outcome: 'received' };
    });
    await markReceived(tx, firstSeen, now);
    await insertExceptions(tx, exceptions);
    await recordEvents(tx, events);
    return results;
  });
}

/** Closes a flight's breakdown: from now on, every manifested parcel never scanned is short-shipped. */
export async function closeFlight(hub: Hub, flightId: string, time: Date = new Date()): Promise<void> {
  const result = await hub.db
    .updateTable('flights')
    .set((eb) => ({ status: 'broken-down', arrived_at: eb.fn.coalesce('arrived_at', eb.val(time.toISOString())) }))
    .where('id', '=', flightId)
    .where('status', '!=', 'broken-down')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    const exists = await hub.db.selectFrom('flights').select('id').where('id', '=', flightId).executeTakeFirst();
    const named = [{ field: 'flightId', value: flightId }];
    throw exists
      ? new OperationError('CONFLICT', `flight ${flightId} is already closed`, details(named, 'already closed'))
      : new OperationError('NOT_FOUND', `flight ${flightId} is not known`, details(named, 'unknown flight'));
  }
}
