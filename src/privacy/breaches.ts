import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { encodeLedgerEntry } from '../domain/index.js';
import type { Database } from '../store/index.js';
import { MAX_REGISTER_COUNT, type LedgerAppender } from './authority-requests.js';

/** GDPR Art. 33: the supervisory authority is told within 72 hours of becoming aware of a breach. */
export const NOTIFICATION_DEADLINE_HOURS = 72;

/** Input the breach register refuses (`field` names it), or a breach it does not hold (`field` undefined). */
export class BreachError extends Error {
  override readonly name = 'BreachError';
  constructor(
    readonly field: string | undefined,
    reason: string,
  ) {
    super(field === undefined ? reason : `${field}: ${reason}`);
  }
}

export interface BreachInput {
  readonly detectedAt: string;
  /** What happened, in words that name no person. */
  readonly nature: string;
  readonly categories: readonly string[];
  readonly approxSubjects: number;
  readonly measures: string;
}

export interface BreachStatus {
  readonly id: string;
  readonly detectedAt: string;
  readonly deadline: string;
  readonly authorityNotifiedAt: string | null;
  /** Hours left before the deadline (negative when past), or null once notified. */
  readonly hoursLeft: number | null;
  readonly overdue: boolean;
  readonly ledgerIndex: number;
}

export async function registerBreach(db: Kysely<Database>, log: LedgerAppender, input: BreachInput, registeredBy: string): Promise<BreachStatus> {
  // Every check before the ledger entry: the entry is written first, and a row refused after it would leave it alone.
  if (Number.isNaN(Date.parse(input.detectedAt))) throw new BreachError('detectedAt', 'must be an RFC 3339 time');
  if (!input.nature.trim()) throw new BreachError('nature', 'must not be blank');
  if (!Number.isSafeInteger(input.approxSubjects) || input.approxSubjects < 0 || input.approxSubjects > MAX_REGISTER_COUNT) {
    throw new BreachError('approxSubjects', `must be a whole number from 0 to ${MAX_REGISTER_COUNT}`);
  }
  const id = randomUUID();
  const detectedAt = new Date(input.detectedAt).toISOString();
  const ledgerIndex = await log.append(
    encodeLedgerEntry({ type: 'breach-registered', id, detectedAt, categories: [...input.categories], approxSubjects: input.approxSubjects }),
  );
  await db
    .insertInto('breaches')
    .values({
      id,
      detected_at: detectedAt,
      nature: input.nature,
      categories: JSON.stringify(input.categories),
      approx_subjects: input.approxSubjects,
      measures: input.measures,
      authority_notified_at: null,
      registered_by: registeredBy,
      ledger_index: ledgerIndex,
    })
    .execute();
  return status({ id, detected_at: detectedAt, authority_notified_at: null, ledger_index: ledgerIndex }, new Date());
}

/** Records that the authority was notified; the ledger entry says whether it was within 72 hours. */
export async function recordBreachNotification(db: Kysely<Database>, log: LedgerAppender, id: string, at = new Date()): Promise<BreachStatus> {
  const row = await db.selectFrom('breaches').select(['id', 'detected_at', 'authority_notified_at', 'ledger_index']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new BreachError(undefined, `no breach ${id}`);
  if (row.authority_notified_at) return status(row, at);
  const hours = (at.getTime() - Date.parse(row.detected_at)) / 3_600_000;
  await log.append(encodeLedgerEntry({ type: 'breach-notified', id, notifiedAt: at.toISOString(), withinDeadline: hours <= NOTIFICATION_DEADLINE_HOURS }));
  await db.updateTable('breaches').set({ authority_notified_at: at.toISOString() }).where('id', '=', id).execute();
  return status({ ...row, authority_notified_at: at.toISOString() }, at);
}

export async function listBreaches(db: Kysely<Database>, now = new Date()): Promise<BreachStatus[]> {
  const rows = await db.selectFrom('breaches').select(['id', 'detected_at', 'authority_notified_at', 'ledger_index']).orderBy('detected_at', 'desc').execute();
  return rows.map((r) => status(r, now));
}

function status(row: { id: string; detected_at: string; authority_notified_at: string | null; ledger_index: number }, now: Date): BreachStatus {
  const deadline = Date.parse(row.detected_at) + NOTIFICATION_DEADLINE_HOURS * 3_600_000;
  const hoursLeft = row.authority_notified_at ? null : Math.round(((deadline - now.getTime()) / 3_600_000) * 10) / 10;
  return {
    id: row.id,
    detectedAt: row.detected_at,
    deadline: new Date(deadline).toISOString(),
    authorityNotifiedAt: row.authority_notified_at,
    hoursLeft,
    overdue: row.authority_notified_at ? Date.parse(row.authority_notified_at) > deadline : now.getTime() > deadline,
    ledgerIndex: Number(row.ledger_index),
  };
}
