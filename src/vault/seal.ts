/**
 * Sealing: each person's data encrypted under their own data key, in bulk (a freighter seals half a
 * million people). The same person — the same blind index, a keyed HMAC of their e-mail or name, postcode
 * and country — keeps one subject and key; the same data of the same person is the same record.
 *
 * Written for throughput: SQL text built once per shape and reused (no query tree per row), multi-row
 * inserts, and ids that grow with time (see `SequentialIds`), so that the primary keys and the
 * (subject, content) index are appended to instead of dirtying a random page per person. Only the blind
 * index stays random: it must be keyed.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { normalisePartyName } from '../domain/index.js';
import { usesDollarPlaceholders, type Database } from '../store/index.js';
import { hmacMany, sealMany, type SealItem } from './crypto-batch.js';
import { hmac, random } from './crypto.js';
import type { VaultKeyring } from './keys.js';

/** Rows per statement: 6 columns × 1,024 stays far below both stores' parameter limits. */
const ROWS = 1024;

interface Subject {
  readonly id: string;
  key(): Promise<Buffer>;
}

type Unwrap = (subjectId: string, wrapped: Buffer, keyId: string) => Promise<Buffer>;
/** A person's fields as `Vault` passes them (this file stands below `vault.ts`, which imports it). */
type Fields = Readonly<Partial<Record<string, string>>>;
interface Person {
  readonly role: string;
  readonly data: Fields;
}

/**
 * Ids that sort in creation order: 48 bits of milliseconds, then 80 bits that start random each
 * millisecond and count up within it (as ULID's monotonic mode), in base32hex (0-9a-v, 26 characters,
 * which sorts the same as bytes, in C and in natural-language collations). Unique across processes by
 * the random start; in order within one. They tell no more than the row's own `created_at`.
 */
export class SequentialIds {
  private lastMs = -1;
  private counter = 0n;

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      // The top bit clear leaves room to count 2^79 ids within the millisecond.
      this.counter = BigInt(`0x${random(10).toString('hex')}`) >> 1n;
    } else {
      this.counter++;
    }
    return ((BigInt(this.lastMs) << 80n) | this.counter).toString(32).padStart(26, '0');
  }
}

const ids = new SequentialIds();

/**
 * Encrypts each person's data under their own key; returns record ids in input order. `fields` is the
 * canonical field order of a record's content.
 */
export async function sealPeople(tx: Kysely<Database>, keys: VaultKeyring, unwrap: Unwrap, people: readonly Person[], fields: readonly string[]): Promise<string[]> {
  if (people.length === 0) return [];
  // The same person with the same data many times in one call (a seller on thousands of a manifest's
  // lines) is sealed once and the reference handed to each: what the steps below would find anyway,
  // without their keyed hashes and lookups per line.
  const contents: string[] = [];
  const distinct: Person[] = [];
  const first = new Map<string, number>();
  const slot = people.map((p) => {
    const content = canonical(p.data, fields);
    const key = `${p.role}\n${content}`;
    let k = first.get(key);
    if (k === undefined) {
      first.set(key, (k = distinct.length));
      distinct.push(p);
      contents.push(content);
    }
    return k;
  });
  const refs = await sealDistinct(tx, keys, unwrap, distinct, contents);
  return slot.map((k) => refs[k]!);
}

/** `sealPeople` for people all different (role and data), with their canonical contents. */
async function sealDistinct(tx: Kysely<Database>, keys: VaultKeyring, unwrap: Unwrap, people: readonly Person[], contents: readonly string[]): Promise<string[]> {
  const sql = new Sql(tx);
  const now = new Date().toISOString();
  // The keyed hashes, each batch at once (off the main thread when large, `crypto-batch.ts`): who each person is
  // (the blind index) and, for sanctions screening, their name. Same bytes as `hmac` over the parts.
  const names = people.map((p) => screeningForm(p.data['name']));
  const [identities, nameHashes] = await Promise.all([
    hmacMany(keys.indexKey, people.map((p) => `subject\n${p.role}\n${identity(p.data)}`)),
    hmacMany(keys.indexKey, names.filter((n) => n !== '').map((n) => `name\n${n}`)),
  ]);
  let named = 0;
  const nameIndexes = names.map((n) => (n === '' ? null : nameHashes[named++]!));
  const hexes = identities.map((b) => b.toString('hex'));
  const subjects = await subjectsByIndex(sql, unwrap, identities);
  const known = new Set(subjects.keys());

  const fresh = new Map<string, { id: string; role: string; key: Buffer; index: Buffer }>();
  people.forEach((p, i) => {
    const hex = hexes[i]!;
    if (!subjects.has(hex) && !fresh.has(hex)) fresh.set(hex, { id: ids.next(), role: p.role, key: random(32), index: identities[i]! });
  });
  if (fresh.size > 0) {
    // Read once: a keyring that follows its file may switch keys between two reads (the key that wraps must be the one named).
    const current = keys.current;
    const list = [...fresh.values()];
    const wrapped = current.wrapMany ? await current.wrapMany(list.map((f) => ({ dataKey: f.key, context: f.id }))) : [];
    for (let i = wrapped.length; i < list.length; i++) wrapped.push(await current.wrap(list[i]!.key, list[i]!.id));
    const rows = list.map((f, i) => [f.id, f.role, f.index, wrapped[i]!, current.keyId, now]);
    const keyOf = new Map([...fresh.values()].map((f) => [f.id, f.key]));
    for (let i = 0; i < rows.length; i += ROWS) {
      const inserted = await sql.insert<{ id: string; blind_index: Uint8Array }>(
        'vault_subjects',
        ['id', 'role', 'blind_index', 'wrapped_key', 'master_key_id', 'created_at'],
        rows.slice(i, i + ROWS),
        'on conflict (blind_index) do nothing returning id, blind_index',
      );
      for (const r of inserted) {
        const key = keyOf.get(r.id)!;
        subjects.set(Buffer.from(r.blind_index).toString('hex'), { id: r.id, key: () => Promise.resolve(key) });
      }
    }
    // A concurrent writer may have created some of them first: read back what it stored.
    const lost = [...fresh.values()].filter((f) => !subjects.has(f.index.toString('hex')));
    if (lost.length > 0) {
      for (const [hex, s] of await subjectsByIndex(sql, unwrap, lost.map((f) => f.index))) {
        subjects.set(hex, s);
        known.add(hex);
      }
    }
  }

  const subjectOf = hexes.map((hex) => subjects.get(hex)!);
  const contentIndexes = await hmacMany(keys.indexKey, contents.map((c, i) => `record\n${subjectOf[i]!.id}\n${c}`));
  const wanted = people.map((_, i) => ({ subject: subjectOf[i]!, content: contents[i]!, nameIndex: nameIndexes[i]!, old: known.has(hexes[i]!), index: contentIndexes[i]! }));
  // Only a subject that existed before this call can have records already.
  const existing = await recordsOf(sql, wanted.filter((w) => w.old).map((w) => [w.subject.id, w.index] as const));
  const newRecords = new Map<string, unknown[]>();
  const toSeal: SealItem[] = [];
  for (const w of wanted) {
    const key = `${w.subject.id}/${w.index.toString('hex')}`;
    if (existing.has(key) || newRecords.has(key)) continue;
    const id = ids.next();
    toSeal.push({ key: await w.subject.key(), plaintext: Buffer.from(w.content), aad: Buffer.from(`${id}\n${w.subject.id}`) });
    newRecords.set(key, [id, w.subject.id, w.index, undefined, w.nameIndex, now]);
  }
  const ciphertexts = await sealMany(toSeal);
  const records = [...newRecords.values()];
  records.forEach((r, i) => (r[3] = ciphertexts[i]));
  for (let i = 0; i < records.length; i += ROWS) {
    const inserted = await sql.insert<{ id: string; subject_id: string; content_index: Uint8Array }>(
      'vault_records',
      ['id', 'subject_id', 'content_index', 'ciphertext', 'name_index', 'created_at'],
      records.slice(i, i + ROWS),
      'on conflict (subject_id, content_index) do nothing returning id, subject_id, content_index',
    );
    for (const r of inserted) existing.set(`${r.subject_id}/${Buffer.from(r.content_index).toString('hex')}`, r.id);
  }
  const raced = [...newRecords.keys()].filter((k) => !existing.has(k));
  if (raced.length > 0) {
    const pairs = raced.map((k) => newRecords.get(k)!).map((r) => [r[1] as string, r[2] as Buffer] as const);
    for (const [k, id] of await recordsOf(sql, pairs)) existing.set(k, id);
  }
  return wanted.map((w) => existing.get(`${w.subject.id}/${w.index.toString('hex')}`)!);
}

async function subjectsByIndex(sql: Sql, unwrap: Unwrap, indexes: readonly Buffer[]): Promise<Map<string, Subject>> {
  const out = new Map<string, Subject>();
  const distinct = [...new Map(indexes.map((b) => [b.toString('hex'), b])).values()];
  for (let i = 0; i < distinct.length; i += ROWS) {
    const chunk = sql.padded(distinct.slice(i, i + ROWS));
    const rows = await sql.select<{ id: string; blind_index: Uint8Array; wrapped_key: Uint8Array; master_key_id: string }>(
      `select id, blind_index, wrapped_key, master_key_id from vault_subjects where blind_index in (${sql.marks(chunk.length, 1)})`,
      chunk,
    );
    for (const r of rows) {
      let cached: Promise<Buffer> | undefined;
      out.set(Buffer.from(r.blind_index).toString('hex'), { id: r.id, key: () => (cached ??= unwrap(r.id, Buffer.from(r.wrapped_key), r.master_key_id)) });
    }
  }
  return out;
}

/** `subject/content-index hex → record id` of the records among these (subject, content index) pairs. */
async function recordsOf(sql: Sql, pairs: readonly (readonly [string, Buffer])[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const distinct = [...new Map(pairs.map((p) => [`${p[0]}/${p[1].toString('hex')}`, p])).values()];
  for (let i = 0; i < distinct.length; i += ROWS) {
    const chunk = sql.padded(distinct.slice(i, i + ROWS));
    // Row values look up the (subject_id, content_index) unique index on both stores.
    const rows = await sql.select<{ id: string; subject_id: string; content_index: Uint8Array }>(
      `select id, subject_id, content_index from vault_records where (subject_id, content_index) in (values ${sql.tuples(chunk.length, ['text', 'bytea'])})`,
      chunk.flat(),
    );
    for (const r of rows) out.set(`${r.subject_id}/${Buffer.from(r.content_index).toString('hex')}`, r.id);
  }
  return out;
}

/**
 * The keyed index of a name for sanctions screening (migration 014): HMAC under the index key of the name's
 * screening normal form, so that a listed name can be compared without opening the record; null without a name.
 */
export function nameIndex(indexKey: Buffer, name: string | undefined): Buffer | null {
  const normal = screeningForm(name);
  return normal === '' ? null : hmac(indexKey, 'name\n', normal);
}

function screeningForm(name: string | undefined): string {
  return name === undefined ? '' : normalisePartyName(name);
}

/** SQL text in the transaction's dialect, each shape built once. */
class Sql {
  private static readonly texts = new Map<string, string>();
  private readonly dollar: boolean;

  constructor(private readonly tx: Kysely<Database>) {
    this.dollar = usesDollarPlaceholders(tx);
  }

  /** `?, ?` or `$1, $2` (from `$first`). */
  marks(n: number, first: number, cast?: string): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.dollar ? `$${first + i}${cast ? `::${cast}` : ''}` : '?');
    return out.join(', ');
  }

  /** `(?, ?), (?, ?)` for `rows` rows; on PostgreSQL each placeholder cast to its column's type (`casts`). */
  tuples(rows: number, casts: readonly (string | undefined)[]): string {
    const key = `${this.dollar} ${rows} ${casts.join(',')}`;
    let text = Sql.texts.get(key);
    if (text === undefined) {
      const out: string[] = [];
      for (let r = 0, p = 1; r < rows; r++) out.push(`(${casts.map((c) => (this.dollar ? `$${p++}${c ? `::${c}` : ''}` : '?')).join(', ')})`);
      text = out.join(', ');
      if (Sql.texts.size > 64) Sql.texts.clear();
      Sql.texts.set(key, text);
    }
    return text;
  }

  /**
   * Row counts in powers of two, largest first: SQLite caches a prepared statement per text, and one of
   * thousands of placeholders is large, so few shapes (see `pieces` in `hub/events/sql.ts`).
   */
  async insert<R>(table: string, columns: readonly string[], rows: readonly unknown[][], tail: string): Promise<R[]> {
    const out: R[] = [];
    for (let from = 0; from < rows.length; ) {
      let size = 1 << 30;
      while (size > rows.length - from) size >>>= 1;
      const text = `insert into ${table} (${columns.join(', ')}) values ${this.tuples(size, columns.map(() => undefined))} ${tail}`;
      for (const row of (await this.tx.executeQuery<R>(CompiledQuery.raw(text, rows.slice(from, from + size).flat()))).rows) out.push(row);
      from += size;
    }
    return out;
  }

  /** `items` padded to the next power of two by repeating the last one (for `IN` lists: the same answer, few shapes). */
  padded<T>(items: readonly T[]): T[] {
    const out = [...items];
    let size = 1;
    while (size < out.length) size <<= 1;
    while (out.length < size) out.push(out[out.length - 1]!);
    return out;
  }

  async select<R>(text: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.tx.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
  }
}

/** The same person again: by e-mail when there is one, else by name, postcode and country. */
function identity(d: Fields): string {
  const norm = (s: string | undefined): string => (s ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  return d.email ? `email:${norm(d.email)}` : `name:${norm(d.name)}|${norm(d.postcode)}|${norm(d.country)}`;
}

function canonical(d: Fields, fields: readonly string[]): string {
  const out: Record<string, string> = {};
  for (const f of fields) if (d[f] !== undefined && d[f] !== '') out[f] = d[f];
  return JSON.stringify(out);
}
