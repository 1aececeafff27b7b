/**
 * `npm run bench -- hub [--parcels N] [--pg-parcels N] [--plain-parcels N]`: one simulated freighter
 * (default 250,000 parcels) end to end — its manifest read from a file written before the clock starts, import
 * through dispatch, every event stored, every disclosure in the ledger — on SQLite and on PostgreSQL (a fresh schema, dropped afterwards); beside it the same run on
 * SQLite without the gate (`plainPeople`: personal data in a plain table, dispatch reading it directly),
 * to show what the gate costs; parcels/s per phase and in total, peak RSS, and in the same run the raw
 * better-sqlite3 insert rate of the same manifest lines. Writes its section of docs/benchmarks.md.
 * Then sorting answers over HTTP (`scansOverHttp`, `--scan-parcels N`, default 100,000). `--pg-parcels 0`
 * skips PostgreSQL, `--plain-parcels 0` the run without the gate, `--scan-parcels 0` the HTTP scans.
 */
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { addPrincipal } from '../src/auth/index.js';
import type { PersonalDataSealer } from '../src/gate/index.js';
import { buildHubApp } from '../src/http/hub-app.js';
import { importManifest, readLines } from '../src/hub/intake/index.js';
import { DELIVERY_FIELDS, seedDefaultSortPlan, type DeliveryDisclosure, type DeliveryRecipient } from '../src/hub/operations/index.js';
import { openHub } from '../src/runtime/index.js';
import { openStore } from '../src/store/index.js';
import { manifestLines, PHASES, runFlight, SCHEDULE, simulateLines, type FlightRun, type FlightSpec, type RunWithoutGate } from '../src/sim/index.js';
import { fmt, log, machineLine, writeSection } from './lib/report.js';
import { HUB_HISTORY } from './hub-history.js';

const WARM_UP_PARCELS = 5_000;
const PG_URL = process.env['GLASSHUB_BENCH_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const GIB = 2 ** 30;

interface Measured {
  readonly store: string;
  /** The run without the gate (`plainPeople`). */
  readonly plain: boolean;
  readonly run: FlightRun;
  readonly ms: number;
  readonly peakRss: number;
  /** Process CPU milliseconds per phase (every thread: main, workers, SQLite, GC). */
  readonly cpuMs: Readonly<Record<string, number>>;
}

function parseArgs(args: string[]): { parcels: number; pgParcels: number; plainParcels: number; scanParcels: number } {
  const opts: Record<string, number> = { parcels: 250_000 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]?.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) ?? '';
    const value = Number(args[i + 1]);
    if (!['parcels', 'pgParcels', 'plainParcels', 'scanParcels'].includes(key) || !Number.isSafeInteger(value) || value < 0) throw new Error(`bad option ${args[i]} ${args[i + 1]}`);
    opts[key] = value;
  }
  const all = opts['parcels']!;
  return { parcels: all, pgParcels: opts['pgParcels'] ?? all, plainParcels: opts['plainParcels'] ?? all, scanParcels: opts['scanParcels'] ?? Math.min(all, 100_000) };
}

const spec = (parcels: number): FlightSpec => ({ ...SCHEDULE[0]!, flightDate: '2026-11-25', parcels, seed: 1 });

/** Peak resident set size while `work` runs, sampled every 50 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  try {
    const result = await work();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(store: string, db: string, dir: string, parcels: number, plain = false): Promise<Measured> {
  // The manifest arrives as a file, written before the clock starts: the marketplaces' time to make it is
  // not the hub's (generating it took ~1 s of a freighter's import), and the raw rate above leaves it out too.
  const file = await manifestFile(dir, parcels);
  global.gc?.();
  const hub = await openHub({ db, logKeyFile: join(dir, 'log.key'), vaultKeyFile: join(dir, 'vault.keys'), outboxDir: join(dir, 'outbox') });
  const input = createReadStream(file);
  try {
    await seedDefaultSortPlan(hub.store.db, 'bench');
    const withoutGate = plain ? await plainPeople(hub.store.db, hub.store.dialect) : undefined;
    const cpuMs: Record<string, number> = {};
    let cpu0 = process.cpuUsage();
    const onPhase = (phase: string, ms: number): void => {
      const used = process.cpuUsage(cpu0);
      cpu0 = process.cpuUsage();
      cpuMs[phase] = (used.user + used.system) / 1000;
      log(`  ${store} ${phase}: ${fmt(ms)} ms (cpu ${fmt(cpuMs[phase])} ms)`);
    };
    const t0 = performance.now();
    const { result, peakRss } = await withPeakRss(() => runFlight(hub, spec(parcels), { manifest: readLines(input), onPhase, ...(withoutGate && { withoutGate }) }));
    return { store, plain, run: result, ms: performance.now() - t0, peakRss, cpuMs };
  } finally {
    input.destroy();
    await hub.close();
  }
}

/**
 * The manifest of the `parcels`-parcel flight as an NDJSON file in `dir` (removed with it), as `glasshub
 * import FILE` reads it: written once, read by every run of that size (SQLite, without the gate, PostgreSQL).
 */
async function manifestFile(dir: string, parcels: number): Promise<string> {
  const file = join(dir, `manifest-${parcels}.ndjson`);
  if (!existsSync(file)) await writeManifest(file, spec(parcels));
  return file;
}

/** The flight's manifest lines (`manifestLines`, as the simulator sends them) into `file`, one per line. */
export async function writeManifest(file: string, flight: FlightSpec): Promise<void> {
  const out = createWriteStream(file);
  let text = '';
  let n = 0;
  for await (const line of manifestLines(flight)) {
    text += `${line}\n`;
    if (++n % 1000 === 0) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await finished(out);
}

type Db = Awaited<ReturnType<typeof openHub>>['store']['db'];

/**
 * The baseline without the gate (bench only, in the run's own temporary database): each person's data as
 * plain JSON in a table of its own, one multi-row insert per chunk; dispatch reads the table directly —
 * no encryption, no keys, no policy, no ledger entry.
 */
async function plainPeople(db: Db, dialect: 'sqlite' | 'postgres'): Promise<RunWithoutGate> {
  const id = dialect === 'postgres' ? 'id bigserial primary key' : 'id integer primary key';
  await db.executeQuery(CompiledQuery.raw(`create table bench_plain_people (${id}, role text not null, data text not null)`, []));
  const marks = (n: number, width: number, from = 1): string =>
    Array.from({ length: n }, (_, r) => `(${Array.from({ length: width }, (_, c) => (dialect === 'postgres' ? `$${from + r * width + c}` : '?')).join(', ')})`).join(', ');
  const sealer: PersonalDataSealer = {
    async seal(tx, people) {
      const refs: string[] = [];
      for (let i = 0; i < people.length; i += 10_000) {
        const chunk = people.slice(i, i + 10_000);
        const text = `insert into bench_plain_people (role, data) values ${marks(chunk.length, 2)} returning id`;
        const rows = await tx.executeQuery<{ id: number | string }>(CompiledQuery.raw(text, chunk.flatMap((p) => [p.role, JSON.stringify(p.data)])));
        for (const r of rows.rows) refs.push(String(r.id));
      }
      return refs;
    },
  };
  const disclosure: DeliveryDisclosure = {
    async disclose(request) {
      const out = new Map<string, DeliveryRecipient>();
      for (let i = 0; i < request.refs.length; i += 5_000) {
        const chunk = request.refs.slice(i, i + 5_000);
        const text = `select id, data from bench_plain_people where id in ${marks(1, chunk.length)}`;
        const rows = await db.executeQuery<{ id: number | string; data: string }>(CompiledQuery.raw(text, chunk.map(Number)));
        for (const r of rows.rows) {
          const all = JSON.parse(r.data) as Record<string, string | undefined>;
          const picked: DeliveryRecipient = Object.fromEntries(DELIVERY_FIELDS.flatMap((f) => (all[f] === undefined ? [] : [[f, all[f]]])));
          out.set(String(r.id), picked);
        }
      }
      return out;
    },
  };
  return { sealer, disclosure };
}

/**
 * Sorting answers over HTTP: a freighter imported into its own database, then every parcel scanned in
 * batches of 5,000 (each scan with its own time, 20 per millisecond) through `POST /api/v1/scans` (a sorter's bearer token, the full route: authentication,
 * TypeBox validation, sorting, events, the JSON answer) over loopback with keep-alive. The bodies are
 * built before the clock starts; the client shares the process (and the machine's two cores).
 */
export async function scansOverHttp(dir: string, parcels: number): Promise<{ scans: number; ms: number; rate: number }> {
  const hub = await openHub({ db: join(dir, 'scans.db'), logKeyFile: join(dir, 'log.key'), vaultKeyFile: join(dir, 'vault.keys'), outboxDir: join(dir, 'outbox') });
  const app = await buildHubApp(hub, { logger: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  try {
    await seedDefaultSortPlan(hub.store.db, 'bench');
    const s = spec(parcels);
    await importManifest({ db: hub.store.db, dialect: hub.store.dialect, sealer: hub.gate }, manifestLines(s), 'ndjson');
    const { token } = (await addPrincipal(hub.store.db, hub.log, { name: 'bench-sorter', role: 'sorter', organisation: 'hub-operator', country: 'BE' })).token;
    const tns = (await hub.store.db.selectFrom('parcels').select('tracking_number').orderBy('tracking_number').execute()).map((r) => r.tracking_number);
    // Each scan carries the time the sorter read it: 20 per millisecond (the target rate), in order.
    const start = Date.now();
    const bodies: string[] = [];
    for (let i = 0; i < tns.length; i += 5_000) {
      const batch = tns.slice(i, i + 5_000).map((trackingNumber, k) => ({ trackingNumber, scanner: 'SORTER-1', location: 'SORTER-1', time: new Date(start + Math.floor((i + k) / 20)).toISOString() }));
      bodies.push(JSON.stringify(batch));
    }
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const post = (body: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/scans', method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`POST /api/v1/scans answered ${res.statusCode ?? '?'}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    const t0 = performance.now();
    // Two batches in flight: one is parsed and answered while the other is sorted and written.
    let next = 0;
    await Promise.all([0, 1].map(async () => {
      while (next < bodies.length) await post(bodies[next++]!);
    }));
    const ms = performance.now() - t0;
    return { scans: tns.length, ms, rate: tns.length / (ms / 1000) };
  } finally {
    agent.destroy();
    await app.close();
    await hub.close();
  }
}

/** The same manifest lines, as text, into a bare table: better-sqlite3, WAL, synchronous=FULL as the hub, 10,000 per transaction. */
function rawSqlite(dir: string, parcels: number): { rate: number; generation: number } {
  let t0 = performance.now();
  const lines: [string, string][] = [];
  for (const { line } of simulateLines(spec(parcels))) lines.push([line.trackingNumber, JSON.stringify(line)]);
  const generation = parcels / ((performance.now() - t0) / 1000);
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (tracking_number text primary key, line text not null)');
  const insert = db.prepare('insert or ignore into t values (?, ?)');
  const tx = db.transaction((from: number) => {
    for (let i = from; i < Math.min(lines.length, from + 10_000); i++) insert.run(lines[i]![0], lines[i]![1]);
  });
  t0 = performance.now();
  for (let i = 0; i < lines.length; i += 10_000) tx(i);
  const rate = parcels / ((performance.now() - t0) / 1000);
  db.close();
  return { rate, generation };
}

/** Rows per table in a finished run's SQLite file (largest first): what one freighter leaves in the database. */
function storedRows(path: string): { total: number; tables: [string, number][] } {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    const names = db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
    const tables = names.map((t): [string, number] => [t, Number(db.prepare(`select count(*) from "${t}"`).pluck().get())]).filter(([, n]) => n > 0);
    tables.sort((a, b) => b[1] - a[1]);
    return { total: tables.reduce((n, [, c]) => n + c, 0), tables };
  } finally {
    db.close();
  }
}

/**
 * SQLite's own time to store what the run stored: every table's rows copied from the run's file into a fresh
 * database of the same schema (its indexes included), one `INSERT … SELECT` per table, one transaction, WAL
 * and synchronous=FULL as the hub. No JavaScript, no encryption, no row written twice: a floor for this data
 * model on this machine (the run also rewrites each parcel's row at every step, and commits in batches).
 */
async function sqliteFloor(dir: string, source: string): Promise<number> {
  const path = join(dir, 'floor.db');
  await (await openStore(path)).close();
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.prepare('attach database ? as src').run(source);
    const tables = db.prepare("select name from src.sqlite_schema where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'").pluck().all() as string[];
    const t0 = performance.now();
    db.transaction(() => {
      for (const t of tables) db.exec(`insert or ignore into main."${t}" select * from src."${t}"`);
    })();
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

async function onPostgres<T>(work: (url: string) => Promise<T>): Promise<T> {
  const schema = `bench_hub_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    return await work(`${PG_URL}?options=-c%20search_path%3D${schema}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

function row(m: Measured): string {
  const n = m.run.import.accepted;
  const phases = PHASES.map((p) => (m.plain && p === 'customs' ? '— (not run)' : `${fmt(m.run.ms[p] / 1000, 1)} s (${fmt(n / (m.run.ms[p] / 1000))}/s)`));
  return `| ${m.store} | ${fmt(m.run.import.lines)} (${fmt(n)} accepted) | ${phases.join(' | ')} | **${fmt(m.ms / 1000, 1)} s (${fmt(n / (m.ms / 1000))}/s)** | ${fmt(m.peakRss / 2 ** 20)} MiB |`;
}

/** Parcels per second of a run without its customs phase (the run without the gate has none). */
const withoutCustoms = (m: Measured): number => m.run.import.accepted / ((m.ms - m.run.ms.customs) / 1000);

export async function run(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-bench-hub-'));
  try {
    const raw = rawSqlite(dir, opts.parcels);
    log(`generator ${fmt(raw.generation)} lines/s; raw SQLite insert of the same lines ${fmt(raw.rate)} rows/s`);
    // A small flight first, not reported: the process loads and compiles its modules and starts its worker
    // threads before the clock runs, as a hub that has been serving for a while has.
    await measure('warm-up', join(dir, 'warm-up.db'), dir, WARM_UP_PARCELS);
    const results: Measured[] = [await measure('SQLite', join(dir, 'hub.db'), dir, opts.parcels)];
    const stored = storedRows(join(dir, 'hub.db'));
    const floorMs = await sqliteFloor(dir, join(dir, 'hub.db'));
    log(`stored rows: ${fmt(stored.total)} (${stored.tables.map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}); SQLite alone stores them in ${fmt(floorMs)} ms`);
    if (opts.plainParcels > 0) results.push(await measure('SQLite, without the gate', join(dir, 'plain.db'), dir, opts.plainParcels, true));
    if (opts.pgParcels > 0) results.push(await onPostgres((url) => measure('PostgreSQL', url, dir, opts.pgParcels)));
    for (const m of results) log(`${m.store}: ${fmt(m.run.import.accepted)} parcels in ${fmt(m.ms)} ms, peak RSS ${fmt(m.peakRss / 2 ** 20)} MiB`);
    const plain = results.find((m) => m.plain);
    const http = opts.scanParcels > 0 ? await scansOverHttp(dir, opts.scanParcels) : undefined;
    if (http) log(`scans over HTTP: ${fmt(http.scans)} in ${fmt(http.ms)} ms, ${fmt(http.rate)} scans/s`);
    const sqlite = results[0]!;
    const total = sqlite.run.import.accepted / (sqlite.ms / 1000);
    const r = sqlite.run;
    writeSection(
      'hub',
      `## One freighter end to end (\`npm run bench -- hub\`)\n\n${machineLine()}\n\n` +
        `A simulated 747-400F manifest (\`src/sim/\`, seed 1: ${r.ulds} ULDs, ~3 % bad lines on purpose) through \`runFlight\`: import (the manifest read from an NDJSON file written before the clock starts, as \`glasshub import FILE\` reads it; vault sealing through the gate), ` +
        `breakdown (receive each ULD, induct in batches of 5,000), customs clearance, sorting (\`sortScans\`, batches of 5,000), bagging (${fmt(r.bags)} bags of 50, each closed when its lane's chute has filled it, all lanes filling at once; 200 bags per transaction in the order they closed), ` +
        `dispatch (${fmt(r.trucks)} trucks of at most 200 bags of one lane, each leaving when full: loaded and departed 8 per transaction, each truck's manifest disclosed through the gate, one ledger entry each). Every EPCIS event stored. Figures per phase are accepted parcels per second. A flight of ${fmt(WARM_UP_PARCELS)} parcels runs first, untimed (modules loaded and compiled, worker threads started). ` +
        `"Without the gate" is the same run with personal data as plain JSON in a table of its own and dispatch reading that table directly: no encryption, policy or ledger (customs, which reads through the gate, is not run there).\n\n` +
        `| store | lines | import | breakdown | customs | sort | bag | dispatch | total | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n` +
        results.map(row).join('\n') +
        `\n\nProcess CPU of the SQLite run, by phase (all threads; the machine has 2 cores): ${PHASES.map((p) => `${p} ${fmt((sqlite.cpuMs[p] ?? 0) / 1000, 1)} s (${fmt((sqlite.cpuMs[p] ?? 0) / Math.max(1, r.ms[p]), 2)} cores)`).join(', ')}. ` +
        `The writes, the events and the gate's decisions run on the main thread, SQLite included; the vault's cryptography, the customs reader and WAL checkpoints in worker threads.` +
        `\n\nSame run, same machine: the generator alone makes ${fmt(raw.generation)} lines/s; raw better-sqlite3 insert of the same ${fmt(opts.parcels)} lines (one row each, WAL, synchronous=FULL, 10,000 per transaction): ` +
        `**${fmt(raw.rate)} rows/s** — the hub end to end on SQLite runs at ${fmt((total / raw.rate) * 100, 1)} % of it (1 : ${fmt(raw.rate / total, 0)})` +
        (plain === undefined
          ? '.\n\n'
          : `; without the gate at ${fmt((withoutCustoms(plain) / raw.rate) * 100, 1)} % (1 : ${fmt(raw.rate / withoutCustoms(plain), 0)}), customs left out of both for this comparison ` +
            `(with the gate, customs left out: ${fmt(withoutCustoms(sqlite))} parcels/s; without: ${fmt(withoutCustoms(plain))} parcels/s — the gate costs ${fmt((1 - withoutCustoms(sqlite) / withoutCustoms(plain)) * 100, 0)} % of the throughput; ` +
            `import ${fmt(r.ms.import / 1000, 1)} s against ${fmt(plain.run.ms.import / 1000, 1)} s, dispatch ${fmt(r.ms.dispatch / 1000, 1)} s against ${fmt(plain.run.ms.dispatch / 1000, 1)} s).\n\n`) +
        `What one freighter leaves in the SQLite file: ${fmt(stored.total)} rows, ${fmt(stored.total / r.import.accepted, 1)} per accepted parcel (${stored.tables.slice(0, 6).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')}, …), each in its table and indexes, besides rewriting each parcel's row at every step. ` +
        `SQLite alone stores them in **${fmt(floorMs / 1000, 1)} s** (every table copied from the run's file into a fresh one of the same schema, indexes included: one \`INSERT … SELECT\` per table, one transaction, no JavaScript): the floor of this data model on this machine, before any parcel's row is rewritten, any scan decided or any record sealed.\n\n` +
        `Targets: ≤ 10 s on SQLite (≥ 25,000 parcels/s) — ${total >= 25_000 ? 'met' : `**not met** (${fmt(total)} parcels/s)`}; peak memory ≤ 1 GiB on SQLite — ${sqlite.peakRss <= GIB ? 'met' : '**not met**'} (the other runs follow in the same process, so their peaks include the first run's heap).` +
        `${r.customsError === undefined ? '' : ` Customs clearance failed in this run (${r.customsError}).`}` +
        (http === undefined
          ? ''
          : `\n\nSorting answers over HTTP (\`POST /api/v1/scans\`, a sorter's token, batches of 5,000, two in flight, each scan stamped with its own time, 20 per ms, loopback, the client in the same process): ` +
            `${fmt(http.scans)} scans in ${fmt(http.ms / 1000, 1)} s, **${fmt(http.rate)} scans/s** — target ≥ 20,000: ${http.rate >= 20_000 ? 'met' : '**not met**'}.`) +
        `\n\n${HUB_HISTORY}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
