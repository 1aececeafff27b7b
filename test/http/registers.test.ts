import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addPrincipal } from '../../src/auth/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { openTestLedger } from '../support/hub.js';

describe.each(STORE_KINDS)('privacy registers over HTTP on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate: testGate(store, log) }, { logger: false });
    for (const role of ['dpo', 'auditor', 'sorter'] as const) {
      token[role] = (await addPrincipal(store.db, log, { name: role, role, organisation: 'hub-operator', country: 'BE' })).token.token;
    }
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const call = (role: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token[role]}` }, ...(payload ? { payload } : {}) });

  it('registers a foreign request without an agreement as refused, in the ledger, and counts it', async () => {
    const res = await call('dpo', 'POST', '/api/v1/authority-requests', {
      authority: 'Foreign security service',
      country: 'CN',
      legalInstrument: 'National Intelligence Law, art. 7',
      channel: 'email',
      categories: ['consignee-contact'],
      subjects: 12000,
      description: 'asked for all recipients of a seller',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ decision: string; ledgerIndex: number }>();
    expect(body.decision).toBe('refused');
    const entry = parseLedgerEntry(await log.readEntry(body.ledgerIndex));
    expect(entry.ok && entry.value).toMatchObject({ type: 'authority-request', country: 'CN', decision: 'refused' });
    const stats = await call('auditor', 'GET', '/api/v1/authority-requests/stats');
    expect(stats.json()).toEqual([{ country: 'CN', decision: 'refused', count: 1 }]);
  });

  it('names the invalid field and lets only the DPO register', async () => {
    const bad = await call('dpo', 'POST', '/api/v1/authority-requests', { authority: 'x', country: 'cn', legalInstrument: 'y', channel: 'fax', categories: [], subjects: 1, description: 'z' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.country']));
    expect((await call('sorter', 'GET', '/api/v1/authority-requests/stats')).statusCode).toBe(403);
  });

  it('runs the breach clock and serves the records of processing', async () => {
    const b = await call('dpo', 'POST', '/api/v1/breaches', { detectedAt: new Date().toISOString(), nature: 'lost scanner', categories: ['postcode'], approxSubjects: 3, measures: 'wiped' });
    expect(b.statusCode).toBe(201);
    const { id } = b.json<{ id: string }>();
    expect((await call('dpo', 'POST', `/api/v1/breaches/${id}/notification`)).json()).toMatchObject({ overdue: false });
    const records = await call('auditor', 'GET', '/api/v1/records-of-processing');
    expect(records.json<{ activities: unknown[] }>().activities.length).toBeGreaterThan(3);
  });
});
