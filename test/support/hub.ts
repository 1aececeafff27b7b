import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger, type LogKey } from '../../src/runtime/index.js';
import { openTestStore, type StoreKind, type TestStore } from './stores.js';

export interface TestHub {
  readonly store: TestStore;
  readonly key: LogKey;
  readonly log: TransparencyLog;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** A ledger on this store, signed by a fresh key in its own temporary directory; appends commit after 1 ms. */
export async function openTestLedger(store: TestStore, origin = 'test.glasshub/log'): Promise<{ key: LogKey; log: TransparencyLog }> {
  const key = loadOrCreateLogKey(join(mkdtempSync(join(tmpdir(), 'glasshub-key-')), 'log.key'), origin);
  return { key, log: await openLedger(store, key, { maxDelayMs: 1 }) };
}

/** A complete hub on a fresh store, with its HTTP app ready for in-process `inject` calls. */
export async function startTestHub(kind: StoreKind, origin = 'test.glasshub/log'): Promise<TestHub> {
  const store = await openTestStore(kind);
  const { key, log } = await openTestLedger(store, origin);
  const app = await buildApp({ log, logVkey: key.vkey, requireCosigned: false }, { logger: false });
  return {
    store,
    key,
    log,
    app,
    close: async () => {
      await app.close();
      await log.close();
      await store.cleanup();
    },
  };
}
