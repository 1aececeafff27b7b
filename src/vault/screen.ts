/**
 * Screening by keyed hash (migration 014): which records hold a name that is on a list, found by comparing
 * HMACs of the names' screening forms under the vault's index key — no record is decrypted and no name
 * leaves the vault. The list's names are hashed here, with the same key as at sealing (`nameIndex`).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { normalisePartyName, sortedDistinct } from '../domain/index.js';
import { usesDollarPlaceholders, type Database } from '../store/index.js';
import { nameIndex } from './seal.js';

export interface NameScreening {
  /** Record id → the list name (in its screening form) that its name matches. */
  readonly matches: ReadonlyMap<string, string>;
  /** Records that could not be screened: unknown, without a name, sealed before migration 014, or erased. */
  readonly unscreened: number;
}

/**
 * One statement for any number of records, the ids and the list's hashes passed as one JSON array each
 * (SQLite) or one text array each (PostgreSQL), compared in the database: only the count of records with a
 * name hash and the matches come back (returning a freighter's 250,000 rows, or sending 250 statements of
 * 1,000 placeholders, cost most of a second).
 */
const SCREEN_SQL = {
  sqlite: `select count(*) as indexed, group_concat(case when name_index in (select unhex(value) from json_each(?)) then id || ' ' || lower(hex(name_index)) end, ',') as hits
    from vault_records where name_index is not null and id in (select value from json_each(?))`,
  postgres: `select count(*) as indexed, string_agg(case when name_index in (select decode(h, 'hex') from unnest($2::text[]) as h) then id || ' ' || encode(name_index, 'hex') end, ',') as hits
    from vault_records where name_index is not null and id = any($1::text[])`,
};

export async function screenNames(db: Kysely<Database>, indexKey: Buffer, recordIds: readonly string[], names: readonly string[]): Promise<NameScreening> {
  const listed = new Map<string, string>();
  for (const n of names) {
    const index = nameIndex(indexKey, n);
    if (index !== null) listed.set(index.toString('hex'), normalisePartyName(n));
  }
  const ids = sortedDistinct(recordIds);
  const hashes = [...listed.keys()];
  const postgres = usesDollarPlaceholders(db);
  const query = postgres ? CompiledQuery.raw(SCREEN_SQL.postgres, [ids, hashes]) : CompiledQuery.raw(SCREEN_SQL.sqlite, [JSON.stringify(hashes), JSON.stringify(ids)]);
  const [row] = (await db.executeQuery<{ indexed: number | string; hits: string | null }>(query)).rows;
  const matches = new Map<string, string>();
  for (const hit of row?.hits?.split(',') ?? []) {
    const [id, hex] = hit.split(' ');
    const name = listed.get(hex ?? '');
    if (id !== undefined && name !== undefined) matches.set(id, name);
  }
  return { matches, unscreened: ids.length - Number(row?.indexed ?? 0) };
}
