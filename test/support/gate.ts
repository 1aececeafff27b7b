import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { Gate, Policy, type DecisionLog } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { Vault, keyringFrom } from '../../src/vault/index.js';
import type { Store } from '../../src/store/index.js';
import { openTestLedger } from './hub.js';
import { openTestStore, type StoreKind, type TestStore } from './stores.js';

export function testKeyring() {
  return keyringFrom({ current: 'mk1', keys: { mk1: randomBytes(32).toString('base64') }, index: randomBytes(32).toString('base64') });
}

/** A gate over a real vault and policy, recording into `log` (a real TransparencyLog in most tests). */
export function testGate(store: Store, log: DecisionLog, policy = Policy.load()): Gate {
  return new Gate(store.db, new Vault(testKeyring()), log, policy);
}

export interface GatedStore {
  readonly store: TestStore;
  readonly log: TransparencyLog;
  readonly gate: Gate;
}

/**
 * A fresh store with its ledger and a gate for each test of the calling suite (hooks registered here),
 * closed after it. Read the fields inside the tests: they are replaced before each one.
 */
export function gatedStoreEachTest(kind: StoreKind): GatedStore {
  const at: { store?: TestStore; log?: TransparencyLog; gate?: Gate } = {};
  beforeEach(async () => {
    at.store = await openTestStore(kind);
    ({ log: at.log } = await openTestLedger(at.store));
    at.gate = testGate(at.store, at.log);
  });
  afterEach(async () => {
    await at.log?.close();
    await at.store?.cleanup();
  });
  const opened = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('gatedStoreEachTest: read its fields inside a test');
    return v;
  };
  return {
    get store() {
      return opened(at.store);
    },
    get log() {
      return opened(at.log);
    },
    get gate() {
      return opened(at.gate);
    },
  };
}
