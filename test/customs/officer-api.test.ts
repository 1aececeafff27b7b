import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import { clearFlight } from '../../src/customs/index.js';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { buildApp } from '../../src/http/index.js';
import { DEMO_HUB_CONFIG, HOLD_LANE, seedDefaultSortPlan, SortPlanCache, sortScans, type Hub } from '../../src/hub/operations/index.js';
import type { Gate } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { testGate } from '../support/gate.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const NOW = '2026-11-25T08:00:00.000Z';
const FLIGHT = 'CK231/2026-11-25';
const F = encodeURIComponent(FLIGHT);
const RIFLE = 'RR000000005CN';

describe.each(STORE_KINDS)('the customs officer workflow over HTTP on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  let hub: Hub;
  let plans: SortPlanCache;
  let gate: Gate;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    hub = { db: store.db, config: DEMO_HUB_CONFIG };
    plans = new SortPlanCache(store.db);
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate, customs: { hub, gate, declarant: 'BE0123456789' } }, { logger: false });
    await seedDefaultSortPlan(store.db);
    const [buyer, seller, buyerNoStreet] = await gate.seal(store.db, [
      { role: 'consignee', data: { name: 'Ana Buyer', street: '1 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE' } },
      { role: 'seller', data: { name: 'Good Seller Ltd', street: '9 Nanjing Rd', postcode: '200000', city: 'Shanghai', country: 'CN' } },
      { role: 'consignee', data: { name: 'Bo Buyer', postcode: '1000', city: 'Brussels', country: 'BE' } },
    ]);
    await store.db.insertInto('flights').values({ id: FLIGHT, flight_number: 'CK231', flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }).execute();
    const parcel = (tn: string, consignee: string) => ({
      tracking_number: tn, flight_id: FLIGHT, awb: '160-12345675', uld: null, seller_country: 'CN', dest_country: 'BE', dest_postcode: '4000', gross_mass_g: 500, ioss_number: 'IM2760000001',
      item_count: 1, consignee_ref: consignee, seller_ref: seller!, status: 'received' as const, lane: null, bag: null, storage_location: null, received_at: NOW, created_at: NOW, updated_at: NOW,
    });
    await store.db.insertInto('parcels').values([parcel('RR000000014CN', buyer!), parcel('RR000000028CN', buyerNoStreet!), parcel(RIFLE, buyer!)]).execute();
    const item = (tn: string, hs: string, description: string) => ({ tracking_number: tn, line_no: 1, description, hs_code: hs, quantity: 1, unit_value: '20.00', currency: 'EUR', origin_country: 'CN' });
    await store.db.insertInto('parcel_items').values([item('RR000000014CN', '610910', 'cotton T-shirt'), item('RR000000028CN', '610910', 'cotton T-shirt'), item(RIFLE, '930190', 'air rifle')]).execute();
    const officer = { id: 'clearance', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
    await clearFlight(store.db, gate, FLIGHT, { principal: officer, declarant: 'BE0123456789' });
    for (const [who, role] of [['officer', 'customs-officer'], ['sorter', 'sorter']] as const) tokens[who] = (await addPrincipal(store.db, log, { name: who, role, organisation: 'test-org', country: 'BE' })).token.token;
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, ...(payload && { payload }), headers: { authorization: `Bearer ${tokens[who]}` } });
  const scan = async () => (await sortScans(hub, plans, [{ trackingNumber: RIFLE, scanner: 'SORTER-1', location: 'SORTER-1', time: new Date() }])).results[0]!;

  it('clearance holds prohibited goods itself: hold lane until an officer releases; each decision an EPCIS event', async () => {
    // The clearance in beforeAll held the rifle (prohibited-goods is in the default autoHold list), nothing else.
    const statuses = await store.db.selectFrom('parcels').select(['tracking_number', 'status']).orderBy('tracking_number').execute();
    expect(statuses.map((p) => [p.tracking_number, p.status])).toEqual([['RR000000005CN', 'held'], ['RR000000014CN', 'received'], ['RR000000028CN', 'received']]);
    const auto = await store.db.selectFrom('customs_decisions').selectAll().where('tracking_number', '=', RIFLE).executeTakeFirstOrThrow();
    expect(auto).toMatchObject({ decision: 'held', officer: 'clearance', comment: 'automatic hold at clearance (rules v0): prohibited-goods' });
    const autoEvent = await store.db.selectFrom('epcis_events').selectAll().where('event_id', '=', auto.event_id).executeTakeFirstOrThrow();
    expect(autoEvent.biz_step).toContain('holding');
    expect(autoEvent.document).toContain('glasshub:customsDecision');
    expect(await scan()).toMatchObject({ lane: HOLD_LANE, reason: 'customs-hold', status: 'held' });

    const queue = await call('officer', 'GET', `/api/v1/customs/queue?flight=${F}&rule=prohibited-goods`);
    expect(queue.statusCode).toBe(200);
    const parcels = queue.json<{ parcels: { trackingNumber: string; status: string; rules: string[]; flags: { rule: string; evidence: Record<string, unknown> }[]; lastDecision: { decision: string; officer: string } }[] }>().parcels;
    expect(parcels.map((p) => p.trackingNumber)).toEqual([RIFLE]);
    expect(parcels[0]!.flags[0]).toMatchObject({ rule: 'prohibited-goods', evidence: { hs6: '930190', listPrefix: '93' } });
    expect(parcels[0]).toMatchObject({ status: 'held', lastDecision: { decision: 'held', officer: 'clearance' } });

    const hold = await call('officer', 'POST', `/api/v1/customs/parcels/${RIFLE}/decisions`, { action: 'hold', comment: 'chapter 93: licence?' });
    expect(hold.statusCode).toBe(201);
    expect(hold.json()).toMatchObject({ decision: 'held', status: 'held', previousStatus: 'held' });
    expect(await scan()).toMatchObject({ lane: HOLD_LANE, reason: 'customs-hold', status: 'held' });

    const event = await store.db.selectFrom('epcis_events').selectAll().where('event_id', '=', hold.json<{ eventId: string }>().eventId).executeTakeFirstOrThrow();
    expect(JSON.stringify(event)).toContain('glasshub:customsDecision');
    expect(JSON.stringify(event)).not.toContain('licence');

    expect((await call('officer', 'POST', `/api/v1/customs/parcels/RR000000014CN/decisions`, { action: 'release', comment: 'never held' })).statusCode).toBe(409);
    const release = await call('officer', 'POST', `/api/v1/customs/parcels/${RIFLE}/decisions`, { action: 'release', comment: 'licence shown' });
    expect(release.json()).toMatchObject({ decision: 'released', status: 'received' });
    const after = await scan();
    expect(after.reason).toBe('rule');
    expect(after.lane).not.toBe(HOLD_LANE);
    const decisions = await store.db.selectFrom('customs_decisions').select(['decision', 'officer']).where('tracking_number', '=', RIFLE).orderBy('decided_at').execute();
    expect(decisions.map((d) => [d.decision, d.officer === 'clearance' ? 'clearance' : 'an officer'])).toEqual([['held', 'clearance'], ['held', 'an officer'], ['released', 'an officer']]);

    // Clearing the flight again does not undo the officer's release.
    const again = await clearFlight(store.db, gate, FLIGHT, { principal: { id: 'clearance', role: 'customs-officer', organisation: 'be-customs', country: 'BE' }, declarant: 'BE0123456789' });
    expect(again.held).toEqual([]);
    expect((await store.db.selectFrom('parcels').select('status').where('tracking_number', '=', RIFLE).executeTakeFirstOrThrow()).status).toBe('sorted');
  });

  it('shows an officer the consignee through the gate, with the receipt of that very read', async () => {
    const res = await call('officer', 'GET', `/api/v1/customs/parcels/${RIFLE}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ consignee: Record<string, string>; receipt: { ledgerIndex: number }; clearance: { flags: unknown[] } }>();
    expect(body.consignee).toMatchObject({ name: 'Ana Buyer', street: '1 Rue Haute' });
    const entry = parseLedgerEntry(await log.readEntry(body.receipt.ledgerIndex));
    expect(entry.ok && entry.value).toMatchObject({ type: 'access-decision', decision: 'allow', purpose: 'customs-control' });
    expect(JSON.stringify(body)).not.toContain('consignee_ref');
  });

  it('exports H7 per flight with an error per missing element and the receipts of the gate reads', async () => {
    const res = await call('officer', 'GET', `/api/v1/customs/flights/${F}/h7`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ declarations: { lrn: string; buyer: { name: string } }[]; errors: { trackingNumber: string; missing: string[] }[]; receipts: { consignees: number[]; sellers: number[] } }>();
    expect(body.declarations.map((d) => d.lrn).sort()).toEqual([`GH${RIFLE}`, 'GHRR000000014CN']);
    expect(body.errors).toEqual([{ trackingNumber: 'RR000000028CN', missing: ['buyer.street'] }]);
    expect(body.receipts.consignees).toHaveLength(1);
    expect(body.receipts.sellers).toHaveLength(1);
    const entry = parseLedgerEntry(await log.readEntry(body.receipts.consignees[0]!));
    expect(entry.ok && entry.value).toMatchObject({ decision: 'allow', purpose: 'customs-control' });
    expect((await call('officer', 'GET', `/api/v1/customs/flights/${encodeURIComponent('XX1/2026-01-01')}/h7`)).statusCode).toBe(404);
  });

  it('serves the flight report as JSON, CSV and HTML, to officers only', async () => {
    expect((await call('officer', 'GET', `/api/v1/customs/flights/${F}/report`)).json()).toMatchObject({ totals: { parcels: 3, flagged: 1 } });
    const csv = await call('officer', 'GET', `/api/v1/customs/flights/${F}/report.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toContain('trackingNumber');
    const html = await call('officer', 'GET', `/api/v1/customs/flights/${F}/report.html`);
    expect(html.body).toContain('<html lang="en">');
    expect((await call('sorter', 'GET', `/api/v1/customs/queue`)).statusCode).toBe(403);
  });
});
