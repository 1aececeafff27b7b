import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLedgerEntry } from '../../src/domain/index.js';
import type { Gate } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { clearFlight, flightReport, parseSanctions, reportCsv, saveRules, DEFAULT_RULES } from '../../src/customs/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';

const NOW = '2026-11-25T08:00:00.000Z';
const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const sanctions = parseSanctions(readFileSync(new URL('./fixtures/sanctions-sample.csv', import.meta.url), 'utf8'));

describe.each(STORE_KINDS)('clearing a flight on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;

  beforeEach(async () => {
    store = await openTestStore(kind);
    log = await openLedger(store, loadOrCreateLogKey(join(mkdtempSync(join(tmpdir(), 'gh-')), 'log.key'), 'test.glasshub/log'), { maxDelayMs: 1 });
    gate = testGate(store, log);
    const db = store.db;
    const [buyer, seller, shady, buyerNoStreet] = await gate.seal(db, [
      { role: 'consignee', data: { name: 'Ana Buyer', street: '1 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE' } },
      { role: 'seller', data: { name: 'Good Seller Ltd', street: '9 Nanjing Rd', postcode: '200000', city: 'Shanghai', country: 'CN' } },
      { role: 'seller', data: { name: 'SHADY EXPORT TRADING', street: '1 Dock St', postcode: '999077', city: 'Hong Kong', country: 'HK' } },
      { role: 'consignee', data: { name: 'Bo Buyer', postcode: '1000', city: 'Brussels', country: 'BE' } },
    ]);
    await db.insertInto('flights').values([{ id: 'CK231/2026-11-25', flight_number: 'CK231', flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }]).execute();
    const parcel = (tn: string, consignee: string, sellerRef: string, over: Record<string, unknown> = {}) => ({
      tracking_number: tn, flight_id: 'CK231/2026-11-25', awb: '160-12345675', uld: null, seller_country: 'CN', dest_country: 'BE', dest_postcode: '4000',
      gross_mass_g: 500, ioss_number: 'IM2760000001', item_count: 1, consignee_ref: consignee, seller_ref: sellerRef, status: 'received' as const,
      lane: null, bag: null, storage_location: null, received_at: NOW, created_at: NOW, updated_at: NOW, ...over,
    });
    await db.insertInto('parcels').values([
      parcel('RR000000001CN', buyer!, seller!),
      parcel('RR000000002CN', buyer!, seller!, { ioss_number: null }),
      parcel('RR000000003CN', buyer!, shady!),
      parcel('RR000000004CN', buyerNoStreet!, seller!),
      parcel('RR000000005CN', buyerNoStreet!, shady!, { dest_country: 'DE' }),
    ]).execute();
    const item = (tn: string, hs: string, value: string, currency = 'USD', description = 'cotton T-shirt') => ({ tracking_number: tn, line_no: 1, description, hs_code: hs, quantity: 1, unit_value: value, currency, origin_country: 'CN' });
    await db.insertInto('parcel_items').values([
      item('RR000000001CN', '610910', '90.00'), // EUR 77.31 → with #2, same buyer/seller, same day: EUR 154.62 > 150
      item('RR000000002CN', '610910', '90.00'),
      item('RR000000003CN', '930190', '20.00', 'EUR', 'air rifle'), // prohibited chapter 93, sanctioned seller
      item('RR000000004CN', '851712', '200.00', 'EUR', 'gift'), // H1, ICS2: no street, vague description
      item('RR000000005CN', '300490', '174.63'), // EUR 150.00 exactly: H7; restricted medicine
    ]).execute();
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  it('computes every parcel, raises each rule with its evidence, and stores no personal data', async () => {
    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions, now: new Date(NOW) });
    expect(r.dateOfImport).toBe('2026-11-25');
    const by = new Map(r.parcels.map((p) => [p.trackingNumber, p]));
    const rules = (tn: string) => by.get(tn)!.allFlags.map((f) => f.rule).sort();
    expect(by.get('RR000000001CN')).toMatchObject({ procedure: 'H7', vatRate: '21', duty: '3.00', vatCollection: 'ioss-at-sale' });
    expect(rules('RR000000001CN')).toEqual(['split-consignment']);
    expect(rules('RR000000002CN')).toEqual(['split-consignment']);
    expect(rules('RR000000003CN')).toEqual(['prohibited-goods', 'sanctions-match']);
    expect(by.get('RR000000003CN')!.allFlags.find((f) => f.rule === 'sanctions-match')!.evidence).toMatchObject({ party: 'seller', listEntry: '13' });
    expect(rules('RR000000004CN')).toEqual(['h1-declaration-required', 'ics2-incomplete']); // H1 is never part of a split group
    // Clearance checks the non-personal elements; the buyer's missing street is found by the H7 export.
    expect(by.get('RR000000004CN')!.allFlags.find((f) => f.rule === 'ics2-incomplete')!.evidence['missing']).toEqual(['goodsItems[0].descriptionOfGoods']);
    expect(by.get('RR000000005CN')).toMatchObject({ procedure: 'H7', intrinsicValueEur: '150.00', vatRate: '19' });
    expect(rules('RR000000005CN')).toEqual(['restricted-goods', 'sanctions-match']);
    // Personal data read: the two distinct sellers' names, in one gate decision; no buyer.
    expect(r.sellerReads).toHaveLength(1);
    const entry = parseLedgerEntry(await log.readEntry(r.sellerReads[0]!));
    expect(entry.ok && entry.value).toMatchObject({ decision: 'allow', purpose: 'customs-control', fields: ['name'] });

    const stored = JSON.stringify(await store.db.selectFrom('customs_clearances').selectAll().execute());
    for (const secret of ['Ana Buyer', 'Rue Haute', 'SHADY', 'Good Seller', 'Bo Buyer']) expect(stored).not.toContain(secret);

    const report = await flightReport(store.db, 'CK231/2026-11-25');
    expect(report.totals).toMatchObject({ parcels: 5, h7: 4, h1: 1, flagged: 5 });
    expect(report.flagsByRule['split-consignment']).toBe(2);
    expect(reportCsv(report).split('\n')[1]).toBe('RR000000001CN,H7,BE,21,16.24,0.00,3.00,77.31,split-consignment');
  });

  it('uses the newest rules version, an officer action', async () => {
    await saveRules(store.db, { ...DEFAULT_RULES, prohibited: [] }, 'officer-1', 'chapter 93 handled by licence check');
    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', now: new Date(NOW) });
    expect(r.rulesVersion).toBe(1);
    expect(r.parcels.find((p) => p.trackingNumber === 'RR000000003CN')!.allFlags.map((f) => f.rule)).toEqual([]);
  });

  it('reads party data only through the gate: a principal outside the EEA is denied and nothing is computed', async () => {
    await expect(clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: { ...officer, country: 'CN' }, declarant: 'BE0123456789' })).rejects.toThrow(/denied/);
  });
});
