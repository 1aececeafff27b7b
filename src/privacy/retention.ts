import type { Kysely } from 'kysely';
import { encodeLedgerEntry } from '../domain/index.js';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import type { LedgerAppender } from './authority-requests.js';

/**
 * How long a consignee's data is kept, per data category (docs/privacy.md § Retention gives the basis).
 * A person's data is one encrypted record per parcel under one key, and crypto-shredding destroys the key:
 * so a person is erased once EVERY one of their parcels is past its own retention, never earlier.
 */
export interface RetentionRules {
  /** Contact data for delivery (name, address, e-mail, phone): days after the parcel's dispatch. GDPR Art. 5(1)(e). */
  readonly afterDispatchDays: number;
  /** The same, for a parcel never dispatched (short-shipped, refused, lost): days after it was manifested. */
  readonly undispatchedDays: number;
  /** Customs-relevant data (parcels held, seized, or decided on by customs): years after the last customs act. UCC Art. 51. */
  readonly customsYears: number;
}

export const DEFAULT_RETENTION: RetentionRules = { afterDispatchDays: 90, undispatchedDays: 180, customsYears: 3 };

/** The retention job acts as a system principal with the DPO's role; its decisions are in the ledger like any other. */
export const RETENTION_PRINCIPAL: Principal = { id: 'system:retention', role: 'dpo', organisation: 'hub-operator', country: 'BE' };

/** People per erase decision: one ledger entry per batch (the policy's bulk limit is 1,000). */
export const RETENTION_BATCH = 1_000;

export interface RetentionDeps {
  readonly db: Kysely<Database>;
  readonly gate: Gate;
  readonly log: LedgerAppender;
  readonly rules?: RetentionRules;
  readonly principal?: Principal;
}

export interface RetentionResult {
  readonly time: string;
  /** Parcels whose own retention has passed (their consignee may still be kept for another parcel). */
  readonly parcelsPastRetention: number;
  readonly subjectsErased: number;
  /** People with a parcel past retention, kept because another of their parcels is not. */
  readonly subjectsKept: number;
  /** The erase decisions, one per batch. */
  readonly decisions: readonly number[];
  /** The `retention-run` entry. */
  readonly ledgerIndex: number;
}

type ParcelStatus = Database['parcels']['status'];

const DAY = 86_400_000;
const CUSTOMS_STATUSES: readonly ParcelStatus[] = ['held', 'seized'];
const PAGE = 2_000;

interface ParcelFacts {
  readonly tracking_number: string;
  readonly consignee_ref: string;
  readonly status: ParcelStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly dispatched_at: string | null;
  readonly customs_at: string | null;
}

type Facts = Omit<ParcelFacts, 'tracking_number' | 'consignee_ref'>;

/** Customs-relevant (UCC Art. 51): the parcel was held or seized, or customs decided on it. */
function customsRelevant(p: Pick<ParcelFacts, 'status' | 'customs_at'>): boolean {
  return p.customs_at !== null || CUSTOMS_STATUSES.includes(p.status);
}

/** When this parcel's data may go, by the rules. */
export function retentionEnds(p: Facts, rules: RetentionRules = DEFAULT_RETENTION): Date {
  if (customsRelevant(p)) {
    const from = new Date(Math.max(Date.parse(p.customs_at ?? p.updated_at), Date.parse(p.updated_at)));
    from.setUTCFullYear(from.getUTCFullYear() + rules.customsYears);
    return from;
  }
  if (p.status === 'dispatched') return new Date(Date.parse(p.dispatched_at ?? p.updated_at) + rules.afterDispatchDays * DAY);
  return new Date(Date.parse(p.created_at) + rules.undispatchedDays * DAY);
}

/** Customs law (UCC Art. 51) still keeps a person's data: GDPR Art. 17(3)(b), erasure is refused until `until`. */
export interface CustomsRetention {
  /** The latest end among the person's parcels still in customs retention. */
  readonly until: Date;
  /** One of them is still held: the officer's decision, a later customs act, will move `until` on. */
  readonly held: boolean;
}

export interface PersonRetention {
  /** When each parcel's data may go (subject access shows it), by tracking number. */
  readonly dates: ReadonlyMap<string, Date>;
  /** Undefined when no parcel of theirs is in customs retention at `now`. */
  readonly customs: CustomsRetention | undefined;
}

/**
 * The retention of these records' parcels (one person's), by the same rule the retention job applies: a
 * customs-relevant parcel whose `retentionEnds` is still ahead keeps the whole person (one key per person).
 */
export async function retentionOf(db: Kysely<Database>, consigneeRefs: readonly string[], now: Date, rules: RetentionRules = DEFAULT_RETENTION): Promise<PersonRetention> {
  const dates = new Map<string, Date>();
  let customs: { until: Date; held: boolean } | undefined;
  for (const p of await factsOf(db, consigneeRefs)) {
    const ends = retentionEnds(p, rules);
    dates.set(p.tracking_number, ends);
    if (!customsRelevant(p) || ends.getTime() <= now.getTime()) continue;
    customs = { until: customs && customs.until > ends ? customs.until : ends, held: (customs?.held ?? false) || p.status === 'held' };
  }
  return { dates, customs };
}

/** The facts of every parcel that carries one of these records, 400 references per query. */
async function factsOf(db: Kysely<Database>, refs: readonly string[]): Promise<ParcelFacts[]> {
  const out: ParcelFacts[] = [];
  for (let i = 0; i < refs.length; i += 400) {
    for (const p of await parcelFacts(db).where('p.consignee_ref', 'in', refs.slice(i, i + 400)).execute()) out.push({ ...p, customs_at: p.customs_at ?? null });
  }
  return out;
}

function parcelFacts(db: Kysely<Database>) {
  return db
    .selectFrom('parcels as p')
    .leftJoin('bags as b', 'b.sscc', 'p.bag')
    .leftJoin('trucks as t', 't.id', 'b.truck')
    .select((eb) => [
      'p.tracking_number',
      'p.consignee_ref',
      'p.status',
      'p.created_at',
      'p.updated_at',
      't.dispatched_at',
      eb.selectFrom('customs_decisions as d').select((d) => d.fn.max('d.decided_at').as('m')).whereRef('d.tracking_number', '=', 'p.tracking_number').as('customs_at'),
    ]);
}

/**
 * Finds the people all of whose parcels are past retention and crypto-shreds them through the gate, in
 * batches of at most 1,000 people (one erase decision each), then appends a `retention-run` entry with the
 * counts. Idempotent: people already erased are skipped. No Art. 19 notices: this is storage limitation,
 * not an Art. 17 request (recipients keep their own retention).
 */
export async function runRetention(deps: RetentionDeps, now: Date = new Date()): Promise<RetentionResult> {
  const rules = deps.rules ?? DEFAULT_RETENTION;
  const principal = deps.principal ?? RETENTION_PRINCIPAL;
  // No parcel can be past retention before its shortest rule has run from its manifest time.
  const earliest = new Date(now.getTime() - Math.min(rules.afterDispatchDays, rules.undispatchedDays) * DAY).toISOString();
  const pastRefs = new Set<string>();
  let parcelsPast = 0;
  for (let after = ''; ; ) {
    const page = await parcelFacts(deps.db).where('p.created_at', '<', earliest).where('p.tracking_number', '>', after).orderBy('p.tracking_number').limit(PAGE).execute();
    for (const p of page) {
      if (retentionEnds(p, rules).getTime() > now.getTime()) continue;
      parcelsPast++;
      pastRefs.add(p.consignee_ref);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.tracking_number;
  }

  const seen = new Set<string>();
  const toErase: string[] = [];
  let kept = 0;
  for (const ref of pastRefs) {
    const subject = await deps.gate.subjectOf(ref);
    if (!subject || seen.has(subject.tag)) continue;
    seen.add(subject.tag);
    if (await allPast(deps.db, subject.refs, rules, now)) toErase.push(ref);
    else kept++;
  }

  const decisions: number[] = [];
  for (let i = 0; i < toErase.length; i += RETENTION_BATCH) {
    const d = await deps.gate.erase({
      principal,
      purpose: 'erasure',
      // Every parcel of these people is past every retention, customs retention included (`allPast`).
      customsRetention: false,
      legalBasis: 'GDPR Art. 5(1)(e): retention period ended',
      refs: toErase.slice(i, i + RETENTION_BATCH),
      category: 'consignee',
      requestId: `retention:${now.toISOString()}:${i / RETENTION_BATCH}`,
    });
    if (d.decision === 'deny') throw new Error(`retention: the policy refuses the erasure (rules: ${d.rules.join(', ')}; ledger entry ${d.ledgerIndex})`);
    decisions.push(d.ledgerIndex);
  }
  const time = now.toISOString();
  const result = { time, parcelsPastRetention: parcelsPast, subjectsErased: toErase.length, subjectsKept: kept, decisions };
  const ledgerIndex = await deps.log.append(encodeLedgerEntry({ type: 'retention-run', ...result, rules: { ...rules } }));
  return { ...result, ledgerIndex };
}

/** Every parcel that carries one of these records (the person's) is past retention. */
async function allPast(db: Kysely<Database>, refs: readonly string[], rules: RetentionRules, now: Date): Promise<boolean> {
  return (await factsOf(db, refs)).every((p) => retentionEnds(p, rules).getTime() <= now.getTime());
}

export interface RetentionSchedule {
  /** Stops the schedule and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs retention every `intervalMs` (never two runs at once), first after one interval. Errors go to
 * `onError` (a failed run is retried at the next tick); the timer does not keep the process alive.
 */
export function startRetentionSchedule(
  deps: RetentionDeps,
  intervalMs: number,
  options: { now?: () => Date; onRun?: (r: RetentionResult) => void; onError?: (err: unknown) => void } = {},
): RetentionSchedule {
  if (!Number.isFinite(intervalMs) || intervalMs < 1_000) throw new RangeError('retention interval: at least 1,000 ms');
  let running: Promise<void> | undefined;
  const tick = (): void => {
    if (running) return;
    running = runRetention(deps, (options.now ?? (() => new Date()))())
      .then((r) => options.onRun?.(r), (err: unknown) => options.onError?.(err))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
