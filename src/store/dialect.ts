import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

const styles = new WeakMap<object, boolean>();

/**
 * PostgreSQL's `$1` placeholders rather than SQLite's `?`, for SQL text written by hand on hot paths: learnt
 * from a tiny query the handle's dialect compiles, once per handle.
 */
export function usesDollarPlaceholders(db: Kysely<Database>): boolean {
  let dollar = styles.get(db);
  if (dollar === undefined) {
    dollar = db.selectFrom('flights').select('id').where('id', '=', '').compile().sql.includes('$1');
    styles.set(db, dollar);
  }
  return dollar;
}

/**
 * A standard SQL literal, the same on SQLite and PostgreSQL: strings quoted with quotes doubled, integers as
 * numbers. For values that are the same in every row of a bulk insert: binding them once per row costs
 * about 0.25 µs each on SQLite (a quarter of a second for 250,000 rows × 4 values).
 */
export function sqlLiteral(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer literal: ${value}`);
    return String(value);
  }
  if (value.includes('\0')) throw new RangeError('a NUL character cannot be written as a literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * `insert into <table> (<bound…>, <constant…>) values (?, …, 'literal', …), …` for `rows` rows: the bound
 * columns as placeholders (`$n` when `dollar`), the constant ones as `sqlLiteral`s, the same in every row.
 * Table and column names are the caller's constants, never input.
 */
export function insertWithLiteralsText(table: string, bound: readonly string[], constants: readonly (readonly [column: string, value: string | number])[], rows: number, dollar: boolean): string {
  const w = bound.length;
  const literals = constants.map(([, v]) => sqlLiteral(v)).join(',');
  const tuples: string[] = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const cells: string[] = new Array<string>(w);
    for (let c = 0; c < w; c++) cells[c] = dollar ? `$${r * w + c + 1}` : '?';
    tuples[r] = `(${cells.join(',')},${literals})`;
  }
  return `insert into ${table} (${[...bound, ...constants.map(([c]) => c)].join(', ')}) values ${tuples.join(',')}`;
}
