/**
 * The officer's workflow: the queue of flagged parcels (reasons and evidence, no personal data), and
 * decisions — hold, inspect, release, seize — each stored in `customs_decisions`, emitted as an EPCIS
 * event (`glasshub:customsDecision`) and applied to the parcel's status, in one transaction:
 * held/inspection → `held` (the sorter sends it to the hold lane), released → `received` (sortable
 * again), seized → `seized` (hold lane, for good). The officer's comment stays in `customs_decisions`;
 * the event, which tracking may show, carries only the decision.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Principal } from '../gate/index.js';
import { objectEvent, s10Epc, type BizStep, type CustomsDecision, type Disposition } from '../hub/epcis/index.js';
import { recordEvents } from '../hub/events/index.js';
import { hubLocation, localOffset, type Hub } from '../hub/operations/index.js';
import type { Database, ParcelStatus } from '../store/schema.js';
import type { Flag } from './rules/engine.js';

export const OFFICER_ACTIONS = ['hold', 'inspect', 'release', 'seize'] as const;
export type OfficerAction = (typeof OFFICER_ACTIONS)[number];

const EFFECT: Record<OfficerAction, { decision: CustomsDecision; bizStep: BizStep; disposition: Disposition; status: ParcelStatus; from: readonly ParcelStatus[] }> = {
  hold: { decision: 'held', bizStep: 'holding', disposition: 'sellable_not_accessible', status: 'held', from: ['manifested', 'received', 'sorted', 'stored', 'exception', 'held'] },
  inspect: { decision: 'inspection', bizStep: 'inspecting', disposition: 'in_progress', status: 'held', from: ['manifested', 'received', 'sorted', 'stored', 'exception', 'held'] },
  release: { decision: 'released', bizStep: 'inspecting', disposition: 'conformant', status: 'received', from: ['held'] },
  seize: { decision: 'seized', bizStep: 'holding', disposition: 'non_sellable_other', status: 'seized', from: ['manifested', 'received', 'sorted', 'stored', 'exception', 'held'] },
};

export class CustomsWorkflowError extends Error {
  override readonly name = 'CustomsWorkflowError';
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID',
    message: string,
  ) {
    super(message);
  }
}

export interface QueueEntry {
  readonly trackingNumber: string;
  readonly flightId: string;
  readonly status: string;
  readonly procedure: string;
  readonly intrinsicValueEur: string;
  readonly rules: readonly string[];
  readonly flags: readonly Flag[];
  readonly lastDecision: { readonly decision: string; readonly officer: string; readonly decidedAt: string } | null;
}

export interface QueueFilter {
  readonly flight?: string;
  readonly rule?: string;
  readonly limit?: number;
  /** Tracking number to continue after (keyset paging). */
  readonly after?: string;
}

/** Flagged parcels, in tracking-number order, with their newest decision. */
export async function customsQueue(db: Kysely<Database>, filter: QueueFilter = {}): Promise<QueueEntry[]> {
  let q = db
    .selectFrom('customs_clearances as c')
    .innerJoin('parcels as p', 'p.tracking_number', 'c.tracking_number')
    .select(['c.tracking_number', 'c.flight_id', 'p.status', 'c.procedure', 'c.intrinsic_eur', 'c.flag_rules', 'c.flags'])
    .where('c.flag_rules', '!=', '')
    .orderBy('c.tracking_number')
    .limit(Math.min(filter.limit ?? 500, 5000));
  if (filter.flight !== undefined) q = q.where('c.flight_id', '=', filter.flight);
  if (filter.rule !== undefined) q = q.where(sql<string>`' ' || c.flag_rules || ' '`, 'like', `% ${filter.rule.replace(/[%_\\]/g, '')} %`);
  if (filter.after !== undefined) q = q.where('c.tracking_number', '>', filter.after);
  const rows = await q.execute();
  const last = await lastDecisions(db, rows.map((r) => r.tracking_number));
  return rows.map((r) => ({
    trackingNumber: r.tracking_number,
    flightId: r.flight_id,
    status: r.status,
    procedure: r.procedure,
    intrinsicValueEur: r.intrinsic_eur,
    rules: r.flag_rules.split(' '),
    flags: JSON.parse(r.flags) as Flag[],
    lastDecision: last.get(r.tracking_number) ?? null,
  }));
}

async function lastDecisions(db: Kysely<Database>, tns: readonly string[]): Promise<Map<string, { decision: string; officer: string; decidedAt: string }>> {
  const out = new Map<string, { decision: string; officer: string; decidedAt: string }>();
  for (let i = 0; i < tns.length; i += 1000) {
    const rows = await db.selectFrom('customs_decisions').select(['tracking_number', 'decision', 'officer', 'decided_at']).where('tracking_number', 'in', tns.slice(i, i + 1000)).orderBy('decided_at').orderBy('id').execute();
    for (const r of rows) out.set(r.tracking_number, { decision: r.decision, officer: r.officer, decidedAt: r.decided_at });
  }
  return out;
}

export interface DecisionInput {
  readonly trackingNumber: string;
  readonly action: OfficerAction;
  readonly comment: string;
  readonly officer: Principal;
  readonly now?: Date;
}

export interface DecisionResult {
  readonly id: string;
  readonly trackingNumber: string;
  readonly decision: CustomsDecision;
  readonly status: ParcelStatus;
  readonly previousStatus: ParcelStatus;
  readonly eventId: string;
  readonly decidedAt: string;
}

export async function decideParcel(hub: Hub, input: DecisionInput): Promise<DecisionResult> {
  const effect = EFFECT[input.action];
  if (input.comment.trim() === '') throw new CustomsWorkflowError('INVALID', 'comment: say why (it is kept with the decision)');
  const now = input.now ?? new Date();
  return hub.db.transaction().execute(async (tx) => {
    const parcel = await tx.selectFrom('parcels').select(['tracking_number', 'flight_id', 'status']).where('tracking_number', '=', input.trackingNumber).executeTakeFirst();
    if (!parcel) throw new CustomsWorkflowError('NOT_FOUND', `no parcel ${input.trackingNumber}`);
    if (!effect.from.includes(parcel.status)) {
      throw new CustomsWorkflowError('CONFLICT', `cannot ${input.action} parcel ${parcel.tracking_number}: its status is ${parcel.status} (${input.action} needs one of ${effect.from.join(', ')})`);
    }
    const location = hubLocation(hub.config);
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: effect.bizStep,
      disposition: effect.disposition,
      readPoint: location,
      bizLocation: location,
      eventTime: now,
      eventTimeZoneOffset: localOffset(hub.config, now),
      epcList: [s10Epc(parcel.tracking_number)],
      extensions: { customsDecision: effect.decision },
    });
    const id = randomUUID();
    const decidedAt = now.toISOString();
    await tx.insertInto('customs_decisions').values({ id, tracking_number: parcel.tracking_number, flight_id: parcel.flight_id, decision: effect.decision, comment: input.comment, officer: input.officer.id, event_id: event.eventID, decided_at: decidedAt }).execute();
    await tx.updateTable('parcels').set({ status: effect.status, updated_at: decidedAt }).where('tracking_number', '=', parcel.tracking_number).execute();
    await recordEvents(tx, [event], { recordTime: now });
    return { id, trackingNumber: parcel.tracking_number, decision: effect.decision, status: effect.status, previousStatus: parcel.status, eventId: event.eventID, decidedAt };
  });
}

/** What an officer sees of a parcel besides the consignee (read through the gate by the caller). */
export async function officerView(db: Kysely<Database>, trackingNumber: string) {
  const parcel = await db.selectFrom('parcels').select(['tracking_number', 'flight_id', 'awb', 'status', 'lane', 'dest_country', 'consignee_ref']).where('tracking_number', '=', trackingNumber).executeTakeFirst();
  if (!parcel) return undefined;
  const clearance = await db.selectFrom('customs_clearances').select(['procedure', 'intrinsic_eur', 'vat', 'vat_due', 'duty', 'flags', 'rules_version']).where('tracking_number', '=', trackingNumber).executeTakeFirst();
  const decisions = await db.selectFrom('customs_decisions').select(['id', 'decision', 'comment', 'officer', 'decided_at', 'event_id']).where('tracking_number', '=', trackingNumber).orderBy('decided_at').orderBy('id').execute();
  return {
    parcel,
    clearance: clearance && { procedure: clearance.procedure, intrinsicValueEur: clearance.intrinsic_eur, vat: clearance.vat, vatDueAtImport: clearance.vat_due, duty: clearance.duty, rulesVersion: clearance.rules_version, flags: JSON.parse(clearance.flags) as Flag[] },
    decisions: decisions.map((d) => ({ id: d.id, decision: d.decision, comment: d.comment, officer: d.officer, decidedAt: d.decided_at, eventId: d.event_id })),
  };
}
