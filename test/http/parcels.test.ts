import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addPrincipal } from '../../src/auth/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { openTestLedger } from '../support/hub.js';

const alice = { name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be', phone: '+32470000001' };

describe.each(STORE_KINDS)('GET /api/v1/parcels/:tn through the gate on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    const gate = testGate(store, log);
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate }, { logger: false });
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: alice }]);
    await insertParcel(store, 'RR473124829GB', ref!);
    for (const [who, role, country] of [['sorter', 'sorter', 'BE'], ['officer', 'customs-officer', 'BE'], ['foreign', 'customs-officer', 'CN']] as const) {
      tokens[who] = (await addPrincipal(store.db, log, { name: who, role, organisation: 'test-org', country })).token.token;
    }
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const get = (who: string, query: string) =>
    app.inject({ url: `/api/v1/parcels/RR473124829GB?${query}`, headers: { authorization: `Bearer ${tokens[who]}` } });

  it('gives a sorter the country and postcode only, with the receipt of that very read', async () => {
    const res = await get('sorter', 'purpose=sorting');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ consignee: Record<string, string>; receipt: { ledgerIndex: number; deniedFields: string[] } }>();
    expect(body.consignee).toEqual({ postcode: '4000', country: 'BE' });
    expect(body.receipt.deniedFields).toContain('name');
    const entry = parseLedgerEntry(await log.readEntry(body.receipt.ledgerIndex));
    expect(entry.ok && entry.value).toMatchObject({ type: 'access-decision', decision: 'allow', purpose: 'sorting', fields: ['postcode', 'country'] });
  });

  it('gives a customs officer the address for customs control, recording the legal basis of the records of processing', async () => {
    const res = await get('officer', 'purpose=customs-control');
    expect(res.json<{ consignee: Record<string, string> }>().consignee).toEqual({ name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE' });
    const entry = parseLedgerEntry(await log.readEntry(Number(res.headers['glasshub-ledger-index'])));
    expect(entry.ok && entry.value).toMatchObject({ purpose: 'customs-control', legalBasis: 'GDPR Art. 6(1)(c): Union Customs Code, Regulation (EU) 952/2013' });
  });

  it('takes a legal basis only from the records of processing: free text would be published in the log', async () => {
    const before = log.size;
    const named = await get('officer', `purpose=customs-control&legalBasis=${encodeURIComponent('GDPR Art. 6(1)(b)')}`);
    expect(named.statusCode).toBe(200);
    const free = await get('officer', `purpose=customs-control&legalBasis=${encodeURIComponent('called jan@example.org for Alice Martin')}`);
    expect(free.statusCode).toBe(400);
    expect(free.json<{ detail: string }>().detail).toContain('legalBasis');
    expect(free.body).not.toContain('Alice');
    expect(log.size).toBe(before + 1);
  });

  it('refuses an officer acting from outside the EU/EEA with a 403 naming the rule, and records the refusal', async () => {
    const before = log.size;
    const res = await get('foreign', 'purpose=customs-control');
    expect(res.statusCode).toBe(403);
    expect(res.json<{ detail: string }>().detail).toContain('outside-eea-pseudonymous-only');
    const index = Number(res.headers['glasshub-ledger-index']);
    expect(index).toBeGreaterThanOrEqual(before);
    const entry = parseLedgerEntry(await log.readEntry(index));
    expect(entry.ok && entry.value).toMatchObject({ decision: 'deny', principal: { country: 'CN' } });
    expect(res.body).not.toContain('Alice');
  });

  it('needs a token and a purpose', async () => {
    expect((await app.inject('/api/v1/parcels/RR473124829GB?purpose=sorting')).statusCode).toBe(401);
    const noPurpose = await get('sorter', '');
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('querystring.purpose');
  });
});
