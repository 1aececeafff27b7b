import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { encodeLedgerEntry, isCountryCode, isEea } from '../domain/index.js';
import type { Database } from '../store/index.js';

/** Where decisions are recorded (the transparency log). */
export interface LedgerAppender {
  append(entry: Uint8Array): Promise<number>;
}

export const REQUEST_CHANNELS = ['letter', 'email', 'portal', 'phone', 'in-person'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export interface AuthorityRequestInput {
  /** The public body asking: a court, customs, a police or intelligence service. Not a person's name. */
  readonly authority: string;
  /** ISO 3166-1 alpha-2 of the state the authority belongs to. */
  readonly country: string;
  readonly legalInstrument: string;
  /** The international agreement a request from outside the EU/EEA relies on (GDPR Art. 48), if any. */
  readonly agreement?: string;
  readonly channel: RequestChannel;
  readonly categories: readonly string[];
  readonly subjects: number;
  /** Internal notes; kept in the register, never in the public log (it could name people). */
  readonly description: string;
  readonly receivedAt?: string;
}

export type AuthorityDecision = 'accepted-for-review' | 'refused';

export interface RegisteredRequest {
  readonly id: string;
  readonly decision: AuthorityDecision;
  readonly rule: string;
  readonly ledgerIndex: number;
}

/**
 * International agreements that the operator's legal counsel has recognised as a basis for answering a
 * request from outside the EU/EEA (GDPR Art. 48). Configuration, published with the policy.
 */
export const DEFAULT_RECOGNISED_AGREEMENTS: readonly string[] = [
  'EU-US Agreement on Mutual Legal Assistance (2003)',
  'Council of Europe Convention on Cybercrime (Budapest, 2001)',
  'EU-UK Trade and Cooperation Agreement (2020), Part Three',
];

/** The most people a register row counts: PostgreSQL's `integer`, checked before the ledger entry is written. */
export const MAX_REGISTER_COUNT = 2_147_483_647;

export class AuthorityRequestError extends Error {
  override readonly name = 'AuthorityRequestError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * The default rule, in words: an authority of the host state or of another EU/EEA state, citing a legal
 * instrument, is accepted for review (any disclosure then goes through the gate, purpose
 * `authority-request`, and is itself in the log). An authority from outside the EU/EEA is refused unless its
 * request relies on a recognised international agreement (GDPR Art. 48).
 */
export function decideAuthorityRequest(
  input: Pick<AuthorityRequestInput, 'country' | 'agreement'>,
  recognised: readonly string[] = DEFAULT_RECOGNISED_AGREEMENTS,
): { decision: AuthorityDecision; rule: string } {
  if (isEea(input.country)) return { decision: 'accepted-for-review', rule: 'eea-authority-with-legal-instrument' };
  if (input.agreement !== undefined && recognised.includes(input.agreement)) {
    return { decision: 'accepted-for-review', rule: 'art48-international-agreement' };
  }
  return { decision: 'refused', rule: 'art48-no-agreement-basis' };
}

/** Registers a request, decides it, and records both in the ledger before answering. */
export async function registerAuthorityRequest(
  db: Kysely<Database>,
  log: LedgerAppender,
  input: AuthorityRequestInput,
  registeredBy: string,
  recognised: readonly string[] = DEFAULT_RECOGNISED_AGREEMENTS,
): Promise<RegisteredRequest> {
  validate(input);
  const id = randomUUID();
  const receivedAt = input.receivedAt ?? new Date().toISOString();
  const { decision, rule } = decideAuthorityRequest(input, recognised);
  const ledgerIndex = await log.append(
    encodeLedgerEntry({
      type: 'authority-request',
      id,
      receivedAt,
      authority: input.authority,
      country: input.country,
      legalInstrument: input.legalInstrument,
      agreement: input.agreement ?? null,
      channel: input.channel,
      scope: { categories: [...input.categories], subjects: input.subjects },
      decision,
      rule,
    }),
  );
  await db
    .insertInto('authority_requests')
    .values({
      id,
      received_at: receivedAt,
      authority: input.authority,
      country: input.country,
      legal_instrument: input.legalInstrument,
      agreement: input.agreement ?? null,
      channel: input.channel,
      categories: JSON.stringify(input.categories),
      subjects: input.subjects,
      description: input.description,
      decision,
      rule,
      registered_by: registeredBy,
      ledger_index: ledgerIndex,
    })
    .execute();
  return { id, decision, rule, ledgerIndex };
}

/** Counts by country and outcome: the same figures anyone can recompute from the log's entries. */
export async function authorityRequestStats(db: Kysely<Database>): Promise<{ country: string; decision: string; count: number }[]> {
  const rows = await db
    .selectFrom('authority_requests')
    .select(['country', 'decision', db.fn.countAll<number>().as('count')])
    .groupBy(['country', 'decision'])
    .orderBy('country')
    .orderBy('decision')
    .execute();
  return rows.map((r) => ({ country: r.country, decision: r.decision, count: Number(r.count) }));
}

function validate(input: AuthorityRequestInput): void {
  const text = (field: string, v: unknown, max = 300): void => {
    if (typeof v !== 'string' || v.trim() === '') throw new AuthorityRequestError(field, 'required');
    if (v.length > max) throw new AuthorityRequestError(field, `at most ${max} characters`);
  };
  text('authority', input.authority);
  text('legalInstrument', input.legalInstrument);
  text('description', input.description, 5000);
  if (input.agreement !== undefined) text('agreement', input.agreement);
  if (!isCountryCode(input.country)) throw new AuthorityRequestError('country', 'an ISO 3166-1 alpha-2 code');
  if (!REQUEST_CHANNELS.includes(input.channel)) throw new AuthorityRequestError('channel', `one of ${REQUEST_CHANNELS.join(', ')}`);
  if (!Number.isSafeInteger(input.subjects) || input.subjects < 0 || input.subjects > MAX_REGISTER_COUNT) {
    throw new AuthorityRequestError('subjects', `a whole number of people from 0 to ${MAX_REGISTER_COUNT}`);
  }
  if (!Array.isArray(input.categories) || input.categories.some((c) => typeof c !== 'string' || !/^[a-z][a-z0-9-]{0,40}$/.test(c))) {
    throw new AuthorityRequestError('categories', 'a list of data categories such as consignee-contact');
  }
  if (input.receivedAt !== undefined && Number.isNaN(Date.parse(input.receivedAt))) throw new AuthorityRequestError('receivedAt', 'an ISO-8601 time');
}
