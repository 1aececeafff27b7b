import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { buildHubApp } from '../../http/index.js';
import { WitnessPool, parseWitnessVerifierKey, type PoolWitness } from '../../ledger/index.js';
import { runRetention, startRetentionSchedule } from '../../privacy/index.js';
import { openHub, type Hub } from '../../runtime/index.js';
import { checkListen, checkedDbLocation, checkedLogKeyFile, collect, listenError, parseHost, parsePort, parsePositiveInt, type DbOptions } from '../options.js';

interface ServeOptions extends DbOptions {
  readonly port: number;
  readonly host: string;
  readonly witness: string[];
  readonly quorum?: number;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the hub API, the transparency log and the pages on HTTP')
    .option('--db <path>', 'database: SQLite file or postgres:// URL (default: $GLASSHUB_DB or ./data/glasshub.db)')
    .option('--key <file>', 'log signing key file (default: log.key beside the database)')
    .option('--port <port>', 'TCP port (0: any free port)', parsePort, 8080)
    .option('--host <host>', 'address to listen on', parseHost, '127.0.0.1')
    .option('--witness <vkey=url>', 'a witness to ask for cosignatures (repeatable)', collect, [])
    .option('--quorum <n>', 'cosignatures a checkpoint needs before it is served (default: all witnesses)', parsePositiveInt('--quorum'))
    .action(async (opts: ServeOptions) => {
      await serve(opts);
    });
}

async function serve(opts: ServeOptions): Promise<void> {
  parseWitnesses(opts); // bad options are refused before the database is opened
  const location = checkedDbLocation(opts, 'create');
  const logKeyFile = checkedLogKeyFile(opts);
  await checkListen(opts.port, opts.host);
  const hub = await openHub({ db: location, logKeyFile, requireCosigned: opts.witness.length > 0 });
  try {
    await serveHub(hub, opts);
  } catch (err) {
    await hub.close();
    throw err;
  }
}

/** Serves an open hub until SIGINT/SIGTERM (also the end of `glasshub demo`). */
export async function serveHub(hub: Hub, opts: Pick<ServeOptions, 'port' | 'host' | 'witness' | 'quorum'>): Promise<void> {
  const ref: { app?: FastifyInstance } = {}; // witness failures go to the app's log once it exists
  const pool = witnessPool(opts, (message, err) => {
    if (ref.app) ref.app.log.warn({ err }, message);
    else process.stderr.write(`glasshub: ${message}: ${err instanceof Error ? err.message : String(err)}\n`);
  });
  // The pool follows the log's checkpoints by polling, so it also witnesses other processes' appends.
  pool?.attach(hub.log);
  const app = await buildHubApp(hub, { requireCosigned: pool !== undefined });
  ref.app = app;
  let address: string;
  try {
    address = await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await app.close();
    await pool?.close();
    throw listenError(err, opts.port, opts.host);
  }
  process.stdout.write(`glasshub serving ${hub.store.dialect} store ${hub.store.location} on ${address}\nlog ${hub.key.vkey}\n`);

  // Retention runs by itself: once at start, then every GLASSHUB_RETENTION_INTERVAL_MS (default 6 hours).
  const retentionDeps = { db: hub.store.db, gate: hub.gate, log: hub.log };
  const report = {
    onRun: (r: { subjectsErased: number; subjectsKept: number; ledgerIndex: number | null }) =>
      app.log.info({ erased: r.subjectsErased, kept: r.subjectsKept, entry: r.ledgerIndex }, 'retention run'),
    onError: (err: unknown) => app.log.error({ err }, 'retention run failed'),
  };
  void runRetention(retentionDeps).then(report.onRun, report.onError);
  const retention = startRetentionSchedule(retentionDeps, Number(process.env['GLASSHUB_RETENTION_INTERVAL_MS'] ?? 6 * 3_600_000), report);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await retention.stop();
    await app.close();
    await pool?.close();
    await hub.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** `--witness <vkey>=<url>`: the vkey's base64 may end in '=', so the URL starts at the first '=http'. */
export function parseWitnessOption(value: string): PoolWitness {
  const match = /^(.+?)=(https?:\/\/.+)$/.exec(value);
  if (match === null) throw new Error(`--witness: ${JSON.stringify(value)} is not <vkey>=<http(s) url>`);
  const [, vkey = '', url = ''] = match;
  try {
    parseWitnessVerifierKey(vkey);
  } catch (err) {
    throw new Error(`--witness: ${JSON.stringify(vkey)} is not a witness (cosignature/v1) verifier key: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!URL.canParse(url)) throw new Error(`--witness: ${JSON.stringify(url)} is not a URL`);
  return { vkey, url };
}

function parseWitnesses(opts: Pick<ServeOptions, 'witness' | 'quorum'>): PoolWitness[] {
  const witnesses = opts.witness.map(parseWitnessOption);
  if (witnesses.length === 0 && opts.quorum !== undefined) throw new Error('--quorum: needs at least one --witness');
  if (opts.quorum !== undefined && opts.quorum > witnesses.length) {
    throw new Error(`--quorum: ${opts.quorum} is more than the ${witnesses.length} witness(es) given`);
  }
  return witnesses;
}

function witnessPool(opts: Pick<ServeOptions, 'witness' | 'quorum'>, report: (message: string, err?: unknown) => void): WitnessPool | undefined {
  const witnesses = parseWitnesses(opts);
  if (witnesses.length === 0) return undefined;
  try {
    // Polling also witnesses what `glasshub log append` and other processes commit to the same database.
    return new WitnessPool({ witnesses, quorum: opts.quorum, report, pollMs: 1_000 });
  } catch (err) {
    throw new Error(`--witness: ${err instanceof Error ? err.message : String(err)}`);
  }
}
