import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { CompactRange, hashLeaf } from '../ledger/index.js';
import { encodeLedgerEntry, sortedDistinct } from '../domain/index.js';
import { periodsOf, type Database, type LedgerCompanion } from '../store/index.js';
import { PERSONAL_FIELDS, PreparedPeople, Vault, loadOrCreateVaultKeys, type OpenResult, type PersonalField, type PreparedRecords } from '../vault/index.js';
import { EntryTemplate } from './entry-template.js';
import { screeningEntry, type ScreenDecision, type ScreenRequest } from './screen.js';
import { GATE_ACTIONS, type GateAction, type Policy } from './policy.js';
import type { PersonalDataSealer, PreparedSeal, Principal, SealRequest } from './types.js';

/**
 * Where decisions are recorded: the transparency log. An append resolves once durable, and its companion
 * (the access-index rows naming the entry) is committed in the same transaction as the entry.
 */
export interface DecisionLog {
  append(entry: Uint8Array, companion?: LedgerCompanion): Promise<number>;
}

export interface AccessRequest {
  readonly principal: Principal;
  readonly action: GateAction;
  readonly purpose: string;
  readonly legalBasis?: string;
  /** Vault record references (e.g. `parcels.consignee_ref`). */
  readonly refs: readonly string[];
  readonly category: 'consignee' | 'seller';
  readonly fields: readonly PersonalField[];
  readonly requestId?: string;
  /** For subject access and erasure by the person: the tag they proved is theirs. */
  readonly subjectTag?: string;
  /** Erase only (required there): customs law still keeps the data; the policy refuses the erasure then. */
  readonly customsRetention?: boolean;
}

/** An erasure: the caller states whether customs law still keeps the people's data, for the policy to decide on. */
export type EraseRequest = Omit<AccessRequest, 'action' | 'fields' | 'customsRetention'> & { readonly customsRetention: boolean };

export interface AccessDecision {
  readonly decision: 'allow' | 'deny';
  readonly allowedFields: readonly PersonalField[];
  readonly deniedFields: readonly PersonalField[];
  readonly rules: readonly string[];
  readonly policy: string;
  /** The ledger index of this decision's entry: the receipt of the read. */
  readonly ledgerIndex: number;
  readonly requestId: string;
  /** In request order; data only for allowed fields, and only when the decision is allow. */
  readonly records: readonly OpenResult[];
}

export class GateError extends Error {
  override readonly name = 'GateError';
  constructor(
    readonly code: 'INVALID_REQUEST' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}


/** The policy's answer to one shape of request, and its ledger entry as a template for one named person. */
/** The purpose recorded, and the rule named, for a request whose purpose the policy does not name. */
export const UNLISTED_PURPOSE = 'purpose-not-in-policy';

const PURPOSE = /^[a-z][a-z0-9-]{1,63}$/;

interface Ruling {
  readonly decision: 'allow' | 'deny';
  readonly allowedFields: readonly PersonalField[];
  readonly deniedFields: readonly PersonalField[];
  readonly rules: readonly string[];
  readonly single: EntryTemplate<'requestId' | 'subject' | 'time'> | undefined;
}

/** Every period of the access index, keyed (period, tag): a tag is found by one seek per period (migration 011). */
const PERIODS = periodsOf('gate_access_index');

/** Distinct request shapes kept (like Policy's own cache, cleared when full). */
const MAX_RULINGS = 10_000;

/**
 * The one door to personal data. Writing (sealing) needs no decision. Every read asks the policy, records
 * the decision — allowed or denied — in the ledger, and only once that entry is durable opens the vault:
 * no read without its record, and if the ledger cannot record, the read does not happen.
 */
export class Gate implements PersonalDataSealer {
  private readonly rulings = new Map<string, Ruling>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: Vault,
    private readonly log: DecisionLog,
    readonly policy: Policy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  seal(tx: Kysely<Database>, people: readonly SealRequest[], prepared?: PreparedSeal): Promise<string[]> {
    return this.vault.seal(tx, people, prepared instanceof PreparedPeople ? prepared : undefined);
  }

  prepare(people: readonly SealRequest[]): PreparedSeal {
    return this.vault.prepareSeal(people);
  }

  /** Publishes the policy in the ledger unless this exact version already is; returns its entry's index. */
  async publishPolicy(author = 'glasshub'): Promise<number> {
    const known = await this.db.selectFrom('gate_policies').select('ledger_index').where('hash', '=', this.policy.hash).executeTakeFirst();
    if (known) return Number(known.ledger_index);
    const time = this.clock().toISOString();
    // The policy's row is written in the entry's own transaction: no published entry without it.
    return this.log.append(encodeLedgerEntry({ type: 'policy-published', time, policy: this.policy.hash, author, text: this.policy.text }), {
      kind: 'policy',
      hash: this.policy.hash,
      text: this.policy.text,
      publishedAt: time,
    });
  }

  /** Asks, records, and — only if allowed — opens. Denials are answered, not thrown: the caller maps them to 403. */
  async access(req: AccessRequest): Promise<AccessDecision> {
    const { decision, prepared } = await this.decideAndRecord(req);
    const records = decision.decision === 'allow' ? await prepared.decrypt(decision.allowedFields) : [];
    return { ...decision, records };
  }

  /**
   * Erasure by crypto-shredding, after an allowed decision recorded in the ledger as evidence. Nothing is
   * decrypted: the keys unwrapped to tag the decision are the ones destroyed.
   */
  async erase(req: EraseRequest): Promise<AccessDecision> {
    const { decision, prepared } = await this.decideAndRecord({ ...req, action: 'erase', fields: ['name'] });
    if (decision.decision === 'deny') return { ...decision, records: [] };
    const subjects = new Map<string, string>();
    for (const r of prepared.identified) if ('subjectId' in r) subjects.set(r.subjectId, r.tag);
    for (const [subjectId, tag] of subjects) {
      await this.vault.shred(this.db, subjectId);
      // The index only linked a tag nobody can compute any more; drop it all the same.
      await sql`delete from gate_access_index where period in ${PERIODS} and tag = ${tag}`.execute(this.db);
    }
    return { ...decision, records: [] };
  }

  /** The policy's answer, durable in the ledger (and indexed by tag, in the same transaction) before anything is decrypted. */
  private async decideAndRecord(asked: AccessRequest): Promise<{ decision: Omit<AccessDecision, 'records'>; prepared: PreparedRecords }> {
    validate(asked);
    // A purpose the policy does not name is refused, and the refusal recorded like any other, but under
    // the word UNLISTED_PURPOSE: what the caller wrote would stand in the public log, and could be a name.
    const unlisted = this.policy.purposeReason(asked.purpose) !== undefined;
    const req = unlisted ? { ...asked, purpose: UNLISTED_PURPOSE } : asked;
    const requestId = req.requestId ?? randomUUID();
    const prepared = await this.vault.prepare(this.db, req.refs);
    const tags = tagsOf(prepared.identified);
    const ownData = req.subjectTag !== undefined && tags.length > 0 && tags.every((t) => t === req.subjectTag);
    const ruling = this.rule(req, ownData);
    const time = this.clock().toISOString();
    const entry =
      ruling.single && tags.length === 1 && req.refs.length === 1
        ? ruling.single.encode({ requestId, subject: tags[0]!, time })
        : encodeLedgerEntry({ ...decisionEntry(req, ruling, this.policy.hash), time, requestId, ...subjectsOf(tags, req.refs.length) });
    // The decision is durable before any data leaves; if this throws, nothing is opened.
    const ledgerIndex = await this.log.append(entry, tags.length > 0 ? { kind: 'access-index', tags } : undefined);
    const { decision, allowedFields, deniedFields, rules } = ruling;
    return { decision: { decision, allowedFields, deniedFields, rules, policy: this.policy.hash, ledgerIndex, requestId }, prepared };
  }

  /**
   * What the policy says to this shape of request — who, what, why, which fields, how many records —
   * asked field by field once, then reused with the entry's constant text (the hot path's JSON work).
   */
  private rule(req: AccessRequest, ownData: boolean): Ruling {
    if (req.purpose === UNLISTED_PURPOSE) {
      const partial = { decision: 'deny', allowedFields: [], deniedFields: Object.freeze([...new Set(req.fields)]), rules: [UNLISTED_PURPOSE] } as const;
      return { ...partial, single: undefined };
    }
    const p = req.principal;
    const key = [p.id, p.role, p.organisation, p.country, req.action, req.category, req.purpose, req.legalBasis ?? '', req.refs.length, ownData, req.customsRetention ?? '', ...req.fields].join('\u0000');
    const known = this.rulings.get(key);
    if (known) return known;
    const allowedFields: PersonalField[] = [];
    const deniedFields: PersonalField[] = [];
    const permitRules = new Set<string>();
    const denyRules = new Set<string>();
    for (const field of new Set(req.fields)) {
      const answer = this.policy.decide({
        principal: req.principal,
        action: req.action,
        category: req.category,
        field,
        purpose: req.purpose,
        legalBasis: req.legalBasis ?? '',
        recordCount: req.refs.length,
        ownData,
        ...(req.customsRetention !== undefined && { customsRetention: req.customsRetention }),
      });
      (answer.allowed ? allowedFields : deniedFields).push(field);
      answer.rules.forEach((r) => (answer.allowed ? permitRules : denyRules).add(r));
    }
    const decision = allowedFields.length > 0 ? 'allow' : 'deny';
    // The rules named are those that decided the outcome: the permits of an allow, the refusals of a deny.
    const rules = Object.freeze([...(decision === 'allow' ? permitRules : denyRules)]);
    const partial = { decision, allowedFields: Object.freeze(allowedFields), deniedFields: Object.freeze(deniedFields), rules } as const;
    const single =
      req.refs.length === 1 ? EntryTemplate.of({ ...decisionEntry(req, partial, this.policy.hash), count: 1 }, ['requestId', 'subject', 'time'] as const) : undefined;
    const ruling: Ruling = { ...partial, single };
    if (this.rulings.size >= MAX_RULINGS) this.rulings.clear();
    this.rulings.set(key, ruling);
    return ruling;
  }

  /**
   * Screening of records' names against a list (sanctions), by keyed hash: the policy decides on action
   * `screen` (field `name`), the decision is durable in the ledger — with the number of records, a
   * commitment to them and the list's hash, never a name — before the vault compares anything, and
   * nothing is decrypted. The answer names the matching records; reading a match's data is a `read`.
   * `where.reader`: a read-only handle to compare in (the store's reader: on SQLite a worker thread), so that
   * a freighter's comparison does not hold up the caller's thread; the decision is recorded first all the same.
   */
  async screen(req: ScreenRequest, where: { readonly reader?: Kysely<Database> } = {}): Promise<ScreenDecision> {
    const purposeReason = this.policy.purposeReason(req.purpose);
    if (purposeReason !== undefined) throw new GateError('INVALID_REQUEST', `purpose: ${purposeReason}`);
    if (req.refs.length === 0) throw new GateError('INVALID_REQUEST', 'refs: at least one record');
    const requestId = req.requestId ?? randomUUID();
    const { principal, category, purpose } = req;
    const legalBasis = req.legalBasis ?? '';
    const refs = sortedDistinct(req.refs);
    const answer = this.policy.decide({ principal, action: 'screen', category, field: 'name', purpose, legalBasis, recordCount: refs.length, ownData: false });
    const time = this.clock().toISOString();
    const { entry, list, names } = screeningEntry(req, refs, answer, { policy: this.policy.hash, time, requestId });
    // The scope is registered in the entry's own transaction: subject access finds the decision by it.
    const ledgerIndex = await this.log.append(entry, req.scope === undefined ? undefined : { kind: 'screening', scope: req.scope, at: time });
    const base = { decision: answer.allowed ? 'allow' : 'deny', rules: answer.rules, policy: this.policy.hash, ledgerIndex, requestId, list } as const;
    if (!answer.allowed) return { ...base, matches: new Map(), unscreened: 0 };
    const { matches, unscreened } = await this.vault.screenNames(where.reader ?? this.db, refs, names);
    return { ...base, matches, unscreened };
  }

  /**
   * Who a record belongs to, as the gate may say without a decision: the person's pseudonymous tag and the
   * references of all their records. Used once a person has proved who they are (subject access), and by
   * retention; it reveals no data.
   */
  async subjectOf(ref: string): Promise<{ tag: string; refs: string[] } | undefined> {
    const [id] = await this.vault.identify(this.db, [ref]);
    if (!id || !('tag' in id)) return undefined;
    return { tag: id.tag, refs: await this.vault.siblings(this.db, ref) };
  }

  /**
   * Which of these records belong to a person whose data was erased (their key destroyed), by the vault's own
   * marker: nothing is unwrapped or decrypted, so no decision is asked or recorded (like `subjectOf`). The hub
   * uses it to keep an erased recipient's parcel from a carrier; `db`: the caller's transaction, if any.
   */
  erasedAmong(refs: readonly string[], db: Kysely<Database> = this.db): Promise<ReadonlySet<string>> {
    return this.vault.shreddedAmong(db, refs);
  }

  /** Screening decisions over these scopes (e.g. the flights of a person's parcels), oldest first. */
  async screeningsFor(scopes: readonly string[]): Promise<{ ledgerIndex: number; scope: string; screenedAt: string }[]> {
    if (scopes.length === 0) return [];
    const rows = await this.db.selectFrom('gate_screenings').select(['ledger_index', 'scope', 'screened_at']).where('scope', 'in', [...new Set(scopes)]).orderBy('ledger_index').execute();
    return rows.map((r) => ({ ledgerIndex: Number(r.ledger_index), scope: r.scope, screenedAt: r.screened_at }));
  }

  /** Ledger indexes of every decision about the person with this tag, oldest first. */
  async entriesFor(tag: string): Promise<number[]> {
    const { rows } = await sql<{ ledger_index: number }>`select ledger_index from gate_access_index where period in ${PERIODS} and tag = ${tag} order by ledger_index`.execute(this.db);
    return rows.map((r) => Number(r.ledger_index));
  }

}

/** The distinct tags of the people whose records these are; a missing record ends the request. */
function tagsOf(identified: readonly OpenResult[]): string[] {
  const tags = new Set<string>();
  for (const r of identified) {
    if ('missing' in r) throw new GateError('NOT_FOUND', `no personal record ${r.recordId}`);
    if ('tag' in r) tags.add(r.tag);
  }
  return [...tags];
}

/** An access decision's entry without what changes per request (time, request id, whose records). */
function decisionEntry(req: AccessRequest, ruling: Omit<Ruling, 'single'>, policy: string) {
  return {
    type: 'access-decision',
    principal: { id: req.principal.id, role: req.principal.role, organisation: req.principal.organisation, country: req.principal.country },
    action: req.action,
    purpose: req.purpose,
    legalBasis: req.legalBasis ?? null,
    category: req.category,
    fields: ruling.allowedFields,
    deniedFields: ruling.deniedFields,
    decision: ruling.decision,
    rules: ruling.rules,
    policy,
    // What the policy was told about customs retention: the evidence behind an erasure or its refusal.
    ...(req.customsRetention !== undefined && { customsRetention: req.customsRetention }),
  };
}

/**
 * One person: their tag. Many: the count and an RFC 6962 root over their sorted tags — a commitment that
 * lets each person be shown, with an inclusion proof, that they were in the list, without a million entries.
 */
function subjectsOf(tags: readonly string[], recordCount: number): Record<string, unknown> {
  if (tags.length === 1 && recordCount === 1) return { subject: tags[0], count: 1 };
  const range = new CompactRange();
  for (const t of [...tags].sort()) range.append(hashLeaf(Buffer.from(t)));
  return { count: recordCount, subjects: { people: tags.length, commitment: range.root().toString('base64') } };
}

function validate(req: AccessRequest): void {
  if (!GATE_ACTIONS.includes(req.action)) throw new GateError('INVALID_REQUEST', `action: must be one of ${GATE_ACTIONS.join(', ')}`);
  if (!PURPOSE.test(req.purpose)) throw new GateError('INVALID_REQUEST', 'purpose: a lower-case word such as customs-control');
  if (req.refs.length === 0) throw new GateError('INVALID_REQUEST', 'refs: at least one record');
  for (const f of req.fields) if (!PERSONAL_FIELDS.includes(f)) throw new GateError('INVALID_REQUEST', `fields: ${String(f)} is not a personal-data field`);
  if (req.fields.length === 0) throw new GateError('INVALID_REQUEST', 'fields: at least one field');
}


/** Builds the gate with its own vault: the vault is opened here, and only here (ARCHITECTURE rule 1). */
export function openGate(db: Kysely<Database>, log: DecisionLog, options: { vaultKeyFile: string; policy: Policy }): Gate {
  return new Gate(db, new Vault(loadOrCreateVaultKeys(options.vaultKeyFile)), log, options.policy);
}
