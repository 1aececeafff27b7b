import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeLedgerEntry, parseLedgerEntry } from '../../src/domain/index.js';
import { buildApp } from '../../src/http/index.js';
import { auditLog, type AuditOptions, type AuditReport } from '../../src/ledger/audit.js';
import { generateSignerKey, newTiles } from '../../src/ledger/index.js';
import { openLedger, type LogKey } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type StoreKind, type TestStore } from '../support/stores.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { runGlasshub } from '../support/cli.js';
import { entryOffset, failure } from '../support/fake-log.js';

const TYPES = ['access-decision', 'policy-version', 'operator-note'] as const;
const entry = (i: number, tag = 'a'): Buffer => encodeLedgerEntry({ type: TYPES[i % 3]!, i, tag, note: 'abcdefgh' });
const entries = (from: number, to: number, tag?: string): Buffer[] => Array.from({ length: to - from }, (_, k) => entry(from + k, tag));

function classify(bytes: Uint8Array): string {
  const parsed = parseLedgerEntry(bytes);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value.type;
}

interface Served {
  readonly hub: Pick<TestHub, 'store' | 'key' | 'log'>;
  readonly url: string;
}

describe.each(STORE_KINDS)('auditing a hub on %s over HTTP', (kind: StoreKind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A hub listening on a free port, holding `appended`; tampering with its rows must precede the first audit. */
  async function served(appended: readonly Buffer[]): Promise<Served> {
    const hub = await startTestHub(kind);
    cleanups.push(() => hub.close());
    await Promise.all(appended.map((e) => hub.log.append(e)));
    return { hub, url: await hub.app.listen({ port: 0, host: '127.0.0.1' }) };
  }

  /** A second hub signing with the same key: the split view a dishonest operator would show some auditors. */
  async function servedWithKey(key: LogKey, appended: readonly Buffer[]): Promise<Served> {
    const store: TestStore = await openTestStore(kind);
    const log = await openLedger(store, key, { maxDelayMs: 1 });
    const app = await buildApp({ log, logVkey: key.vkey, requireCosigned: false }, { logger: false });
    cleanups.push(async () => {
      await app.close();
      await log.close();
      await store.cleanup();
    });
    await Promise.all(appended.map((e) => log.append(e)));
    return { hub: { store, key, log }, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
  }

  const audit = ({ hub, url }: Served, options: Partial<AuditOptions> = {}): Promise<AuditReport> =>
    auditLog({ url: `${url}/log/`, logKey: hub.key.vkey, classify, ...options });

  /** Changes the stored row of an entry bundle (level -1) or hash tile, behind the log's back. */
  async function tamper(store: TestStore, level: number, idx: number, change: (data: Buffer) => void): Promise<void> {
    if (level < 0) {
      const row = await store.db.selectFrom('log_entry_bundles').select('data').where('idx', '=', idx).executeTakeFirstOrThrow();
      const data = Buffer.from(row.data);
      change(data);
      await store.db.updateTable('log_entry_bundles').set({ data }).where('idx', '=', idx).execute();
      return;
    }
    const row = await store.db.selectFrom('log_tiles').select('data').where('level', '=', level).where('idx', '=', idx).executeTakeFirstOrThrow();
    const data = Buffer.from(row.data);
    change(data);
    await store.db.updateTable('log_tiles').set({ data }).where('level', '=', level).where('idx', '=', idx).execute();
  }

  it('audits from scratch, then from the saved state downloading only what the tree adds', async () => {
    const log = await served(entries(0, 1000));
    const first = await audit(log);
    expect(first).toMatchObject({ size: 1000, entriesChecked: 1000, previousSize: null });
    expect(first.entriesByType).toEqual({ 'access-decision': 334, 'operator-note': 333, 'policy-version': 333 });
    await Promise.all(entries(1000, 1700).map((e) => log.hub.log.append(e)));
    const second = await audit(log, { state: first.state });
    const added = [...newTiles(1000, 1700)];
    expect(second).toMatchObject({ size: 1700, previousSize: 1000, entriesChecked: 700 });
    expect(second.hashTilesDownloaded).toBe(added.length);
    expect(second.entryBundlesDownloaded).toBe(added.filter((t) => t.level === 0).length);
    const scratch = await audit(log);
    expect(second.state).toEqual(scratch.state);
  });

  it('names the entry bundle whose stored row was changed', async () => {
    const log = await served(entries(0, 1300));
    await tamper(log.hub.store, -1, 3, (data) => {
      data[data.indexOf('abcdefgh', entryOffset(data, 17))] = 0x41; // still JSON, still the same type
    });
    const err = await failure(audit(log));
    expect(err.code).toBe('TAMPERED');
    expect(err.message).toMatch(/^entry bundle 3 \(tile\/entries\/003\) entry 17 \(index 785\) was altered/);
  });

  it('names the hash tile whose stored row was changed', async () => {
    const log = await served(entries(0, 1300));
    await tamper(log.hub.store, 0, 1, (data) => {
      data[4 * 32 + 9]! ^= 0x80;
    });
    const err = await failure(audit(log));
    expect(err.message).toMatch(/^tile 0\/001 hash 4 does not match entry 260 \(entry bundle 1/);
    const higher = await served(entries(0, 1300));
    await tamper(higher.hub.store, 1, 0, (data) => {
      data[2 * 32]! ^= 0x01;
    });
    expect((await failure(audit(higher))).message).toBe('tile 1/000.p/5 hash 2 does not match the hashes below it');
  });

  it('names an entry that is not glasshub JSON by its index', async () => {
    const log = await served(entries(0, 10));
    await log.hub.log.append(Buffer.from('not json'));
    await Promise.all(entries(11, 20).map((e) => log.hub.log.append(e)));
    const err = await failure(audit(log));
    expect(err.code).toBe('INVALID_ENTRY');
    expect(err.message).toBe('entry 10 (entry bundle 0 (tile/entries/000.p/20) entry 10) does not parse: entry is not JSON');
  });

  it('reports a fork to an auditor with saved state, and a wrong key on the signature', async () => {
    const honest = await served(entries(0, 500));
    const saved = (await audit(honest)).state;
    const split = await servedWithKey(honest.hub.key, [...entries(0, 200), ...entries(200, 800, 'b')]);
    const err = await failure(audit(split, { state: saved }));
    expect(err.code).toBe('FORK');
    expect(err.message).toMatch(/^fork: saved size 500 root \S+, new size 800 root \S+ does not extend it: /);
    const wrong = await failure(audit(honest, { logKey: generateSignerKey(honest.hub.key.origin).vkey }));
    expect(wrong.code).toBe('INVALID_SIGNATURE');
    expect(wrong.message).toMatch(/^checkpoint signature invalid: /);
  });

  it('runs as `glasshub audit`: exit 0 and a saved state, then exit 2 naming the disagreement', async () => {
    const log = await served(entries(0, 1000));
    const dir = mkdtempSync(join(tmpdir(), 'glasshub-audit-'));
    const [vkeyFile, stateFile] = [join(dir, 'log.vkey'), join(dir, 'state.json')];
    writeFileSync(vkeyFile, `${log.hub.key.vkey}\n`);
    const args = ['audit', log.url, '--vkey', `@${vkeyFile}`, '--state', stateFile, '--json'];
    const ok = await runGlasshub(args, undefined, { CI: '1' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, size: 1000, entriesByType: { 'access-decision': 334 } });
    const saved = readFileSync(stateFile, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ size: 1000 });

    await Promise.all(entries(1000, 1600).map((e) => log.hub.log.append(e)));
    await tamper(log.hub.store, -1, 5, (data) => {
      data[data.indexOf('abcdefgh', entryOffset(data, 2))] = 0x41;
    });
    const bad = await runGlasshub(args, undefined, { CI: '1' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^glasshub audit: FAILED \(TAMPERED\): entry bundle 5 \(tile\/entries\/005\) entry 2 \(index 1282\) was altered/);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, code: 'TAMPERED' });
    expect(readFileSync(stateFile, 'utf8')).toBe(saved);
  });
});
