import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { buildWitnessApp } from '../../http/index.js';
import {
  Witness,
  encodeWitnessVerifierKey,
  generateWitnessKey,
  isValidKeyName,
  parseWitnessSignerKey,
  witnessedLogs,
  type WitnessSigner,
} from '../../ledger/index.js';
import { KyselyWitnessStorage, openStore } from '../../store/index.js';
import { createKeyFile } from '../../runtime/index.js';
import { checkKeyFile, checkListen, checkedDbLocation, collect, listenError, parseHost, parsePort } from '../options.js';

export const DEFAULT_WITNESS_DB = './data/witness.db';
export const DEFAULT_WITNESS_NAME = 'witness.glasshub.local';

interface WitnessOptions {
  readonly key: string;
  readonly logVkey: string[];
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly name: string;
  readonly printVkey?: boolean;
}

export function registerWitness(program: Command): void {
  program
    .command('witness')
    .description('Run a C2SP tlog-witness: cosign checkpoints of the given logs that are consistent with what it cosigned before')
    .requiredOption('--key <file>', 'witness signing key file (cosignature/v1 Ed25519), created with mode 0600 if missing')
    .option('--log-vkey <vkey>', "verifier key of a log to witness; the log's origin is the key name (repeatable)", collect, [])
    .option('--db <path>', "the witness's own database: SQLite file or postgres:// URL", DEFAULT_WITNESS_DB)
    .option('--port <port>', 'TCP port (0: any free port)', parsePort, 8081)
    .option('--host <host>', 'address to listen on', parseHost, '127.0.0.1')
    .option('--name <name>', 'key name, used only when the key file is created', parseKeyName, DEFAULT_WITNESS_NAME)
    .option('--print-vkey', "print the witness's verifier key and exit")
    .action(async (opts: WitnessOptions) => {
      // Every option is checked before a key or a database is created.
      checkKeyFile('--key', opts.key);
      if (opts.printVkey) {
        process.stdout.write(`${loadOrCreateWitnessKey(opts.key, opts.name).vkey}\n`);
        return;
      }
      const logs = parseLogVkeys(opts.logVkey);
      const location = checkedDbLocation({ db: opts.db }, 'create', opts.db === DEFAULT_WITNESS_DB);
      const existing = existsSync(opts.key) ? loadOrCreateWitnessKey(opts.key, opts.name) : undefined;
      await checkListen(opts.port, opts.host);
      await runWitness(opts, location, existing, logs);
    });
}

function parseKeyName(value: string): string {
  if (!isValidKeyName(value)) throw new Error(`--name: ${JSON.stringify(value)} is not a key name (non-empty, no spaces, no '+')`);
  return value;
}

function parseLogVkeys(vkeys: readonly string[]): ReturnType<typeof witnessedLogs> {
  if (vkeys.length === 0) throw new Error('--log-vkey: at least one log verifier key is required');
  for (const vkey of vkeys) {
    try {
      witnessedLogs([vkey]);
    } catch (err) {
      throw new Error(`--log-vkey: ${JSON.stringify(vkey)} is not a signed-note Ed25519 verifier key (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return witnessedLogs(vkeys);
}

/** A missing key is created once the database is open: a witness that cannot start leaves no new identity behind. */
async function runWitness(opts: WitnessOptions, location: string, existing: WitnessKey | undefined, logs: ReturnType<typeof witnessedLogs>): Promise<void> {
  const store = await openStore(location);
  let key: WitnessKey;
  try {
    key = existing ?? loadOrCreateWitnessKey(opts.key, opts.name);
  } catch (err) {
    await store.close();
    throw err;
  }
  const witness = new Witness({ signer: key.signer, logs, storage: new KyselyWitnessStorage(store.db) });
  const app = buildWitnessApp(witness);
  let address: string;
  try {
    address = await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await store.close();
    throw listenError(err, opts.port, opts.host);
  }
  process.stdout.write(
    `glasshub witness ${key.vkey}\nwitnessing ${[...logs.keys()].join(', ')} with ${store.dialect} store ${store.location} on ${address}\n`,
  );

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await store.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

interface WitnessKey {
  readonly signer: WitnessSigner;
  readonly vkey: string;
}

/** The witness key from `file`, created there (mode 0600) on first start; the private key never appears in an error. */
function loadOrCreateWitnessKey(file: string, name: string): WitnessKey {
  if (!existsSync(file)) {
    const { skey } = generateWitnessKey(name);
    try {
      createKeyFile(file, skey);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process created it: use theirs
    }
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(`key file ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  try {
    const signer = parseWitnessSignerKey(readFileSync(file, 'utf8').trim());
    return { signer, vkey: encodeWitnessVerifierKey(signer.name, signer.publicKey) };
  } catch {
    throw new Error(`the key in ${file} is not a cosignature/v1 (Ed25519) witness private key`);
  }
}
