import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { LOG_KEY_ENV, keyPath, loadOrCreateLogKey, logOrigin } from '../runtime/index.js';
import { isPostgresUrl, openStore, redactUrl, resolveDbLocation, type Store } from '../store/index.js';

/** Options every command that opens the hub's database shares. */
export interface DbOptions {
  readonly db?: string;
  readonly key?: string;
}

export function dbLocation(opts: DbOptions): string {
  const location = resolveDbLocation(opts.db);
  // '' would open a throwaway temporary SQLite database: everything written to it would be lost.
  if (location.trim() === '') throw new Error(`${opts.db !== undefined ? '--db' : '$GLASSHUB_DB'}: is empty`);
  return location;
}

/** Where the database came from, as the operator typed it (a password never shown). */
export function dbLabel(opts: DbOptions): string {
  const location = resolveDbLocation(opts.db);
  const shown = isPostgresUrl(location) ? redactUrl(location) : location;
  if (opts.db !== undefined) return `--db ${shown}`;
  return process.env['GLASSHUB_DB'] !== undefined ? `$GLASSHUB_DB ${shown}` : `--db ${shown} (the default)`;
}

/** `create`: the command may create the database; `existing`: it only makes sense on one that exists. */
export type DbUse = 'create' | 'existing';

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * The database location, checked before anything is opened: a typo must not create a database (or its
 * directory), and a file that is not a SQLite database must not be touched.
 */
export function checkedDbLocation(opts: DbOptions, use: DbUse, isDefault = opts.db === undefined && process.env['GLASSHUB_DB'] === undefined): string {
  const location = dbLocation(opts);
  const label = dbLabel(opts);
  if (isPostgresUrl(location)) {
    if (!URL.canParse(location)) throw new Error(`${label.startsWith('$') ? '$GLASSHUB_DB' : '--db'}: not a valid postgres:// URL`);
    return location;
  }
  if (location === ':memory:') return location;
  const stats = statOf(label, location);
  if (stats === undefined) {
    if (use === 'existing') throw new Error(`${label}: no database there (glasshub import, demo or serve creates one)`);
  } else if (stats.isDirectory()) {
    throw new Error(`${label}: is a directory, not a database file`);
  } else if (stats.size > 0 && readHeader(location) !== SQLITE_HEADER) {
    throw new Error(`${label}: not a SQLite database (nor a postgres:// URL)`);
  }
  // Only the default ./data/ is created: an explicit path in a missing directory is a typo.
  checkDirectory(label, location, isDefault);
  return location;
}

/** Opens the store after `checkedDbLocation`. */
export function openCheckedStore(opts: DbOptions, use: DbUse): Promise<Store> {
  return openStore(checkedDbLocation(opts, use));
}

/** The log's key file beside the SQLite file; for PostgreSQL, under ./data. */
export function logKeyFile(opts: DbOptions): string {
  if (opts.key !== undefined) return opts.key;
  if (process.env['GLASSHUB_LOG_KEY_FILE']) return process.env['GLASSHUB_LOG_KEY_FILE'];
  return keyPath(dbLocation(opts), 'log.key');
}

/**
 * The log key file, checked; a key that already exists is also read now, before the database is opened,
 * so that a bad key refuses the command before anything is created.
 */
export function checkedLogKeyFile(opts: DbOptions): string {
  const file = logKeyFile(opts);
  const explicit = opts.key !== undefined || Boolean(process.env['GLASSHUB_LOG_KEY_FILE']);
  if (!explicit) checkedDbLocation(opts, 'create'); // beside the database: a bad --db is named as such
  const label = opts.key !== undefined ? '--key' : explicit ? '$GLASSHUB_LOG_KEY_FILE' : 'log key file';
  checkKeyFile(label, file, !explicit);
  logOrigin(); // a key created later gets it: refused now, before anything is opened
  if (process.env[LOG_KEY_ENV]?.trim()) loadOrCreateLogKey(file); // its errors name the variable
  else if (existsSync(file)) {
    try {
      loadOrCreateLogKey(file);
    } catch (err) {
      throw new Error(`${label}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return file;
}

/** A key file read if present, created if missing: not empty, not a directory, in a directory that exists. */
export function checkKeyFile(label: string, file: string, mayCreateDirectory = false): string {
  if (file.trim() === '') throw new Error(`${label}: is empty`);
  const stats = statOf(`${label} ${file}`, file);
  if (stats?.isDirectory()) throw new Error(`${label} ${file}: is a directory, not a key file`);
  if (stats === undefined) checkDirectory(`${label} ${file}`, file, mayCreateDirectory);
  return file;
}

/** A file the command reads: it must exist and be a file. */
export function inputFile(label: string, file: string): string {
  if (file.trim() === '') throw new Error(`${label}: is empty`);
  const stats = statOf(`${label} ${file}`, file);
  if (stats === undefined) throw new Error(`${label} ${file}: no such file`);
  if (stats.isDirectory()) throw new Error(`${label} ${file}: is a directory, not a file`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new Error(`${label} ${file}: not readable (permission denied)`);
  }
  return file;
}

/** A file the command writes at the end: checked first, so the work is not done for nothing. */
export function outputFile(label: string, file: string): string {
  if (file.trim() === '') throw new Error(`${label}: is empty`);
  if (statOf(`${label} ${file}`, file)?.isDirectory()) throw new Error(`${label} ${file}: is a directory, not a file`);
  checkDirectory(`${label} ${file}`, file, false);
  return file;
}

function checkDirectory(label: string, file: string, mayBeCreated: boolean): void {
  const dir = dirname(file);
  const stats = statOf(label, dir);
  if (stats === undefined) {
    if (mayBeCreated) return;
    throw new Error(`${label}: directory ${dir} does not exist`);
  }
  if (!stats.isDirectory()) throw new Error(`${label}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${label}: directory ${dir} is not writable`);
  }
}

/** The file's stats, or undefined when there is nothing there. */
function statOf(label: string, path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(`${label}: cannot be read (${code ?? String(err)})`);
  }
}

function readHeader(file: string): string {
  const buf = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/**
 * An error of SQLite or PostgreSQL (or of reaching it), whose message names neither the flag nor the
 * database, with both; undefined for any other error.
 */
export function databaseError(err: unknown, opts: DbOptions): string | undefined {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return undefined;
  const postgres = isPostgresUrl(resolveDbLocation(opts.db));
  // pg's server errors carry a SQLSTATE and a severity.
  const known = code.startsWith('SQLITE_') || (postgres && ((/^[0-9A-Z]{5}$/.test(code) && 'severity' in (err as object)) || CONNECT_ERRORS.has(code)));
  return known ? `${dbLabel(opts)}: ${(err as Error).message}` : undefined;
}

/** Decimal digits only: Number() would also take '', ' 8 ', '0x10' and '1e3'. */
const DIGITS = /^[0-9]+$/;

export function parsePort(value: string): number {
  const n = Number(value);
  if (!DIGITS.test(value) || n > 65535) throw new Error(`--port: ${JSON.stringify(value)} is not a port number (0–65535)`);
  return n;
}

export function parsePositiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!DIGITS.test(value) || n < 1 || n > max) {
      throw new Error(`${name}: ${JSON.stringify(value)} is not ${max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`}`);
    }
    return n;
  };
}

/** '' would listen on every interface, not on none. */
export function parseHost(value: string): string {
  if (value.trim() === '' || /\s/.test(value)) throw new Error(`--host: ${JSON.stringify(value)} is not a host name or address`);
  return value;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

/** A strict ISO-8601 date or date-time: Date() alone takes '1' (2001) and rolls 2026-02-30 over to March. */
export function parseIsoTime(name: string, value: string): Date {
  const m = ISO_TIME.exec(value);
  const time = new Date(value);
  const [, y, mo, d, h = '0', mi = '0', s = '0', oh = '0', om = '0'] = m ?? [];
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid =
    m !== null &&
    !Number.isNaN(time.getTime()) &&
    day.getUTCFullYear() === Number(y) &&
    day.getUTCMonth() === Number(mo) - 1 &&
    day.getUTCDate() === Number(d) &&
    Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 && Number(oh) < 24 && Number(om) < 60;
  if (!valid) throw new Error(`${name}: ${JSON.stringify(value)} is not an ISO-8601 time (e.g. 2026-11-25 or 2026-11-25T08:00:00Z)`);
  return time;
}

/** `listen` failures, named by the flag to change. */
export function listenError(err: unknown, port: number, host: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'EADDRINUSE') return new Error(`--port ${port}: already in use on ${host}`);
  if (code === 'EACCES') return new Error(`--port ${port}: not allowed (a port below 1024 needs privileges)`);
  if (code === 'EADDRNOTAVAIL') return new Error(`--host ${host}: not an address of this machine`);
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'].includes(code)) return new Error(`--host ${host}: no such host`);
  return err;
}

/** Binds and releases `host:port` once, so that a command refuses a bad --host or --port before its work. */
export async function checkListen(port: number, host: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  }).catch((err: unknown) => {
    throw listenError(err, port, host);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** commander's collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
