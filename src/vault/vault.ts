import type { Kysely } from 'kysely';
import { selectIn, type Database } from '../store/index.js';
import { hmacEach, openMany } from './crypto-batch.js';
import { hmac } from './crypto.js';
import type { KeyWrapper, VaultKeyring } from './keys.js';
import { RecordReader, type RecordRow } from './read-batch.js';
import { screenNames, type NameScreening } from './screen.js';
import { PreparedPeople } from './prepare-seal.js';
import { sealPeople } from './seal.js';

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
  decrypt(fields: readonly PersonalField[]): Promise<OpenResult[]>;
}

export type OpenResult = OpenedRecord | { readonly recordId: string; readonly erased: true } | { readonly recordId: string; readonly missing: true };

/**
 * Envelope encryption with a data key per person. Only the gate may use this class (checked by the
 * module-boundary rules): everything it returns is personal data in clear.
 */
export class Vault {
  /** One batching reader per database handle (a transaction's reads stay in that transaction). */
  private readonly readers = new WeakMap<Kysely<Database>, RecordReader>();

  constructor(private readonly keys: VaultKeyring) {}

  /**
   * Encrypts each person's data under their own key; returns record ids in input order (see `seal.ts`).
   * With `prepared` (from `prepareSeal` over these same request objects), most of the cryptography is done already.
   */
  seal(tx: Kysely<Database>, people: readonly PersonToSeal[], prepared?: PreparedPeople): Promise<string[]> {
    return sealPeople(tx, this.keys, (subjectId, wrapped, keyId) => this.unwrap(subjectId, wrapped, keyId), people, PERSONAL_FIELDS, prepared);
  }

  /** Starts the cryptography of sealing these people, before their transaction (see `PreparedPeople`). */
  prepareSeal(people: readonly PersonToSeal[]): PreparedPeople {
    return new PreparedPeople(this.keys, people, PERSONAL_FIELDS);
  }

  /**
   * Reads and unwraps what is needed to open these records — one query, one unwrap per person — and tells
   * whose they are (tags), without decrypting any data. The gate decides and records, then calls `decrypt`.
   */
  async prepare(db: Kysely<Database>, recordIds: readonly string[]): Promise<PreparedRecords> {
    let reader = this.readers.get(db);
    if (!reader) this.readers.set(db, (reader = new RecordReader(db)));
    // Concurrent callers share one query (and its rows: ciphertext only); each opens only its own.
    const rows: ReadonlyMap<string, RecordRow> = await reader.load(recordIds);
    const keys = await this.dataKeys(rows, recordIds);
    const tags = new Map<string, string>();
    const subjects = [...keys.keys()];
    (await ledgerTags(subjects.map((s) => keys.get(s)!))).forEach((tag, i) => tags.set(subjects[i]!, tag));
    const identified: OpenResult[] = recordIds.map((recordId) => {
      const row = rows.get(recordId);
      if (!row) return { recordId, missing: true };
      if (!row.wrapped_key || !row.master_key_id) return { recordId, erased: true };
      return { recordId, subjectId: row.subject_id, tag: tags.get(row.subject_id)!, data: {} };
    });
    return {
      identified,
      decrypt: async (fields) => {
        const opened = identified.filter((id): id is OpenedRecord => 'subjectId' in id);
        const plain = await openMany(
          opened.map((id) => ({ key: keys.get(id.subjectId)!, sealed: asBuffer(rows.get(id.recordId)!.ciphertext), aad: Buffer.from(`${id.recordId}\n${id.subjectId}`) })),
        );
        const byRecord = new Map(opened.map((id, i) => [id.recordId, plain[i]!]));
        return identified.map((id) => {
          if (!('subjectId' in id)) return id;
          const all = JSON.parse(byRecord.get(id.recordId)!.toString('utf8')) as PersonalRecord;
          const data: PersonalRecord = {};
          for (const f of fields) if (all[f] !== undefined) data[f] = all[f];
          return { ...id, data };
        });
      },
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

  /**
   * Crypto-shredding: the subject's data key, blind index and name indexes are destroyed; their records
   * stay unreadable and can no longer be found by identity or screened by name.
   */
  async shred(tx: Kysely<Database>, subjectId: string): Promise<boolean> {
    const res = await tx
      .updateTable('vault_subjects')
      .set({ wrapped_key: null, master_key_id: null, blind_index: null, shredded_at: new Date().toISOString() })
      .where('id', '=', subjectId)
      .where('wrapped_key', 'is not', null)
      .executeTakeFirst();
    await tx.updateTable('vault_records').set({ name_index: null }).where('subject_id', '=', subjectId).execute();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Which of these records' subjects were shredded: one indexed lookup per 4,096 records, nothing unwrapped. */
  async shreddedAmong(db: Kysely<Database>, recordIds: readonly string[]): Promise<ReadonlySet<string>> {
    const select = 'select r.id as id from vault_records r inner join vault_subjects s on s.id = r.subject_id and s.wrapped_key is null';
    const rows = await selectIn<{ id: string }>(db, select, 'r.id', [...new Set(recordIds)]);
    return new Set(rows.map((r) => r.id));
  }

  /** Which of these records hold a name on the list, by keyed hash, nothing decrypted (see `screen.ts`). */
  screenNames(db: Kysely<Database>, recordIds: readonly string[], names: readonly string[]): Promise<NameScreening> {
    return screenNames(db, this.keys.indexKey, recordIds, names);
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
  async rotate(db: Kysely<Database>, batch = 1000, onBatch?: (rewrapped: number) => void): Promise<number> {
    let done = 0;
    for (;;) {
      // Fixed per batch: a key added meanwhile is taken up by the next one.
      const current = this.keys.current;
      const rows = await db
        .selectFrom('vault_subjects')
        .select(['id', 'wrapped_key', 'master_key_id'])
        .where('wrapped_key', 'is not', null)
        .where('master_key_id', '!=', current.keyId)
        .limit(batch)
        .execute();
      if (rows.length === 0) return done;
      const rewrapped = rows.map(async (r) => ({ id: r.id, old: r.master_key_id!, wrapped: await current.wrap(await this.unwrap(r.id, Buffer.from(r.wrapped_key!), r.master_key_id!), r.id) }));
      const ready = await Promise.all(rewrapped);
      // One transaction (one commit) per batch; only rows still under the old key change: a concurrent shred wins.
      await db.transaction().execute(async (tx) => {
        for (const r of ready) {
          await tx.updateTable('vault_subjects').set({ wrapped_key: r.wrapped, master_key_id: current.keyId }).where('id', '=', r.id).where('master_key_id', '=', r.old).execute();
        }
      });
      done += ready.length;
      onBatch?.(done);
    }
  }

  /** The data key of each subject among these rows (not erased), one unwrap per subject; in batches by master key where the wrapper can. */
  private async dataKeys(rows: ReadonlyMap<string, RecordRow>, recordIds: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = new Map<string, RecordRow>();
    for (const id of recordIds) {
      const row = rows.get(id);
      if (row?.wrapped_key && row.master_key_id && !wanted.has(row.subject_id)) wanted.set(row.subject_id, row);
    }
    const keys = new Map<string, Buffer>();
    const byMaster = new Map<string, RecordRow[]>();
    for (const row of wanted.values()) {
      const list = byMaster.get(row.master_key_id!);
      if (list) list.push(row);
      else byMaster.set(row.master_key_id!, [row]);
    }
    for (const [keyId, list] of byMaster) {
      const wrapper = this.wrapperOf(keyId);
      const unwrapped = wrapper.unwrapMany
        ? await wrapper.unwrapMany(list.map((r) => ({ wrapped: asBuffer(r.wrapped_key!), context: r.subject_id })))
        : await Promise.all(list.map((r) => wrapper.unwrap(asBuffer(r.wrapped_key!), r.subject_id)));
      list.forEach((r, i) => keys.set(r.subject_id, unwrapped[i]!));
    }
    return keys;
  }

  private unwrap(subjectId: string, wrapped: Buffer, keyId: string): Promise<Buffer> {
    return this.wrapperOf(keyId).unwrap(wrapped, subjectId);
  }

  private wrapperOf(keyId: string): KeyWrapper {
    const wrapper = this.keys.wrapper(keyId);
    if (!wrapper) throw new Error(`vault: master key ${keyId} is not available`);
    return wrapper;
  }
}

/** The stores hand back Buffers already: view, don't copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The person's pseudonymous tag in the ledger: keyed by their data key, so it dies with it. */
export function ledgerTag(dataKey: Buffer): string {
  return tagOf(hmac(dataKey, LEDGER_TAG));
}

const LEDGER_TAG = 'glasshub ledger tag v1';
const tagOf = (mac: Buffer): string => mac.subarray(0, 16).toString('base64url');

/** `ledgerTag` of each key, in one batch. */
async function ledgerTags(dataKeys: readonly Buffer[]): Promise<string[]> {
  return (await hmacEach(dataKeys.map((key) => ({ key, message: LEDGER_TAG })))).map(tagOf);
}
