import { dirname, join } from 'node:path';
import { Policy, openGate, type Gate } from '../gate/index.js';
import { SortPlanCache, hubConfigFromEnv, type DeliveryDisclosure, type HubConfig } from '../hub/operations/index.js';
import { Erasure, OutboxTransport, SubjectAccess, recipientDirectory } from '../privacy/index.js';
import { gateDeliveryDisclosure } from './delivery.js';
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
  /** Where outgoing e-mail (one-time codes) is written; default outbox/ beside the database. */
  readonly outboxDir?: string;
  readonly ledger?: OpenLedgerOptions;
  /** Serve proofs against witnessed checkpoints only (witnesses configured). */
  readonly requireCosigned?: boolean;
}

/** Everything a running hub needs, opened and wired once: the composition root. */
export interface Hub {
  readonly store: Store;
  readonly key: LogKey;
  readonly log: TransparencyLog;
  readonly gate: Gate;
  readonly config: HubConfig;
  readonly plans: SortPlanCache;
  readonly disclosure: DeliveryDisclosure;
  readonly subjectAccess: SubjectAccess;
  /** GDPR Art. 17/19; recipients' addresses from $GLASSHUB_RECIPIENT_CONTACTS (`org=address,…`). */
  readonly erasure: Erasure;
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
    const config = hubConfigFromEnv();
    const email = new OutboxTransport(opts.outboxDir ?? keyPath(location, 'outbox'));
    return {
      store,
      key,
      log,
      gate,
      config,
      plans: new SortPlanCache(store.db),
      disclosure: gateDeliveryDisclosure(gate, 'BE'),
      subjectAccess: new SubjectAccess({ db: store.db, gate, log, email, requireCosigned: opts.requireCosigned ?? false }),
      erasure: new Erasure({ db: store.db, gate, log, email, recipients: recipientDirectory(process.env['GLASSHUB_RECIPIENT_CONTACTS']) }),
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
