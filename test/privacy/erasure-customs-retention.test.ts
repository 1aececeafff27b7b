import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addPrincipal } from '../../src/auth/index.js';
import { Policy, type Gate } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import { DEMO_HUB_CONFIG } from '../../src/hub/operations/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { Erasure, ErasureError, OutboxTransport, PAGE_LANGUAGES, PAGE_TEXT, SubjectAccess, escapeHtml, recipientDirectory, runRetention } from '../../src/privacy/index.js';
import { entriesSince } from '../support/ledger-entries.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const marie = { name: 'Marie Dubois', street: '4 Quai de la Batte', postcode: '4000', city: 'Liège', country: 'BE', email: 'marie@example.be' };
const bob = { name: 'Bob Peeters', street: '3 Kerkstraat', postcode: '4000', city: 'Liège', country: 'BE', email: 'bob@example.be' };
const MARIE = 'RR473124829GB';
const BOB = 'LP000000018CN';
const YEAR = 365 * 86_400_000;
const plusYears = (iso: string, n: number): Date => {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d;
};

describe('the policy on erasure', () => {
  const policy = Policy.load();
  const ask = (role: string, ownData: boolean, customsRetention?: boolean) =>
    policy.decide({
      principal: { id: `${role}-1`, role, organisation: 'x', country: 'BE' },
      action: 'erase',
      category: 'consignee',
      field: 'name',
      purpose: 'erasure',
      legalBasis: 'GDPR Art. 17',
      recordCount: 1,
      ownData,
      ...(customsRetention !== undefined && { customsRetention }),
    });

  it('lets the person and the DPO erase, neither while customs law keeps the data, and nobody when nobody says', () => {
    expect(ask('data-subject', true, false)).toEqual({ allowed: true, rules: ['erasure'] });
    expect(ask('dpo', false, false)).toEqual({ allowed: true, rules: ['erasure'] });
    expect(ask('data-subject', true, true)).toEqual({ allowed: false, rules: ['erasure-customs-retention'] });
    expect(ask('dpo', false, true)).toEqual({ allowed: false, rules: ['erasure-customs-retention'] });
    expect(ask('data-subject', true)).toEqual({ allowed: false, rules: ['erasure-customs-retention'] });
    expect(ask('sorter', false, false).allowed).toBe(false);
    expect(policy.rules.find((r) => r.id === 'erasure-customs-retention')).toMatchObject({ effect: 'forbid' });
  });
});

describe.each(STORE_KINDS)('erasure and customs retention on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let outbox: string;
  let app: FastifyInstance;
  let refs: { marie: string; bob: string };
  let now: Date;
  let erasure: Erasure;

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    outbox = join(mkdtempSync(join(tmpdir(), 'gh-retention-')), 'outbox');
    const email = new OutboxTransport(outbox);
    now = new Date();
    erasure = new Erasure({ db: store.db, gate, log, email, recipients: recipientDirectory(undefined), clock: () => now });
    const subjectAccess = new SubjectAccess({ db: store.db, gate, log, email });
    const customs = { hub: { db: store.db, config: DEMO_HUB_CONFIG }, gate };
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate, subjectAccess, erasure, customs }, { logger: false });
    const [m, b] = await gate.seal(store.db, [
      { role: 'consignee', data: marie },
      { role: 'consignee', data: bob },
    ]);
    refs = { marie: m!, bob: b! };
    await insertParcel(store, MARIE, refs.marie);
    await insertParcel(store, BOB, refs.bob);
  });
  afterEach(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  /** The parcel's customs history: each act a `customs_decisions` row; the parcel's status and last change the last act's. */
  async function customsActs(tn: string, acts: readonly [decision: 'held' | 'seized' | 'released', at: string][]): Promise<void> {
    for (const [decision, at] of acts) {
      await store.db.insertInto('customs_decisions').values({ id: randomUUID(), tracking_number: tn, flight_id: 'CK231/2026-11-25', decision, comment: 'test', officer: 'officer-1', event_id: randomUUID(), decided_at: at }).execute();
    }
    const [decision, at] = acts.at(-1)!;
    const status = decision === 'released' ? 'dispatched' : decision;
    await store.db.updateTable('parcels').set({ status, updated_at: at, created_at: acts[0]![1] }).where('tracking_number', '=', tn).execute();
  }
  const mails = (): string[] => readdirSync(outbox).sort().map((f) => readFileSync(join(outbox, f), 'utf8'));
  async function session(trackingNumber: string): Promise<string> {
    const start = await app.inject({ method: 'POST', url: '/api/v1/subject-access/requests', payload: { trackingNumber, postcode: '4000' } });
    const code = /code is (\d{6})/.exec(mails().at(-1)!)![1]!;
    const verified = await app.inject({ method: 'POST', url: '/api/v1/subject-access/sessions', payload: { requestId: start.json<{ requestId: string }>().requestId, code } });
    return verified.json<{ sessionToken: string }>().sessionToken;
  }
  const readable = async (ref: string) => (await gate.subjectOf(ref)) !== undefined;

  it('refuses the person’s erasure while a parcel is seized: a recorded refusal, a 409 naming why and until when, the page saying the same', async () => {
    const seized = now.toISOString();
    await customsActs(MARIE, [['held', new Date(now.getTime() - 3_600_000).toISOString()], ['seized', seized]]);
    const until = plusYears(seized, 3).toISOString().slice(0, 10);
    const token = await session(MARIE);
    const from = log.size;

    const res = await app.inject({ method: 'POST', url: '/api/v1/subject-access/erasure', headers: { 'x-subject-session': token } });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ code: string; detail: string; retainedUntil: string; ledgerIndex: number }>();
    expect(problem).toMatchObject({ status: 409, code: 'CUSTOMS_RETENTION', retainedUntil: until });
    expect(problem.detail).toContain(`until ${until}`);
    expect(problem.detail).toMatch(/Union Customs Code \(Art\. 51\).*GDPR Art\. 17\(3\)\(b\)/);
    expect(problem.detail).toContain(`ledger entry ${problem.ledgerIndex}`);
    expect(await readable(refs.marie)).toBe(true);

    // The refusal is a decision like any other: in the ledger, denied, naming the rule and what the policy was told.
    const entries = await entriesSince(log, from);
    expect(entries.filter((e) => e['action'] === 'erase')).toEqual([
      expect.objectContaining({ type: 'access-decision', decision: 'deny', rules: ['erasure-customs-retention'], customsRetention: true, policy: gate.policy.hash, principal: expect.objectContaining({ role: 'data-subject' }) }),
    ]);
    expect(entries.find((e) => e['action'] === 'erase')).toBe(entries[problem.ledgerIndex - from]);
    expect(entries.some((e) => e['type'] === 'erasure-notified')).toBe(false);

    // The DPO is bound by the same law.
    const dpo = await addPrincipal(store.db, log, { name: 'DPO', role: 'dpo', organisation: 'hub-operator', country: 'BE' });
    const byDpo = await app.inject({ method: 'POST', url: '/api/v1/privacy/erasures', headers: { authorization: `Bearer ${dpo.token.token}` }, payload: { trackingNumber: MARIE } });
    expect(byDpo.statusCode).toBe(409);
    expect(byDpo.json()).toMatchObject({ code: 'CUSTOMS_RETENTION', retainedUntil: until });

    // Her report says it, and the readable page in each language.
    const report = await app.inject({ url: '/api/v1/subject-access/report', headers: { 'x-subject-session': token } });
    expect(report.json()).toMatchObject({ customsRetention: { until, held: false }, parcels: [{ trackingNumber: MARIE, retainedUntil: plusYears(seized, 3).toISOString() }] });
    for (const lang of PAGE_LANGUAGES) {
      const page = await app.inject({ url: `/api/v1/subject-access/page/report?lang=${lang}`, headers: { 'x-subject-session': token } });
      expect(page.body).toContain(`<h2>${escapeHtml(PAGE_TEXT[lang].erasure)}</h2>`);
      expect(page.body, lang).toContain(escapeHtml(PAGE_TEXT[lang].erasureRefused(until)));
      expect(page.body).not.toContain(escapeHtml(PAGE_TEXT[lang].erasureAllowed));
    }
  });

  it('says "at least" while a parcel is still held: the officer’s decision will move the date', async () => {
    const held = new Date(now.getTime() - 86_400_000).toISOString();
    await customsActs(MARIE, [['held', held]]);
    const error = await erasure.byTrackingNumber({ id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' }, MARIE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErasureError);
    expect(error).toMatchObject({ code: 'CUSTOMS_RETENTION', refusal: { customs: { until: plusYears(held, 3), held: true } } });
    expect((error as Error).message).toContain(`at least until ${plusYears(held, 3).toISOString().slice(0, 10)}`);
    const page = await app.inject({ url: '/api/v1/subject-access/page/report?lang=de', headers: { 'x-subject-session': await session(MARIE) } });
    expect(page.body).toContain(escapeHtml(PAGE_TEXT.de.erasureHeld));
  });

  it('allows the erasure once the customs retention has ended (fake clock), by the same rule as the retention job', async () => {
    const seized = '2026-11-26T10:00:00.000Z';
    await customsActs(MARIE, [['seized', seized]]);
    const dpo = { id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' };
    now = new Date('2029-11-26T09:59:59.999Z'); // the last moment of the 3 years
    await expect(erasure.byTrackingNumber(dpo, MARIE)).rejects.toMatchObject({ code: 'CUSTOMS_RETENTION', refusal: { customs: { until: new Date('2029-11-26T10:00:00.000Z'), held: false } } });
    // The retention job agrees: not yet.
    expect(await runRetention({ db: store.db, gate, log }, now)).toMatchObject({ subjectsErased: 1 }); // Bob's parcel, never customs-relevant, is past 180 days
    expect(await readable(refs.marie)).toBe(true);

    now = new Date('2029-11-26T10:00:00.000Z');
    const from = log.size;
    const done = await erasure.byTrackingNumber(dpo, MARIE);
    expect(done.parcels).toBe(1);
    expect(await readable(refs.marie)).toBe(false);
    expect((await entriesSince(log, from)).find((e) => e['action'] === 'erase')).toMatchObject({ decision: 'allow', rules: ['erasure'], customsRetention: false });
  });

  it('lets the person erase a parcel’s data decided on more than 3 years ago; the officer then sees it was erased', async () => {
    await customsActs(BOB, [['released', new Date(now.getTime() - 3 * YEAR - 7 * 86_400_000).toISOString()]]);
    const officer = await addPrincipal(store.db, log, { name: 'Officer', role: 'customs-officer', organisation: 'be-customs', country: 'BE' });
    const view = () => app.inject({ url: `/api/v1/customs/parcels/${BOB}`, headers: { authorization: `Bearer ${officer.token.token}` } });
    expect((await view()).json()).toMatchObject({ consignee: { name: 'Bob Peeters' }, consigneeErased: false });

    const token = await session(BOB);
    const page = await app.inject({ url: '/api/v1/subject-access/page/report?lang=nl', headers: { 'x-subject-session': token } });
    expect(page.body).toContain(escapeHtml(PAGE_TEXT.nl.erasureAllowed));
    const res = await app.inject({ method: 'POST', url: '/api/v1/subject-access/erasure', headers: { 'x-subject-session': token } });
    expect(res.statusCode).toBe(200);

    const after = await view();
    expect(after.statusCode).toBe(200);
    const body = after.json<{ consignee: object; consigneeErased: boolean; consigneeErasedReason: string; receipt: { ledgerIndex: number } }>();
    expect(body).toMatchObject({ consignee: {}, consigneeErased: true });
    expect(body.consigneeErasedReason).toMatch(/erased \(crypto-shredded/);
    expect(body.receipt.ledgerIndex).toBe(Number(after.headers['glasshub-ledger-index']));
  });
});
