/**
 * Bulk statements written by hand for the hub's hot paths (a sorter batch writes thousands of rows).
 * Kysely builds an operation node per value and compiles the tree again for every statement; for
 * multi-row inserts of thousands of values that costs as much as the database's own work. These helpers
 * write the SQL text directly, with placeholders in the dialect's style, and run it through Kysely
 * (`executeQuery`), inside the caller's transaction. Identifiers are constants of the calling code, never
 * input; every value is a bound parameter.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

export type SqlValue = string | number | null;

/** `$1` (PostgreSQL) or `?` (SQLite), learnt from a tiny query the dialect compiles, cached per instance. */
const styles = new WeakMap<object, boolean>();
function usesDollar(db: Kysely<Database>): boolean {
  let dollar = styles.get(db);
  if (dollar === undefined) {
    dollar = db.selectFrom('epcis_events').select('seq').where('seq', '=', 0).compile().sql.includes('$1');
    styles.set(db, dollar);
  }
  return dollar;
}

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `width` values. */
function tuples(db: Kysely<Database>, rows: number, width: number): string {
  const dollar = usesDollar(db);
  const out: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) row.push(dollar ? `$${++n}` : '?');
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

/** `insert into <table> (<columns>) values … <tail>` for the rows (each as long as `columns`). */
export async function insertRows<R>(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], tail = ''): Promise<R[]> {
  if (rows.length === 0) return [];
  const text = `insert into ${table} (${columns.join(', ')}) values ${tuples(db, rows.length, columns.length)} ${tail}`;
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, rows.flat()));
  return result.rows;
}

/**
 * `update <table> set <set> from (values …) as v where <where>`: one statement updates each row with its
 * own values, named `v.column1`, `v.column2`, … (the default names of a VALUES list on both stores).
 * Every value comes from the rows, so that placeholders stay in text order on both stores.
 */
export async function updateFromValues(db: Kysely<Database>, table: string, set: string, where: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  if (rows.length === 0) return;
  const text = `update ${table} set ${set} from (values ${tuples(db, rows.length, rows[0]!.length)}) as v where ${where}`;
  await db.executeQuery(CompiledQuery.raw(text, rows.flat()));
}
