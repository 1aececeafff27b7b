/**
 * A parcel whose recipient's personal data was erased (GDPR Art. 17, or retention) has no address left: it can
 * be neither sorted to a carrier nor handed to one. The hub learns this from the gate (`Gate.erasedAmong`: the
 * vault's shredded marker, nothing unwrapped or decrypted), one lookup per batch, and sends such a parcel to
 * the exceptions lane: at sorting, or — erased after it was bagged — by keeping it off the truck at dispatch.
 */
import type { Kysely } from 'kysely';
import { selectIn, type Database } from '../../store/index.js';
import { aggregationEvent, s10Epc, ssccEpc } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { hubLocation, localOffset, pointLocation, type ErasedRecipients, type Hub } from './config.js';
import { OperationError } from './errors.js';
import { updateParcels } from './parcels.js';
import { listLanes } from './plans.js';

export const RECIPIENT_ERASED = 'recipient-erased';

const NONE: ReadonlySet<string> = new Set();

/** The erased among `refs`; none asked (and none found) when the hub has no gate to ask, or nothing to ask about. */
export function erasedAmong(erasures: ErasedRecipients | undefined, tx: Kysely<Database>, refs: readonly string[]): Promise<ReadonlySet<string>> {
  return erasures === undefined || refs.length === 0 ? Promise.resolve(NONE) : erasures.erasedAmong(refs, tx);
}

/** The exceptions lane, as a compiled plan picks it (every plan has one): where a parcel nobody can be delivered to waits. */
async function exceptionsLane(tx: Kysely<Database>): Promise<string> {
  const lane = [...(await listLanes(tx)).values()].find((l) => l.kind === 'exceptions');
  if (lane === undefined) throw new OperationError('CONFLICT', 'no exceptions lane is defined');
  return lane.id;
}

/** A parcel kept off a departing truck: its recipient's data was erased after it was bagged. */
export interface WithheldParcel {
  readonly trackingNumber: string;
  readonly bag: string;
  /** What the operator must do, and why. */
  readonly reason: string;
}

/**
 * At dispatch, inside its transaction: the parcels in `bags` (SSCC → the dock, for the event) whose recipient
 * was erased are taken out of their bags (AggregationEvent DELETE, `unpacking`, `glasshub:exception` =
 * `recipient-erased`) to the exceptions lane, status `exception`, and listed for the operator: the carrier
 * never gets a parcel, nor a manifest line, without an address.
 */
export async function withholdErased(tx: Kysely<Database>, hub: Hub, bags: ReadonlyMap<string, string>, time: Date): Promise<WithheldParcel[]> {
  if (hub.erasures === undefined || bags.size === 0) return [];
  const parcels = await selectIn<{ tracking_number: string; bag: string; consignee_ref: string }>(tx, 'select tracking_number, bag, consignee_ref from parcels', 'bag', [...bags.keys()]);
  const erased = await erasedAmong(hub.erasures, tx, parcels.map((p) => p.consignee_ref));
  const out = parcels.filter((p) => erased.has(p.consignee_ref)).sort((a, b) => (a.tracking_number < b.tracking_number ? -1 : 1));
  if (out.length === 0) return [];
  const lane = await exceptionsLane(tx);
  const byBag = new Map<string, string[]>();
  for (const p of out) byBag.set(p.bag, [...(byBag.get(p.bag) ?? []), p.tracking_number]);
  const events = [...byBag].map(([sscc, tns]) =>
    aggregationEvent({
      action: 'DELETE',
      bizStep: 'unpacking',
      readPoint: pointLocation(hub.config, bags.get(sscc)!),
      bizLocation: hubLocation(hub.config),
      eventTime: time,
      eventTimeZoneOffset: localOffset(hub.config, time),
      parentID: ssccEpc(sscc),
      childEPCs: tns.map(s10Epc),
      extensions: { lane, exception: RECIPIENT_ERASED },
    }),
  );
  await updateParcels(tx, out.map((p) => p.tracking_number), { status: 'exception', bag: null, lane, updated_at: time.toISOString() });
  for (const [sscc, tns] of byBag) await tx.updateTable('bags').set((eb) => ({ parcel_count: eb('parcel_count', '-', tns.length) })).where('sscc', '=', sscc).execute();
  await recordEvents(tx, events, { recordTime: time });
  return out.map((p) => ({ trackingNumber: p.tracking_number, bag: p.bag, reason: `the recipient's personal data was erased: no address to deliver to; take it out of bag ${p.bag} to lane ${lane}` }));
}
