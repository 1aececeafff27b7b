import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Policy, openGate, retireVaultKey, rotateVaultKeys, vaultKeyStatus, type Gate } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { addMasterKey, VAULT_KEYS_ENV } from '../../src/vault/index.js';
import { runGlasshub, spawnGlasshub } from '../support/cli.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const PEOPLE = 400;
const person = (i: number) => ({ name: `Person ${i}`, street: `${i} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', email: `p${i}@example.be` });
const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };

describe.each(STORE_KINDS)('glasshub keys vault-* on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let keyFile: string;
  let logKeyFile: string;
  let refs: string[];

  beforeEach(async () => {
    store = await openTestStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'gh-keys-'));
    keyFile = join(dir, 'vault.keys');
    logKeyFile = join(dir, 'log.key');
    log = await openLedger(store, loadOrCreateLogKey(logKeyFile, 'test.glasshub/log'), { maxDelayMs: 1 });
    // The serving hub's gate, whose keyring follows the key file as a running `serve` does.
    gate = openGate(store.db, log, { vaultKeyFile: keyFile, policy: Policy.load() });
    refs = await gate.seal(store.db, Array.from({ length: PEOPLE }, (_, i) => ({ role: 'consignee' as const, data: person(i) })));
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  const read = async (ref: string) => {
    const d = await gate.access({ principal: officer, action: 'read', purpose: 'customs-control', refs: [ref], category: 'consignee', fields: ['name'] });
    const r = d.records[0];
    return r && 'data' in r ? r.data.name : undefined;
  };
  const vault = (...args: string[]) => runGlasshub(['keys', ...args, '--db', store.url, '--vault-keys', keyFile, '--key', logKeyFile]);
  /** An entry another process appended: read through a fresh view of the log. */
  const entryAt = async (index: number) => {
    const view = await openLedger(store, loadOrCreateLogKey(logKeyFile, 'test.glasshub/log'), { maxDelayMs: 1 });
    try {
      const parsed = parseLedgerEntry(await view.readEntry(index));
      return parsed.ok ? parsed.value : undefined;
    } finally {
      await view.close();
    }
  };

  it('rotates while the hub keeps reading, refuses to retire a key in use, and retires it once nothing uses it', async () => {
    await expect(retireVaultKey(store.db, keyFile, 'mk1')).rejects.toThrow('mk1 is the current master key');

    // Rotation in another process, in small batches; the hub reads all along.
    const child = spawnGlasshub(['keys', 'vault-rotate', '--db', store.url, '--vault-keys', keyFile, '--key', logKeyFile, '--batch', '5', '--json']);
    let stdout = '';
    let stderr = '';
    let rewrapping = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      rewrapping = /rewrapped [1-9]/.test(stderr);
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let done = false;
    void exited.then(() => (done = true));
    let reads = 0;
    let readsWhileRewrapping = 0;
    for (let i = 0; !done; i++) {
      const ref = refs[(i * 37) % PEOPLE]!;
      expect(await read(ref)).toBe(`Person ${(i * 37) % PEOPLE}`);
      reads++;
      if (rewrapping && !done) readsWhileRewrapping++;
    }
    expect(await exited, stderr).toBe(0);
    expect(readsWhileRewrapping).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(readsWhileRewrapping - 1);
    const rotated = JSON.parse(stdout) as { ledgerIndex: number };
    expect(rotated).toMatchObject({ current: 'mk2', added: true, rewrapped: PEOPLE, usage: { mk2: PEOPLE } });
    expect(await entryAt(rotated.ledgerIndex)).toMatchObject({ type: 'vault-key-rotated', current: 'mk2', added: true, rewrapped: PEOPLE, dataKeysByMasterKey: { mk2: PEOPLE } });
    expect(stderr).toContain(`rewrapped ${PEOPLE} of ${PEOPLE} data keys`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // An interrupted rotation: a new key is current, nothing rewrapped yet. mk2 is still needed.
    addMasterKey(keyFile);
    const inUse = await vault('vault-retire', 'mk2');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain(`mk2 still wraps ${PEOPLE} data key(s)`);
    const resumed = await vault('vault-rotate', '--resume', '--json');
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ current: 'mk3', added: false, rewrapped: PEOPLE, usage: { mk3: PEOPLE } });

    expect(await retireVaultKey(store.db, keyFile, 'mk1')).toEqual({ retired: 'mk1', remaining: ['mk2', 'mk3'] });
    expect(await retireVaultKey(store.db, keyFile, 'mk2')).toEqual({ retired: 'mk2', remaining: ['mk3'] });
    const status = await vault('vault-status');
    expect(status.stdout).toBe(`mk3 (current): ${PEOPLE} data keys\n`);
    expect(await vaultKeyStatus(store.db, keyFile)).toEqual({ current: 'mk3', keys: [{ id: 'mk3', dataKeys: PEOPLE }], unknown: {} });
    expect(Object.keys((JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: object }).keys)).toEqual(['mk3']);
    // Everything still opens, and a person sealed now is wrapped by the new key.
    expect(await read(refs[PEOPLE - 1]!)).toBe(`Person ${PEOPLE - 1}`);
    const [fresh] = await gate.seal(store.db, [{ role: 'consignee', data: person(PEOPLE) }]);
    const row = await store.db.selectFrom('vault_records as r').innerJoin('vault_subjects as s', 's.id', 'r.subject_id').select('s.master_key_id').where('r.id', '=', fresh!).executeTakeFirstOrThrow();
    expect(row.master_key_id).toBe('mk3');
  }, 120_000);

  it('with the keys in $GLASSHUB_VAULT_KEYS, adds none itself and only rewraps with --resume', async () => {
    const saved = process.env[VAULT_KEYS_ENV];
    process.env[VAULT_KEYS_ENV] = readFileSync(keyFile, 'utf8');
    try {
      await expect(rotateVaultKeys(store.db, keyFile)).rejects.toThrow('--resume');
      expect(await rotateVaultKeys(store.db, keyFile, { resume: true })).toMatchObject({ current: 'mk1', added: false, rewrapped: 0 });
    } finally {
      if (saved === undefined) delete process.env[VAULT_KEYS_ENV];
      else process.env[VAULT_KEYS_ENV] = saved;
    }
  });
});
