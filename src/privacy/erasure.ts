import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { encodeLedgerEntry, parseLedgerEntry } from '../domain/index.js';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import type { EmailTransport } from './email.js';
import { retentionOf, type CustomsRetention } from './retention.js';

/** The log, as erasure needs it: append the evidence, read the entries about the person (their recipients). */
export interface ErasureLog {
  append(entry: Uint8Array): Promise<number>;
  readEntry(index: number): Promise<Uint8Array>;
}

/** Where each recipient organisation (a carrier, a customs office) takes erasure notices: slug → e-mail address. */
export type RecipientDirectory = (organisation: string) => string | undefined;

export interface ErasureDeps {
  readonly db: Kysely<Database>;
  readonly gate: Gate;
  readonly log: ErasureLog;
  readonly email: EmailTransport;
  readonly recipients: RecipientDirectory;
  readonly clock?: () => Date;
}

export class ErasureError extends Error {
  override readonly name = 'ErasureError';
  constructor(
    readonly code: 'NO_SESSION' | 'NOT_FOUND' | 'ALREADY_ERASED' | 'DENIED' | 'CUSTOMS_RETENTION',
    message: string,
    /** A refusal by the policy: its ledger entry, and for CUSTOMS_RETENTION until when the data must be kept. */
    readonly refusal?: { readonly ledgerIndex: number; readonly customs?: CustomsRetention },
  ) {
    super(message);
  }
}

export interface ErasureResult {
  /** The ledger index of the erase decision: the evidence of the crypto-shredding. */
  readonly ledgerIndex: number;
  readonly parcels: number;
  /** Art. 19: every organisation that received the person's data, and whether it could be told. */
  readonly recipients: readonly { organisation: string; notified: boolean }[];
  /** The `erasure-notified` entry. */
  readonly notificationIndex: number;
}

/** The policy's refusal as an error that says why, and for customs retention until when (the date, UTC). */
function refusal(decision: { rules: readonly string[]; ledgerIndex: number }, customs: CustomsRetention | undefined): ErasureError {
  const entry = `this refusal is ledger entry ${decision.ledgerIndex}`;
  if (customs === undefined || !decision.rules.includes(CUSTOMS_RULE)) {
    return new ErasureError('DENIED', `the policy refuses this erasure (rules: ${decision.rules.join(', ')}); ${entry}`, { ledgerIndex: decision.ledgerIndex });
  }
  const until = customs.until.toISOString().slice(0, 10);
  const when = customs.held ? `at least until ${until} (a parcel is still held by customs: its decision moves this date)` : `until ${until}`;
  return new ErasureError(
    'CUSTOMS_RETENTION',
    `customs law keeps this data ${when}: a parcel was held, seized or decided on by customs, and the Union Customs Code (Art. 51) requires its records to be kept 3 years after the last customs act, so erasure does not apply (GDPR Art. 17(3)(b)) until then; ${entry}`,
    { ledgerIndex: decision.ledgerIndex, customs },
  );
}

/** The policy rule that refuses erasure while customs law keeps the data (policy/glasshub.cedar). */
const CUSTOMS_RULE = 'erasure-customs-retention';

/** Roles outside the hub's own staff: those the person's data was disclosed to (GDPR Art. 19). */
const RECIPIENT_ROLES: ReadonlySet<string> = new Set(['carrier', 'customs-officer']);
const RECIPIENT_PURPOSES: ReadonlySet<string> = new Set(['authority-request']);

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Directory from text such as `dpd-be=privacy@dpd.example,be-customs=dpo@douane.example` (the
 * `GLASSHUB_RECIPIENT_CONTACTS` variable): the organisations' own privacy addresses, never a person's.
 */
export function recipientDirectory(text: string | undefined): RecipientDirectory {
  const map = new Map<string, string>();
  for (const pair of (text ?? '').split(',')) {
    const [org, address] = pair.split('=').map((s) => s.trim());
    if (org && address && !/[\r\n]/.test(address)) map.set(org.toLowerCase(), address);
  }
  return (organisation) => map.get(organisation);
}

/**
 * GDPR Art. 17 and 19: the person's key is destroyed (crypto-shredding) after a decision recorded in the
 * ledger as evidence, then every organisation that received their data is sent a notice naming the parcels
 * (tracking numbers, no personal data), and an `erasure-notified` entry lists those organisations.
 */
export class Erasure {
  constructor(private readonly deps: ErasureDeps) {}

  /** Erasure asked by the person, within a verified subject-access session (header `x-subject-session`). */
  async bySession(sessionToken: string): Promise<ErasureResult> {
    const now = (this.deps.clock ?? (() => new Date()))();
    const row = await this.deps.db
      .selectFrom('subject_access_requests')
      .select(['record_ref', 'session_expires_at'])
      .where('session_hash', '=', sha(sessionToken))
      .executeTakeFirst();
    if (!row || !row.session_expires_at || Date.parse(row.session_expires_at) < now.getTime() || row.record_ref === '') {
      throw new ErasureError('NO_SESSION', 'no valid session: verify your code again');
    }
    const subject = await this.deps.gate.subjectOf(row.record_ref);
    if (!subject) throw new ErasureError('ALREADY_ERASED', 'this person’s data has already been erased');
    const country = await this.deps.db.selectFrom('parcels').select('dest_country').where('consignee_ref', '=', row.record_ref).executeTakeFirst();
    const self: Principal = { id: `subject:${subject.tag}`, role: 'data-subject', organisation: 'self', country: country?.dest_country ?? 'BE' };
    return this.erase(self, subject, undefined);
  }

  /** Erasure handled by the data-protection officer, for the consignee of a parcel. */
  async byTrackingNumber(dpo: Principal, trackingNumber: string, requestId?: string): Promise<ErasureResult> {
    const parcel = await this.deps.db
      .selectFrom('parcels')
      .select('consignee_ref')
      .where('tracking_number', '=', trackingNumber.trim().toUpperCase())
      .executeTakeFirst();
    if (!parcel) throw new ErasureError('NOT_FOUND', `no parcel ${trackingNumber}`);
    const subject = await this.deps.gate.subjectOf(parcel.consignee_ref);
    if (!subject) throw new ErasureError('ALREADY_ERASED', 'the consignee’s data has already been erased');
    return this.erase(dpo, subject, requestId);
  }

  private async erase(principal: Principal, subject: { tag: string; refs: string[] }, requestId: string | undefined): Promise<ErasureResult> {
    // GDPR Art. 17(3)(b): the policy decides, told whether customs law still keeps any parcel of theirs.
    const retention = await retentionOf(this.deps.db, subject.refs, (this.deps.clock ?? (() => new Date()))());
    // Read before shredding: afterwards the tag cannot be computed and the index is gone.
    const organisations = await this.recipientsOf(subject.tag);
    const decision = await this.deps.gate.erase({
      principal,
      purpose: 'erasure',
      legalBasis: 'GDPR Art. 17',
      refs: subject.refs,
      category: 'consignee',
      subjectTag: subject.tag,
      customsRetention: retention.customs !== undefined,
      requestId: requestId ?? randomUUID(),
    });
    if (decision.decision === 'deny') throw refusal(decision, retention.customs);
    const tracking = [...retention.dates.keys()].sort();
    const recipients: { organisation: string; notified: boolean }[] = [];
    for (const organisation of organisations) {
      const to = this.deps.recipients(organisation);
      if (to !== undefined) {
        await this.deps.email.send({
          to,
          subject: 'Erasure notice (GDPR Art. 17 and 19)',
          text:
            `The recipient of the parcel(s) ${tracking.join(', ')} has had their personal data erased at the hub.\r\n` +
            `Please erase the personal data you received for these parcels, unless you must keep it by law.\r\n` +
            `Evidence: transparency-log entry ${decision.ledgerIndex}.\r\n`,
        });
      }
      recipients.push({ organisation, notified: to !== undefined });
    }
    const notificationIndex = await this.deps.log.append(
      encodeLedgerEntry({
        type: 'erasure-notified',
        time: (this.deps.clock ?? (() => new Date()))().toISOString(),
        erasure: decision.ledgerIndex,
        recipients,
      }),
    );
    return { ledgerIndex: decision.ledgerIndex, parcels: tracking.length, recipients, notificationIndex };
  }

  /** Organisations outside the hub that an allowed decision gave this person's data to. */
  private async recipientsOf(tag: string): Promise<string[]> {
    const out = new Set<string>();
    for (const index of await this.deps.gate.entriesFor(tag)) {
      const parsed = parseLedgerEntry(await this.deps.log.readEntry(index));
      if (!parsed.ok || parsed.value.type !== 'access-decision' || parsed.value['decision'] !== 'allow') continue;
      const p = parsed.value['principal'] as { role?: unknown; organisation?: unknown } | undefined;
      const external = RECIPIENT_ROLES.has(String(p?.role)) || RECIPIENT_PURPOSES.has(String(parsed.value['purpose']));
      if (external && typeof p?.organisation === 'string') out.add(p.organisation);
    }
    return [...out].sort();
  }
}
