import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { parseLedgerEntry } from '../../src/domain/index.js';
import type { Gate, Principal } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OFFICER: Principal = { id: 'officer', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const person = (i: number) => ({ name: `Person ${i}`, postcode: '4000', country: 'BE', email: `p${i}@example.be` });

/** Makes every insert into `table` fail, as a full disk or a lost connection would, mid-transaction. */
async function injectFailure(store: TestStore, table: string): Promise<void> {
  if (store.dialect === 'sqlite') {
    await sql.raw(`create trigger injected_failure before insert on ${table} begin select raise(abort, 'injected failure'); end`).execute(store.db);
  } else {
    await sql.raw(`create function injected_failure() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`).execute(store.db);
    await sql.raw(`create trigger injected_failure before insert on ${table} for each row execute function injected_failure()`).execute(store.db);
  }
}

async function removeFailure(store: TestStore, table: string): Promise<void> {
  if (store.dialect === 'sqlite') {
    await sql.raw('drop trigger injected_failure').execute(store.db);
  } else {
    await sql.raw(`drop trigger injected_failure on ${table}`).execute(store.db);
    await sql.raw('drop function injected_failure()').execute(store.db);
  }
}

/** The access index is exactly the ledger's decisions by tag: no entry without its row, no row without its entry. */
async function expectIndexMatchesLog(store: TestStore, log: TransparencyLog): Promise<number> {
  const size = await log.committedSize();
  const fromLog: string[] = [];
  for (let i = 0; i < size; i++) {
    const parsed = parseLedgerEntry(await log.readEntry(i));
    if (!parsed.ok) throw new Error(parsed.reason);
    const subject = parsed.value['subject'];
    if (parsed.value.type === 'access-decision' && typeof subject === 'string') fromLog.push(`${subject}@${i}`);
  }
  const rows = await store.db.selectFrom('gate_access_index').select(['tag', 'ledger_index']).execute();
  expect(rows.map((r) => `${r.tag}@${Number(r.ledger_index)}`).sort()).toEqual(fromLog.sort());
  return fromLog.length;
}

describe.each(STORE_KINDS)('access index and ledger commit together on %s', (kind) => {
  let store: TestStore;
  let keyFile: string;
  let log: TransparencyLog;
  let gate: Gate;
  let refs: string[];

  beforeEach(async () => {
    store = await openTestStore(kind);
    keyFile = join(mkdtempSync(join(tmpdir(), 'gh-atomic-')), 'log.key');
    log = await openLedger(store, loadOrCreateLogKey(keyFile, 'test.glasshub/log'), { maxDelayMs: 1 });
    gate = testGate(store, log);
    refs = await gate.seal(store.db, [0, 1, 2].map((i) => ({ role: 'consignee' as const, data: person(i) })));
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  const read = (ref: string) => gate.access({ principal: OFFICER, action: 'read', purpose: 'customs-control', refs: [ref], category: 'consignee', fields: ['name'] });

  it.each(['gate_access_index', 'log_checkpoints'])('stores neither a decision nor its index row when writing %s fails', async (table) => {
    await read(refs[0]!);
    const before = await log.committedSize();
    await injectFailure(store, table);
    await expect(read(refs[1]!)).rejects.toThrow('injected failure');
    expect(await log.committedSize()).toBe(before);
    expect(await expectIndexMatchesLog(store, log)).toBe(1);
    await removeFailure(store, table);
    // Nothing of the failed batch survives: the next decision takes its index, with its own row.
    expect((await read(refs[1]!)).ledgerIndex).toBe(before);
    expect(await expectIndexMatchesLog(store, log)).toBe(2);
  });

  it("finds a person's decisions in every period of the index, and erasure drops them all", async () => {
    const first = await read(refs[2]!);
    // Fill the log past the first period of 4096 entries (migration 011), then read again.
    await Promise.all(Array.from({ length: 4100 }, (_, i) => log.append(Buffer.from(JSON.stringify({ type: 'operator-note', i })))));
    const second = await read(refs[2]!);
    expect(first.ledgerIndex).toBeLessThan(4096);
    expect(second.ledgerIndex).toBeGreaterThanOrEqual(4096);
    const subject = await gate.subjectOf(refs[2]!);
    expect(await gate.entriesFor(subject!.tag)).toEqual([first.ledgerIndex, second.ledgerIndex]);
    await read(refs[1]!);
    await gate.erase({ principal: { ...OFFICER, role: 'dpo', id: 'dpo' }, purpose: 'erasure', customsRetention: false, refs: [refs[2]!], category: 'consignee' });
    expect(await gate.entriesFor(subject!.tag)).toEqual([]);
    expect(await store.db.selectFrom('gate_access_index').select('tag').execute()).toHaveLength(1);
  });

  it('publishes a policy with its row in one transaction', async () => {
    await injectFailure(store, 'log_checkpoints');
    await expect(gate.publishPolicy()).rejects.toThrow('injected failure');
    expect(await store.db.selectFrom('gate_policies').selectAll().execute()).toEqual([]);
    await removeFailure(store, 'log_checkpoints');
    const index = await gate.publishPolicy();
    expect(await store.db.selectFrom('gate_policies').select(['hash', 'ledger_index']).execute()).toEqual([{ hash: gate.policy.hash, ledger_index: index }]);
  });

  it('leaves no decision without its index row, or row without its decision, through kill -9', async () => {
    const vaultKeyFile = join(mkdtempSync(join(tmpdir(), 'gh-vault-')), 'vault.keys');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/gate/crash-reader.ts', store.url, keyFile, vaultKeyFile], { cwd: ROOT, stdio: 'pipe' });
    const acknowledged: number[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve) => {
      let buffered = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const l of lines) if (l !== 'ready') acknowledged.push(Number(l));
        // Killed while it reads flat out: some batch is being built, hashed or committed.
        if (acknowledged.length >= 2000 && !child.killed) child.kill('SIGKILL');
      });
      child.on('close', () => resolve());
    });
    expect(acknowledged.length, stderr).toBeGreaterThanOrEqual(2000);
    const reopened = await openLedger(store, loadOrCreateLogKey(keyFile));
    try {
      expect(await reopened.committedSize()).toBeGreaterThan(Math.max(...acknowledged));
      // Every acknowledged read is in the ledger and indexed; so is every other committed decision.
      expect(await expectIndexMatchesLog(store, reopened)).toBeGreaterThanOrEqual(2000);
    } finally {
      await reopened.close();
    }
  });
});
