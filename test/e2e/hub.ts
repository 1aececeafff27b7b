/**
 * A real hub for the console's end-to-end tests: a demo day in a fresh SQLite file, one principal per role,
 * `glasshub serve` on a free port, and the built console (web/dist, rebuilt when its sources are newer).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGlasshub, spawnGlasshub } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ROLES_UNDER_TEST = ['supervisor', 'customs-officer', 'auditor', 'administrator', 'scanner', 'dpo'] as const;
export type TestRole = (typeof ROLES_UNDER_TEST)[number];
const ORG: Readonly<Record<TestRole, string>> = { supervisor: 'hub-operator', 'customs-officer': 'be-customs', auditor: 'be-dpa', administrator: 'hub-operator', scanner: 'hub-operator', dpo: 'hub-operator' };

export interface RunningHub {
  readonly url: string;
  /** The log's verifier key as `glasshub serve` printed it (what an auditor pins). */
  readonly vkey: string;
  readonly tokens: Readonly<Record<TestRole, string>>;
  readonly dir: string;
  /** The newest one-time code e-mailed to anyone (the outbox beside the database). */
  readonly latestCode: () => string;
  readonly stop: () => Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than every source it is built from (the app and src/ledger). */
export function ensureConsoleBuilt(): void {
  const index = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'web/src')), newestMtime(join(ROOT, 'src/ledger')), statSync(join(ROOT, 'web/index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } }); // vitest's NODE_ENV=test would build React's development bundle
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

async function must(args: string[]): Promise<string> {
  const r = await runGlasshub(args);
  if (r.code !== 0) throw new Error(`glasshub ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.stdout;
}

export async function startHub(parcels = 2000): Promise<RunningHub> {
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-e2e-'));
  const db = join(dir, 'hub.db');
  await must(['demo', '--no-serve', '--parcels', String(parcels), '--db', db]);
  const tokens = {} as Record<TestRole, string>;
  // One at a time: each is a ledger append by its own process, and SQLite has one writer.
  for (const role of ROLES_UNDER_TEST) {
    const out = await must(['principals', 'add', '--db', db, '--name', `E2E ${role}`, '--role', role, '--org', ORG[role], '--country', 'BE']);
    const token = /gh_[A-Za-z0-9_-]+/.exec(out)?.[0];
    if (token === undefined) throw new Error(`no token in: ${out}`);
    tokens[role] = token;
  }
  const server: ChildProcess = spawnGlasshub(['serve', '--db', db, '--port', '0'], { LOG_LEVEL: 'warn' });
  const { url, vkey } = await new Promise<{ url: string; vkey: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 60_000);
    server.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    server.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const u = / on (http:\/\/[^\s]+)/.exec(out)?.[1];
      const k = /^log (\S+)$/m.exec(out)?.[1];
      if (u !== undefined && k !== undefined) {
        clearTimeout(timer);
        resolve({ url: u, vkey: k });
      }
    });
    server.on('exit', (code) => reject(new Error(`serve exited ${code}:\n${err}`)));
  });
  const outbox = join(dir, 'outbox');
  return {
    url,
    vkey,
    tokens,
    dir,
    latestCode: () => {
      const files = readdirSync(outbox).map((f) => join(outbox, f)).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
      const newest = files.at(-1);
      const code = newest === undefined ? undefined : /Your code is (\S+)\./.exec(readFileSync(newest, 'utf8'))?.[1];
      if (code === undefined) throw new Error(`no code in the outbox ${outbox}`);
      return code;
    },
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
