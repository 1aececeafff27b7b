import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { normalisePostcode, parseLedgerEntry } from '../domain/index.js';
import type { Gate, PersonalRecord, Principal } from '../gate/index.js';
import type { ReceiptBundle, TransparencyLog } from '../ledger/index.js';
import type { Database } from '../store/index.js';
import type { EmailTransport } from './email.js';
import { PROCESSING_ACTIVITIES } from './processing.js';
import { retentionOf } from './retention.js';

const CODE_TTL_MS = 15 * 60_000;
const SESSION_TTL_MS = 30 * 60_000;
const MAX_ATTEMPTS = 5;

/** The hub's own notifier: the only principal the policy lets read an e-mail address to send a code. */
const NOTIFIER: Principal = { id: 'system:subject-access', role: 'notifier', organisation: 'hub-operator', country: 'BE' };

export class SubjectAccessError extends Error {
  override readonly name = 'SubjectAccessError';
  constructor(
    readonly code: 'INVALID_REQUEST' | 'INVALID_CODE' | 'EXPIRED' | 'TOO_MANY_ATTEMPTS' | 'NO_SESSION',
    message: string,
  ) {
    super(message);
  }
}

export interface SubjectReport {
  readonly subject: string;
  readonly data: readonly PersonalRecord[];
  /** `retainedUntil`: when this parcel's personal data is erased by the retention rules (docs/privacy.md). */
  readonly parcels: readonly { trackingNumber: string; status: string; flight: string; createdAt: string; retainedUntil: string }[];
  /**
   * Customs law still keeps the data (a parcel held, seized or decided on by customs, within 3 years): erasure
   * is refused until `until` (a date), later still if `held` (a decision to come). Null: erasure may be asked.
   */
  readonly customsRetention: { readonly until: string; readonly held: boolean } | null;
  readonly purposes: readonly { purpose: string; legalBasis: string; retention: string }[];
  readonly recipients: readonly { organisation: string; role: string; action: string; purpose: string; time: string }[];
  readonly entries: readonly { index: number; entry: Record<string, unknown> }[];
  /** The entries with inclusion proofs against the newest checkpoint (witnessed when witnesses are configured). */
  readonly receipts: ReceiptBundle;
  /** Entries appended after that checkpoint, without a proof yet. */
  readonly pending: readonly number[];
}

export interface SubjectAccessDeps {
  readonly db: Kysely<Database>;
  readonly gate: Gate;
  readonly log: TransparencyLog;
  readonly email: EmailTransport;
  /** Serve proofs against witnessed checkpoints only. */
  readonly requireCosigned?: boolean;
  /** The time retention is judged at (tests); default now. */
  readonly clock?: () => Date;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * GDPR Art. 15: a recipient proves who they are with the tracking number, the postcode and a one-time code
 * sent to the e-mail address on file, then gets their data, its purposes, its recipients and every ledger
 * entry about them, with proofs they can check themselves.
 */
export class SubjectAccess {
  constructor(private readonly deps: SubjectAccessDeps) {}

  /** Always answers with a request id, whether or not the parcel and postcode match: no enumeration. */
  async start(input: { trackingNumber: string; postcode: string }): Promise<{ requestId: string }> {
    const id = randomUUID();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const parcel = await this.deps.db
      .selectFrom('parcels')
      .select(['consignee_ref', 'dest_country', 'dest_postcode'])
      .where('tracking_number', '=', input.trackingNumber.trim().toUpperCase())
      .executeTakeFirst();
    const postcode = parcel ? normalisePostcode(parcel.dest_country, input.postcode) : undefined;
    const matches = parcel !== undefined && postcode?.ok === true && postcode.value === parcel.dest_postcode;
    // A request that does not match stores a code nobody was sent: it can never verify.
    await this.deps.db
      .insertInto('subject_access_requests')
      .values({
        id,
        record_ref: matches ? parcel.consignee_ref : '',
        code_hash: sha(`${id}:${matches ? code : randomBytes(16).toString('hex')}`),
        attempts: 0,
        expires_at: new Date(Date.now() + CODE_TTL_MS).toISOString(),
        verified_at: null,
        session_hash: null,
        session_expires_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    if (matches) {
      const read = await this.deps.gate.access({
        principal: NOTIFIER,
        action: 'read',
        purpose: 'subject-access-verification',
        refs: [parcel.consignee_ref],
        category: 'consignee',
        fields: ['email'],
        requestId: id,
      });
      const rec = read.records[0];
      const to = rec && 'data' in rec ? rec.data.email : undefined;
      if (to) await this.deps.email.send({ to, subject: 'Your glasshub access code', text: `Your code is ${code}. It is valid for 15 minutes.\r\n` });
    }
    return { requestId: id };
  }

  async verify(input: { requestId: string; code: string }): Promise<{ sessionToken: string; expiresAt: string }> {
    const row = await this.deps.db.selectFrom('subject_access_requests').selectAll().where('id', '=', input.requestId).executeTakeFirst();
    if (!row) throw new SubjectAccessError('INVALID_CODE', 'the code does not match');
    if (row.attempts >= MAX_ATTEMPTS) throw new SubjectAccessError('TOO_MANY_ATTEMPTS', 'too many attempts: start again');
    if (Date.parse(row.expires_at) < Date.now()) throw new SubjectAccessError('EXPIRED', 'the code has expired: start again');
    await this.deps.db.updateTable('subject_access_requests').set({ attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
    const given = Buffer.from(sha(`${row.id}:${input.code.trim()}`));
    if (!/^\d{6}$/.test(input.code.trim()) || !timingSafeEqual(given, Buffer.from(row.code_hash)) || row.record_ref === '') {
      throw new SubjectAccessError('INVALID_CODE', 'the code does not match');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS).toISOString();
    await this.deps.db
      .updateTable('subject_access_requests')
      .set({ verified_at: new Date().toISOString(), session_hash: sha(token), session_expires_at: expiresAt, attempts: MAX_ATTEMPTS })
      .where('id', '=', row.id)
      .execute();
    return { sessionToken: token, expiresAt };
  }

  /** The person's report; their own access is itself a decision in the ledger. */
  async report(sessionToken: string): Promise<SubjectReport> {
    const ref = await this.sessionRef(sessionToken);
    const subject = await this.deps.gate.subjectOf(ref);
    if (!subject) throw new SubjectAccessError('NO_SESSION', 'this person’s data has been erased');
    const parcels = await this.deps.db
      .selectFrom('parcels')
      .select(['tracking_number', 'status', 'flight_id', 'created_at', 'dest_country'])
      .where('consignee_ref', 'in', subject.refs)
      .orderBy('created_at')
      .execute();
    const self: Principal = { id: `subject:${subject.tag}`, role: 'data-subject', organisation: 'self', country: parcels[0]?.dest_country ?? 'BE' };
    const read = await this.deps.gate.access({
      principal: self,
      action: 'read',
      purpose: 'subject-access',
      refs: subject.refs,
      category: 'consignee',
      fields: ['name', 'street', 'postcode', 'city', 'country', 'email', 'phone'],
      subjectTag: subject.tag,
    });
    const data = read.records.flatMap((r) => ('data' in r ? [r.data] : []));
    const retention = await retentionOf(this.deps.db, subject.refs, (this.deps.clock ?? (() => new Date()))());
    const customs = retention.customs;
    const indexes = [...new Set([...(await this.deps.gate.entriesFor(subject.tag)), ...(await this.screeningsOf(parcels))])].sort((a, b) => a - b);
    const entries = await Promise.all(indexes.map(async (index) => ({ index, bytes: await this.deps.log.readEntry(index) })));
    const parsed = entries.map(({ index, bytes }) => {
      const p = parseLedgerEntry(bytes);
      return { index, entry: (p.ok ? p.value : { type: 'unparseable' }) };
    });
    const cp = (this.deps.requireCosigned ? await this.deps.log.cosignedCheckpoint() : undefined) ?? (await this.deps.log.checkpoint());
    const size = cp.size;
    const proven = entries.filter((e) => e.index < size);
    const receipts = await Promise.all(
      proven.map(async (e) => ({
        index: e.index,
        entry: e.bytes.toString('base64'),
        proof: (await this.deps.log.inclusionProof(e.index, size)).map((h) => h.toString('base64')),
      })),
    );
    return {
      subject: subject.tag,
      data,
      parcels: parcels.map((p) => ({ trackingNumber: p.tracking_number, status: p.status, flight: p.flight_id, createdAt: p.created_at, retainedUntil: retention.dates.get(p.tracking_number)?.toISOString() ?? '' })),
      customsRetention: customs ? { until: customs.until.toISOString().slice(0, 10), held: customs.held } : null,
      purposes: PROCESSING_ACTIVITIES.map((a) => ({ purpose: a.purpose, legalBasis: a.legalBasis, retention: a.retention })),
      recipients: parsed
        .map((e) => e.entry)
        // A screening compared a keyed hash of the name and handed nothing over: not a recipient.
        .filter((e) => e['type'] === 'access-decision' && e['decision'] === 'allow' && e['action'] !== 'screen' && (e['principal'] as { role?: string } | undefined)?.role !== 'data-subject')
        .map((e) => {
          const p = e['principal'] as { organisation: string; role: string };
          return { organisation: p.organisation, role: p.role, action: String(e['action']), purpose: String(e['purpose']), time: String(e['time']) };
        }),
      entries: parsed,
      receipts: { checkpoint: (cp.cosignedNote ?? cp.note).toString('utf8'), receipts },
      pending: entries.filter((e) => e.index >= size).map((e) => e.index),
    };
  }

  /**
   * Screening decisions that compared this person's name by keyed hash (sanctions, at customs clearance):
   * they name no one, so they are found through the flights of the person's parcels — those made once the
   * parcel was on the flight (the screening took every buyer of the flight at that moment).
   */
  private async screeningsOf(parcels: readonly { flight_id: string; created_at: string }[]): Promise<number[]> {
    const since = new Map<string, string>();
    for (const p of parcels) {
      const scope = `flight:${p.flight_id}`;
      const known = since.get(scope);
      if (known === undefined || p.created_at < known) since.set(scope, p.created_at);
    }
    const screenings = await this.deps.gate.screeningsFor([...since.keys()]);
    return screenings.filter((s) => s.screenedAt >= since.get(s.scope)!).map((s) => s.ledgerIndex);
  }

  private async sessionRef(token: string): Promise<string> {
    const row = await this.deps.db
      .selectFrom('subject_access_requests')
      .select(['record_ref', 'session_expires_at'])
      .where('session_hash', '=', sha(token))
      .executeTakeFirst();
    if (!row || !row.session_expires_at || Date.parse(row.session_expires_at) < Date.now()) {
      throw new SubjectAccessError('NO_SESSION', 'no valid session: verify your code again');
    }
    return row.record_ref;
  }
}
