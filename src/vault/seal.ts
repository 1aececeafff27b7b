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
import { insertRowsCounting, padded, selectIn, valuesList, type Database, type SqlValue } from '../store/index.js';
import { hmacMany, sealMany, type SealItem } from './crypto-batch.js';
import { aesGcmSeal, hmac, random } from './crypto.js';
import { wrapKeys, type VaultKeyring } from './keys.js';
import { canonical, identityMessage, ids, nameMessage, recordMessage, screeningForm, type Person } from './people.js';
import type { AheadRecord, PreparedPeople } from './prepare-seal.js';

/** Rows per statement: 6 columns × 1,024 stays far below both stores' parameter limits. */
const ROWS = 1024;

type Unwrap = (subjectId: string, wrapped: Buffer, keyId: string) => Promise<Buffer>;

interface Subject {
  readonly id: string;
  key(): Promise<Buffer>;
}

/**
 * Encrypts each person's data under their own key; returns record ids in input order. `fields` is the
 * canonical field order of a record's content. `prepared` (from `PreparedPeople`) holds the cryptography
 * of some of these very request objects, done before the transaction: it is used where it still holds
 * (the person is new to the vault, the master key unchanged), and the rest is done here.
 */
export async function sealPeople(
  tx: Kysely<Database>,
  keys: VaultKeyring,
  unwrap: Unwrap,
  people: readonly Person[],
  fields: readonly string[],
  prepared?: PreparedPeople,
): Promise<string[]> {
  if (people.length === 0) return [];
  if (prepared !== undefined) await prepared.ready;
  // The same person with the same data many times in one call (a seller on thousands of a manifest's
  // lines) is sealed once and the reference handed to each: what the steps below would find anyway,
  // without their keyed hashes and lookups per line.
  const contents: string[] = [];
  const distinct: Person[] = [];
  const ahead: (AheadRecord | undefined)[] = [];
  const first = new Map<string, number>();
  const slot = people.map((p) => {
    const a = prepared?.of(p);
    const content = a?.content ?? canonical(p.data, fields);
    const key = `${p.role}\n${content}`;
    let k = first.get(key);
    if (k === undefined) {
      first.set(key, (k = distinct.length));
      distinct.push(p);
      contents.push(content);
      ahead.push(a);
    }
    return k;
  });
  const refs = await sealDistinct(tx, keys, unwrap, distinct, contents, ahead, prepared?.keyId);
  return slot.map((k) => refs[k]!);
}

/** `sealPeople` for people all different (role and data), with their canonical contents and what was prepared of each. */
async function sealDistinct(
  tx: Kysely<Database>,
  keys: VaultKeyring,
  unwrap: Unwrap,
  people: readonly Person[],
  contents: readonly string[],
  ahead: readonly (AheadRecord | undefined)[],
  /** The master key the prepared data keys were wrapped under. */
  aheadKeyId?: string,
): Promise<string[]> {
  const now = new Date().toISOString();
  // With a preparation, what is left runs on this thread: little (people seen before), and the worker's
  // queue may already hold the next batch's preparation, which it would wait behind.
  const inline = ahead.some((a) => a !== undefined);
  const hmacs = (messages: readonly string[]): Promise<Buffer[]> =>
    inline ? Promise.resolve(messages.map((m) => hmac(keys.indexKey, m))) : hmacMany(keys.indexKey, messages);

  // The keyed hashes (off the main thread when large, `crypto-batch.ts`): who each person is (the blind
  // index) and, for sanctions screening, their name. Same bytes as `hmac` over the parts.
  const identities: Buffer[] = [];
  const nameIndexes: (Buffer | null)[] = [];
  const todo: number[] = [];
  ahead.forEach((a, i) => {
    if (a === undefined) todo.push(i);
    else {
      identities[i] = a.subject.index!;
      nameIndexes[i] = a.nameIndex ?? null;
    }
  });
  if (todo.length > 0) {
    const names = todo.map((i) => screeningForm(people[i]!.data['name']));
    const [subjectHashes, nameHashes] = await Promise.all([
      hmacs(todo.map((i) => identityMessage(people[i]!))),
      hmacs(names.filter((n) => n !== '').map(nameMessage)),
    ]);
    let named = 0;
    todo.forEach((i, k) => {
      identities[i] = subjectHashes[k]!;
      nameIndexes[i] = names[k] === '' ? null : nameHashes[named++]!;
    });
  }
  const hexes = identities.map((b) => b.toString('hex'));
  const subjects = await subjectsByIndex(tx, unwrap, identities);
  const known = new Set(subjects.keys());

  // New subjects: the prepared candidate where there is one, its key wrapped ahead under the master key
  // that is still current.
  const current = keys.current; // read once: a keyring that follows its file may switch keys between two reads
  const fresh = new Map<string, Fresh>();
  people.forEach((p, i) => {
    const hex = hexes[i]!;
    if (subjects.has(hex) || fresh.has(hex)) return;
    const c = ahead[i]?.subject;
    fresh.set(hex, c ? { id: c.id, role: p.role, key: c.key, index: identities[i]!, wrapped: aheadKeyId === current.keyId ? c.wrapped : undefined } : { id: ids.next(), role: p.role, key: random(32), index: identities[i]!, wrapped: undefined });
  });
  if (fresh.size > 0) {
    const list = [...fresh.values()];
    const unwrapped = list.filter((f) => f.wrapped === undefined);
    (await wrapKeys(current, unwrapped)).forEach((w, i) => (unwrapped[i]!.wrapped = w));
    const hexOf = [...fresh.keys()];
    for (let i = 0; i < list.length; i += ROWS) {
      const chunk = list.slice(i, i + ROWS);
      const rows = chunk.map((f) => [f.id, f.role, f.index, f.wrapped!, current.keyId, now]);
      const inserted = await insertCounting(tx, 'vault_subjects', ['id', 'role', 'blind_index', 'wrapped_key', 'master_key_id', 'created_at'], rows, 'on conflict (blind_index) do nothing');
      // All stored: each is the subject made here (the usual case, told without reading rows back). Else a
      // concurrent writer stored some of these people first, and which ones is read back below.
      if (inserted === chunk.length) chunk.forEach((f, k) => subjects.set(hexOf[i + k]!, { id: f.id, key: () => Promise.resolve(f.key) }));
    }
    const lost = list.filter((_, k) => !subjects.has(hexOf[k]!));
    if (lost.length > 0) {
      for (const [hex, s] of await subjectsByIndex(tx, unwrap, lost.map((f) => f.index))) {
        subjects.set(hex, s);
        known.add(hex);
      }
    }
  }

  // A record's content index names its subject: prepared only for the person who got the prepared subject.
  const subjectOf = hexes.map((hex) => subjects.get(hex)!);
  const kept = (i: number): AheadRecord | undefined => (ahead[i]?.subject.id === subjectOf[i]!.id ? ahead[i] : undefined);
  const contentIndexes: Buffer[] = [];
  const unindexed: number[] = [];
  people.forEach((_, i) => {
    const a = kept(i);
    if (a) contentIndexes[i] = a.contentIndex!;
    else unindexed.push(i);
  });
  if (unindexed.length > 0) {
    const computed = await hmacs(unindexed.map((i) => recordMessage(subjectOf[i]!.id, contents[i]!)));
    unindexed.forEach((i, k) => (contentIndexes[i] = computed[k]!));
  }
  const wanted = people.map((_, i) => ({ subject: subjectOf[i]!, content: contents[i]!, nameIndex: nameIndexes[i]!, old: known.has(hexes[i]!), index: contentIndexes[i]! }));
  // Only a subject that existed before this call can have records already.
  const existing = await recordsOf(tx, wanted.filter((w) => w.old).map((w) => [w.subject.id, w.index] as const));
  const newRecords = new Map<string, SqlValue[]>();
  const toSeal: SealItem[] = [];
  const sealedNow: SqlValue[][] = [];
  for (const [i, w] of wanted.entries()) {
    const key = `${w.subject.id}/${w.index.toString('hex')}`;
    if (existing.has(key) || newRecords.has(key)) continue;
    const a = kept(i);
    if (a) {
      newRecords.set(key, [a.id, w.subject.id, w.index, a.ciphertext!, w.nameIndex, now]);
      continue;
    }
    const id = ids.next();
    const row: SqlValue[] = [id, w.subject.id, w.index, null, w.nameIndex, now]; // its ciphertext sealed below
    toSeal.push({ key: await w.subject.key(), plaintext: Buffer.from(w.content), aad: Buffer.from(`${id}\n${w.subject.id}`) });
    sealedNow.push(row);
    newRecords.set(key, row);
  }
  const ciphertexts = inline ? toSeal.map((it) => aesGcmSeal(it.key, it.plaintext, it.aad)) : await sealMany(toSeal);
  sealedNow.forEach((r, i) => (r[3] = ciphertexts[i]!));
  const records = [...newRecords.values()];
  const recordKeys = [...newRecords.keys()];
  for (let i = 0; i < records.length; i += ROWS) {
    const chunk = records.slice(i, i + ROWS);
    const inserted = await insertCounting(tx, 'vault_records', ['id', 'subject_id', 'content_index', 'ciphertext', 'name_index', 'created_at'], chunk, 'on conflict (subject_id, content_index) do nothing');
    // As for subjects: all stored, or those a concurrent writer stored first are read back below.
    if (inserted === chunk.length) chunk.forEach((row, k) => existing.set(recordKeys[i + k]!, row[0] as string));
  }
  const raced = [...newRecords.keys()].filter((k) => !existing.has(k));
  if (raced.length > 0) {
    const pairs = raced.map((k) => newRecords.get(k)!).map((r) => [r[1] as string, r[2] as Buffer] as const);
    for (const [k, id] of await recordsOf(tx, pairs)) existing.set(k, id);
  }
  return wanted.map((w) => existing.get(`${w.subject.id}/${w.index.toString('hex')}`)!);
}

interface Fresh {
  readonly id: string;
  readonly role: string;
  readonly key: Buffer;
  readonly index: Buffer;
  wrapped: Buffer | undefined;
}

async function subjectsByIndex(tx: Kysely<Database>, unwrap: Unwrap, indexes: readonly Buffer[]): Promise<Map<string, Subject>> {
  const out = new Map<string, Subject>();
  const distinct = [...new Map(indexes.map((b) => [b.toString('hex'), b])).values()];
  const rows = await selectIn<{ id: string; blind_index: Uint8Array; wrapped_key: Uint8Array; master_key_id: string }>(
    tx, 'select id, blind_index, wrapped_key, master_key_id from vault_subjects', 'blind_index', distinct, ROWS,
  );
  for (const r of rows) {
    let cached: Promise<Buffer> | undefined;
    out.set(Buffer.from(r.blind_index).toString('hex'), { id: r.id, key: () => (cached ??= unwrap(r.id, Buffer.from(r.wrapped_key), r.master_key_id)) });
  }
  return out;
}

/** `subject/content-index hex → record id` of the records among these (subject, content index) pairs. */
async function recordsOf(tx: Kysely<Database>, pairs: readonly (readonly [string, Buffer])[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const distinct = [...new Map(pairs.map((p) => [`${p[0]}/${p[1].toString('hex')}`, p])).values()];
  for (let i = 0; i < distinct.length; i += ROWS) {
    const chunk = padded(distinct.slice(i, i + ROWS));
    // Row values look up the (subject_id, content_index) unique index on both stores.
    const text = `select id, subject_id, content_index from vault_records where (subject_id, content_index) in (values ${valuesList(tx, chunk.length, ['text', 'bytea'])})`;
    const { rows } = await tx.executeQuery<{ id: string; subject_id: string; content_index: Uint8Array }>(CompiledQuery.raw(text, chunk.flat()));
    for (const r of rows) out.set(`${r.subject_id}/${Buffer.from(r.content_index).toString('hex')}`, r.id);
  }
  return out;
}

/** Inserts the rows; answers how many were stored (those an `on conflict` in `tail` skipped are not counted). */
async function insertCounting(tx: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], tail: string): Promise<number> {
  let inserted = 0;
  for (const piece of await insertRowsCounting(tx, table, columns, rows, tail)) inserted += piece.inserted;
  return inserted;
}

/**
 * The keyed index of a name for sanctions screening (migration 014): HMAC under the index key of the name's
 * screening normal form, so that a listed name can be compared without opening the record; null without a name.
 */
export function nameIndex(indexKey: Buffer, name: string | undefined): Buffer | null {
  const normal = screeningForm(name);
  return normal === '' ? null : hmac(indexKey, nameMessage(normal));
}

