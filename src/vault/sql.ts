/**
 * SQL text for the vault's bulk statements in the transaction's dialect, each shape built once and reused
 * (no query tree per row): at half a million people a freighter, building one costs more than the insert.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { usesDollarPlaceholders, type Database } from '../store/index.js';

/** Rows per statement: 6 columns × 1,024 stays far below both stores' parameter limits. */
export const ROWS = 1024;

export class Sql {
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
   * Inserts the rows, row counts in powers of two, largest first (SQLite caches a prepared statement per
   * text, and one of thousands of placeholders is large, so few shapes: see `pieces` in `hub/events/sql.ts`).
   * Answers how many rows were inserted: those an `on conflict` in `tail` skipped are not counted.
   */
  async insertCounting(table: string, columns: readonly string[], rows: readonly unknown[][], tail: string): Promise<number> {
    let inserted = 0;
    for (let from = 0; from < rows.length; ) {
      let size = 1 << 30;
      while (size > rows.length - from) size >>>= 1;
      const text = `insert into ${table} (${columns.join(', ')}) values ${this.tuples(size, columns.map(() => undefined))} ${tail}`;
      // A plain loop: several times faster than slice().flat() on V8, at a freighter's half million people.
      const params: unknown[] = [];
      for (let r = from; r < from + size; r++) for (const value of rows[r]!) params.push(value);
      inserted += Number((await this.tx.executeQuery(CompiledQuery.raw(text, params))).numAffectedRows ?? 0n);
      from += size;
    }
    return inserted;
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
