import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import type { Gate, Principal } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { testGate } from '../support/gate.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const person = (i: number) => ({ name: `Person ${i}`, street: `${i} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', email: `p${i}@example.be` });
const who = (role: string, country: string): Principal => ({ id: `${role}-${country}`, role, organisation: 'test-org', country });
const HOUR = 3_600_000;

describe.each(STORE_KINDS)('console audit views on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let app: FastifyInstance;
  let refs: string[];
  const tokens: Record<string, string> = {};
  const call = (who_: string, url: string) => app.inject({ url, headers: { authorization: `Bearer ${tokens[who_]}` } });

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/audit'));
    gate = testGate(store, log);
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate }, { logger: false });
    for (const role of ['auditor', 'dpo', 'supervisor', 'administrator'] as const) {
      tokens[role] = (await addPrincipal(store.db, log, { name: role, role, organisation: 'hub-operator', country: 'BE' })).token.token;
    }
    refs = await gate.seal(store.db, [0, 1, 2].map((i) => ({ role: 'consignee' as const, data: person(i) })));
    // Real decisions through the gate: two allowed customs reads, one denied read from outside the EEA, one bulk read.
    await gate.access({ principal: who('customs-officer', 'BE'), action: 'read', purpose: 'customs-control', refs: [refs[0]!], category: 'consignee', fields: ['name'] });
    await gate.access({ principal: who('customs-officer', 'BE'), action: 'read', purpose: 'customs-control', refs: [refs[1]!], category: 'consignee', fields: ['name'] });
    await gate.access({ principal: who('customs-officer', 'CN'), action: 'read', purpose: 'customs-control', refs: [refs[2]!], category: 'consignee', fields: ['name'] });
    await gate.access({ principal: who('sorter', 'BE'), action: 'read', purpose: 'sorting', refs, category: 'consignee', fields: ['postcode'] });
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  it("counts access decisions by country, purpose, role and decision from the ledger's entries", async () => {
    const res = await call('auditor', '/api/v1/audit/access');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ bucket: string; logSize: number; rows: { period: string; country: string; purpose: string; role: string; decision: string; decisions: number; records: number }[] }>();
    expect(body.bucket).toBe('day');
    expect(body.logSize).toBe(await log.committedSize());
    const today = new Date(Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR).toISOString();
    expect(body.rows).toEqual([
      { period: today, country: 'BE', purpose: 'customs-control', role: 'customs-officer', decision: 'allow', decisions: 2, records: 2 },
      { period: today, country: 'BE', purpose: 'sorting', role: 'sorter', decision: 'allow', decisions: 1, records: 3 },
      { period: today, country: 'CN', purpose: 'customs-control', role: 'customs-officer', decision: 'deny', decisions: 1, records: 1 },
    ]);
    // The figures name no one: no tag, no principal id.
    expect(res.body).not.toContain('customs-officer-BE');
  });

  it('follows the log as it grows, buckets by hour, and filters by time', async () => {
    await gate.access({ principal: who('customs-officer', 'BE'), action: 'read', purpose: 'customs-control', refs: [refs[2]!], category: 'consignee', fields: ['name'] });
    const hourly = (await call('dpo', '/api/v1/audit/access?bucket=hour')).json<{ rows: { period: string; decisions: number; country: string; decision: string }[] }>();
    const thisHour = new Date(Math.floor(Date.now() / HOUR) * HOUR).toISOString();
    expect(hourly.rows.find((r) => r.country === 'BE' && r.decision === 'allow' && r.period === thisHour)?.decisions).toBeGreaterThanOrEqual(3);
    const future = new Date(Date.now() + HOUR).toISOString();
    const later = (await call('dpo', `/api/v1/audit/access?from=${encodeURIComponent(future)}&to=${encodeURIComponent(new Date(Date.now() + 2 * HOUR).toISOString())}`)).json<{ rows: unknown[] }>();
    expect(later.rows).toEqual([]);
    const backwards = await call('dpo', `/api/v1/audit/access?from=${encodeURIComponent(future)}&to=${encodeURIComponent(new Date().toISOString())}`);
    expect(backwards.statusCode).toBe(400);
    expect((await call('dpo', '/api/v1/audit/access?bucket=week')).statusCode).toBe(400);
  });

  it("serves the monitor's anomalies over this server's log", async () => {
    const res = await call('auditor', '/api/v1/audit/anomalies');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ logSize: number; counts: Record<string, number>; anomalies: { kind: string; severity: string; index: number }[] }>();
    expect(body.logSize).toBe(await log.committedSize());
    expect(body.anomalies).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'outside-eea-access', severity: 'medium' }), expect.objectContaining({ kind: 'bulk-read', severity: 'low' })]));
    expect(body.counts['medium']).toBe(body.anomalies.filter((a) => a.severity === 'medium').length);
    // Read again: nothing is counted twice. The list is bounded, newest first; the counts are not.
    const again = (await call('auditor', '/api/v1/audit/anomalies')).json<{ anomalies: unknown[]; total: number }>();
    expect(again.anomalies).toHaveLength(body.anomalies.length);
    expect(again.total).toBe(body.anomalies.length);
    const one = (await call('auditor', '/api/v1/audit/anomalies?limit=1')).json<{ anomalies: { index: number }[]; total: number }>();
    expect(one.total).toBe(body.anomalies.length);
    expect(one.anomalies).toEqual([body.anomalies[0]]);
    expect(body.anomalies[0]!.index).toBe(Math.max(...body.anomalies.map((a) => a.index)));
  });

  it('admits auditors and the DPO only', async () => {
    for (const url of ['/api/v1/audit/access', '/api/v1/audit/anomalies']) {
      expect((await call('supervisor', url)).statusCode, url).toBe(403);
      expect((await call('administrator', url)).statusCode, url).toBe(403);
      expect((await call('dpo', url)).statusCode, url).toBe(200);
    }
  });
});
