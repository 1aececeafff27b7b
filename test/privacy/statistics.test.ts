import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addPrincipal } from '../../src/auth/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { Policy, type Principal } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { parcelStatistics, statisticsK } from '../../src/privacy/index.js';
import { openTestLedger } from '../support/hub.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';

const policy = Policy.load();
const supervisor: Principal = { id: 'sup-1', role: 'supervisor', organisation: 'hub-operator', country: 'BE' };

/**
 * 12 parcels to BE (HS 61, flight CK231 on the 24th, all cleared at 10.25 EUR), 11 to DE (HS 85, QY123
 * on the 25th, not cleared), 3 to FR (HS 61, CK231 on the 25th): FR is below k = 10.
 */
async function seed(store: TestStore): Promise<void> {
  const now = '2026-11-25T08:00:00.000Z';
  await store.db
    .insertInto('flights')
    .values([
      { id: 'CK231/2026-11-24', flight_number: 'CK231', flight_date: '2026-11-24', status: 'arrived', arrived_at: now, created_at: now },
      { id: 'QY123/2026-11-25', flight_number: 'QY123', flight_date: '2026-11-25', status: 'arrived', arrived_at: now, created_at: now },
      { id: 'CK231/2026-11-25', flight_number: 'CK231', flight_date: '2026-11-25', status: 'arrived', arrived_at: now, created_at: now },
    ])
    .execute();
  const groups = [
    { n: 12, dest: 'BE', hs: '610910', flight: 'CK231/2026-11-24', cleared: true },
    { n: 11, dest: 'DE', hs: '851830', flight: 'QY123/2026-11-25', cleared: false },
    { n: 3, dest: 'FR', hs: '611020', flight: 'CK231/2026-11-25', cleared: false },
  ];
  let i = 0;
  for (const g of groups) {
    for (let j = 0; j < g.n; j++, i++) {
      const tn = `TS${String(i).padStart(9, '0')}CN`;
      await store.db
        .insertInto('parcels')
        .values({
          tracking_number: tn, flight_id: g.flight, awb: '112-12345675', uld: null, seller_country: 'CN', dest_country: g.dest, dest_postcode: '4000',
          gross_mass_g: 100, ioss_number: null, item_count: 2, consignee_ref: `ref-${i}`, seller_ref: null, status: 'manifested', lane: null, bag: null,
          storage_location: null, received_at: null, created_at: now, updated_at: now,
        })
        .execute();
      await store.db
        .insertInto('parcel_items')
        .values([
          { tracking_number: tn, line_no: 1, description: 'goods', hs_code: g.hs, quantity: 1, unit_value: '5.00', currency: 'EUR', origin_country: 'CN' },
          { tracking_number: tn, line_no: 2, description: 'other', hs_code: '950300', quantity: 1, unit_value: '1.00', currency: 'EUR', origin_country: 'CN' },
        ])
        .execute();
      if (g.cleared) {
        await store.db
          .insertInto('customs_clearances')
          .values({
            tracking_number: tn, flight_id: g.flight, date_of_import: '2026-11-24', procedure: 'H7', destination: g.dest, vat_rate: '21', vat: '2.15', vat_due: '0.00',
            duty: null, intrinsic_eur: '10.25', flag_rules: '', flags: '[]', rules_version: 1, cleared_at: now,
          })
          .execute();
      }
    }
  }
}

describe.each(STORE_KINDS)('parcel statistics on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/log'));
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate: testGate(store, log, policy) }, { logger: false });
    await seed(store);
    for (const [who, role, country] of [['supervisor', 'supervisor', 'BE'], ['sorter', 'sorter', 'BE'], ['us-customs', 'customs-officer', 'US']] as const) {
      tokens[who] = (await addPrincipal(store.db, log, { name: who, role, organisation: 'test-org', country })).token.token;
    }
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  it('counts, sums mass and value, and withholds the cell below k', async () => {
    const s = await parcelStatistics({ db: store.db, log, policy, k: 10 }, { principal: supervisor, purpose: 'statistics', groupBy: ['destCountry', 'hsChapter'] });
    expect(s.decision).toBe('allow');
    expect(s.rows).toEqual([
      { key: { destCountry: 'BE', hsChapter: '61' }, parcels: 12, grossMassG: 1200, valuedParcels: 12, valueEur: '123.00' },
      { key: { destCountry: 'DE', hsChapter: '85' }, parcels: 11, grossMassG: 1100, valuedParcels: 0, valueEur: '0.00' },
    ]);
    expect(s.suppressedCells).toBe(1);
  });

  it('groups by day, airline and flight, and filters by flight date', async () => {
    const byAirline = await parcelStatistics({ db: store.db, log, policy, k: 10 }, { principal: supervisor, purpose: 'statistics', groupBy: ['airline'] });
    expect(byAirline.rows.map((r) => [r.key.airline, r.parcels])).toEqual([['CK', 15], ['QY', 11]]);
    const byDay = await parcelStatistics({ db: store.db, log, policy, k: 10 }, { principal: supervisor, purpose: 'statistics', groupBy: ['day', 'flight'], from: '2026-11-25', to: '2026-11-25' });
    expect(byDay.rows).toEqual([expect.objectContaining({ key: { day: '2026-11-25', flight: 'QY123' }, parcels: 11 })]);
    expect(byDay.suppressedCells).toBe(1);
    const entry = parseLedgerEntry(await log.readEntry(byDay.receipt.ledgerIndex));
    expect(entry.ok && entry.value).toMatchObject({ type: 'aggregate-decision', dimensions: ['day', 'flight'], filter: { from: '2026-11-25', to: '2026-11-25' }, cells: 1, suppressed: 1 });
  });

  it('names the bad field of a bad query', async () => {
    const deps = { db: store.db, log, policy, k: 10 };
    await expect(parcelStatistics(deps, { principal: supervisor, purpose: 'statistics', groupBy: [] })).rejects.toThrow('groupBy');
    await expect(parcelStatistics(deps, { principal: supervisor, purpose: 'statistics', groupBy: ['day'], from: '2026-13-40' })).rejects.toThrow('from');
    await expect(parcelStatistics(deps, { principal: supervisor, purpose: 'statistics', groupBy: ['day'], to: '2026-02-30' })).rejects.toThrow('to');
    expect(() => statisticsK({ GLASSHUB_AGGREGATE_K: 'ten' })).toThrow('GLASSHUB_AGGREGATE_K');
    expect(statisticsK({ GLASSHUB_AGGREGATE_K: '25' })).toBe(25);
    expect(statisticsK({})).toBe(10);
  });

  const get = (who: string, query: string) => app.inject({ url: `/api/v1/statistics/parcels?${query}`, headers: { authorization: `Bearer ${tokens[who]}` } });

  it('serves the table over HTTP with its receipt, to a principal outside the EU/EEA too', async () => {
    const res = await get('us-customs', 'groupBy=destCountry&purpose=risk-analysis');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ rows: { key: Record<string, string>; parcels: number }[]; k: number; suppressedCells: number; receipt: { ledgerIndex: number; rules: string[] } }>();
    expect(body.rows.map((r) => [r.key['destCountry'], r.parcels])).toEqual([['BE', 12], ['DE', 11]]);
    expect(body).toMatchObject({ k: 10, suppressedCells: 1, receipt: { rules: ['aggregates-for-operations-and-oversight'] } });
    expect(res.headers['glasshub-ledger-index']).toBe(String(body.receipt.ledgerIndex));
  });

  it('answers 403 naming the rule when the policy refuses, and the refusal is in the ledger', async () => {
    const res = await get('sorter', 'groupBy=destCountry&purpose=statistics');
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string; detail: string }>()).toMatchObject({ code: 'POLICY_DENIED', detail: expect.stringContaining('no-permit') });
    const entry = parseLedgerEntry(await log.readEntry(Number(res.headers['glasshub-ledger-index'])));
    expect(entry.ok && entry.value).toMatchObject({ type: 'aggregate-decision', decision: 'deny', principal: { role: 'sorter' } });
  });

  it('answers 400 naming the field for an unknown dimension, and 401 without a token', async () => {
    const bad = await get('supervisor', 'groupBy=consigneeName&purpose=statistics');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('querystring.groupBy');
    expect((await app.inject({ url: '/api/v1/statistics/parcels?groupBy=day&purpose=statistics' })).statusCode).toBe(401);
    const spec = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(spec.paths['/api/v1/statistics/parcels']).toBeDefined();
  });
});
