import { hash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * The machine limits every benchmark is compared with, measured again in the same run (LIMITS.md): raw
 * SHA-256 of 0x00 || entry one at a time, and raw SQLite inserts of the same bytes (better-sqlite3, WAL,
 * synchronous=NORMAL, 10,000 rows per transaction, into `(i integer primary key, b blob)`).
 */
export function rawSha256Rate(entries: readonly Buffer[]): number {
  const t0 = performance.now();
  // The fastest way node:crypto offers for a small input: one buffer, one-shot `hash` (as the ledger's leaves).
  for (const e of entries) hash('sha256', Buffer.concat([LEAF_PREFIX, e]), 'buffer');
  return entries.length / ((performance.now() - t0) / 1000);
}

const LEAF_PREFIX = Buffer.from([0]);

export function rawSqliteInsertRate(entries: readonly Buffer[], dir: string, file = 'raw-limit.db'): number {
  const db = new BetterSqlite3(join(dir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('create table t (i integer primary key, b blob)');
  const insert = db.prepare('insert into t (i, b) values (?, ?)');
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(i, entries[i]);
  });
  const t0 = performance.now();
  for (let i = 0; i < entries.length; i += 10_000) batch(i, Math.min(entries.length, i + 10_000));
  const rate = entries.length / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}

/** `--name value` pairs onto positive-integer defaults; anything else is an error naming the option. */
export function parseOptions<T extends Record<string, number>>(args: readonly string[], defaults: T): T {
  const opts: Record<string, number> = { ...defaults };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const value = Number(args[i + 1]);
    if (!(key in opts) || !Number.isSafeInteger(value) || value < 1) throw new Error(`bad option ${args[i]} ${args[i + 1] ?? ''}: expected one of ${Object.keys(defaults).map((k) => `--${k} N`).join(', ')}`);
    opts[key] = value;
  }
  return opts as T;
}
