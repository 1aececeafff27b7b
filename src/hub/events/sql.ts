/**
 * Bulk statements written by hand for the hub's hot paths (a sorter batch writes thousands of rows).
 * Kysely builds an operation node per value and compiles the tree again for every statement; for
 * multi-row inserts of thousands of values that costs as much as the database's own work. These helpers
 * write the SQL text directly, with placeholders in the dialect's style, and run it through Kysely
 * (`executeQuery`), inside the caller's transaction. Identifiers are constants of the calling code, never
 * input; every value is a bound parameter.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { usesDollarPlaceholders, type Database } from '../../store/index.js';

export type SqlValue = string | number | null;

/** Placeholder lists by shape: bulk statements repeat the same few shapes thousands of times. */
const shapes = new Map<string, string>();

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `width` values. */
function tuples(db: Kysely<Database>, rows: number, width: number): string {
  const dollar = usesDollarPlaceholders(db);
  const key = `${dollar ? '$' : '?'}${rows}x${width}`;
  let text = shapes.get(key);
  if (text === undefined) {
    text = buildTuples(dollar, rows, width);
    if (shapes.size > 512) shapes.clear();
    shapes.set(key, text);
  }
  return text;
}

function buildTuples(dollar: boolean, rows: number, width: number): string {
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
  const out: R[] = [];
  for (const [from, to] of pieces(rows.length)) {
    const result = await db.executeQuery<R>(insertStatement(db, table, columns, rows, from, to, tail));
    for (const row of result.rows) out.push(row);
  }
  return out;
}

/** The multi-row insert of rows `[from, to)`. */
function insertStatement(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], from: number, to: number, tail: string): CompiledQuery {
  return CompiledQuery.raw(`insert into ${table} (${columns.join(', ')}) values ${tuples(db, to - from, columns.length)} ${tail}`, flatten(rows, from, to));
}

/** One statement of `insertRowsCounting`: rows `[from, to)`, how many it stored, and SQLite's last insert rowid. */
export interface InsertedPiece {
  readonly from: number;
  readonly to: number;
  readonly inserted: number;
  readonly lastRowid: number;
}

/** As `insertRows` without reading rows back: per statement, how many rows it stored (an `on conflict` skips some). */
export async function insertRowsCounting(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], tail = ''): Promise<InsertedPiece[]> {
  const out: InsertedPiece[] = [];
  for (const [from, to] of pieces(rows.length)) {
    const result = await db.executeQuery(insertStatement(db, table, columns, rows, from, to, tail));
    out.push({ from, to, inserted: Number(result.numAffectedRows ?? 0n), lastRowid: Number(result.insertId ?? 0n) });
  }
  return out;
}

/**
 * `update <table> set <set> from (values …) as v where <where>`: one statement updates each row with its
 * own values, named `v.column1`, `v.column2`, … (the default names of a VALUES list on both stores).
 * Every value comes from the rows, so that placeholders stay in text order on both stores.
 */
export async function updateFromValues(db: Kysely<Database>, table: string, set: string, where: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  for (const [from, to] of pieces(rows.length)) {
    const text = `update ${table} set ${set} from (values ${tuples(db, to - from, rows[0]!.length)}) as v where ${where}`;
    await db.executeQuery(CompiledQuery.raw(text, flatten(rows, from, to)));
  }
}

/** The values of rows `[from, to)` in one array: a plain loop, several times faster than `slice().flat()` on V8. */
function flatten(rows: readonly (readonly SqlValue[])[], from: number, to: number): SqlValue[] {
  const out: SqlValue[] = [];
  for (let r = from; r < to; r++) for (const value of rows[r]!) out.push(value);
  return out;
}

/**
 * `[from, to)` ranges of `n` rows whose sizes are powers of two, largest first. SQLite keeps a prepared
 * statement per SQL text (`src/store/database.ts`), and a statement of thousands of placeholders is
 * large: with any row count allowed, a freighter's remainders made hundreds of distinct statements
 * (hundreds of MiB, each prepared once and rarely reused). Powers of two leave a dozen shapes per table.
 */
export function pieces(n: number): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  for (let size = 1 << 30; size >= 1; size >>>= 1) {
    while (n - from >= size) {
      out.push([from, from + size]);
      from += size;
    }
  }
  return out;
}

/** The next power of two ≥ n (n ≥ 1): IN lists padded to it, by repeating their last value, keep few shapes. */
export function paddedLength(n: number): number {
  let size = 1;
  while (size < n) size <<= 1;
  return size;
}

/** Values per `IN (…)` list: far below both stores' parameter limits. */
export const IN_CHUNK = 4096;

/**
 * `<select> where <column> in (…)` for every value, `IN_CHUNK` at a time, as SQL text (no query tree per
 * value): `select` and `column` are constants of the calling code.
 */
export async function selectIn<R>(db: Kysely<Database>, select: string, column: string, values: readonly SqlValue[]): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    const slice = values.slice(i, i + IN_CHUNK);
    while (slice.length < paddedLength(slice.length)) slice.push(slice[slice.length - 1]!);
    const text = `${select} where ${column} in ${tuples(db, 1, slice.length)}`;
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, slice));
    for (const row of result.rows) out.push(row);
  }
  return out;
}
