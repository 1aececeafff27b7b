/**
 * WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses
 * its threshold, on the committing connection: copying the WAL's pages into the database file blocked
 * the event loop for tens of milliseconds per large commit (about 3 s of a 250,000-parcel freighter's
 * run). Here a worker thread with its own connection runs passive checkpoints, which never wait for the
 * writer nor block it, so the hub's connection only appends to the WAL and fsyncs it.
 *
 * The main connection keeps an automatic checkpoint as a backstop at a higher threshold: if the worker
 * falls behind or dies, the WAL stays bounded all the same.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL pages after which the committing connection checkpoints itself: above the largest transaction the
 * hub writes (a freighter's clearance, ~25,000 pages), or the backstop would fire inside that commit.
 */
export const BACKSTOP_PAGES = 100_000;
/** Bytes the WAL file is cut back to when it restarts, so that one large transaction does not leave it large. */
export const WAL_SIZE_LIMIT = 64 * 2 ** 20;

// CommonJS, evaluated in the worker: it only needs better-sqlite3, whose resolved path it is given.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { if (!/busy|locked/i.test(String(err && err.message))) throw err; }
  setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (m) => { if (m === 'stop') { stopped = true; db.close(); parentPort.close(); } });
tick();
`;

export interface Checkpointer {
  /** Stops the worker and closes its connection; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts checkpointing the WAL of the database file at `path` every `intervalMs` in a worker thread. */
export function startCheckpointer(path: string, intervalMs = 50): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
  // A process must not stay alive for its checkpointer, nor die of it: the backstop takes over.
  worker.unref();
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
