/**
 * A reader off the main thread for a SQLite file: a worker thread with its own connection (query_only)
 * behind a Kysely dialect. better-sqlite3 runs each statement on the calling thread, so a large read
 * (a freighter's 250,000 parcels built into one JSON string by SQLite: about half a second) blocks every
 * other piece of work on the main connection; sent to the reader, it runs while the main thread does
 * something else (for customs: the gate's screening). PostgreSQL needs none: its pool's queries already
 * run in the server.
 *
 * What the reader sees is what has been committed (WAL snapshot per statement), never the main
 * connection's open transaction. It runs queries that return rows, one at a time in the order sent; it
 * has no transactions. Buffers cross as Uint8Array and are made Buffers again on arrival.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema.js';

// CommonJS, evaluated in the worker: it only needs better-sqlite3, whose resolved path it is given.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
db.pragma('query_only = ON');
const cache = new Map();
const bind = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
parentPort.on('message', (m) => {
  if (m === 'stop') { db.close(); parentPort.close(); return; }
  try {
    let stmt = cache.get(m.sql);
    if (stmt === undefined) {
      stmt = db.prepare(m.sql);
      if (cache.size >= 100) cache.delete(cache.keys().next().value);
      cache.set(m.sql, stmt);
    }
    if (!stmt.reader) throw new Error('the reader runs only statements that return rows');
    parentPort.postMessage({ id: m.id, rows: stmt.all(m.params.map(bind)) });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

type Reply = { id: number; rows: Record<string, unknown>[] } | { id: number; error: { message: string; code?: string } };

/** An error the reader's connection raised, with SQLite's code (e.g. SQLITE_ERROR). */
export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

class ReaderThread {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (rows: Record<string, unknown>[]) => void; reject: (err: Error) => void }>();

  constructor(private readonly path: string) {}

  run(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, sql, params });
    });
  }

  /** Started on first use: a store that never reads off-thread costs no thread. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.path, driver } });
    worker.unref();
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in m) p.reject(new ReaderError(m.error.message, m.error.code));
      else p.resolve(m.rows);
    });
    const fail = (err: Error): void => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new ReaderError(`the reader thread exited (code ${code})`, undefined)));
    this.worker = worker;
    return worker;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Rows as they arrive: Uint8Array (how a Buffer crosses threads) back to Buffer, as better-sqlite3 gives. */
function revive(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key in row) {
      const v = row[key];
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return rows;
}

class ReaderConnection implements DatabaseConnection {
  constructor(private readonly thread: ReaderThread) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: revive(await this.thread.run(query.sql, query.parameters)) as R[] };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new ReaderError('the reader does not stream: rows come back whole', undefined);
  }
}

class ReaderDriver implements Driver {
  private readonly connection: ReaderConnection;
  constructor(private readonly thread: ReaderThread) {
    this.connection = new ReaderConnection(thread);
  }
  async init(): Promise<void> {}
  // One connection shared by concurrent queries: the worker runs them in order, and none holds state.
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.connection);
  }
  beginTransaction(): Promise<void> {
    return Promise.reject(new ReaderError('the reader has no transactions: write through the store', undefined));
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.thread.stop();
  }
}

class ReaderDialect implements Dialect {
  constructor(private readonly path: string) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new ReaderDriver(new ReaderThread(this.path));
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
}

/** A Kysely handle whose queries run in a worker thread on its own connection to the SQLite file at `path`. */
export function openSqliteReader(path: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ReaderDialect(path) });
}
