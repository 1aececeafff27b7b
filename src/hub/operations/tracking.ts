/**
 * Public track & trace: what anyone holding a tracking number may see. No personal data at all — no
 * name, no address, no postcode, not even the destination country or the lane (which says the region) —
 * only the parcel's status, the carrier it was handed to once dispatched, and a history of steps at the
 * hub (time, step, a sentence). Events are read for the parcel and, once bagged, for its bag (closing,
 * loading, departure); nothing of them is passed through (EPC lists name other parcels, read points
 * name scanners).
 */
import { canonicalTracking } from './parcels.js';
import type { Hub } from './config.js';
import type { ParcelStatus } from '../../store/schema.js';
import { s10Epc, ssccEpc } from '../epcis/index.js';
import { EPC_PERIODS } from '../events/index.js';

export interface TrackingStep {
  readonly time: string;
  /** The CBV business step, e.g. `receiving`. */
  readonly step: string;
  readonly description: string;
  readonly place: string;
}

export interface TrackingView {
  readonly trackingNumber: string;
  readonly status: ParcelStatus;
  readonly statusText: string;
  /** Only once dispatched: who delivers it now. */
  readonly carrier?: string;
  readonly history: readonly TrackingStep[];
}

/** The English status texts; the web console's English catalogue repeats them (it also translates), a test keeps the two equal. */
export const STATUS_TEXT: Readonly<Record<ParcelStatus, string>> = {
  manifested: 'Announced: the parcel is expected at the hub',
  received: 'At the hub',
  sorted: 'Sorted for onward transport',
  held: 'Held for customs clearance',
  stored: 'Waiting in storage at the hub',
  exception: 'Being checked at the hub',
  bagged: 'Packed for onward transport',
  loaded: 'Loaded for departure',
  dispatched: 'Handed over to the delivery carrier',
  seized: 'Held by customs',
};

/** The English step texts; like `STATUS_TEXT`, repeated in the web console's English catalogue. */
export const STEP_TEXT: Readonly<Record<string, string>> = {
  arriving: 'Arrived at the hub by air',
  receiving: 'Received at the hub',
  staging_outbound: 'Sorted for onward transport',
  holding: 'Set aside at the hub',
  storing: 'Placed in storage',
  removing: 'Taken out of storage',
  packing: 'Packed for onward transport',
  loading: 'Loaded on a truck',
  departing: 'Left the hub for delivery',
};

const MAX_STEPS = 200;

/** The public view of a parcel, or undefined when the number is not an S10 number the hub knows. */
export async function trackParcel(hub: Hub, raw: string): Promise<TrackingView | undefined> {
  const tn = canonicalTracking(raw);
  if (tn === undefined) return undefined;
  const parcel = await hub.db.selectFrom('parcels').select(['tracking_number', 'status', 'bag', 'lane']).where('tracking_number', '=', tn).executeTakeFirst();
  if (!parcel) return undefined;
  const epcs = [s10Epc(tn), ...(parcel.bag === null ? [] : [ssccEpc(parcel.bag)])];
  const rows = await hub.db
    .selectFrom('epcis_events')
    .select(['event_time', 'biz_step'])
    .where('seq', 'in', (eb) => eb.selectFrom('epcis_event_epcs').select('seq').where('period', 'in', EPC_PERIODS).where('epc', 'in', epcs))
    .orderBy('event_time')
    .orderBy('seq')
    .limit(MAX_STEPS)
    .execute();
  let carrier: string | undefined;
  if (parcel.status === 'dispatched' && parcel.lane !== null) {
    carrier = (await hub.db.selectFrom('lanes').select('carrier').where('id', '=', parcel.lane).executeTakeFirst())?.carrier ?? undefined;
  }
  return {
    trackingNumber: tn,
    status: parcel.status,
    statusText: STATUS_TEXT[parcel.status],
    ...(carrier !== undefined && { carrier }),
    history: steps(rows, hub.config.publicName),
  };
}

/**
 * One line per step the recipient would tell apart: the hub records a step more than once where its own
 * work has parts (packing: the parcel put in its bag, then the bag closed), which read as the same
 * sentence twice. A repeat after another step stays.
 */
function steps(rows: readonly { event_time: string; biz_step: string | null }[], place: string): TrackingStep[] {
  const out: TrackingStep[] = [];
  for (const r of rows) {
    const step = r.biz_step ?? 'other';
    if (out.at(-1)?.step === step) continue;
    out.push({ time: r.event_time, step, description: STEP_TEXT[step] ?? 'Processed at the hub', place });
  }
  return out;
}
