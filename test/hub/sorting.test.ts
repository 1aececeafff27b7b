import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s10Epc, validateEpcisEvent } from '../../src/hub/epcis/index.js';
import { EXCEPTIONS_LANE, HOLD_LANE, publishSortPlan, seedDefaultSortPlan, SortPlanCache, sortScans, type Hub, type Scan } from '../../src/hub/operations/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { at, CONFIG, seedFlight, statusOf, storedEvents, tracking } from './fixtures.js';

const scan = (trackingNumber: string, minute = 10): Scan => ({ trackingNumber, scanner: 'SORTER-1-HEAD-A', location: 'SORTER-1', time: at(minute) });

describe.each(STORE_KINDS)('sorting scans on %s', (kind) => {
  let store: TestStore;
  let hub: Hub;
  let plans: SortPlanCache;
  beforeEach(async () => {
    store = await openTestStore(kind);
    hub = { db: store.db, config: CONFIG };
    plans = new SortPlanCache(store.db);
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('refuses to sort before a plan is published', async () => {
    await expect(sortScans(hub, plans, [scan(tracking(0))])).rejects.toMatchObject({ code: 'NO_SORT_PLAN' });
  });

  it('answers each scan with its lane, sets statuses and records one event per scan in one batch', async () => {
    await seedDefaultSortPlan(store.db);
    await seedFlight(store.db, {
      parcels: [
        { country: 'BE', postcode: '4000' },
        { country: 'BE', postcode: '2000' },
        { country: 'FR', postcode: '75008' },
        { country: 'DE', postcode: '80331', status: 'held' },
        { country: 'CH', postcode: '8001' },
        { country: 'NL', status: 'bagged' },
      ],
    });
    const unknown = tracking(500, 'RR');
    const { planVersion, results } = await sortScans(hub, plans, [...[0, 1, 2, 3, 4, 5].map((i) => scan(tracking(i))), scan(unknown), scan('RR12345678XX')]);
    expect(planVersion).toBe(1);
    expect(results).toEqual([
      { trackingNumber: tracking(0), lane: 'BE-BPOST', reason: 'rule', status: 'sorted' },
      { trackingNumber: tracking(1), lane: 'BE-DPD-ANTWERPEN', reason: 'rule', status: 'sorted' },
      { trackingNumber: tracking(2), lane: 'FR-CHRONOPOST-IDF', reason: 'rule', status: 'sorted' },
      { trackingNumber: tracking(3), lane: HOLD_LANE, reason: 'customs-hold', status: 'held' },
      { trackingNumber: tracking(4), lane: EXCEPTIONS_LANE, reason: 'no-rule', status: 'exception' },
      { trackingNumber: tracking(5), lane: EXCEPTIONS_LANE, reason: 'not-sortable', status: 'bagged' },
      { trackingNumber: unknown, lane: 'unknown-parcel', reason: 'unknown-parcel' },
      { trackingNumber: 'RR12345678XX', lane: 'unknown-parcel', reason: 'invalid-tracking-number' },
    ]);
    const rows = await store.db.selectFrom('parcels').select(['tracking_number', 'status', 'lane', 'received_at']).orderBy('tracking_number').execute();
    expect(rows.map((r) => [r.status, r.lane])).toEqual([
      ['sorted', 'BE-BPOST'],
      ['sorted', 'BE-DPD-ANTWERPEN'],
      ['sorted', 'FR-CHRONOPOST-IDF'],
      ['held', null],
      ['exception', EXCEPTIONS_LANE],
      ['bagged', null],
    ]);
    expect(rows.every((r) => r.received_at === at(10).toISOString())).toBe(true); // a sorter scan is a receipt
    const events = await storedEvents(store.db);
    expect(events).toHaveLength(7);
    for (const e of events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(events.map((e) => [e.bizStep, e['glasshub:lane']])).toEqual([
      ['staging_outbound', 'BE-BPOST'],
      ['staging_outbound', 'BE-DPD-ANTWERPEN'],
      ['staging_outbound', 'FR-CHRONOPOST-IDF'],
      ['holding', HOLD_LANE],
      ['holding', EXCEPTIONS_LANE],
      ['holding', EXCEPTIONS_LANE],
      ['holding', EXCEPTIONS_LANE],
    ]);
    expect(events[6]).toMatchObject({ epcList: [s10Epc(unknown)], 'glasshub:exception': 'unknown-parcel' });
    const exceptions = await store.db.selectFrom('hub_exceptions').selectAll().execute();
    expect(exceptions).toMatchObject([{ kind: 'unknown-parcel', tracking_number: unknown, flight_id: null, location: 'SORTER-1' }]);
  });

  it('re-scanning is idempotent, and a newly published plan applies to the next batch', async () => {
    await seedDefaultSortPlan(store.db);
    await seedFlight(store.db, { parcels: [{ country: 'BE', postcode: '4000' }] });
    await sortScans(hub, plans, [scan(tracking(0))]);
    await sortScans(hub, plans, [scan(tracking(0))]); // the same scan again: same event ID
    expect(await storedEvents(store.db)).toHaveLength(1);
    const current = (await store.db.selectFrom('sort_plans').select('rules').executeTakeFirstOrThrow()).rules;
    const rules = [...(JSON.parse(current) as { country: string; lane: string }[]), { country: 'BE', postcodePrefix: '40', lane: 'BE-DPD-ANTWERPEN' }];
    expect((await publishSortPlan(store.db, { rules, author: 'planner-1' })).version).toBe(2);
    const { planVersion, results } = await sortScans(hub, plans, [scan(tracking(0), 20)]);
    expect(planVersion).toBe(2);
    expect(results[0]!.lane).toBe('BE-DPD-ANTWERPEN');
    expect(await statusOf(store.db, tracking(0))).toBe('sorted');
  });

  it('refuses to publish an ambiguous plan, naming the rule', async () => {
    await seedDefaultSortPlan(store.db);
    const rules = [{ country: 'BE', lane: 'BE-BPOST' }, { country: 'be', lane: 'BE-DPD-ANTWERPEN' }];
    await expect(publishSortPlan(store.db, { rules, author: 'planner-1' })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'rules.1', reason: 'same destination as rule 0 (BE): ambiguous' }],
    });
  });

  it('refuses a postcode prefix of separators only instead of widening its rule to the whole country', async () => {
    await seedDefaultSortPlan(store.db);
    const rules = [{ country: 'BE', lane: 'BE-BPOST' }, { country: 'NL', postcodePrefix: ' - ', lane: 'BE-BPOST' }];
    await expect(publishSortPlan(store.db, { rules, author: 'planner-1' })).rejects.toMatchObject({
      code: 'INVALID',
      details: [{ field: 'rules.1.postcodePrefix', value: '', reason: 'must be 1 to 10 upper-case letters or digits, without separators' }],
    });
  });

  it('handles a full batch of 5,000 scans in one transaction', async () => {
    await seedDefaultSortPlan(store.db);
    const countries = ['BE', 'NL', 'DE', 'FR', 'IT', 'ES', 'PL', 'AT'];
    await seedFlight(store.db, { parcels: Array.from({ length: 5000 }, (_, i) => ({ country: countries[i % countries.length]! })) });
    const { results } = await sortScans(hub, plans, Array.from({ length: 5000 }, (_, i) => scan(tracking(i), 10 + i / 1000)));
    expect(results.filter((r) => r.reason === 'rule')).toHaveLength(5000);
    const sorted = await store.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'sorted').executeTakeFirstOrThrow();
    expect(Number(sorted.n)).toBe(5000);
    expect(await storedEvents(store.db)).toHaveLength(5000);
  });
});
