import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addPrincipal } from '../../src/auth/index.js';
import type { Gate } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { Erasure, OutboxTransport, SubjectAccess, recipientDirectory } from '../../src/privacy/index.js';
import { entriesSince } from '../support/ledger-entries.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const alice = { name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be', phone: '+32470000001' };
const bob = { name: 'Bob Peeters', street: '3 Kerkstraat', postcode: '4000', city: 'Liège', country: 'BE', email: 'bob@example.be' };
const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const carrier = { id: 'carrier:dpd-be', role: 'carrier', organisation: 'dpd-be', country: 'BE' };

describe.each(STORE_KINDS)('erasure on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let outbox: string;
  let app: FastifyInstance;

  beforeEach(async () => {
    store = await openTestStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'gh-erasure-'));
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    outbox = join(dir, 'outbox');
    const email = new OutboxTransport(outbox);
    const subjectAccess = new SubjectAccess({ db: store.db, gate, log, email });
    const erasure = new Erasure({ db: store.db, gate, log, email, recipients: recipientDirectory('be-customs=privacy@customs.example') });
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate, subjectAccess, erasure }, { logger: false });
  });
  afterEach(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const mails = (): string[] => {
    try {
      return readdirSync(outbox).sort().map((f) => readFileSync(join(outbox, f), 'utf8'));
    } catch {
      return [];
    }
  };

  async function session(trackingNumber: string): Promise<string> {
    const start = await app.inject({ method: 'POST', url: '/api/v1/subject-access/requests', payload: { trackingNumber, postcode: '4000' } });
    const code = /code is (\d{6})/.exec(mails().at(-1)!)![1]!;
    const verified = await app.inject({ method: 'POST', url: '/api/v1/subject-access/sessions', payload: { requestId: start.json<{ requestId: string }>().requestId, code } });
    return verified.json<{ sessionToken: string }>().sessionToken;
  }

  it('lets the person erase their data, tells every organisation that received it, and records both', async () => {
    const [ref1, ref2, refBob] = await gate.seal(store.db, [
      { role: 'consignee', data: alice },
      { role: 'consignee', data: { ...alice, street: '1 Place du Marché' } },
      { role: 'consignee', data: bob },
    ]);
    await insertParcel(store, 'RR473124829GB', ref1!);
    await insertParcel(store, 'EE876543216CA', ref2!);
    await insertParcel(store, 'LP000000018CN', refBob!);
    await gate.access({ principal: officer, action: 'read', purpose: 'customs-control', refs: [ref2!], category: 'consignee', fields: ['name'] });
    await gate.access({ principal: carrier, action: 'disclose', purpose: 'delivery', refs: [ref1!, refBob!], category: 'consignee', fields: ['name', 'street'] });
    const token = await session('RR473124829GB');

    const res = await app.inject({ method: 'POST', url: '/api/v1/subject-access/erasure', headers: { 'x-subject-session': token } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ ledgerIndex: number; parcels: number; recipients: unknown[]; notificationIndex: number }>();
    expect(body.parcels).toBe(2);
    expect(body.recipients).toEqual([
      { organisation: 'be-customs', notified: true },
      { organisation: 'dpd-be', notified: false },
    ]);
    const notice = mails().find((m) => m.includes('To: privacy@customs.example'))!;
    expect(notice).toContain('EE876543216CA');
    expect(notice).toContain('RR473124829GB');
    expect(notice).not.toContain('Alice');

    // Alice is unreadable, to anyone; Bob is not touched.
    const dpo = { id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' };
    const after = await gate.access({ principal: dpo, action: 'read', purpose: 'subject-access', refs: [ref1!, ref2!, refBob!], category: 'consignee', fields: ['name'] });
    expect(after.records.map((r) => 'erased' in r)).toEqual([true, true, false]);

    const entries = await entriesSince(log, body.ledgerIndex);
    expect(entries[0]).toMatchObject({ type: 'access-decision', action: 'erase', decision: 'allow', purpose: 'erasure', principal: { role: 'data-subject' } });
    const notified = entries.find((e) => e['type'] === 'erasure-notified')!;
    expect(notified).toMatchObject({ erasure: body.ledgerIndex, recipients: body.recipients });
    expect(JSON.stringify(notified)).not.toMatch(/Alice|Haute|RR473124829GB/);

    const again = await app.inject({ method: 'POST', url: '/api/v1/subject-access/erasure', headers: { 'x-subject-session': token } });
    expect(again.statusCode).toBe(410);
    expect((await app.inject({ method: 'POST', url: '/api/v1/subject-access/erasure', headers: { 'x-subject-session': 'forged' } })).statusCode).toBe(401);
  });

  it('lets the DPO, and only the DPO, erase the consignee of a parcel', async () => {
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: bob }]);
    await insertParcel(store, 'LP000000018CN', ref!);
    const dpo = await addPrincipal(store.db, log, { name: 'DPO', role: 'dpo', organisation: 'hub-operator', country: 'BE' });
    const sorter = await addPrincipal(store.db, log, { name: 'Sorter', role: 'sorter', organisation: 'hub-operator', country: 'BE' });
    const ask = (token: string, trackingNumber = 'LP000000018CN') =>
      app.inject({ method: 'POST', url: '/api/v1/privacy/erasures', headers: { authorization: `Bearer ${token}` }, payload: { trackingNumber } });

    expect((await ask(sorter.token.token)).statusCode).toBe(403);
    expect((await ask(dpo.token.token, 'RR473124829GB')).statusCode).toBe(404);
    const res = await ask(dpo.token.token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ parcels: 1, recipients: [] });
    expect(await gate.subjectOf(ref!)).toBeUndefined();
    expect((await ask(dpo.token.token)).statusCode).toBe(410);
  });
});
