import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import { buildApp } from '../../src/http/index.js';
import { validateEpcisDocument } from '../../src/hub/epcis/index.js';
import { defineStorageLocations, seedDefaultSortPlan, SortPlanCache, type Hub } from '../../src/hub/operations/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';
import { epcisExamples } from './examples.js';
import { at, CONFIG, RecordingDisclosure, seedFlight, tracking } from './fixtures.js';

const ROLES = [['scanner', 'scanner', 'hub-operator'], ['sorter', 'sorter', 'hub-operator'], ['supervisor', 'supervisor', 'hub-operator'], ['auditor', 'auditor', 'audit-org'], ['bpost', 'carrier', 'bpost'], ['dpd', 'carrier', 'dpd-be']] as const;

describe.each(STORE_KINDS)('hub operations over HTTP on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  const gate = new RecordingDisclosure();
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    const hub: Hub = { db: store.db, config: CONFIG };
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, operations: { hub, plans: new SortPlanCache(store.db), disclosure: gate } }, { logger: false });
    await seedDefaultSortPlan(store.db);
    await defineStorageLocations(store.db, [{ id: 'RACK-01', description: 'Rack 1' }], CONFIG);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '4020' }, { country: 'NL', postcode: '1011 AB' }, { country: 'DE', status: 'held' }] });
    for (const [who, role, organisation] of ROLES) tokens[who] = (await addPrincipal(store.db, log, { name: who, role, organisation, country: 'BE' })).token.token;
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const call = (who: string | undefined, options: InjectOptions) => app.inject({ ...options, headers: { ...options.headers, ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) } });
  const post = (who: string, url: string, payload: unknown) => call(who, { method: 'POST', url, payload: payload as object });

  it('answers a batch of scans with each parcel\'s lane', async () => {
    const scans = [0, 1, 2, 3].map((i) => ({ trackingNumber: tracking(i), scanner: 'HHT-1', location: 'SORTER-1', time: at(10).toISOString() }));
    const res = await post('sorter', '/api/v1/scans', [...scans, { ...scans[0]!, trackingNumber: tracking(77, 'RR') }]);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ results: { lane: string }[] }>().results.map((r) => r.lane)).toEqual(['BE-BPOST', 'BE-BPOST', 'NL-DHL-RANDSTAD', 'HOLD', 'unknown-parcel']);
  });

  it('protects the scan route and validates the batch', async () => {
    const one = [{ trackingNumber: tracking(0), scanner: 'HHT-1', location: 'SORTER-1', time: at(11).toISOString() }];
    expect((await call(undefined, { method: 'POST', url: '/api/v1/scans', payload: one })).statusCode).toBe(401);
    expect((await post('auditor', '/api/v1/scans', one)).statusCode).toBe(403);
    expect((await post('sorter', '/api/v1/scans', Array.from({ length: 5001 }, () => one[0]))).statusCode).toBe(400);
    const bad = await post('sorter', '/api/v1/scans', [{ ...one[0], location: 'sorter 1' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('bags, loads, dispatches and discloses the manifest once, to its carrier only', async () => {
    const bag = await post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [tracking(0), tracking(1)] });
    expect(bag.statusCode).toBe(201);
    const { sscc } = bag.json<{ sscc: string }>();
    expect((await post('sorter', `/api/v1/bags/${sscc}/close`, {})).statusCode).toBe(200);
    expect((await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [sscc], dock: 'DOCK-07' })).statusCode).toBe(200);
    expect((await post('supervisor', '/api/v1/trucks/TRK-1/dispatch', {})).json()).toMatchObject({ bags: 1, parcels: 2 });
    const foreign = await post('dpd', '/api/v1/trucks/TRK-1/manifest', {});
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<{ errors: unknown[] }>().errors).toEqual([{ field: 'params.truckId', value: 'TRK-1', reason: "not dpd-be's truck" }]);
    const csv = await post('bpost', '/api/v1/trucks/TRK-1/manifest', { format: 'csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.body.split('\r\n')[1]).toContain(tracking(0));
    const again = await post('bpost', '/api/v1/trucks/TRK-1/manifest', {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ALREADY_DISCLOSED', errors: [{ field: 'body.reissueReason', reason: 'needed to re-issue a manifest already disclosed' }] });
    const reissued = await post('supervisor', '/api/v1/trucks/TRK-1/manifest', { reissueReason: 'carrier lost the file' });
    expect(reissued.json()).toMatchObject({ disclosure: 2, carrier: 'bpost' });
    expect(gate.requests.map((r) => r.disclosure)).toEqual([1, 2]);
  });

  it('tracks a parcel publicly as JSON and as an HTML page, with no personal data', async () => {
    const json = await call(undefined, { url: `/track/${tracking(0)}` });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ trackingNumber: tracking(0), status: 'dispatched', carrier: 'bpost' });
    for (const res of [await call(undefined, { url: `/track/${tracking(0)}.html` }), await call(undefined, { url: `/track/${tracking(0)}`, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })]) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('<caption>History, oldest first</caption>');
    }
    for (const res of [json, await call(undefined, { url: `/track/${tracking(0)}.html` })]) {
      for (const secret of ['4000', 'ref-', 'BE-BPOST', 'HHT-1', 'SORTER-1', '"BE"']) expect(res.body).not.toContain(secret);
    }
    expect((await call(undefined, { url: `/track/${tracking(999)}` })).statusCode).toBe(404);
    const html404 = await call(undefined, { url: '/track/<script>.html' });
    expect(html404.statusCode).toBe(404);
    expect(html404.body).not.toContain('<script>');
  });

  it('captures all 47 example documents of EPCIS 2.0 and refuses an invalid one', async () => {
    const examples = epcisExamples();
    expect(examples).toHaveLength(47);
    for (const { name, doc } of examples) {
      const res = await call('scanner', { method: 'POST', url: '/epcis/capture', payload: JSON.stringify(doc), headers: { 'content-type': 'application/ld+json' } });
      expect(res.statusCode, name).toBe(201);
    }
    const bad = await post('scanner', '/epcis/capture', { type: 'EPCISDocument', schemaVersion: '2.0', epcisBody: { eventList: [{ type: 'ObjectEvent' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_EPCIS_DOCUMENT' });
  });

  it('answers event queries as EPCISQueryDocuments, page by page through Link headers', async () => {
    const filter = 'EQ_bizStep=staging_outbound|holding|receiving|shipping&perPage=2';
    const first = await call('auditor', { url: `/epcis/events?${filter}` });
    expect(first.statusCode).toBe(200);
    const ids: string[] = [];
    let res = first;
    for (;;) {
      const doc = res.json<{ epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string; bizStep: string }[] } } } }>();
      expect(validateEpcisDocument(doc)).toEqual({ ok: true });
      const events = doc.epcisBody.queryResults.resultsBody.eventList;
      expect(events.length).toBeLessThanOrEqual(2);
      ids.push(...events.map((e) => e.eventID));
      const link = /^<([^>]+)>; rel="next"$/.exec(String(res.headers.link ?? ''));
      if (!link) break;
      res = await call('auditor', { url: link[1]! });
    }
    const all = await call('auditor', { url: '/epcis/events?EQ_bizStep=staging_outbound|holding|receiving|shipping&perPage=1000' });
    expect(ids).toEqual(all.json<{ epcisBody: { queryResults: { resultsBody: { eventList: { eventID: string }[] } } } }>().epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID));
    expect(ids.length).toBeGreaterThan(5);
    const bad = await call('auditor', { url: '/epcis/events?EQ_bizStep=sorting&nextPageToken=zzz' });
    expect(bad.statusCode).toBe(400);
    expect((await call('auditor', { url: '/epcis/events?nextPageToken=zzz' })).statusCode).toBe(400);
    expect((await call('scanner', { url: '/epcis/events' })).statusCode).toBe(403);
  });

  it('stores and retrieves parcels, and publishes sort plans with the caller as author', async () => {
    expect((await post('scanner', '/api/v1/storage/store', { trackingNumber: tracking(2), location: 'RACK-01' })).json()).toMatchObject({ status: 'stored' });
    expect((await post('scanner', '/api/v1/storage/retrieve', { trackingNumber: tracking(2) })).json()).toMatchObject({ status: 'received' });
    const plan = (await call('sorter', { url: '/api/v1/sort-plans/current' })).json<{ version: number; rules: object[] }>();
    const published = await post('supervisor', '/api/v1/sort-plans', { rules: plan.rules, comment: 'same again' });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ version: plan.version + 1 });
    const refused = await post('supervisor', '/api/v1/sort-plans', { rules: [...plan.rules, plan.rules[0]] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe(`body.rules.${plan.rules.length}`);
  });
});
