/**
 * A batch of sorter or handheld scans: each parcel's lane under the newest sort plan, its status, and
 * one EPCIS event per scan, all in one transaction. Built for throughput (tens of thousands of scans per
 * second): one `SELECT … WHERE tracking_number IN (…)` per batch, the plan compiled in memory, one
 * `UPDATE … FROM (VALUES …)` per thousand parcels, multi-row event inserts.
 *
 * Per scan:
 * - not an S10 number: answered `unknown-parcel`, nothing recorded (there is no identifier to record);
 * - an S10 number the hub does not know: `unknown-parcel`, an exception with its own event (bizStep
 *   `holding`, `glasshub:exception` = `unknown-parcel`) — the sorter sends it to the exceptions chute;
 * - on customs hold (`held`, `seized`): the hold lane, status unchanged, event bizStep `holding`;
 * - sortable, but its recipient's personal data was erased (erased.ts: one lookup per batch, nothing opened):
 *   the exceptions lane, status `exception`, event `glasshub:exception` = `recipient-erased` — no carrier can
 *   deliver it;
 * - sortable (`manifested`, `received`, `sorted`, `exception`): its lane, status `sorted` (or `exception`
 *   when no rule matches: the exceptions lane), event bizStep `staging_outbound` (`holding` for the
 *   exceptions lane). A scan is also a physical receipt: `received_at` is set if it was not;
 * - already stored, bagged, loaded or dispatched: the exceptions lane, status unchanged (`not-sortable`).
 */
import type { ParcelStatus } from '../../store/schema.js';
import { objectEvent, s10Epc, type HubEvent } from '../epcis/index.js';
import { recordEvents } from '../events/index.js';
import { hubLocation, localOffset, pointLocation, type Hub } from './config.js';
import { canonicalTracking, insertExceptions, loadParcels, markReceived, setLanes, SORTING_COLUMNS, type ParcelRow } from './parcels.js';
import { erasedAmong, RECIPIENT_ERASED } from './erased.js';
import type { SortPlanCache } from './plans.js';
import { sortLane, type CompiledPlan } from './sort-plan.js';

export const MAX_SCANS_PER_BATCH = 5000;
export const UNKNOWN_PARCEL = 'unknown-parcel';

export interface Scan {
  readonly trackingNumber: string;
  readonly scanner: string;
  /** The scanning point in the hub (`SORTER-1`, `CHUTE-12`). */
  readonly location: string;
  readonly time: Date;
}

export type ScanReason = 'rule' | 'customs-hold' | 'no-rule' | 'not-sortable' | 'recipient-erased' | 'unknown-parcel' | 'invalid-tracking-number';
export interface ScanResult {
  readonly trackingNumber: string;
  /** The lane to send the parcel to, or `unknown-parcel`. */
  readonly lane: string;
  readonly reason: ScanReason;
  /** The parcel's status after the scan (absent for unknown parcels). */
  readonly status?: ParcelStatus;
}

const SORTABLE: ReadonlySet<ParcelStatus> = new Set(['manifested', 'received', 'sorted', 'exception']);

export interface SortBatchResult {
  readonly planVersion: number;
  readonly results: readonly ScanResult[];
}

export async function sortScans(hub: Hub, plans: SortPlanCache, scans: readonly Scan[]): Promise<SortBatchResult> {
  if (scans.length > MAX_SCANS_PER_BATCH) throw new RangeError(`at most ${MAX_SCANS_PER_BATCH} scans per batch`);
  const plan = await plans.current();
  const now = new Date();
  const tns = scans.map((s) => canonicalTracking(s.trackingNumber));
  return hub.db.transaction().execute(async (tx) => {
    const parcels = await loadParcels(tx, tns.filter((tn): tn is string => tn !== undefined), SORTING_COLUMNS);
    // Only a parcel that could go to a carrier's lane needs asking about (held ones stay held).
    const sortable = [...parcels.values()].filter((p) => SORTABLE.has(p.status)).map((p) => p.consignee_ref);
    const batch = new Batch(hub, plan, await erasedAmong(hub.erasures, tx, sortable));
    const results = scans.map((scan, i) => batch.decide(scan, i, tns[i], parcels.get(tns[i] ?? '')));
    await setLanes(tx, [...batch.updates.values()], now);
    await markReceived(tx, batch.firstScan, now);
    await insertExceptions(tx, batch.exceptions);
    await recordEvents(tx, batch.events, { recordTime: now });
    return { planVersion: plan.version, results };
  });
}

type SortingRow = Pick<ParcelRow, (typeof SORTING_COLUMNS)[number]>;

/** The decisions of one batch and what they will write. */
class Batch {
  readonly events: HubEvent[] = [];
  /** Tracking number → its new lane and status, and the time of its first scan in the batch. */
  readonly updates = new Map<string, [string, string, ParcelStatus, string]>();
  readonly firstScan = new Map<string, string>();
  readonly exceptions: { event_id: string; kind: 'unknown-parcel'; flight_id: null; tracking_number: string; location: string; scanner: string; scanned_at: string }[] = [];
  private readonly bizLocation: string;

  constructor(
    private readonly hub: Hub,
    private readonly plan: CompiledPlan,
    /** Consignee references whose person's data was erased. */
    private readonly erased: ReadonlySet<string>,
  ) {
    this.bizLocation = hubLocation(hub.config);
  }

  /** The decision on `scan`, the `i`th of the batch. */
  decide(scan: Scan, i: number, tn: string | undefined, parcel: SortingRow | undefined): ScanResult {
    if (tn === undefined) return { trackingNumber: scan.trackingNumber, lane: UNKNOWN_PARCEL, reason: 'invalid-tracking-number' };
    if (parcel === undefined) {
      const event = this.event(scan, i, tn, this.plan.exceptionsLane, { exception: UNKNOWN_PARCEL });
      this.exceptions.push({ event_id: event.eventID, kind: 'unknown-parcel', flight_id: null, tracking_number: tn, location: scan.location, scanner: scan.scanner, scanned_at: scan.time.toISOString() });
      return { trackingNumber: tn, lane: UNKNOWN_PARCEL, reason: 'unknown-parcel' };
    }
    const decision = sortLane(this.plan, parcel);
    const sortable = decision.reason !== 'customs-hold' && SORTABLE.has(parcel.status);
    // Parcels whose lane is set get received_at with it; the others (hold, not sortable) here.
    if (!sortable && parcel.received_at === null && !this.firstScan.has(tn)) this.firstScan.set(tn, scan.time.toISOString());
    if (decision.reason === 'customs-hold') {
      this.event(scan, i, tn, decision.lane);
      return { trackingNumber: tn, lane: decision.lane, reason: decision.reason, status: parcel.status };
    }
    if (!SORTABLE.has(parcel.status)) {
      this.event(scan, i, tn, this.plan.exceptionsLane, { exception: `not-sortable-${parcel.status}` });
      return { trackingNumber: tn, lane: this.plan.exceptionsLane, reason: 'not-sortable', status: parcel.status };
    }
    const firstScan = this.updates.get(tn)?.[3] ?? scan.time.toISOString();
    if (this.erased.has(parcel.consignee_ref)) {
      this.event(scan, i, tn, this.plan.exceptionsLane, { exception: RECIPIENT_ERASED });
      this.updates.set(tn, [tn, this.plan.exceptionsLane, 'exception', firstScan]);
      return { trackingNumber: tn, lane: this.plan.exceptionsLane, reason: RECIPIENT_ERASED, status: 'exception' };
    }
    const status: ParcelStatus = decision.reason === 'rule' ? 'sorted' : 'exception';
    this.event(scan, i, tn, decision.lane);
    this.updates.set(tn, [tn, decision.lane, status, firstScan]);
    return { trackingNumber: tn, lane: decision.lane, reason: decision.reason, status };
  }

  private event(scan: Scan, i: number, tn: string, lane: string, extra: Readonly<Record<string, string>> = {}): HubEvent {
    const readPoint = pointLocation(this.hub.config, scan.location, `${i}.location`);
    const outbound = this.plan.lanes.get(lane)?.kind === 'outbound';
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: outbound ? 'staging_outbound' : 'holding',
      readPoint,
      bizLocation: this.bizLocation,
      eventTime: scan.time,
      eventTimeZoneOffset: localOffset(this.hub.config, scan.time),
      epcList: [s10Epc(tn)],
      extensions: { lane, scanner: scan.scanner, ...extra },
    });
    this.events.push(event);
    return event;
  }
}
