import { keyPath } from '../runtime/index.js';
import { resolveDbLocation } from '../store/index.js';

/** Options every command that opens the hub's database shares. */
export interface DbOptions {
  readonly db?: string;
  readonly key?: string;
}

export function dbLocation(opts: DbOptions): string {
  return resolveDbLocation(opts.db);
}

/** The log's key file sits beside the SQLite file; for PostgreSQL, under ./data. */
export function logKeyFile(opts: DbOptions): string {
  if (opts.key !== undefined) return opts.key;
  if (process.env['GLASSHUB_LOG_KEY_FILE']) return process.env['GLASSHUB_LOG_KEY_FILE'];
  return keyPath(dbLocation(opts), 'log.key');
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port: ${JSON.stringify(value)} is not a port number (0–65535)`);
  return n;
}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: ${JSON.stringify(value)} is not a positive integer`);
    return n;
  };
}

/** commander's collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
