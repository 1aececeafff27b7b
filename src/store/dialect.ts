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
