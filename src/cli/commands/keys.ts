import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { encodeLedgerEntry, type LedgerEntry } from '../../domain/index.js';
import { retireVaultKey, rotateVaultKeys, vaultKeyStatus } from '../../gate/index.js';
import { LedgerError } from '../../ledger/index.js';
import { keyPath, LOG_KEY_ENV, loadOrCreateLogKey, openLedger } from '../../runtime/index.js';
import type { Store } from '../../store/index.js';
import { checkKeyFile, checkedLogKeyFile, dbLocation, logKeyFile, openCheckedStore, parsePositiveInt, type DbOptions } from '../options.js';

interface VaultOptions extends DbOptions {
  readonly vaultKeys?: string;
  readonly json?: boolean;
}

/** The vault's key file: --vault-keys, else $GLASSHUB_VAULT_KEY_FILE, else vault.keys beside the database (as `serve` finds it). */
function vaultKeyFile(opts: VaultOptions): string {
  if (opts.vaultKeys !== undefined) return checkKeyFile('--vault-keys', opts.vaultKeys);
  const env = process.env['GLASSHUB_VAULT_KEY_FILE'];
  return env !== undefined ? checkKeyFile('$GLASSHUB_VAULT_KEY_FILE', env) : keyPath(dbLocation(opts), 'vault.keys');
}

/** Master keys change on an existing database only; its key files are checked before it is opened. */
async function withStore<T>(opts: VaultOptions, run: (store: Store, vaultKeys: string) => Promise<T>): Promise<T> {
  const vaultKeys = vaultKeyFile(opts);
  checkedLogKeyFile(opts);
  const store = await openCheckedStore(opts, 'existing');
  try {
    return await run(store, vaultKeys);
  } finally {
    await store.close();
  }
}

/** Master-key changes are public: key ids and counts only (never key material), like any operator act. */
async function record(store: Store, opts: VaultOptions, entry: LedgerEntry): Promise<number> {
  const log = await openLedger(store, loadOrCreateLogKey(logKeyFile(opts))); // checked by withStore
  try {
    // A serving hub appends too; when it keeps winning the race for the head, step back and try again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await log.append(encodeLedgerEntry(entry));
      } catch (err) {
        if (!(err instanceof LedgerError && err.code === 'CONFLICT') || attempt >= 10) throw err;
        await sleep(attempt * (10 + Math.random() * 40));
      }
    }
  } finally {
    await log.close();
  }
}

const out = (opts: VaultOptions, value: unknown, text: string): void => {
  process.stdout.write(opts.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
};

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("The log's signing key and the vault's master keys");
  keys
    .command('show')
    .description("Print the log's verifier key (C2SP signed-note vkey) of an existing hub; the hub creates its key on first start")
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--key <file>', 'signing key file (default: log.key beside the database)')
    .action((opts: DbOptions) => {
      const file = checkedLogKeyFile(opts);
      // Creating a key here would print a key no hub signs with: an auditor who ran this in the wrong
      // directory pinned it, and every checkpoint then failed its signature check.
      if (!process.env[LOG_KEY_ENV]?.trim() && !existsSync(file)) {
        throw new Error(`${opts.key !== undefined ? '--key ' : ''}${file}: no log key here; a hub creates its key on first start (glasshub serve or demo), and an auditor takes it from the hub's operator, not from this command`);
      }
      process.stdout.write(`${loadOrCreateLogKey(file).vkey}\n`);
    });

  const vault = (name: string, description: string) =>
    keys
      .command(name)
      .description(description)
      .option('--db <path>', 'database: SQLite file or postgres:// URL')
      .option('--vault-keys <file>', 'vault master-key file (default: $GLASSHUB_VAULT_KEY_FILE, else vault.keys beside the database)')
      .option('--key <file>', "the log's signing key file, to record the change (default: log.key beside the database)")
      .option('--json', 'print the result as JSON');

  vault('vault-status', 'List the master keys and how many data keys each wraps').action((opts: VaultOptions) =>
    withStore(opts, async (store, vaultKeys) => {
      const s = await vaultKeyStatus(store.db, vaultKeys);
      const lines = s.keys.map((k) => `${k.id}${k.id === s.current ? ' (current)' : ''}: ${k.dataKeys} data keys`);
      for (const [id, n] of Object.entries(s.unknown)) lines.push(`${id} (NOT in the key file): ${n} data keys cannot be opened`);
      out(opts, s, lines.join('\n'));
    }),
  );

  vault('vault-rotate', 'Add a new master key, make it current, and rewrap every data key under it in batches while the hub keeps serving')
    .option('--batch <n>', 'data keys per transaction', parsePositiveInt('--batch'), 1000)
    .option('--resume', 'add no key: rewrap what is not yet under the current key (an interrupted rotation, or keys from $GLASSHUB_VAULT_KEYS)')
    .action((opts: VaultOptions & { batch: number; resume?: boolean }) =>
      withStore(opts, async (store, vaultKeys) => {
        const r = await rotateVaultKeys(store.db, vaultKeys, {
          batch: opts.batch,
          resume: opts.resume === true,
          // Progress goes to stderr, so that --json output stays one line on stdout.
          onProgress: ({ rewrapped, total }) => process.stderr.write(`rewrapped ${rewrapped} of ${total} data keys\n`),
        });
        const old = Object.keys(r.usage).filter((id) => id !== r.current);
        const ledgerIndex = await record(store, opts, { type: 'vault-key-rotated', time: new Date().toISOString(), current: r.current, added: r.added, rewrapped: r.rewrapped, dataKeysByMasterKey: r.usage });
        out(
          opts,
          { ...r, ledgerIndex },
          `${r.added ? `added master key ${r.current}; ` : ''}${r.rewrapped} data keys rewrapped under ${r.current} (ledger entry ${ledgerIndex})` +
            (old.length > 0 ? `; still under older keys: ${old.map((id) => `${id} ${r.usage[id]}`).join(', ')} (run again with --resume)` : '; older keys can be retired with glasshub keys vault-retire <id>'),
        );
      }),
    );

  vault('vault-retire', 'Remove an old master key from the key file; refused while it is current or wraps any data key')
    .argument('<keyId>', 'the master key to remove, e.g. mk1')
    .action((keyId: string, opts: VaultOptions) =>
      withStore(opts, async (store, vaultKeys) => {
        const r = await retireVaultKey(store.db, vaultKeys, keyId);
        const ledgerIndex = await record(store, opts, { type: 'vault-key-retired', time: new Date().toISOString(), key: r.retired, remaining: r.remaining });
        out(opts, { ...r, ledgerIndex }, `retired ${r.retired}; the key file holds ${r.remaining.join(', ')} (ledger entry ${ledgerIndex})`);
      }),
    );
}
