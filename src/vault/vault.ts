import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { aesGcmOpen, aesGcmSeal, hmac, random, randomId } from './crypto.js';
import type { VaultKeyring } from './keys.js';

/** The fields a person's record may hold. */
export const PERSONAL_FIELDS = ['name', 'street', 'postcode', 'city', 'country', 'email', 'phone'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
export type PersonalRecord = Partial<Record<PersonalField, string>>;

export interface PersonToSeal {
  readonly role: string;
  readonly data: PersonalRecord;
}

export interface OpenedRecord {
  readonly recordId: string;
  readonly subjectId: string;
  /** The person's pseudonymous ledger tag: computable only while their key exists. */
  readonly tag: string;
  readonly data: PersonalRecord;
}

/** Records read and keys unwrapped, nothing decrypted yet: `decrypt` runs only after the gate's decision. */
export interface PreparedRecords {
  /** Per record: who it belongs to (data empty), erased, or missing. */
  readonly identified: readonly OpenResult[];
  decrypt(fields: readonly PersonalField[]): OpenResult[];
}

export type OpenResult = OpenedRecord | { readonly recordId: string; readonly erased: true } | { readonly recordId: string; readonly missing: true };

const CHUNK = 400; // bind parameters per IN (…) stay well under both stores' limits

/**
 * Envelope encryption with a data key per person. Only the gate may use this class (checked by the
 * module-boundary rules): everything it returns is personal data in clear.
 */
export class Vault {
  constructor(private readonly keys: VaultKeyring) {}

  /** Encrypts each person's data under their own key; returns record ids in input order. */
  async seal(tx: Kysely<Database>, people: readonly PersonToSeal[]): Promise<string[]> {
    if (people.length === 0) return [];
    const now = new Date().toISOString();
    const identities = people.map((p) => hmac(this.keys.indexKey, 'subject\n', p.role, '\n', identity(p.data)));
    const subjects = await this.subjectsByIndex(tx, identities);
    const fresh = new Map<string, { id: string; role: string; key: Buffer; index: Buffer }>();
    people.forEach((p, i) => {
      const hex = identities[i]!.toString('hex');
      if (!subjects.has(hex) && !fresh.has(hex)) fresh.set(hex, { id: randomId(), role: p.role, key: random(32), index: identities[i]! });
    });
    if (fresh.size > 0) {
      const rows = await Promise.all(
        [...fresh.values()].map(async (s) => ({
          id: s.id,
          role: s.role,
          blind_index: s.index,
          wrapped_key: await this.keys.current.wrap(s.key, s.id),
          master_key_id: this.keys.current.keyId,
          created_at: now,
        })),
      );
      const keyOf = new Map([...fresh.values()].map((f) => [f.id, f.key]));
      for (const chunk of chunks(rows, 400)) {
        const inserted = await tx
          .insertInto('vault_subjects')
          .values(chunk)
          .onConflict((oc) => oc.column('blind_index').doNothing())
          .returning(['id', 'blind_index'])
          .execute();
        for (const r of inserted) {
          const key = keyOf.get(r.id)!;
          subjects.set(Buffer.from(r.blind_index!).toString('hex'), { id: r.id, key: () => Promise.resolve(key) });
        }
      }
      // A concurrent writer may have created some of them first: read back what it stored.
      const lost = [...fresh.values()].filter((f) => !subjects.has(f.index.toString('hex')));
      if (lost.length > 0) for (const [hex, s] of await this.subjectsByIndex(tx, lost.map((f) => f.index))) subjects.set(hex, s);
    }
    const contents = people.map((p) => Buffer.from(canonical(p.data)));
    const wanted = people.map((_, i) => {
      const subject = subjects.get(identities[i]!.toString('hex'))!;
      return { subject, content: contents[i]!, index: hmac(this.keys.indexKey, 'record\n', subject.id, '\n', contents[i]!) };
    });
    const existing = await this.recordsByIndex(tx, wanted.map((w) => w.index));
    const newRecords = new Map<string, { id: string; subject_id: string; content_index: Buffer; ciphertext: Buffer; created_at: string }>();
    for (const w of wanted) {
      const key = `${w.subject.id}/${w.index.toString('hex')}`;
      if (existing.has(key) || newRecords.has(key)) continue;
      const dataKey = await w.subject.key();
      const id = randomId();
      const ciphertext = aesGcmSeal(dataKey, w.content, Buffer.from(`${id}\n${w.subject.id}`));
      newRecords.set(key, { id, subject_id: w.subject.id, content_index: w.index, ciphertext, created_at: now });
    }
    for (const chunk of chunks([...newRecords.values()], 400)) {
      const inserted = await tx
        .insertInto('vault_records')
        .values(chunk)
        .onConflict((oc) => oc.columns(['subject_id', 'content_index']).doNothing())
        .returning(['id', 'subject_id', 'content_index'])
        .execute();
      for (const r of inserted) existing.set(`${r.subject_id}/${Buffer.from(r.content_index).toString('hex')}`, r.id);
    }
    const raced = [...newRecords.values()].filter((r) => !existing.has(`${r.subject_id}/${r.content_index.toString('hex')}`));
    if (raced.length > 0) for (const [k, id] of await this.recordsByIndex(tx, raced.map((r) => r.content_index))) existing.set(k, id);
    return wanted.map((w) => existing.get(`${w.subject.id}/${w.index.toString('hex')}`)!);
  }

  /**
   * Reads and unwraps what is needed to open these records — one query, one unwrap per person — and tells
   * whose they are (tags), without decrypting any data. The gate decides and records, then calls `decrypt`.
   */
  async prepare(db: Kysely<Database>, recordIds: readonly string[]): Promise<PreparedRecords> {
    const rows = new Map<string, { subject_id: string; ciphertext: Buffer; wrapped_key: Buffer | null; master_key_id: string | null }>();
    for (const chunk of chunks([...new Set(recordIds)], CHUNK)) {
      const found =
        chunk.length === 1
          ? (await db.executeQuery<RecordRow>(CompiledQuery.raw(singleRecordSql(db), chunk))).rows
          : await recordQuery(db).where('r.id', 'in', chunk).execute();
      for (const r of found) rows.set(r.id, r);
    }
    const keys = new Map<string, Buffer>();
    const identified: OpenResult[] = [];
    for (const recordId of recordIds) {
      const row = rows.get(recordId);
      if (!row) {
        identified.push({ recordId, missing: true });
        continue;
      }
      if (!row.wrapped_key || !row.master_key_id) {
        identified.push({ recordId, erased: true });
        continue;
      }
      let dataKey = keys.get(row.subject_id);
      if (!dataKey) {
        dataKey = await this.unwrap(row.subject_id, Buffer.from(row.wrapped_key), row.master_key_id);
        keys.set(row.subject_id, dataKey);
      }
      identified.push({ recordId, subjectId: row.subject_id, tag: ledgerTag(dataKey), data: {} });
    }
    return {
      identified,
      decrypt: (fields) =>
        identified.map((id) => {
          if (!('subjectId' in id)) return id;
          const row = rows.get(id.recordId)!;
          const all = JSON.parse(
            aesGcmOpen(keys.get(id.subjectId)!, Buffer.from(row.ciphertext), Buffer.from(`${id.recordId}\n${id.subjectId}`)).toString('utf8'),
          ) as PersonalRecord;
          const data: PersonalRecord = {};
          for (const f of fields) if (all[f] !== undefined) data[f] = all[f];
          return { ...id, data };
        }),
    };
  }

  /** Decrypts records; `fields` limits what is returned. Only the gate calls this, after a decision. */
  async open(db: Kysely<Database>, recordIds: readonly string[], fields: readonly PersonalField[] = PERSONAL_FIELDS): Promise<OpenResult[]> {
    return (await this.prepare(db, recordIds)).decrypt(fields);
  }

  /** Who each record belongs to, as a subject id and ledger tag, without decrypting any data. */
  async identify(db: Kysely<Database>, recordIds: readonly string[]): Promise<readonly OpenResult[]> {
    return (await this.prepare(db, recordIds)).identified;
  }

  /** Crypto-shredding: the subject's data key and blind index are destroyed; their records stay unreadable. */
  async shred(tx: Kysely<Database>, subjectId: string): Promise<boolean> {
    const res = await tx
      .updateTable('vault_subjects')
      .set({ wrapped_key: null, master_key_id: null, blind_index: null, shredded_at: new Date().toISOString() })
      .where('id', '=', subjectId)
      .where('wrapped_key', 'is not', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** The subject that owns a record (for erasure and subject access), or undefined. */
  async subjectOf(db: Kysely<Database>, recordId: string): Promise<string | undefined> {
    const row = await db.selectFrom('vault_records').select('subject_id').where('id', '=', recordId).executeTakeFirst();
    return row?.subject_id;
  }

  /** Every record of the person who owns `recordId` (their other parcels' data), or [] if unknown. */
  async siblings(db: Kysely<Database>, recordId: string): Promise<string[]> {
    const subject = await this.subjectOf(db, recordId);
    if (!subject) return [];
    const rows = await db.selectFrom('vault_records').select('id').where('subject_id', '=', subject).orderBy('created_at').execute();
    return rows.map((r) => r.id);
  }

  /** Rewraps every data key not under the current master key, in batches; reads go on meanwhile. */
  async rotate(db: Kysely<Database>, batch = 1000): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await db
        .selectFrom('vault_subjects')
        .select(['id', 'wrapped_key', 'master_key_id'])
        .where('wrapped_key', 'is not', null)
        .where('master_key_id', '!=', this.keys.current.keyId)
        .limit(batch)
        .execute();
      if (rows.length === 0) return done;
      for (const r of rows) {
        const key = await this.unwrap(r.id, Buffer.from(r.wrapped_key!), r.master_key_id!);
        // Only rewrap what is still under the old key: a concurrent shred or rotation wins.
        await db
          .updateTable('vault_subjects')
          .set({ wrapped_key: await this.keys.current.wrap(key, r.id), master_key_id: this.keys.current.keyId })
          .where('id', '=', r.id)
          .where('master_key_id', '=', r.master_key_id)
          .execute();
        done++;
      }
    }
  }

  private async unwrap(subjectId: string, wrapped: Buffer, keyId: string): Promise<Buffer> {
    const wrapper = this.keys.wrapper(keyId);
    if (!wrapper) throw new Error(`vault: master key ${keyId} is not available`);
    return wrapper.unwrap(wrapped, subjectId);
  }

  private async subjectsByIndex(db: Kysely<Database>, indexes: Buffer[]): Promise<Map<string, { id: string; key: () => Promise<Buffer> }>> {
    const out = new Map<string, { id: string; key: () => Promise<Buffer> }>();
    for (const chunk of chunks(dedupe(indexes), CHUNK)) {
      const rows = await db.selectFrom('vault_subjects').select(['id', 'blind_index', 'wrapped_key', 'master_key_id']).where('blind_index', 'in', chunk).execute();
      for (const r of rows) {
        let cached: Promise<Buffer> | undefined;
        out.set(Buffer.from(r.blind_index!).toString('hex'), {
          id: r.id,
          key: () => (cached ??= this.unwrap(r.id, Buffer.from(r.wrapped_key!), r.master_key_id!)),
        });
      }
    }
    return out;
  }

  private async recordsByIndex(db: Kysely<Database>, indexes: Buffer[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const chunk of chunks(dedupe(indexes), CHUNK)) {
      const rows = await db.selectFrom('vault_records').select(['id', 'subject_id', 'content_index']).where('content_index', 'in', chunk).execute();
      for (const r of rows) out.set(`${r.subject_id}/${Buffer.from(r.content_index).toString('hex')}`, r.id);
    }
    return out;
  }
}

interface RecordRow {
  id: string;
  subject_id: string;
  ciphertext: Buffer;
  wrapped_key: Buffer | null;
  master_key_id: string | null;
}

function recordQuery(db: Kysely<Database>) {
  return db
    .selectFrom('vault_records as r')
    .innerJoin('vault_subjects as s', 's.id', 'r.subject_id')
    .select(['r.id', 'r.subject_id', 'r.ciphertext', 's.wrapped_key', 's.master_key_id']);
}

/**
 * A single-record read is the gate's hot path, and building a query costs more than running it: compile
 * it once per database (in that dialect's placeholder syntax) and reuse the text.
 */
const singleRecordSqlCache = new WeakMap<Kysely<Database>, string>();
function singleRecordSql(db: Kysely<Database>): string {
  let text = singleRecordSqlCache.get(db);
  if (text === undefined) {
    text = recordQuery(db).where('r.id', '=', '').compile().sql;
    singleRecordSqlCache.set(db, text);
  }
  return text;
}

/** The person's pseudonymous tag in the ledger: keyed by their data key, so it dies with it. */
export function ledgerTag(dataKey: Buffer): string {
  return hmac(dataKey, 'glasshub ledger tag v1').subarray(0, 16).toString('base64url');
}

/** The same person again: by e-mail when there is one, else by name, postcode and country. */
function identity(d: PersonalRecord): string {
  const norm = (s: string | undefined): string => (s ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return d.email ? `email:${norm(d.email)}` : `name:${norm(d.name)}|${norm(d.postcode)}|${norm(d.country)}`;
}

function canonical(d: PersonalRecord): string {
  const out: PersonalRecord = {};
  for (const f of PERSONAL_FIELDS) if (d[f] !== undefined && d[f] !== '') out[f] = d[f];
  return JSON.stringify(out);
}

function dedupe(bufs: Buffer[]): Buffer[] {
  const seen = new Map<string, Buffer>();
  for (const b of bufs) seen.set(b.toString('hex'), b);
  return [...seen.values()];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
