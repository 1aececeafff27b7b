import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Policy, openGate, type Principal } from '../src/gate/index.js';
import { openStore } from '../src/store/index.js';
import { loadOrCreateLogKey, openLedger } from '../src/runtime/index.js';
import { parseOptions, rawSha256Rate, rawSqliteInsertRate } from './lib/limits.js';
import { fmt, log, machineLine, percentile, writeSection } from './lib/report.js';

const DEFAULTS = { people: 20_000, reads: 100_000, callers: 256 };

const OFFICER: Principal = { id: 'bench-officer', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };

/** The same machine limits as the ledger benchmark, over 200,000 random 256-byte entries. */
function rawLimits(dir: string, n: number): { sha: number; sqlite: number } {
  const entries = Array.from({ length: n }, () => randomBytes(256));
  return { sha: rawSha256Rate(entries), sqlite: rawSqliteInsertRate(entries, dir) };
}

export interface GateRun {
  readonly rate: number;
  /** Sorted, in milliseconds. */
  readonly latencies: Float64Array;
  /** Microseconds of this process's CPU time per read. */
  readonly cpuPerRead: number;
}

/** Seals `people`, then `reads` single-record reads by `callers` concurrent callers; `dir` holds the files. */
export async function measureGate(opts: typeof DEFAULTS, dir: string): Promise<GateRun> {
  const store = await openStore(join(dir, 'gate.db'));
  const ledger = await openLedger(store, loadOrCreateLogKey(join(dir, 'log.key'), 'bench.glasshub/gate'));
  const gate = openGate(store.db, ledger, { vaultKeyFile: join(dir, 'vault.keys'), policy: Policy.load() });
  log(`sealing ${fmt(opts.people)} people`);
  const refs: string[] = [];
  for (let i = 0; i < opts.people; i += 2_000) {
    const batch = Array.from({ length: Math.min(2_000, opts.people - i) }, (_, j) => ({
      role: 'consignee' as const,
      data: { name: `Person ${i + j}`, street: `${j} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', email: `p${i + j}@example.be` },
    }));
    refs.push(...(await store.db.transaction().execute((tx) => gate.seal(tx, batch))));
  }
  const latencies = new Float64Array(opts.reads);
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.callers }, async () => {
      while (next < opts.reads) {
        const i = next++;
        const start = performance.now();
        const d = await gate.access({ principal: OFFICER, action: 'read', purpose: 'customs-control', refs: [refs[i % refs.length]!], category: 'consignee', fields: ['name', 'postcode'] });
        if (d.decision !== 'allow') throw new Error('expected an allowed read');
        latencies[i] = performance.now() - start;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rate = opts.reads / seconds;
  // CPU time per read (this process, user + system) is what a busy machine disturbs least.
  const cpu = process.cpuUsage(cpu0);
  const cpuPerRead = (cpu.user + cpu.system) / opts.reads;
  latencies.sort();
  log(`gate reads: ${fmt(rate)}/s, p50 ${fmt(percentile(latencies, 50), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms, CPU ${fmt(cpuPerRead, 1)} µs per read`);
  await ledger.close();
  await store.close();
  return { rate, latencies, cpuPerRead };
}

export async function run(args: string[]): Promise<void> {
  const opts = parseOptions(args, DEFAULTS);
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-bench-gate-'));
  try {
    const limits = rawLimits(dir, 200_000);
    log(`raw SHA-256 ${fmt(limits.sha)}/s, raw SQLite insert ${fmt(limits.sqlite)} rows/s`);
    const { rate, latencies, cpuPerRead } = await measureGate(opts, dir);
    writeSection(
      'gate',
      `## Gate (\`npm run bench -- gate\`)

${machineLine()}. ${fmt(opts.reads)} single-record reads by ${fmt(opts.callers)} concurrent callers over ${fmt(opts.people)} sealed people, SQLite: each read is a policy decision (cached per question), one ledger entry and its access-index row committed in the same transaction (durable before any data is returned), and an AES-256-GCM unwrap and decrypt. Concurrent callers' vault reads are batched into one query, as their ledger entries are into one commit.

| what | result | target | limits measured in the same run | ratio |
| --- | --- | --- | --- | --- |
| reads through the gate | ${fmt(rate)}/s (p50 ${fmt(percentile(latencies, 50), 1)} ms, p99 ${fmt(percentile(latencies, 99), 1)} ms; ${fmt(cpuPerRead, 1)} µs of CPU per read) | ≥ 20,000/s | raw SHA-256 ${fmt(limits.sha)}/s; raw SQLite insert ${fmt(limits.sqlite)} rows/s | ${fmt(rate / limits.sha, 3)} of SHA-256; ${fmt(rate / limits.sqlite, 3)} of SQLite |
`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
