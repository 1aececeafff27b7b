/**
 * The dispatch manifest: per truck (one carrier), what the carrier needs to deliver — tracking number,
 * bag, destination, and the recipient's name, address and phone. The recipient's data is personal: the
 * hub never reads it itself but asks the gate through `DeliveryDisclosure`, once per manifest, for the
 * distinct vault references of the truck's parcels; the gate decides, reads and records one ledger entry.
 *
 * Every address field, the postcode included, comes from the gate: the manifest takes nothing personal
 * from the hub's own tables (only the destination country, a routing fact).
 *
 * Once only. A carrier receives a person's data once, at dispatch: the first manifest of a dispatched
 * truck is disclosure 1. Asking again is refused (`ALREADY_DISCLOSED`) unless the request says why it
 * must be re-issued (a carrier lost the file, …): that is a new disclosure, n + 1, through the gate
 * again — a new decision and a new ledger entry — so a repeat is never silent. Each disclosure is
 * registered in `dispatch_disclosures` before the gate is asked (the primary key settles concurrent
 * requests) and the row is removed again if the gate refuses or fails. Should the process die between
 * the two, the row stays: the next request is then refused too and must be a re-issue, with its reason —
 * the cautious direction (a manifest may have to be asked for twice, data is never sent twice unrecorded).
 */
import type { PersonalData } from '../../gate/types.js';
import { checkTruckId, type Hub } from './config.js';
import { RECIPIENT_ERASED } from './erased.js';
import { details, OperationError } from './errors.js';

export const DELIVERY_FIELDS = ['name', 'street', 'postcode', 'city', 'country', 'phone'] as const;
export type DeliveryField = (typeof DELIVERY_FIELDS)[number];
export type DeliveryRecipient = Partial<Pick<PersonalData, DeliveryField>>;

export interface DeliveryDisclosureRequest {
  /** Who receives the data: the truck's carrier, by organisation slug (`bpost`, `dpd-de`). */
  readonly recipient: string;
  /** The principal (id) who asked for the manifest. */
  readonly requestedBy: string;
  readonly purpose: 'delivery';
  /** Distinct vault references (`parcels.consignee_ref`) of the truck's parcels. */
  readonly refs: readonly string[];
  readonly fields: readonly DeliveryField[];
  readonly truckId: string;
  readonly parcelCount: number;
  /** 1 at dispatch; 2, 3, … for re-issues, which carry their reason. */
  readonly disclosure: number;
  readonly reason?: string;
}

/**
 * The gate's read side as dispatch needs it. The gate decides, records one ledger entry (the count and a
 * commitment, never the data) and reads, in its own transaction: the hub holds none open meanwhile
 * (SQLite has one connection; a transaction held across the call would wait on the gate's forever).
 */
export interface DeliveryDisclosure {
  /** The allowed fields of each reference; a reference absent from the answer has no data (shredded). Throws when denied. */
  disclose(request: DeliveryDisclosureRequest): Promise<ReadonlyMap<string, DeliveryRecipient>>;
}

export interface ManifestLine {
  readonly trackingNumber: string;
  readonly bag: string;
  /** The destination country, as the sorter knows it; the full address comes only from the gate. */
  readonly destinationCountry: string;
  readonly recipient: DeliveryRecipient | null;
  /**
   * Set when the recipient's data was erased after the truck left (dispatch keeps such parcels back before):
   * the carrier has the parcel but nobody to deliver it to, and must return it to the hub.
   */
  readonly exception?: typeof RECIPIENT_ERASED;
}

export interface DispatchManifest {
  readonly truckId: string;
  readonly carrier: string;
  readonly lane: string;
  readonly dispatchedAt: string;
  readonly disclosure: number;
  readonly lines: readonly ManifestLine[];
}

export interface ManifestRequest {
  readonly truckId: string;
  readonly requestedBy: string;
  /** Only to re-issue a manifest already disclosed: why. */
  readonly reissueReason?: string;
  /** When a carrier asks: its organisation, which must be the truck's carrier. */
  readonly carrierOnly?: string;
  readonly time?: Date;
}

type ParcelOfTruck = { tracking_number: string; bag: string | null; dest_country: string; consignee_ref: string };
interface Reservation {
  readonly request: ManifestRequest;
  readonly truck: { id: string; carrier: string; lane: string; dispatched_at: string };
  readonly parcels: readonly ParcelOfTruck[];
  readonly n: number;
  readonly reason: string | undefined;
}

export async function dispatchManifest(hub: Hub, gate: DeliveryDisclosure, request: ManifestRequest): Promise<DispatchManifest> {
  const reserved = await hub.db.transaction().execute((tx) => reserve(tx, request));
  return disclose(hub, gate, reserved);
}

export type ManifestOutcome = { readonly ok: true; readonly manifest: DispatchManifest } | { readonly ok: false; readonly truckId: string; readonly error: unknown };

/**
 * The first manifests of many dispatched trucks: every disclosure registered in one transaction, then the
 * gate asked for all of them at once — still one decision and one ledger entry per truck, which the ledger
 * commits together. A refusal or failure frees that truck's registration, as `dispatchManifest` does, and
 * is answered in its place; the others are disclosed. A request the registration refuses (unknown truck,
 * not dispatched, already disclosed) refuses the whole call before anything is disclosed.
 */
export async function dispatchManifests(hub: Hub, gate: DeliveryDisclosure, requests: readonly ManifestRequest[]): Promise<ManifestOutcome[]> {
  const reserved = await hub.db.transaction().execute(async (tx) => {
    const out: Reservation[] = [];
    for (const [i, r] of requests.entries()) out.push(await reserve(tx, r, `${i}.`));
    return out;
  });
  return Promise.all(
    reserved.map(async (r): Promise<ManifestOutcome> => {
      try {
        return { ok: true, manifest: await disclose(hub, gate, r) };
      } catch (error) {
        return { ok: false, truckId: r.truck.id, error };
      }
    }),
  );
}

/** Checks the request and registers its disclosure (truck, n) inside the caller's transaction. */
async function reserve(tx: Hub['db'], request: ManifestRequest, at = ''): Promise<Reservation> {
  const truckId = checkTruckId(request.truckId, `${at}truckId`);
  const reason = request.reissueReason?.trim();
  const named = [{ field: `${at}truckId`, value: truckId }];
  const truck = await tx.selectFrom('trucks').selectAll().where('id', '=', truckId).executeTakeFirst();
  if (!truck) throw new OperationError('NOT_FOUND', `truck ${truckId} is not known`, details(named, 'unknown truck'));
  if (request.carrierOnly !== undefined && request.carrierOnly !== truck.carrier) throw new OperationError('FORBIDDEN', `truck ${truckId} is not ${request.carrierOnly}'s`, details(named, `not ${request.carrierOnly}'s truck`));
  if (truck.status !== 'dispatched' || truck.dispatched_at === null) {
    throw new OperationError('CONFLICT', `truck ${truckId} has not been dispatched: its carrier receives the manifest at dispatch`, details(named, 'not dispatched'));
  }
  const last = await tx.selectFrom('dispatch_disclosures').select((eb) => eb.fn.max('n').as('n')).where('truck_id', '=', truckId).executeTakeFirst();
  const previous = Number(last?.n ?? 0);
  if (previous > 0 && !reason) {
    throw new OperationError('ALREADY_DISCLOSED', `the manifest of truck ${truckId} was disclosed to ${truck.carrier} already; re-issue it only with a reason (a new, recorded disclosure)`, [
      { field: `${at}reissueReason`, ...(request.reissueReason !== undefined && { value: request.reissueReason }), reason: 'needed to re-issue a manifest already disclosed' },
    ]);
  }
  const parcels = await tx
    .selectFrom('parcels as p')
    .innerJoin('bags as b', 'b.sscc', 'p.bag')
    .select(['p.tracking_number', 'p.bag', 'p.dest_country', 'p.consignee_ref'])
    .where('b.truck', '=', truckId)
    .orderBy('p.bag')
    .orderBy('p.tracking_number')
    .execute();
  const n = previous + 1;
  // The primary key (truck, n) makes two concurrent requests for the same disclosure fail but one.
  await tx
    .insertInto('dispatch_disclosures')
    .values({ truck_id: truckId, n, principal: truck.carrier, requested_by: request.requestedBy, reason: previous > 0 ? (reason ?? null) : null, parcel_count: parcels.length, created_at: (request.time ?? new Date()).toISOString() })
    .execute();
  return { request, truck: { ...truck, dispatched_at: truck.dispatched_at }, parcels, n, reason: previous > 0 ? reason : undefined };
}

/** Asks the gate for the registered disclosure; frees the registration if nothing was disclosed. */
async function disclose(hub: Hub, gate: DeliveryDisclosure, reserved: Reservation): Promise<DispatchManifest> {
  const { truck, parcels, n, reason, request } = reserved;
  let recipients: ReadonlyMap<string, DeliveryRecipient>;
  try {
    recipients = await gate.disclose({
      recipient: truck.carrier,
      requestedBy: request.requestedBy,
      purpose: 'delivery',
      refs: [...new Set(parcels.map((p) => p.consignee_ref))],
      fields: DELIVERY_FIELDS,
      truckId: truck.id,
      parcelCount: parcels.length,
      disclosure: n,
      ...(reason ? { reason } : {}),
    });
  } catch (err) {
    // Nothing was disclosed: free the reservation so that the disclosure can be asked for again.
    await hub.db.deleteFrom('dispatch_disclosures').where('truck_id', '=', truck.id).where('n', '=', n).execute();
    throw err;
  }
  return {
    truckId: truck.id,
    carrier: truck.carrier,
    lane: truck.lane,
    dispatchedAt: truck.dispatched_at,
    disclosure: n,
    lines: parcels.map((p) => {
      const recipient = recipients.get(p.consignee_ref);
      const line = { trackingNumber: p.tracking_number, bag: p.bag ?? '', destinationCountry: p.dest_country };
      // Absent from the disclosure: the record is erased. Said so, never a bare null.
      return recipient === undefined ? { ...line, recipient: null, exception: RECIPIENT_ERASED } : { ...line, recipient };
    }),
  };
}

const CSV_COLUMNS = ['tracking_number', 'bag_sscc', 'destination_country', ...DELIVERY_FIELDS.map((f) => `recipient_${f}`), 'exception'];

/**
 * The manifest as CSV (RFC 4180, CRLF). A cell that a spreadsheet would take for a formula (starting with
 * `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'` (OWASP, CSV injection): names come from strangers.
 */
export function manifestCsv(manifest: DispatchManifest): string {
  const rows = manifest.lines.map((l) => [l.trackingNumber, l.bag, l.destinationCountry, ...DELIVERY_FIELDS.map((f) => l.recipient?.[f] ?? ''), l.exception ?? '']);
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
