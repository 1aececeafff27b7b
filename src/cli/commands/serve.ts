import type { Command } from 'commander';
import { buildApp } from '../../http/index.js';
import { openStore } from '../../store/index.js';
import { loadOrCreateLogKey, openLedger } from '../../runtime/index.js';
import { collect, dbLocation, logKeyFile, parsePort, parsePositiveInt, type DbOptions } from '../options.js';

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
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--witness <vkey=url>', 'a witness to ask for cosignatures (repeatable)', collect, [])
    .option('--quorum <n>', 'cosignatures a checkpoint needs before it is served (default: all witnesses)', parsePositiveInt('--quorum'))
    .action(async (opts: ServeOptions) => {
      await serve(opts);
    });
}

async function serve(opts: ServeOptions): Promise<void> {
  const store = await openStore(dbLocation(opts));
  const key = loadOrCreateLogKey(logKeyFile(opts));
  const log = await openLedger(store, key);
  const app = await buildApp({ log, logVkey: key.vkey, requireCosigned: opts.witness.length > 0 });
  const address = await app.listen({ port: opts.port, host: opts.host });
  process.stdout.write(`glasshub serving ${store.dialect} store ${store.location} on ${address}\nlog ${key.vkey}\n`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await log.close();
    await store.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
