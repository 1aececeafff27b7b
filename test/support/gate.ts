import { randomBytes } from 'node:crypto';
import { Gate, Policy, type DecisionLog } from '../../src/gate/index.js';
import { Vault, keyringFrom } from '../../src/vault/index.js';
import type { Store } from '../../src/store/index.js';

export function testKeyring() {
  return keyringFrom({ current: 'mk1', keys: { mk1: randomBytes(32).toString('base64') }, index: randomBytes(32).toString('base64') });
}

/** A gate over a real vault and policy, recording into `log` (a real TransparencyLog in most tests). */
export function testGate(store: Store, log: DecisionLog, policy = Policy.load()): Gate {
  return new Gate(store.db, new Vault(testKeyring()), log, policy);
}
