/**
 * Bulk statements written as SQL text, for the hot paths of the hub and the vault (a freighter writes
 * millions of rows). Kysely builds an operation node per value and compiles the tree again for every
 * statement; for multi-row inserts of thousands of values that costs as much as the database's own work.
 * These helpers write the text directly, with placeholders in the handle's style, and run it through
 * Kysely (`executeQuery`) inside the caller's transaction. Table, column and select texts are constants of
 * the calling code, never input; every value is a bound parameter.
 *
 * Statement shapes are kept few: SQLite keeps a prepared statement per SQL text (`database.ts`), and one
 * of thousands of placeholders is large. Row counts are powers of two (`pieces`), IN lists are padded to
 * one (`padded`): a dozen shapes per table instead of hundreds.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { usesDollarPlaceholders } from './dialect.js';
import type { Database } from './schema.js';

export type SqlValue = string | number | bigint | null | Uint8Array;

/** Values per `IN (…)` list: far below both stores' parameter limits. */
export const IN_CHUNK = 4096;

/** Placeholder lists by shape: bulk statements repeat the same few shapes thousands of times. */
const shapes = new Map<string, string>();

/**
 * `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `casts.length` values (a number: that many
 * values, none cast); on PostgreSQL each placeholder cast to its type in `casts` where one is given (a
 * `VALUES` list compared with typed columns needs them there).
 */
export function valuesList(db: Kysely<Database>, rows: number, casts: number | readonly (string | undefined)[]): string {
  const dollar = usesDollarPlaceholders(db);
  const width = typeof casts === 'number' ? casts : casts.length;
  const key = `${dollar ? '$' : '?'}${rows}x${typeof casts === 'number' ? width : casts.join(',')}`;
  let text = shapes.get(key);
  if (text === undefined) {
    const out: string[] = [];
    for (let r = 0, n = 0; r < rows; r++) {
      const row: string[] = [];
      for (let c = 0; c < width; c++) {
        const cast = typeof casts === 'number' ? undefined : casts[c];
        row.push(dollar ? `$${++n}${cast ? `::${cast}` : ''}` : '?');
      }
      out.push(`(${row.join(', ')})`);
    }
    text = out.join(', ');
    if (shapes.size > 512) shapes.clear();
    shapes.set(key, text);
  }
  return text;
}

/** One statement of an insert: rows `[from, to)`, how many it stored (an `on conflict` skips some), SQLite's last insert rowid. */
export interface InsertedPiece {
  readonly from: number;
  readonly to: number;
  readonly inserted: number;
  readonly lastRowid: number;
}

/** `insert into <table> (<columns>) values … <tail>` for the rows (each as long as `columns`); answers the rows a `returning` tail returns. */
export async function insertRows<R>(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], tail = ''): Promise<R[]> {
  const out: R[] = [];
  for (const [from, to] of pieces(rows.length)) {
    const result = await db.executeQuery<R>(CompiledQuery.raw(insertText(db, table, columns, to - from, tail), flatten(rows, from, to)));
    for (const row of result.rows) out.push(row);
  }
  return out;
}

/** As `insertRows` without reading rows back: per statement, how many rows it stored and its last insert rowid. */
export async function insertRowsCounting(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], tail = ''): Promise<InsertedPiece[]> {
  const out: InsertedPiece[] = [];
  for (const [from, to] of pieces(rows.length)) {
    const result = await db.executeQuery(CompiledQuery.raw(insertText(db, table, columns, to - from, tail), flatten(rows, from, to)));
    out.push({ from, to, inserted: Number(result.numAffectedRows ?? 0n), lastRowid: Number(result.insertId ?? 0n) });
  }
  return out;
}

/**
 * As `insertRows` for rows laid out flat (`cells`, row after row, in column order: the parameters as they
 * are sent, no array per row), at most `maxRows` rows per statement.
 */
export async function insertCells(db: Kysely<Database>, table: string, columns: readonly string[], cells: readonly SqlValue[], maxRows: number, tail = ''): Promise<void> {
  const width = columns.length;
  if (cells.length % width !== 0) throw new RangeError(`${cells.length} values are not whole rows of ${width} columns for ${table}`);
  for (const [from, to] of pieces(cells.length / width, maxRows)) {
    await db.executeQuery(CompiledQuery.raw(insertText(db, table, columns, to - from, tail), cells.slice(from * width, to * width)));
  }
}

function insertText(db: Kysely<Database>, table: string, columns: readonly string[], rows: number, tail: string): string {
  return `insert into ${table} (${columns.join(', ')}) values ${valuesList(db, rows, columns.length)} ${tail}`;
}

/**
 * `update <table> set <set> from (values …) as v where <where>`: one statement updates each row with its
 * own values, named `v.column1`, `v.column2`, … (the default names of a VALUES list on both stores).
 * Every value comes from the rows, so that placeholders stay in text order on both stores.
 */
export async function updateFromValues(db: Kysely<Database>, table: string, set: string, where: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
  for (const [from, to] of pieces(rows.length)) {
    const text = `update ${table} set ${set} from (values ${valuesList(db, to - from, rows[0]!.length)}) as v where ${where}`;
    await db.executeQuery(CompiledQuery.raw(text, flatten(rows, from, to)));
  }
}

/**
 * `<select> where <column> in (…)` for every value, `chunk` at a time (a power of two), each list padded
 * to a power of two by repeating its last value (the same answer, few shapes).
 */
export async function selectIn<R>(db: Kysely<Database>, select: string, column: string, values: readonly SqlValue[], chunk = IN_CHUNK): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += chunk) {
    const slice = padded(values.slice(i, i + chunk));
    const text = `${select} where ${column} in ${valuesList(db, 1, slice.length)}`;
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, slice));
    for (const row of result.rows) out.push(row);
  }
  return out;
}

/** The values of rows `[from, to)` in one array: a plain loop, several times faster than `slice().flat()` on V8. */
export function flatten(rows: readonly (readonly SqlValue[])[], from: number, to: number): SqlValue[] {
  const out: SqlValue[] = [];
  for (let r = from; r < to; r++) for (const value of rows[r]!) out.push(value);
  return out;
}

/**
 * `[from, to)` ranges of `n` rows whose sizes are powers of two, largest first, none above `maxRows`
 * (rounded down to a power of two): with any row count allowed, a freighter's remainders made hundreds
 * of distinct statements (hundreds of MiB, each prepared once and rarely reused).
 */
export function pieces(n: number, maxRows = 1 << 30): [number, number][] {
  const out: [number, number][] = [];
  let size = 1;
  while (size * 2 <= maxRows) size *= 2;
  for (let from = 0; size >= 1; size >>>= 1) {
    while (n - from >= size) {
      out.push([from, from + size]);
      from += size;
    }
  }
  return out;
}

/** The next power of two ≥ n (n ≥ 1). */
export function paddedLength(n: number): number {
  let size = 1;
  while (size < n) size <<= 1;
  return size;
}

/** `items` padded to the next power of two by repeating the last one (for `IN` lists). */
export function padded<T>(items: readonly T[]): T[] {
  const out = [...items];
  const size = paddedLength(out.length);
  while (out.length < size) out.push(out[out.length - 1]!);
  return out;
}
