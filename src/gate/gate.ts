import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CompactRange, hashLeaf } from '../ledger/index.js';
import { encodeLedgerEntry } from '../domain/index.js';
import type { Database } from '../store/index.js';
import { PERSONAL_FIELDS, Vault, loadOrCreateVaultKeys, type OpenResult, type PersonalField, type PreparedRecords } from '../vault/index.js';
import { AccessIndexWriter } from './access-index.js';
import { GATE_ACTIONS, type GateAction, type Policy } from './policy.js';
import type { PersonalDataSealer, Principal, SealRequest } from './types.js';

/** Where decisions are recorded: the transparency log (an append resolves once durable). */
export interface DecisionLog {
  append(entry: Uint8Array): Promise<number>;
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
}

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

const PURPOSE = /^[a-z][a-z0-9-]{1,63}$/;

/**
 * The one door to personal data. Writing (sealing) needs no decision. Every read asks the policy, records
 * the decision — allowed or denied — in the ledger, and only once that entry is durable opens the vault:
 * no read without its record, and if the ledger cannot record, the read does not happen.
 */
export class Gate implements PersonalDataSealer {
  private readonly indexer: AccessIndexWriter;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: Vault,
    private readonly log: DecisionLog,
    readonly policy: Policy,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.indexer = new AccessIndexWriter(db);
  }

  seal(tx: Kysely<Database>, people: readonly SealRequest[]): Promise<string[]> {
    return this.vault.seal(tx, people);
  }

  /** Publishes the policy in the ledger unless this exact version already is; returns its entry's index. */
  async publishPolicy(author = 'glasshub'): Promise<number> {
    const known = await this.db.selectFrom('gate_policies').select('ledger_index').where('hash', '=', this.policy.hash).executeTakeFirst();
    if (known) return Number(known.ledger_index);
    const index = await this.log.append(
      encodeLedgerEntry({ type: 'policy-published', time: this.clock().toISOString(), policy: this.policy.hash, author, text: this.policy.text }),
    );
    await this.db
      .insertInto('gate_policies')
      .values({ hash: this.policy.hash, ledger_index: index, text: this.policy.text, published_at: this.clock().toISOString() })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
    return index;
  }

  /** Asks, records, and — only if allowed — opens. Denials are answered, not thrown: the caller maps them to 403. */
  async access(req: AccessRequest): Promise<AccessDecision> {
    const { decision, prepared } = await this.decideAndRecord(req);
    const records = decision.decision === 'allow' ? prepared.decrypt(decision.allowedFields) : [];
    return { ...decision, records };
  }

  /**
   * Erasure by crypto-shredding, after an allowed decision recorded in the ledger as evidence. Nothing is
   * decrypted: the keys unwrapped to tag the decision are the ones destroyed.
   */
  async erase(req: Omit<AccessRequest, 'action' | 'fields'>): Promise<AccessDecision> {
    const { decision, prepared } = await this.decideAndRecord({ ...req, action: 'erase', fields: ['name'] });
    if (decision.decision === 'deny') return { ...decision, records: [] };
    const subjects = new Map<string, string>();
    for (const r of prepared.identified) if ('subjectId' in r) subjects.set(r.subjectId, r.tag);
    for (const [subjectId, tag] of subjects) {
      await this.vault.shred(this.db, subjectId);
      // The index only linked a tag nobody can compute any more; drop it all the same.
      await this.db.deleteFrom('gate_access_index').where('tag', '=', tag).execute();
    }
    return { ...decision, records: [] };
  }

  /** The policy's answer, durable in the ledger (and indexed by tag) before anything is decrypted. */
  private async decideAndRecord(req: AccessRequest): Promise<{ decision: Omit<AccessDecision, 'records'>; prepared: PreparedRecords }> {
    validate(req);
    const requestId = req.requestId ?? randomUUID();
    const prepared = await this.vault.prepare(this.db, req.refs);
    const identified = prepared.identified;
    const missing = identified.find((r) => 'missing' in r);
    if (missing) throw new GateError('NOT_FOUND', `no personal record ${missing.recordId}`);
    const tags = [...new Set(identified.flatMap((r) => ('tag' in r ? [r.tag] : [])))];
    const ownData = req.subjectTag !== undefined && tags.length > 0 && tags.every((t) => t === req.subjectTag);

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
      });
      (answer.allowed ? allowedFields : deniedFields).push(field);
      answer.rules.forEach((r) => (answer.allowed ? permitRules : denyRules).add(r));
    }
    const decision = allowedFields.length > 0 ? 'allow' : 'deny';
    // The rules named are those that decided the outcome: the permits of an allow, the refusals of a deny.
    const rules = decision === 'allow' ? permitRules : denyRules;
    const entry = {
      type: 'access-decision',
      time: this.clock().toISOString(),
      requestId,
      principal: { id: req.principal.id, role: req.principal.role, organisation: req.principal.organisation, country: req.principal.country },
      action: req.action,
      purpose: req.purpose,
      legalBasis: req.legalBasis ?? null,
      category: req.category,
      fields: allowedFields,
      deniedFields,
      decision,
      rules: [...rules],
      policy: this.policy.hash,
      ...subjectsOf(tags, req.refs.length),
    };
    // The decision is durable before any data leaves; if this throws, nothing is opened.
    const ledgerIndex = await this.log.append(encodeLedgerEntry(entry));
    await this.index(tags, ledgerIndex);
    return { decision: { decision, allowedFields, deniedFields, rules: [...rules], policy: this.policy.hash, ledgerIndex, requestId }, prepared };
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

  /** Ledger indexes of every decision about the person with this tag, oldest first. */
  async entriesFor(tag: string): Promise<number[]> {
    const rows = await this.db.selectFrom('gate_access_index').select('ledger_index').where('tag', '=', tag).orderBy('ledger_index').execute();
    return rows.map((r) => Number(r.ledger_index));
  }

  private index(tags: readonly string[], ledgerIndex: number): Promise<void> {
    return this.indexer.add(tags.map((tag) => ({ tag, ledger_index: ledgerIndex })));
  }
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
