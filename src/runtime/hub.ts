import { dirname, join } from 'node:path';
import { Policy, openGate, type Gate } from '../gate/index.js';
import type { TransparencyLog } from '../ledger/index.js';
import { isPostgresUrl, openStore, resolveDbLocation, type Store } from '../store/index.js';
import { loadOrCreateLogKey, type LogKey } from './keys.js';
import { openLedger, type OpenLedgerOptions } from './ledger.js';

export interface HubOptions {
  /** SQLite file or postgres:// URL; default $GLASSHUB_DB or ./data/glasshub.db. */
  readonly db?: string;
  /** Log signing key file; default log.key beside the database. */
  readonly logKeyFile?: string;
  /** Vault master keys file; default vault.keys beside the database. */
  readonly vaultKeyFile?: string;
  /** Cedar policy file; default the shipped policy/glasshub.cedar. */
  readonly policyFile?: string;
  readonly ledger?: OpenLedgerOptions;
}

/** Everything a running hub needs, opened and wired once: the composition root. */
export interface Hub {
  readonly store: Store;
  readonly key: LogKey;
  readonly log: TransparencyLog;
  readonly gate: Gate;
  close(): Promise<void>;
}

/** Keys live beside the SQLite file; for PostgreSQL, under ./data. */
export function keyPath(db: string, name: string): string {
  return isPostgresUrl(db) || db === ':memory:' ? join('data', name) : join(dirname(db), name);
}

export async function openHub(opts: HubOptions = {}): Promise<Hub> {
  const location = resolveDbLocation(opts.db);
  const store = await openStore(location);
  try {
    const key = loadOrCreateLogKey(opts.logKeyFile ?? process.env['GLASSHUB_LOG_KEY_FILE'] ?? keyPath(location, 'log.key'));
    const log = await openLedger(store, key, opts.ledger);
    const gate = openGate(store.db, log, {
      vaultKeyFile: opts.vaultKeyFile ?? process.env['GLASSHUB_VAULT_KEY_FILE'] ?? keyPath(location, 'vault.keys'),
      policy: Policy.load(opts.policyFile),
    });
    // Every policy version the hub decides under is public before its first decision.
    await gate.publishPolicy();
    return {
      store,
      key,
      log,
      gate,
      close: async () => {
        await log.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
