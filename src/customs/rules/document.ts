/**
 * The risk rules as a readable, versioned document: stored whole in `customs_rules` under a version
 * number; a new version is written only by an officer action (`saveRules`), never edited in place.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

export interface RulesDocument {
  readonly undervaluation: {
    readonly enabled: boolean;
    /** Flag a unit value (EUR) below this share of the HS6 median… */
    readonly belowShareOfMedian: number;
    /** …when the median rests on at least this many declared items. */
    readonly minSamples: number;
    /** History window, days before the date of import. */
    readonly historyDays: number;
  };
  /** HS prefixes (2-digit chapter, 4-digit heading or 6-digit subheading) whose goods are prohibited. */
  readonly prohibited: readonly { readonly prefix: string; readonly label: string }[];
  /** HS prefixes that need a licence or a check (medicines, …). */
  readonly restricted: readonly { readonly prefix: string; readonly label: string }[];
  readonly splitConsignment: { readonly enabled: boolean; readonly thresholdEur: string };
  readonly sanctions: { readonly enabled: boolean };
  readonly ics2: { readonly enabled: boolean };
  /**
   * Flags that must not leave the hub without an officer: clearance puts their parcels on hold (status
   * `held`: the sorter sends them to the hold lane) until an officer releases them. Absent in documents
   * saved before it existed: `DEFAULT_AUTO_HOLD` applies.
   */
  readonly autoHold?: { readonly rules: readonly string[] };
}

/** Every flag clearance can raise (tax conditions, completeness, risk rules). */
export const FLAG_RULES = [
  'h1-declaration-required',
  'ioss-number-invalid',
  'destination-outside-eu',
  'ics2-incomplete',
  'h7-incomplete',
  'undervaluation',
  'prohibited-goods',
  'restricted-goods',
  'split-consignment',
  'sanctions-match',
] as const;

/**
 * Held by default: a sanctions hit (no release before screening is resolved), prohibited goods, incomplete
 * ICS2 data (no release on incomplete entry summary data) and H1 (the H7 cannot cover it: a full declaration
 * must be lodged first). The others are reasons for an officer to look, not to stop the parcel.
 */
export const DEFAULT_AUTO_HOLD: readonly string[] = ['sanctions-match', 'prohibited-goods', 'ics2-incomplete', 'h1-declaration-required'];

export const DEFAULT_RULES: RulesDocument = {
  undervaluation: { enabled: true, belowShareOfMedian: 0.2, minSamples: 30, historyDays: 90 },
  prohibited: [{ prefix: '93', label: 'arms and ammunition (HS chapter 93)' }],
  restricted: [
    { prefix: '3003', label: 'medicaments, not in doses (HS 30.03)' },
    { prefix: '3004', label: 'medicaments in doses (HS 30.04)' },
    { prefix: '2939', label: 'alkaloids (HS 29.39)' },
    { prefix: '2937', label: 'hormones (HS 29.37)' },
  ],
  splitConsignment: { enabled: true, thresholdEur: '150.00' },
  sanctions: { enabled: true },
  ics2: { enabled: true },
  autoHold: { rules: DEFAULT_AUTO_HOLD },
};

export interface StoredRules {
  readonly version: number;
  readonly document: RulesDocument;
  readonly comment: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

export class RulesError extends Error {
  override readonly name = 'RulesError';
}

const PREFIX = /^\d{2}(\d{2}){0,2}$/;

/** Refuses a document that is not a complete, well-formed rules document, naming the field. */
export function validateRules(doc: unknown): RulesDocument {
  const d = doc as RulesDocument;
  const need = (ok: boolean, field: string, what: string): void => {
    if (!ok) throw new RulesError(`${field}: ${what}`);
  };
  need(typeof doc === 'object' && doc !== null, 'document', 'must be an object');
  const u = d.undervaluation;
  need(typeof u === 'object' && u !== null, 'undervaluation', 'missing');
  need(typeof u.enabled === 'boolean', 'undervaluation.enabled', 'boolean');
  need(typeof u.belowShareOfMedian === 'number' && u.belowShareOfMedian > 0 && u.belowShareOfMedian < 1, 'undervaluation.belowShareOfMedian', 'a number in (0, 1)');
  need(Number.isInteger(u.minSamples) && u.minSamples >= 1, 'undervaluation.minSamples', 'a positive integer');
  need(Number.isInteger(u.historyDays) && u.historyDays >= 1, 'undervaluation.historyDays', 'a positive integer');
  for (const key of ['prohibited', 'restricted'] as const) {
    need(Array.isArray(d[key]), key, 'a list');
    d[key].forEach((p, i) => need(typeof p.prefix === 'string' && PREFIX.test(p.prefix) && typeof p.label === 'string', `${key}[${i}]`, 'a { prefix: 2, 4 or 6 digits, label }'));
  }
  need(typeof d.splitConsignment?.enabled === 'boolean' && /^\d+\.\d{2}$/.test(d.splitConsignment.thresholdEur), 'splitConsignment', '{ enabled, thresholdEur: "150.00" }');
  need(typeof d.sanctions?.enabled === 'boolean', 'sanctions.enabled', 'boolean');
  need(typeof d.ics2?.enabled === 'boolean', 'ics2.enabled', 'boolean');
  if (d.autoHold !== undefined) {
    need(typeof d.autoHold === 'object' && d.autoHold !== null && Array.isArray(d.autoHold.rules), 'autoHold', '{ rules: [rule names] }');
    d.autoHold.rules.forEach((r, i) => need((FLAG_RULES as readonly string[]).includes(r), `autoHold.rules[${i}]`, `one of ${FLAG_RULES.join(', ')}`));
  }
  return d;
}

/** The newest version; version 0 is the shipped default, used until an officer saves one. */
export async function currentRules(db: Kysely<Database>): Promise<StoredRules> {
  const row = await db.selectFrom('customs_rules').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { version: 0, document: DEFAULT_RULES, comment: 'shipped default', createdBy: 'glasshub', createdAt: '1970-01-01T00:00:00.000Z' };
  return { version: row.version, document: validateRules(JSON.parse(row.document)), comment: row.comment, createdBy: row.created_by, createdAt: row.created_at };
}

export async function rulesHistory(db: Kysely<Database>): Promise<StoredRules[]> {
  const rows = await db.selectFrom('customs_rules').selectAll().orderBy('version').execute();
  return rows.map((r) => ({ version: r.version, document: validateRules(JSON.parse(r.document)), comment: r.comment, createdBy: r.created_by, createdAt: r.created_at }));
}

/** An officer's change: validated, stored as the next version. */
export async function saveRules(db: Kysely<Database>, doc: unknown, officer: string, comment: string, now = new Date()): Promise<StoredRules> {
  const document = validateRules(doc);
  if (comment.trim() === '') throw new RulesError('comment: say why the rules change');
  return db.transaction().execute(async (tx) => {
    const top = await tx.selectFrom('customs_rules').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const version = Number(top?.v ?? 0) + 1;
    const createdAt = now.toISOString();
    await tx.insertInto('customs_rules').values({ version, document: JSON.stringify(document), comment, created_by: officer, created_at: createdAt }).execute();
    return { version, document, comment, createdBy: officer, createdAt };
  });
}
