import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import { buildApp } from '../../src/http/index.js';
import { seedDefaultSortPlan, SortPlanCache, type Hub } from '../../src/hub/operations/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { at, CONFIG, RecordingDisclosure, seedFlight, tracking } from '../hub/fixtures.js';

const FLIGHT = 'CK231/2026-11-25';
const WHO = [['scanner', 'scanner'], ['sorter', 'sorter'], ['supervisor', 'supervisor'], ['auditor', 'auditor'], ['admin', 'administrator'], ['bpost', 'carrier'], ['officer', 'customs-officer']] as const;

/**
 * A flight of six parcels (ULD AKE: 0, 2, 4; ULD PMC: 1, 3, 5) run through the real operations over HTTP:
 * AKE received and its parcels inducted with one over-carried stranger; sorting sends 0 to BE, 2 to NL, 4 (US)
 * to the exceptions lane, 5 to FR (a sort scan is also a receipt) and a never-manifested parcel nowhere;
 * 0 is bagged, loaded and dispatched, 5 waits in an open bag; then the flight is closed: 1 and 3 are short.
 */
describe.each(STORE_KINDS)('console operations views on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let frLane = '';

  const call = (who: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
  async function ok(who: string, url: string, payload: object): Promise<Record<string, unknown>> {
    const res = await call(who, url, 'POST', payload);
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/ops'));
    const hub: Hub = { db: store.db, config: CONFIG };
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, operations: { hub, plans: new SortPlanCache(store.db), disclosure: new RecordingDisclosure() } }, { logger: false });
    for (const [who, role] of WHO) tokens[who] = (await addPrincipal(store.db, log, { name: who, role, organisation: who === 'bpost' ? 'bpost' : 'hub-operator', country: 'BE' })).token.token;
    await seedDefaultSortPlan(store.db);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '4020' }, { country: 'NL', postcode: '1011 AB' }, { country: 'DE' }, { country: 'US', postcode: '10001' }, { country: 'FR' }] });
    await ok('supervisor', `/api/v1/flights/${encodeURIComponent(FLIGHT)}/ulds/AKE12345CK/receive`, { time: at(5).toISOString() });
    const scan = (i: number, series = 'LP') => ({ trackingNumber: tracking(i, series), scanner: 'HHT-1', location: 'BELT-1', time: at(6).toISOString() });
    await ok('scanner', `/api/v1/flights/${encodeURIComponent(FLIGHT)}/induction`, { scans: [scan(0), scan(2), scan(4), scan(99, 'RR')] });
    const sorted = await ok('sorter', '/api/v1/scans', [0, 2, 4, 5].map((i) => ({ ...scan(i), location: 'SORTER-1', time: at(10).toISOString() })).concat({ ...scan(77, 'RR'), location: 'SORTER-1', time: at(10).toISOString() }));
    const { sscc } = (await ok('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [tracking(0)] })) as { sscc: string };
    await ok('sorter', `/api/v1/bags/${sscc}/close`, {});
    await ok('sorter', '/api/v1/trucks/TRK-1/load', { bags: [sscc] });
    await ok('supervisor', '/api/v1/trucks/TRK-1/dispatch', {});
    frLane = (sorted as { results: { lane: string }[] }).results[3]!.lane;
    await ok('sorter', '/api/v1/bags', { lane: frLane, trackingNumbers: [tracking(5)] });
    await ok('supervisor', `/api/v1/flights/${encodeURIComponent(FLIGHT)}/close`, {});
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  it('shows the flights board with ULDs, parcels, progress, short-shipped and over-carried', async () => {
    const res = await call('supervisor', '/api/v1/ops/flights');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      flights: [
        {
          id: FLIGHT,
          flightNumber: 'CK231',
          flightDate: '2026-11-25',
          status: 'broken-down',
          arrivedAt: expect.any(String),
          ulds: { expected: 2, received: 1 },
          parcels: { manifested: 6, inducted: 4 },
          breakdownProgress: 4 / 6,
          shortShipped: 2,
          overCarried: 1,
        },
      ],
    });
    expect((await call('sorter', '/api/v1/ops/flights?date=2026-11-24')).json()).toEqual({ flights: [] });
    const bad = await call('sorter', '/api/v1/ops/flights?date=yesterday&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(expect.arrayContaining(['querystring.date', 'querystring.limit']));
  });

  it('counts events per minute by bizStep from the stored EPCIS events', async () => {
    const res = await call('supervisor', `/api/v1/ops/throughput?minutes=15&until=${encodeURIComponent(at(15).toISOString())}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ from: string; minuteStarts: string[]; series: { bizStep: string; counts: number[] }[]; total: number }>();
    expect(body.from).toBe(at(0).toISOString());
    expect(body.minuteStarts).toHaveLength(15);
    expect(body.minuteStarts[6]).toBe(at(6).toISOString());
    const receiving = body.series.find((s) => s.bizStep === 'receiving')!;
    expect(receiving.counts[6]).toBeGreaterThanOrEqual(4); // three parcels and the over-carried stranger
    expect(receiving.counts.filter((_, i) => i !== 6 && i !== 5).every((n) => n === 0)).toBe(true);
    expect(body.series.every((s) => s.counts.length === 15)).toBe(true);
    const perMinute = (i: number) => body.series.reduce((n, s) => n + s.counts[i]!, 0);
    expect(perMinute(10)).toBeGreaterThanOrEqual(5); // five sort scans
    expect(body.total).toBe(body.series.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0));
    // Bagging and dispatch ran at the wall clock's time: outside this window.
    expect(perMinute(0) + perMinute(14)).toBe(0);
    const stored = await store.db.selectFrom('epcis_events').select('event_time').execute();
    expect(body.total).toBe(stored.filter((e) => e.event_time >= at(0).toISOString() && e.event_time < at(15).toISOString()).length);
  });

  it('shows each lane\'s fill and bags', async () => {
    const res = await call('sorter', '/api/v1/ops/lanes');
    expect(res.statusCode).toBe(200);
    const lanes = res.json<{ lanes: { lane: string; kind: string; sorted: number; bagged: number; openBags: number; closedBags: number }[] }>().lanes;
    const lane = (prefix: string) => lanes.find((l) => l.lane.startsWith(prefix))!;
    expect(lane('NL-')).toMatchObject({ kind: 'outbound', sorted: 1, bagged: 0, openBags: 0 });
    expect(frLane).toMatch(/^FR-/);
    expect(lane(frLane)).toMatchObject({ sorted: 0, bagged: 1, openBags: 1, closedBags: 0 });
    expect(lane('BE-BPOST')).toMatchObject({ sorted: 0, bagged: 0, openBags: 0, closedBags: 0 }); // its bag left on TRK-1
    expect(lane('EXCEPTIONS')).toMatchObject({ kind: 'exceptions' });
  });

  it('lists the floor\'s exceptions with their counts', async () => {
    const res = await call('scanner', '/api/v1/ops/exceptions');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ counts: object; items: { kind: string; trackingNumber: string }[] }>();
    expect(body.counts).toEqual({ shortShipped: 2, overCarried: 1, unknownParcel: 1, unknownDestination: 1, recipientErased: 0 });
    const byKind = (k: string) => body.items.filter((i) => i.kind === k).map((i) => i.trackingNumber).sort();
    expect(byKind('short-shipped')).toEqual([tracking(1), tracking(3)]);
    expect(byKind('over-carried')).toEqual([tracking(99, 'RR')]);
    expect(byKind('unknown-parcel')).toEqual([tracking(77, 'RR')]);
    expect(byKind('unknown-destination')).toEqual([tracking(4)]);
    expect((await call('scanner', '/api/v1/ops/exceptions?limit=2')).json<{ items: unknown[] }>().items).toHaveLength(2);
  });

  it('shows trucks with their bags, parcels and status', async () => {
    const res = await call('admin', '/api/v1/ops/dispatch');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      trucks: [{ id: 'TRK-1', lane: 'BE-BPOST', carrier: expect.any(String), status: 'dispatched', bags: 1, parcels: 1, departureAt: expect.any(String), dispatchedAt: expect.any(String) }],
    });
  });

  it('admits only the roles that run or oversee the floor', async () => {
    for (const url of ['/api/v1/ops/flights', '/api/v1/ops/lanes', '/api/v1/ops/exceptions', '/api/v1/ops/throughput', '/api/v1/ops/dispatch']) {
      expect((await call('bpost', url)).statusCode, url).toBe(403);
      expect((await call('officer', url)).statusCode, url).toBe(403);
      expect((await call('auditor', url)).statusCode, url).toBe(200);
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
    expect((await call('scanner', '/api/v1/ops/dispatch')).statusCode).toBe(403);
    expect((await call('scanner', '/api/v1/ops/throughput')).statusCode).toBe(403);
  });

  it('publishes the views in OpenAPI with their roles', async () => {
    const doc = (await app.inject('/openapi.json')).json<{ paths: Record<string, { get: { 'x-glasshub-roles': string[] } }> }>();
    expect(doc.paths['/api/v1/ops/dispatch']!.get['x-glasshub-roles']).toEqual(['supervisor', 'administrator', 'auditor', 'sorter']);
  });
});
