import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseLedgerEntry, s10CheckDigit } from '../../src/domain/index.js';
import type { Gate } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { clearFlight, flightReport, parseSanctions, PartyScreening, reportCsv, saveRules, DEFAULT_RULES } from '../../src/customs/index.js';
import { flightRefs, readFlight, readFlightInPieces, withParties, type FlightRead } from '../../src/customs/flight-read.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { openTestLedger } from '../support/hub.js';

const NOW = '2026-11-25T08:00:00.000Z';
const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const sanctions = parseSanctions(readFileSync(new URL('./fixtures/sanctions-sample.csv', import.meta.url), 'utf8'));

const parcel = (tn: string, consignee: string, sellerRef: string, over: Record<string, unknown> = {}) => ({
  tracking_number: tn, flight_id: 'CK231/2026-11-25', awb: '160-12345675', uld: null, seller_country: 'CN', dest_country: 'BE', dest_postcode: '4000',
  gross_mass_g: 500, ioss_number: 'IM2760000001', item_count: 1, consignee_ref: consignee, seller_ref: sellerRef, status: 'received' as const,
  lane: null, bag: null, storage_location: null, received_at: NOW, created_at: NOW, updated_at: NOW, ...over,
});
const item = (tn: string, hs: string, value: string, currency = 'USD', description = 'cotton T-shirt') => ({ tracking_number: tn, line_no: 1, description, hs_code: hs, quantity: 1, unit_value: value, currency, origin_country: 'CN' });
const statuses = async (store: TestStore) => Object.fromEntries((await store.db.selectFrom('parcels').select(['tracking_number', 'status']).execute()).map((p) => [p.tracking_number, p.status]));

describe.each(STORE_KINDS)('clearing a flight on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    const db = store.db;
    const [buyer, seller, shady, buyerNoStreet] = await gate.seal(db, [
      { role: 'consignee', data: { name: 'Ana Buyer', street: '1 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE' } },
      { role: 'seller', data: { name: 'Good Seller Ltd', street: '9 Nanjing Rd', postcode: '200000', city: 'Shanghai', country: 'CN' } },
      { role: 'seller', data: { name: 'SHADY EXPORT TRADING', street: '1 Dock St', postcode: '999077', city: 'Hong Kong', country: 'HK' } },
      { role: 'consignee', data: { name: 'Bo Buyer', postcode: '1000', city: 'Brussels', country: 'BE' } },
    ]);
    await db.insertInto('flights').values([{ id: 'CK231/2026-11-25', flight_number: 'CK231', flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }]).execute();
    await db.insertInto('parcels').values([
      parcel('RR000000014CN', buyer!, seller!),
      parcel('RR000000028CN', buyer!, seller!, { ioss_number: null }),
      parcel('RR000000031CN', buyer!, shady!),
      parcel('RR000000045CN', buyerNoStreet!, seller!),
      parcel('RR000000059CN', buyerNoStreet!, shady!, { dest_country: 'DE' }),
    ]).execute();
    await db.insertInto('parcel_items').values([
      item('RR000000014CN', '610910', '90.00'), // EUR 77.31 → with #2, same buyer/seller, same day: EUR 154.62 > 150
      item('RR000000028CN', '610910', '90.00'),
      item('RR000000031CN', '930190', '20.00', 'EUR', 'air rifle'), // prohibited chapter 93, sanctioned seller
      item('RR000000045CN', '851712', '200.00', 'EUR', 'gift'), // H1, ICS2: no street, vague description
      item('RR000000059CN', '300490', '174.63'), // EUR 150.00 exactly: H7; restricted medicine
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
    expect(by.get('RR000000014CN')).toMatchObject({ procedure: 'H7', vatRate: '21', duty: '3.00', vatCollection: 'ioss-at-sale' });
    expect(rules('RR000000014CN')).toEqual(['split-consignment']);
    expect(rules('RR000000028CN')).toEqual(['split-consignment']);
    expect(rules('RR000000031CN')).toEqual(['prohibited-goods', 'sanctions-match']);
    expect(by.get('RR000000031CN')!.allFlags.find((f) => f.rule === 'sanctions-match')!.evidence).toMatchObject({ party: 'seller', listEntry: '13' });
    expect(rules('RR000000045CN')).toEqual(['h1-declaration-required', 'ics2-incomplete']); // H1 is never part of a split group
    // Clearance checks the non-personal elements; the buyer's missing street is found by the H7 export.
    expect(by.get('RR000000045CN')!.allFlags.find((f) => f.rule === 'ics2-incomplete')!.evidence['missing']).toEqual(['goodsItems[0].descriptionOfGoods']);
    expect(by.get('RR000000059CN')).toMatchObject({ procedure: 'H7', intrinsicValueEur: '150.00', vatRate: '19' });
    expect(rules('RR000000059CN')).toEqual(['restricted-goods', 'sanctions-match']);
    // Personal data read: the two distinct sellers' names, in one gate decision; no buyer.
    expect(r.sellerReads).toHaveLength(1);
    const entry = parseLedgerEntry(await log.readEntry(r.sellerReads[0]!));
    expect(entry.ok && entry.value).toMatchObject({ decision: 'allow', purpose: 'customs-control', fields: ['name'] });

    const stored = JSON.stringify(await store.db.selectFrom('customs_clearances').selectAll().execute());
    for (const secret of ['Ana Buyer', 'Rue Haute', 'SHADY', 'Good Seller', 'Bo Buyer']) expect(stored).not.toContain(secret);

    // Held at clearance: prohibited goods and a sanctions hit, H1 with incomplete ICS2 data, a sanctions hit.
    expect(r.held).toEqual(['RR000000031CN', 'RR000000045CN', 'RR000000059CN']);
    expect(await statuses(store)).toEqual({ RR000000014CN: 'received', RR000000028CN: 'received', RR000000031CN: 'held', RR000000045CN: 'held', RR000000059CN: 'held' });
    const holds = await store.db.selectFrom('customs_decisions').select(['tracking_number', 'decision', 'comment', 'officer']).orderBy('tracking_number').execute();
    expect(holds.map((h) => [h.tracking_number, h.decision, h.officer, h.comment])).toEqual([
      ['RR000000031CN', 'held', 'officer-1', 'automatic hold at clearance (rules v0): prohibited-goods, sanctions-match'],
      ['RR000000045CN', 'held', 'officer-1', 'automatic hold at clearance (rules v0): h1-declaration-required, ics2-incomplete'],
      ['RR000000059CN', 'held', 'officer-1', 'automatic hold at clearance (rules v0): sanctions-match'],
    ]);

    const report = await flightReport(store.db, 'CK231/2026-11-25');
    expect(report.totals).toMatchObject({ parcels: 5, h7: 4, h1: 1, flagged: 5 });
    expect(report.flagsByRule['split-consignment']).toBe(2);
    expect(reportCsv(report).split('\n')[1]).toBe('RR000000014CN,H7,BE,21,16.24,0.00,3.00,77.31,split-consignment');
  });

  it('uses the newest rules version, an officer action', async () => {
    await saveRules(store.db, { ...DEFAULT_RULES, prohibited: [] }, 'officer-1', 'chapter 93 handled by licence check');
    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', now: new Date(NOW) });
    expect(r.rulesVersion).toBe(1);
    expect(r.parcels.find((p) => p.trackingNumber === 'RR000000031CN')!.allFlags.map((f) => f.rule)).toEqual([]);
  });

  it('holds what the rules list in autoHold, the default when a stored document predates it, nothing when empty', async () => {
    await saveRules(store.db, { ...DEFAULT_RULES, autoHold: { rules: [] } }, 'officer-1', 'flags only, officers decide');
    const none = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions });
    expect(none.held).toEqual([]);
    expect(new Set(Object.values(await statuses(store)))).toEqual(new Set(['received']));
    const older: Record<string, unknown> = { ...DEFAULT_RULES };
    delete older['autoHold'];
    await saveRules(store.db, older, 'officer-1', 'a document written before autoHold existed');
    expect((await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions })).held).toEqual(['RR000000031CN', 'RR000000045CN', 'RR000000059CN']);
    await expect(saveRules(store.db, { ...DEFAULT_RULES, autoHold: { rules: ['restricted-goods', 'nope'] } }, 'officer-1', 'typo')).rejects.toThrow(/autoHold\.rules\[1\]/);
  });

  it('flags undervaluation against the HS6 median of 90 days of other flights, exactly at the share', async () => {
    const [buyer, seller] = await gate.seal(store.db, [
      { role: 'consignee', data: { name: 'Cy Buyer', street: '2 Rue Basse', postcode: '4000', city: 'Liège', country: 'BE' } },
      { role: 'seller', data: { name: 'Cheap Tees Ltd', street: '3 Canton Rd', postcode: '510000', city: 'Guangzhou', country: 'CN' } },
    ]);
    await store.db.insertInto('flights').values({ id: 'CK229/2026-11-20', flight_number: 'CK229', flight_date: '2026-11-20', status: 'arrived', arrived_at: '2026-11-20T08:00:00.000Z', created_at: '2026-11-20T08:00:00.000Z' }).execute();
    // 30 samples within 90 days (15 at EUR 20.00, 15 at 30.00, some written 6109.10): median EUR 25.00; one older sample is ignored.
    const history = Array.from({ length: 31 }, (_, i) => {
      const created = i === 30 ? '2026-08-01T08:00:00.000Z' : '2026-11-20T08:00:00.000Z';
      return parcel(`RR${String(100 + i).padStart(9, '0')}CN`, buyer!, seller!, { flight_id: 'CK229/2026-11-20', created_at: created });
    });
    await store.db.insertInto('parcels').values(history).execute();
    await store.db.insertInto('parcel_items').values(history.map((h, i) => item(h.tracking_number, i % 3 === 0 ? '6109.10' : '610910', i === 30 ? '0.01' : i % 2 === 0 ? '20.00' : '30.00', 'EUR'))).execute();
    await store.db.insertInto('parcels').values([parcel('RR000000062CN', buyer!, seller!), parcel('RR000000076CN', buyer!, seller!)]).execute();
    await store.db.insertInto('parcel_items').values([item('RR000000062CN', '610910', '4.99', 'EUR'), item('RR000000076CN', '610910', '5.00', 'EUR')]).execute();

    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions });
    const by = new Map(r.parcels.map((p) => [p.trackingNumber, p]));
    expect(by.get('RR000000062CN')!.allFlags).toEqual([{ rule: 'undervaluation', evidence: { hs6: '610910', unitValueEur: '4.99', medianEur: '25.00', samples: 30, belowShareOfMedian: 0.2 } }]);
    expect(by.get('RR000000076CN')!.allFlags).toEqual([]); // EUR 5.00 is 20 % of the median, not below it
    expect(r.held).not.toContain('RR000000062CN'); // a reason to look, not to stop the parcel
  });

  it('screens buyers by keyed hash in one gate decision that names no one, opens no buyer, and holds the match', async () => {
    const [listed, seller] = await gate.seal(store.db, [
      { role: 'consignee', data: { name: 'Doe, John  Sanctioned', street: '5 Rue Neuve', postcode: '1000', city: 'Brussels', country: 'BE' } },
      { role: 'seller', data: { name: 'Plain Goods Co', street: '3 Canton Rd', postcode: '510000', city: 'Guangzhou', country: 'CN' } },
    ]);
    const tn = `RR00000007${s10CheckDigit('00000007')}CN`;
    await store.db.insertInto('parcels').values(parcel(tn, listed!, seller!)).execute();
    await store.db.insertInto('parcel_items').values(item(tn, '610910', '10.00')).execute();
    const size = log.size;
    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions, now: new Date(NOW) });
    expect(r.buyerScreening).toMatchObject({ screened: 3, unscreened: 0, matches: 1, ledgerIndexes: [expect.any(Number)] });
    // Registered by flight for subject access, in the decision's own transaction.
    expect(await gate.screeningsFor(['flight:CK231/2026-11-25'])).toEqual([expect.objectContaining({ ledgerIndex: r.buyerScreening!.ledgerIndexes[0]! })]);
    const flag = r.parcels.find((p) => p.trackingNumber === tn)!.allFlags.find((f) => f.rule === 'sanctions-match');
    expect(flag?.evidence).toEqual({ party: 'buyer', listEntry: '42', list: sanctions.source });
    expect(r.held).toContain(tn);
    // The buyers of the other parcels are on no list: no flag for them.
    expect(r.parcels.filter((p) => p.allFlags.some((f) => f.rule === 'sanctions-match' && f.evidence['party'] === 'buyer')).map((p) => p.trackingNumber)).toEqual([tn]);
    const screening = parseLedgerEntry(await log.readEntry(r.buyerScreening!.ledgerIndexes[0]!));
    if (!screening.ok) throw new Error(screening.reason);
    expect(screening.value).toMatchObject({ type: 'access-decision', action: 'screen', category: 'consignee', decision: 'allow', rules: ['customs-sanctions-screening'], count: 3, list: { names: 3 } });
    const text = new TextDecoder().decode(await log.readEntry(r.buyerScreening!.ledgerIndexes[0]!));
    for (const word of ['Doe', 'Sanctioned', 'Ana', 'Buyer']) expect(text).not.toContain(word);
    // Every decision of the clearance about buyers is the screening: none read a buyer's record.
    const decisions = await Promise.all(Array.from({ length: log.size - size }, async (_, k) => parseLedgerEntry(await log.readEntry(size + k))));
    const aboutBuyers = decisions.flatMap((d) => (d.ok && d.value['type'] === 'access-decision' && d.value['category'] === 'consignee' ? [d.value['action']] : []));
    expect(aboutBuyers).toEqual(['screen']);
  });

  it('cannot screen a name it never indexed, nor a buyer erased since', async () => {
    const [gone] = await gate.seal(store.db, [{ role: 'consignee', data: { name: 'John Sanctioned Doe', street: '7 Rue Neuve', postcode: '1000', city: 'Brussels', country: 'BE' } }]);
    const screen = (refs: string[]) => gate.screen({ principal: officer, purpose: 'customs-control', refs, category: 'consignee', list: { source: 'test', names: ['Doe John Sanctioned'] } });
    expect([...(await screen([gone!])).matches.keys()]).toEqual([gone]);
    await gate.erase({ principal: { ...officer, id: 'dpo', role: 'dpo' }, purpose: 'erasure', customsRetention: false, refs: [gone!], category: 'consignee' });
    const after = await screen([gone!]);
    expect(after.matches.size).toBe(0);
    expect(after.unscreened).toBe(1);
    // Only a customs officer screens, and only for customs control.
    const denied = await gate.screen({ principal: { ...officer, role: 'sorter' }, purpose: 'customs-control', refs: [gone!], category: 'consignee', list: { source: 'test', names: ['x'] } });
    expect(denied).toMatchObject({ decision: 'deny', matches: new Map() });
  });

  it('reads the flight beside the screening (the store\'s reader) and clears it exactly as when read first', async () => {
    const opts = { principal: officer, declarant: 'BE0123456789', sanctions, now: new Date(NOW) };
    const first = await clearFlight(store.db, gate, 'CK231/2026-11-25', opts);
    const beside = await clearFlight(store.db, gate, 'CK231/2026-11-25', { ...opts, reader: store.reader! });
    expect(beside.parcels).toEqual(first.parcels);
    expect(beside.sellerReads).toHaveLength(1);
    expect(beside.buyerScreening).toMatchObject({ screened: 2, unscreened: 0, ledgerIndexes: [expect.any(Number)] });
  });

  it('screens, and flags, a parcel that joined the flight after its parties were read but before the flight was', async () => {
    // The parties' query answers, then a parcel whose buyer is on the list arrives, then the flight is read.
    const [late] = await gate.seal(store.db, [{ role: 'consignee', data: { name: 'Sanctioned John Doe', street: '5 Rue Neuve', postcode: '1000', city: 'Brussels', country: 'BE' } }]);
    const seller = (await store.db.selectFrom('parcels').select('seller_ref').limit(1).executeTakeFirstOrThrow()).seller_ref!;
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    // The handle with its executeQuery wrapped (its other methods bound to it: Kysely keeps private fields).
    const bound = <T extends object>(target: T, executeQuery: (q: CompiledQuery) => Promise<unknown>): T =>
      new Proxy(target, {
        get: (t, k): unknown => {
          if (k === 'executeQuery') return executeQuery;
          const v: unknown = Reflect.get(t, k, t);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
        },
      });
    // Both are read in the reader: the parties first; the flight's read begins with its bounds (SQLite,
    // pieces) or its one statement (PostgreSQL), held until the late parcel is in.
    const reader = bound(store.reader!, async (q) => {
      if (/min\(rowid\) as lo|json_group_array|json_agg/.test(q.sql)) await arrival;
      const result = await store.reader!.executeQuery(q);
      if (/consignee_ref \|\| ch/.test(q.sql)) {
        await store.db.insertInto('parcels').values(parcel('RR000000076CN', late!, seller)).execute();
        await store.db.insertInto('parcel_items').values(item('RR000000076CN', '610910', '10.00')).execute();
        arrived();
      }
      return result;
    });
    const r = await clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: officer, declarant: 'BE0123456789', sanctions, now: new Date(NOW), reader });
    expect(r.parcels.map((p) => p.trackingNumber)).toContain('RR000000076CN');
    expect(r.parcels.find((p) => p.trackingNumber === 'RR000000076CN')!.allFlags.map((f) => f.rule)).toEqual(['sanctions-match']);
    // Two screenings of buyers: the flight's, then the late parcel's alone.
    expect(r.buyerScreening).toMatchObject({ matches: 1, ledgerIndexes: [expect.any(Number), expect.any(Number)] });
    expect(r.held).toContain('RR000000076CN');
  });

  it.runIf(kind === 'sqlite')('reads the flight in pieces as in one statement: each parcel once, none imported after the read began', async () => {
    const whole = await readFlight(store.db, 'CK231/2026-11-25', false);
    expect(whole.map((p) => p[0])).toEqual(['RR000000014CN', 'RR000000028CN', 'RR000000031CN', 'RR000000045CN', 'RR000000059CN']);
    for (const piece of [1, 2, 3, 5, 50_000]) expect(await readFlightInPieces(store.reader!, 'CK231/2026-11-25', piece)).toEqual(whole);
    // A parcel of another flight between them, and one of this flight imported once the bounds are read.
    const refs = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).limit(1).executeTakeFirstOrThrow();
    await store.db.insertInto('flights').values({ id: 'CK232/2026-11-25', flight_number: 'CK232', flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }).execute();
    await store.db.insertInto('parcels').values(parcel('RR000000062CN', refs.consignee_ref, refs.seller_ref!, { flight_id: 'CK232/2026-11-25' })).execute();
    await store.db.insertInto('parcels').values(parcel('RR000000076CN', refs.consignee_ref, refs.seller_ref!)).execute();
    const withLate = await readFlight(store.db, 'CK231/2026-11-25', false);
    expect(withLate.map((p) => p[0])).toEqual([...whole.map((p) => p[0]), 'RR000000076CN']);
    expect(await readFlightInPieces(store.reader!, 'CK231/2026-11-25', 2)).toEqual(withLate);
    let late = false;
    const reader = new Proxy(store.reader!, {
      get: (t, k): unknown => {
        if (k === 'executeQuery') {
          return async (q: CompiledQuery) => {
            const result = await t.executeQuery(q);
            if (!late && /min\(rowid\)/.test(q.sql)) {
              late = true;
              await store.db.insertInto('parcels').values(parcel('RR000000080CN', refs.consignee_ref, refs.seller_ref!)).execute();
            }
            return result;
          };
        }
        const v: unknown = Reflect.get(t, k, t);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    expect(await readFlightInPieces(reader, 'CK231/2026-11-25', 2)).toEqual(withLate);
    expect(await readFlightInPieces(store.reader!, 'CK231/2026-11-25', 2)).toHaveLength(withLate.length + 1);
  });

  it.runIf(kind === 'sqlite')("finds the flight's parcels by its index and rowid range, never by scanning every parcel", async () => {
    const seen: CompiledQuery[] = [];
    const capture = <T extends object>(target: T): T =>
      new Proxy(target, {
        get: (t, k): unknown => {
          if (k === 'executeQuery') return (q: CompiledQuery) => (seen.push(q), (t as unknown as { executeQuery: (q: CompiledQuery) => Promise<unknown> }).executeQuery(q));
          const v: unknown = Reflect.get(t, k, t);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
        },
      });
    await flightRefs(capture(store.db), 'CK231/2026-11-25', false);
    await readFlight(capture(store.db), 'CK231/2026-11-25', false);
    await readFlightInPieces(capture(store.reader!), 'CK231/2026-11-25', 2);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (const q of seen) {
      const plan = (await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows.map((r) => r.detail);
      expect(plan.filter((d) => /^SCAN (p|parcels)\b/.test(d)), plan.join(' | ')).toEqual([]);
    }
  });

  it('joins the flight read with its parties by position, or by tracking number when the flight changed between the two reads', async () => {
    const parties = (await store.db.selectFrom('parcels').select(['tracking_number', 'consignee_ref', 'seller_ref']).orderBy('tracking_number').execute()).map(
      (r) => [r.tracking_number, null, null, null, null, r.consignee_ref, r.seller_ref] as const,
    );
    const read = (tns: readonly string[]): FlightRead[] => tns.map((tn) => [tn, '160-12345675', 'BE', 500, null, null, null, []] as const);
    const tns = parties.map((p) => p[0]);
    const same = await withParties(store.db, read(tns), parties);
    expect(same.screened).toBe(true);
    expect(same.parcels.map((p) => [p[0], p[5], p[6]])).toEqual(parties.map((p) => [p[0], p[5], p[6]]));
    // Read in another order, one parcel missing from the parties read (added since), one gone from the database.
    const [first, ...rest] = parties;
    const changed = await withParties(store.db, read([...tns].reverse().concat('RR000000062CN')), rest);
    expect(changed.screened).toBe(false);
    expect(changed.parcels.map((p) => [p[0], p[5], p[6]])).toEqual([...parties].reverse().map((p) => [p[0], p[5], p[6]]));
    expect(changed.parcels.find((p) => p[0] === first![0])![5]).toBe(first![5]);
  });

  it('screens the parties of parcels added to the flight after the first screening, and only those', async () => {
    const screening = new PartyScreening(gate, officer, 'CK231/2026-11-25', true, sanctions);
    const refs = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).execute();
    const tuple = (r: { consignee_ref: string; seller_ref: string | null }) => [null, null, null, null, null, r.consignee_ref, r.seller_ref] as const;
    await screening.add(refs.map(tuple));
    await screening.add(refs.map(tuple)); // nothing new: no decision
    expect(screening.buyerScreening).toMatchObject({ screened: 2, matches: 0, ledgerIndexes: [expect.any(Number)] });
    expect(screening.sellerReads).toHaveLength(1);
    const [late, lateSeller] = await gate.seal(store.db, [
      { role: 'consignee', data: { name: 'Sanctioned John Doe', street: '5 Rue Neuve', postcode: '1000', city: 'Brussels', country: 'BE' } },
      { role: 'seller', data: { name: 'Late Seller Co', street: '3 Canton Rd', postcode: '510000', city: 'Guangzhou', country: 'CN' } },
    ]);
    await screening.add([...refs.map(tuple), [null, null, null, null, null, late!, lateSeller!]]);
    expect(screening.buyerScreening).toMatchObject({ screened: 3, matches: 1, ledgerIndexes: [expect.any(Number), expect.any(Number)] });
    expect(screening.buyerHits.get(late!)).toBe('42');
    expect(screening.sellerReads).toHaveLength(2);
    expect(screening.sellerNames.get(lateSeller!)).toBe('Late Seller Co');
    const second = parseLedgerEntry(await log.readEntry(screening.buyerScreening!.ledgerIndexes[1]!));
    expect(second.ok && second.value).toMatchObject({ action: 'screen', count: 1 });
  });

  it('writes a flight identifier and an officer id holding quotes as they are (the clearance\'s and the holds\' own values are literals in their SQL)', async () => {
    const odd = "O'K1/2026-11-25";
    await store.db.insertInto('flights').values({ id: odd, flight_number: "O'K1", flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }).execute();
    const [buyer, seller] = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).limit(1).execute().then((r) => [r[0]!.consignee_ref, r[0]!.seller_ref!]);
    await store.db.insertInto('parcels').values(parcel('RR000000062CN', buyer!, seller!, { flight_id: odd })).execute();
    // Above EUR 150: H1, held automatically.
    await store.db.insertInto('parcel_items').values(item('RR000000062CN', '610910', '400.00')).execute();
    const r = await clearFlight(store.db, gate, odd, { principal: { ...officer, id: "o'fficer" }, declarant: 'BE0123456789', now: new Date(NOW) });
    expect(r.parcels.map((p) => p.trackingNumber)).toEqual(['RR000000062CN']);
    expect(r.held).toEqual(['RR000000062CN']);
    expect(await store.db.selectFrom('customs_clearances').select(['flight_id', 'date_of_import', 'cleared_at']).where('tracking_number', '=', 'RR000000062CN').execute()).toEqual([{ flight_id: odd, date_of_import: '2026-11-25', cleared_at: NOW }]);
    expect(await store.db.selectFrom('customs_decisions').select(['flight_id', 'decision', 'officer', 'decided_at']).where('tracking_number', '=', 'RR000000062CN').execute()).toEqual([{ flight_id: odd, decision: 'held', officer: "o'fficer", decided_at: NOW }]);
  });

  it('reads party data only through the gate: a principal outside the EEA is denied and nothing is computed', async () => {
    await expect(clearFlight(store.db, gate, 'CK231/2026-11-25', { principal: { ...officer, country: 'CN' }, declarant: 'BE0123456789' })).rejects.toThrow(/denied/);
  });
});
