import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { BACKSTOP_PAGES, startCheckpointer, WAL_SIZE_LIMIT } from './checkpointer.js';
import { openSqliteReader } from './reader.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import type { Database } from './schema.js';
import { GlasshubMigrations } from './migrations/index.js';
import type { MigrationContext } from './migrations/types.js';

export type Dialect = 'sqlite' | 'postgres';

/** One open glasshub database, migrated to the newest schema. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * For large reads beside the main connection's work, seeing only what is committed: on a SQLite file,
   * a connection in a worker thread (`reader.ts`); on PostgreSQL, the pool itself. Absent for an
   * in-memory SQLite database, which no second connection can see.
   */
  readonly reader?: Kysely<Database>;
  /** Where it lives, without credentials (safe to log). */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: the schema to use (created if missing); tests give each file its own. */
  readonly schema?: string;
  /** PostgreSQL only: connection pool size. */
  readonly poolSize?: number;
  /** SQLite file only: checkpoint the WAL in a worker thread (default true; see `checkpointer.ts`). */
  readonly backgroundCheckpoint?: boolean;
}

export const DEFAULT_DB_PATH = './data/glasshub.db';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Resolve where the database is: an explicit location, then GLASSHUB_DB, then the embedded default. */
export function resolveDbLocation(explicit?: string): string {
  return explicit ?? process.env['GLASSHUB_DB'] ?? DEFAULT_DB_PATH;
}

/** Opens (creating if needed) and migrates the database at `location`: a `postgres://` URL or a SQLite file path. */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = isPostgresUrl(location) ? await openPostgres(location, options) : openSqlite(location, options);
  try {
    await migrate(store.db, store.dialect);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function openSqlite(path: string, options: OpenStoreOptions): Store {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  // WAL lets readers run beside the single writer. synchronous=FULL makes every commit durable before an
  // append is acknowledged; batching keeps the cost to one fsync per batch.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer = path !== ':memory:' && options.backgroundCheckpoint !== false ? startCheckpointer(path) : undefined;
  if (checkpointer) {
    sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  const reader = path === ':memory:' ? undefined : openSqliteReader(path);
  const close = async (): Promise<void> => {
    // The workers' connections first: the last connection to close checkpoints and removes the WAL.
    await reader?.destroy();
    await checkpointer?.stop();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', location: path, close, ...(reader && { reader }) };
}

/**
 * Kysely prepares every query afresh; preparing costs more than running a small query on SQLite. Hot
 * queries have the same text each time, so keep their prepared statements (least recently used out).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): { close(): void; prepare(sql: string): BetterSqlite3.Statement } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

// BIGINT (int8) comes back from pg as a string by default; glasshub's integers stay below 2^53.
const INT8_OID = 20;
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${value} exceeds 2^53`);
  return n;
}

/** pg's own parsers, except that BIGINT becomes a checked JS number. */
const glasshubTypeParser = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser;

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new RangeError(`schema name ${JSON.stringify(schema)} is not a plain lower-case identifier`);
  }
  if (schema !== undefined) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    types: { getTypeParser: glasshubTypeParser },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: redactUrl(url), close: () => db.destroy(), reader: db };
}

/** Never let a password reach a log line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const ctx: MigrationContext =
    dialect === 'sqlite'
      ? { dialect, binary: 'blob', bigint: 'integer' }
      : { dialect, binary: 'bytea', bigint: 'bigint' };
  // Kysely looks for its migration tables in every schema it can see: name ours, or another schema's
  // (another hub's, another test file's) would be taken for them.
  const current = dialect === 'postgres' ? await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db) : undefined;
  const migrationTableSchema = current?.rows[0]?.schema ?? undefined;
  const migrator = new Migrator({ db, provider: new GlasshubMigrations(ctx), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
