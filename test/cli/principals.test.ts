import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken, type Principal } from '../../src/auth/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { runGlasshub } from '../support/cli.js';
import { entriesSince } from '../support/ledger-entries.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

describe.each(STORE_KINDS)('glasshub principals on %s', (kind) => {
  let store: TestStore;
  let keyFile: string;
  const cli = (...args: string[]) => runGlasshub(['principals', ...args, '--db', store.url, '--key', keyFile]);
  const ledgerEntries = async () => {
    const log = await openLedger(store, loadOrCreateLogKey(keyFile));
    try {
      return await entriesSince(log, 0);
    } finally {
      await log.close();
    }
  };

  beforeAll(async () => {
    store = await openTestStore(kind);
    keyFile = join(mkdtempSync(join(tmpdir(), 'glasshub-key-')), 'log.key');
  });
  afterAll(() => store.cleanup());

  let id = '';
  let token = '';

  it('adds a principal, prints its id and token once, and records it in the ledger without the name', async () => {
    const res = await cli('add', '--name', 'Jan Peeters', '--role', 'customs-officer', '--org', 'be-customs', '--country', 'be', '--expires', '30d');
    expect(res.stderr).toContain('shown this once');
    expect(res.code).toBe(0);
    const m = /^principal ([0-9a-f-]{36}) \(customs-officer, be-customs, BE\)\ntoken (gh_[A-Za-z0-9_-]{49})\nexpires (\S+)\n$/.exec(res.stdout);
    expect(m, res.stdout).not.toBeNull();
    [, id = '', token = ''] = m!;
    expect(Date.parse(m![3]!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await verifyToken(store.db, token)).toMatchObject({ ok: true, principal: { id, role: 'customs-officer' } });
    const entries = await ledgerEntries();
    expect(entries).toEqual([
      expect.objectContaining({ type: 'principal-added', principal: { id, role: 'customs-officer', organisation: 'be-customs', country: 'BE' } }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('Peeters');
  });

  it('lists principals as a table and as JSON', async () => {
    const table = await cli('list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+customs-officer\\s+be-customs\\s+BE\\s.*"Jan Peeters"$`, 'm'));
    const json = await cli('list', '--json');
    expect(JSON.parse(json.stdout) as Principal[]).toEqual([expect.objectContaining({ id, name: 'Jan Peeters', revokedAt: null })]);
  });

  it('issues a further token for a principal', async () => {
    const res = await cli('token', id);
    expect(res.code).toBe(0);
    const second = /^token (gh_\S+)$/m.exec(res.stdout)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(token);
    expect(res.stdout).toContain('expires never');
    expect((await verifyToken(store.db, second)).ok).toBe(true);
    expect((await ledgerEntries()).at(-1)).toMatchObject({ type: 'token-issued', principal: { id } });
  });

  it('revokes a principal and all its tokens, recorded in the ledger', async () => {
    const res = await cli('revoke', id);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^revoked ${id} `));
    expect(await verifyToken(store.db, token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await ledgerEntries()).at(-1)).toMatchObject({ type: 'principal-revoked', principal: { id, country: 'BE' } });
    const again = await cli('revoke', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already revoked');
    expect((await cli('token', id)).stderr).toContain('is revoked');
  });

  it('refuses bad input with one line naming the flag, and writes nothing', async () => {
    const before = (await ledgerEntries()).length;
    const cases: [string[], string][] = [
      [['--role', 'boss', '--org', 'hub-operator', '--country', 'BE'], '--role: must be one of scanner'],
      [['--role', 'dpo', '--org', 'Hub Operator', '--country', 'BE'], '--org: must be a slug'],
      [['--role', 'dpo', '--org', 'hub-operator', '--country', 'XX'], '--country: not an assigned'],
      [['--role', 'dpo', '--org', 'hub-operator', '--country', 'BE', '--expires', '1y'], '--expires: "1y" is not a duration'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli('add', '--name', 'desk', ...args)));
    results.forEach((res, i) => {
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^glasshub: /);
      expect(res.stderr).toContain(cases[i]![1]);
    });
    expect((await cli('revoke', 'no-such-id')).stderr).toContain('no principal "no-such-id"');
    expect(await ledgerEntries()).toHaveLength(before);
  });
});
