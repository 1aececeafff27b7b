import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { seedDefaultSortPlan } from '../../hub/operations/index.js';
import { openHub, type Hub } from '../../runtime/index.js';
import { runFlight, SCHEDULE, type FlightRun, type FlightSpec, type Phase } from '../../sim/index.js';
import { checkListen, checkedDbLocation, checkedLogKeyFile, parseHost, parsePort, parsePositiveInt, type DbOptions } from '../options.js';
import { serveHub } from './serve.js';

interface DemoOptions extends DbOptions {
  readonly parcels: number;
  readonly flights: number;
  readonly seed: number;
  readonly serve: boolean;
  readonly port: number;
  readonly host: string;
}

export const DEMO_PARCELS = 20_000;
/** Four full 747-400Fs: the simulator's numbering and a day's run stay within bounds. */
export const MAX_PARCELS_PER_FLIGHT = 1_000_000;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run a day at the hub on simulated freighters: seed lanes and the sort plan, import generated manifests (a few percent of bad lines on purpose), ' +
        'break down, clear customs, sort, bag, load and dispatch trucks with each carrier manifest disclosed through the gate, print a summary, then serve the API. ' +
        `Default ${DEMO_PARCELS.toLocaleString('en-US')} parcels on 1 flight (well under a minute on 2 cores); a full 747-400F is --parcels 250000. ` +
        'Run again on the same database, it simulates the next day (new flights, new parcels).',
    )
    .option('--parcels <n>', `parcels in all, shared among the flights (at most ${MAX_PARCELS_PER_FLIGHT.toLocaleString('en-US')} per flight)`, parsePositiveInt('--parcels'), DEMO_PARCELS)
    .option('--flights <n>', `freighters (1–${SCHEDULE.length})`, parseFlights, 1)
    .option('--seed <n>', 'seed of the simulation (same seed, same day: same manifests)', parseSeed, 1)
    .option('--db <path>', 'database: SQLite file or postgres:// URL (default: $GLASSHUB_DB or ./data/glasshub.db)')
    .option('--key <file>', 'log signing key file (default: log.key beside the database)')
    .option('--no-serve', 'exit after the summary instead of serving the API')
    .option('--port <port>', 'TCP port to serve on (0: any free port)', parsePort, 8080)
    .option('--host <host>', 'address to serve on', parseHost, '127.0.0.1')
    .action(async (opts: DemoOptions) => {
      await demo(opts);
    });
}

function parseFlights(value: string): number {
  const n = parsePositiveInt('--flights')(value);
  if (n > SCHEDULE.length) throw new Error(`--flights: at most ${SCHEDULE.length} (the day's schedule)`);
  return n;
}

/** The simulation's seed is 32 bits: a larger one would silently become another seed. */
function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n > 0xffff_ffff) throw new Error(`--seed: ${JSON.stringify(value)} is not an integer from 0 to ${0xffff_ffff}`);
  return n;
}

/** Each flight needs a parcel, and none more than the simulator numbers. */
function checkParcels(opts: Pick<DemoOptions, 'parcels' | 'flights'>): void {
  if (opts.parcels < opts.flights) throw new Error(`--parcels: ${opts.parcels} is fewer than --flights ${opts.flights} (each flight needs a parcel)`);
  if (opts.parcels > opts.flights * MAX_PARCELS_PER_FLIGHT) {
    throw new Error(`--parcels: ${opts.parcels} is more than ${(opts.flights * MAX_PARCELS_PER_FLIGHT).toLocaleString('en-US')} (${MAX_PARCELS_PER_FLIGHT.toLocaleString('en-US')} per flight)`);
  }
}

const n = (x: number): string => x.toLocaleString('en-US');

/** Today (UTC), or the first later day none of the demo's flights has flown yet: a rerun never collides. */
async function demoDate(hub: Hub, flights: number): Promise<string> {
  const numbers = SCHEDULE.slice(0, flights).map((s) => s.flight);
  const day = new Date();
  for (let i = 0; i < 3_650; i++) {
    const date = day.toISOString().slice(0, 10);
    const taken = await hub.store.db.selectFrom('flights').select('id').where('flight_number', 'in', numbers).where('flight_date', '=', date).executeTakeFirst();
    if (!taken) return date;
    day.setUTCDate(day.getUTCDate() + 1);
  }
  throw new Error('the demo has run for ten years of days on this database: use a new --db');
}

async function demo(opts: DemoOptions): Promise<void> {
  checkParcels(opts);
  const location = checkedDbLocation(opts, 'create');
  const logKeyFile = checkedLogKeyFile(opts);
  // A --host or --port that cannot serve is refused now, not after the day has been simulated.
  if (opts.serve) await checkListen(opts.port, opts.host);
  const hub = await openHub({ db: location, logKeyFile });
  let serving = false;
  try {
    await seedDefaultSortPlan(hub.store.db, 'glasshub-demo');
    const date = await demoDate(hub, opts.flights);
    if (date !== new Date().toISOString().slice(0, 10)) process.stderr.write(`today's demo flights are already in ${hub.store.location}: simulating ${date}\n`);
    const started = performance.now();
    const runs: FlightRun[] = [];
    for (let f = 0; f < opts.flights; f++) {
      const share = Math.floor(opts.parcels / opts.flights) + (f < opts.parcels % opts.flights ? 1 : 0);
      const spec: FlightSpec = { ...SCHEDULE[f]!, flightDate: date, parcels: share, seed: opts.seed };
      process.stderr.write(`flight ${spec.flight}/${date} (${spec.airline.name}): ${n(share)} parcels\n`);
      const bar = progressBar();
      try {
        runs.push(await runFlight(hub, spec, { onProgress: bar?.update, onPhase: (phase, ms) => (bar ? bar.done(phase, ms) : process.stderr.write(`  ${phase} ${n(ms)} ms\n`)) }));
      } finally {
        bar?.stop();
      }
    }
    process.stdout.write(await summary(hub, runs, performance.now() - started));
    if (opts.serve) {
      await serveHub(hub, { port: opts.port, host: opts.host, witness: [] });
      serving = true;
    }
  } finally {
    if (!serving) await hub.close();
  }
}

async function summary(hub: Hub, runs: readonly FlightRun[], ms: number): Promise<string> {
  const sum = (f: (r: FlightRun) => number | undefined): number => runs.reduce((s, r) => s + (f(r) ?? 0), 0);
  const checkpoint = await hub.log.checkpoint();
  const [origin = '', , root = ''] = checkpoint.note.toString('utf8').split('\n');
  const out = [`demo: ${runs.length} flight(s) in ${(ms / 1000).toFixed(1)} s`];
  for (const r of runs) {
    const phases = Object.entries(r.ms).map(([p, t]) => `${p} ${(t / 1000).toFixed(1)} s`).join(', ');
    out.push(`  ${r.flightId}: ${n(r.import.accepted)} accepted, ${n(r.import.rejected)} rejected, ${r.ulds} ULDs (${phases})`);
    for (const e of r.import.errors.slice(0, 3)) out.push(`    line ${e.line}: ${e.field}: ${e.reason}`);
    if (r.import.rejected > 3) out.push(`    … (${n(r.import.rejected)} lines rejected in all; \`glasshub import\` lists them)`);
    if (r.customsError !== undefined) out.push(`    customs clearance failed: ${r.customsError}`);
  }
  out.push(
    `parcels accepted: ${n(sum((r) => r.import.accepted))}`,
    `parcels rejected: ${n(sum((r) => r.import.rejected))}`,
    `duplicates: ${n(sum((r) => r.import.duplicates))}`,
    `inducted: ${n(sum((r) => r.inducted))}`,
    `customs cleared: ${n(sum((r) => r.cleared))}, flagged for review: ${n(sum((r) => r.flagged))}`,
    `held by customs: ${n(sum((r) => r.held))}`,
    `sorted: ${n(sum((r) => r.sorted))}, exceptions: ${n(sum((r) => r.exceptions))}`,
    `lanes: ${n(sum((r) => r.lanes))}`,
    `bags: ${n(sum((r) => r.bags))}`,
    `trucks: ${n(sum((r) => r.trucks))}`,
    `parcels dispatched: ${n(sum((r) => r.dispatched))}`,
    `disclosures to carriers: ${n(sum((r) => r.disclosures))}`,
    `ledger: ${n(checkpoint.size)} entries, checkpoint ${origin} ${root}`,
  );
  return `${out.join('\n')}\n`;
}

interface Bar {
  readonly update: (phase: Phase, done: number, total: number) => void;
  readonly done: (phase: Phase, ms: number) => void;
  stop(): void;
}

/** One bar on standard error, phase by phase, only for a person watching a terminal. */
function progressBar(): Bar | undefined {
  if (!process.stderr.isTTY || process.env['CI']) return undefined;
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '  {phase} {bar} {value}/{total} | {duration_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let current: Phase | undefined;
  return {
    update: (phase, done, total) => {
      if (phase !== current) {
        if (current !== undefined) bar.stop();
        bar.start(total, done, { phase: phase.padEnd(9) });
        current = phase;
      } else bar.update(done);
    },
    done: (phase, ms) => {
      if (current !== undefined) bar.stop();
      current = undefined;
      process.stderr.write(`  ${phase} ${n(ms)} ms\n`);
    },
    stop: () => bar.stop(),
  };
}
