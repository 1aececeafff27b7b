import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatS10, makeSscc } from '../../src/domain/index.js';
import {
  aggregationEvent,
  canonicalId,
  glnLocation,
  matchesFilter,
  objectEvent,
  parseEventQuery,
  s10Epc,
  ssccEpc,
  validateEpcisEvent,
  type EventFilter,
  type HubEvent,
} from '../../src/hub/epcis/index.js';
import { captureDocument, eventRows, EVENTS_PER_PERIOD, prepareCapture, queryEvents, recordEvents, type StorableEvent } from '../../src/hub/events/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { epcisExamples } from './examples.js';

const HUB = '5412345000013';
const examples = epcisExamples();

// Pools the generators draw from, so that filters hit the events often.
const tracking = ['00000001', '00000002', '00000003', '12345678'].map((serial) => formatS10({ serviceIndicator: 'RR', serial, country: 'GB' }));
const parcelEpcs = tracking.map(s10Epc);
const bagSsccs = [makeSscc(1, '0614141', 234567890), makeSscc(0, '5412345', 42)];
const bagEpcs = bagSsccs.map(ssccEpc);
/** The URN spelling of the first bag: the same EPC as its Digital Link. */
const bagUrn = 'urn:epc:id:sscc:0614141.1234567890';
const places = [glnLocation(HUB), glnLocation(HUB, 'SORTER-1'), 'urn:epc:id:sgln:0614141.00777.0', canonicalId('urn:epc:id:sgln:0614141.00777.0')!];
const steps = ['receiving', 'arriving', 'packing', 'loading', 'departing', 'storing'] as const;
const times = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 0, 3) }).map((ms) => new Date(ms));

const hubEvent: fc.Arbitrary<HubEvent> = fc.oneof(
  fc
    .record({
      action: fc.constantFrom('ADD', 'OBSERVE', 'DELETE' as const),
      bizStep: fc.constantFrom(...steps),
      readPoint: fc.constantFrom(...places),
      bizLocation: fc.option(fc.constantFrom(...places), { nil: undefined }),
      eventTime: times,
      epcList: fc.uniqueArray(fc.constantFrom(...parcelEpcs, ...bagEpcs, bagUrn), { minLength: 1, maxLength: 3, selector: (e) => (e === bagUrn ? bagEpcs[0] : e) }),
    })
    .map((input) => objectEvent(input)),
  fc
    .record({
      action: fc.constantFrom('ADD', 'OBSERVE' as const),
      bizStep: fc.constantFrom(...steps),
      readPoint: fc.constantFrom(...places),
      bizLocation: fc.option(fc.constantFrom(...places), { nil: undefined }),
      eventTime: times,
      parentID: fc.constantFrom(...bagEpcs),
      childEPCs: fc.uniqueArray(fc.constantFrom(...parcelEpcs), { minLength: 1, maxLength: 3 }),
    })
    .map((input) => aggregationEvent(input)),
);
const exampleEvents: StorableEvent[] = examples.flatMap((e) => prepareCapture(e.doc).events);

/** Query strings as clients write them, in every spelling the parser accepts. */
const query: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    eventType: fc.subarray(['ObjectEvent', 'AggregationEvent', 'TransformationEvent'], { minLength: 1 }).map((v) => v.join('|')),
    EQ_action: fc.subarray(['ADD', 'OBSERVE', 'DELETE'], { minLength: 1 }).map((v) => v.join('|')),
    EQ_bizStep: fc.subarray(['receiving', 'urn:epcglobal:cbv:bizstep:packing', 'https://ref.gs1.org/cbv/BizStep-shipping', 'departing'], { minLength: 1 }).map((v) => v.join('|')),
    EQ_bizLocation: fc.subarray([...places, 'urn:epc:id:sgln:0614141.07346.1234', 'urn:epc:id:sgln:0614141.00888.0'], { minLength: 1 }).map((v) => v.join('|')),
    MATCH_epc: fc
      .subarray([...parcelEpcs.slice(0, 2), bagUrn, bagEpcs[1]!, 'https://id.glasshub.dev/s10/RR*', 'https://id.gs1.org/00/*', 'urn:epc:idpat:sgtin:0614141.*.*', 'urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:idpat:sscc:0614141.*'], { minLength: 1, maxLength: 3 })
      .map((v) => v.join('|')),
    GE_eventTime: times.map((d) => d.toISOString()),
    LT_eventTime: times.map((d) => d.toISOString().replace('Z', '+01:00')),
    perPage: fc.integer({ min: 1, max: 7 }).map(String),
  },
  { requiredKeys: [] },
);

function parse(q: Record<string, string>): EventFilter {
  const parsed = parseEventQuery(q);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filter;
}

describe.each(STORE_KINDS)('the event store on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  /** Every event page by page: the eventIDs in order, and the page sizes. */
  async function allPages(filter: EventFilter): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await queryEvents(store.db, token === undefined ? filter : { ...filter, nextPageToken: token });
      ids.push(...page.events.map((e) => e.eventID));
      sizes.push(page.events.length);
      token = page.nextPageToken;
    } while (token !== undefined);
    return { ids, sizes };
  }

  it('stores events with multi-row inserts, idempotent on eventID', async () => {
    const events = fc.sample(hubEvent, { numRuns: 1200, seed: 7 });
    const first = await store.db.transaction().execute((tx) => recordEvents(tx, events));
    const distinct = new Set(events.map((e) => e.eventID)).size;
    expect(first.recorded).toHaveLength(distinct);
    const again = await store.db.transaction().execute((tx) => recordEvents(tx, events.slice(0, 10)));
    expect(again).toEqual({ recorded: [], duplicates: events.slice(0, 10).map((e) => e.eventID) });
    const page = await queryEvents(store.db, { perPage: 1000 });
    for (const e of page.events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    expect(page.events[0]).toMatchObject({ ...events[0], recordTime: expect.any(String) as unknown });
  });

  it('records the new events of a batch that mixes stored and new ones, each indexed under its own seq', async () => {
    const events = [...new Map(fc.sample(hubEvent, { numRuns: 700, seed: 11 }).map((e) => [e.eventID, e])).values()];
    await recordEvents(store.db, events.filter((_, i) => i % 3 === 0));
    // Every statement of this call holds stored events among new ones (stored ones are skipped, not numbered).
    const again = await store.db.transaction().execute((tx) => recordEvents(tx, events));
    expect(again.recorded).toEqual(events.filter((_, i) => i % 3 !== 0).map((e) => e.eventID));
    expect(again.duplicates).toEqual(events.filter((_, i) => i % 3 === 0).map((e) => e.eventID));
    const seqs = new Map((await store.db.selectFrom('epcis_events').select(['event_id', 'seq']).execute()).map((r) => [r.event_id, Number(r.seq)]));
    expect(events.filter((e) => !seqs.has(e.eventID))).toEqual([]);
    const indexed = new Map<number, string[]>();
    for (const r of await store.db.selectFrom('epcis_event_epcs').select(['seq', 'epc']).execute()) indexed.set(Number(r.seq), [...(indexed.get(Number(r.seq)) ?? []), r.epc]);
    for (const e of events) expect((indexed.get(seqs.get(e.eventID)!) ?? []).sort(), e.eventID).toEqual([...eventRows(e, '').epcs.keys()].sort());
  });

  it('indexes parentID apart from the EPCs that MATCH_epc matches', async () => {
    const agg = aggregationEvent({ action: 'ADD', bizStep: 'packing', readPoint: places[0]!, eventTime: new Date(Date.UTC(2026, 0, 1)), parentID: bagEpcs[1]!, childEPCs: [parcelEpcs[3]!] });
    await recordEvents(store.db, [agg]);
    const byChild = await queryEvents(store.db, parse({ MATCH_epc: parcelEpcs[3]!, GE_eventTime: '2026-01-01T00:00:00Z' }));
    const byParent = await queryEvents(store.db, parse({ MATCH_epc: bagEpcs[1]!, GE_eventTime: '2026-01-01T00:00:00Z' }));
    expect(byChild.events.map((e) => e.eventID)).toEqual([agg.eventID]);
    expect(byParent.events).toEqual([]);
  });

  it('answers every query as matchesFilter does, page after page (property)', async () => {
    await recordEvents(store.db, exampleEvents);
    expect((await allPages({ perPage: 1000 })).ids.length).toBeGreaterThan(1000);
    await fc.assert(
      fc.asyncProperty(fc.array(hubEvent, { maxLength: 5 }), query, async (more, q) => {
        await recordEvents(store.db, more);
        const everything = await queryEvents(store.db, { perPage: 100_000 });
        const filter = parse(q);
        const expected = everything.events.filter((e) => matchesFilter(e, filter)).map((e) => e.eventID);
        const { ids, sizes } = await allPages(filter);
        expect(ids).toEqual(expected);
        expect(sizes.slice(0, -1).every((n) => n === filter.perPage)).toBe(true);
      }),
      { numRuns: kind === 'sqlite' ? 150 : 60, seed: 20251125 },
    );
  });

  it('refuses a page token it did not issue', async () => {
    await expect(queryEvents(store.db, { perPage: 5, nextPageToken: 'not-a-token' })).rejects.toThrow(/page token/);
  });

  it('captures all 47 example documents, keeping their eventIDs and minting the missing ones the same way twice', async () => {
    expect(examples).toHaveLength(47);
    const fresh = await openTestStore(kind);
    try {
      let minted = 0;
      for (const { doc } of examples) minted += (await captureDocument(fresh.db, doc)).minted;
      expect(minted).toBe(7);
      const again = await Promise.all(examples.map(({ doc }) => captureDocument(fresh.db, doc)));
      expect(again.every((r) => r.recorded.length === 0)).toBe(true);
      const kept = examples.flatMap(({ doc }) => prepareCapture(doc).events.map((e) => e.eventID));
      const all = await queryEvents(fresh.db, { perPage: 1000 });
      expect(new Set(all.events.map((e) => e.eventID))).toEqual(new Set(kept));
      for (const e of all.events) expect(validateEpcisEvent(e)).toEqual({ ok: true });
    } finally {
      await fresh.cleanup();
    }
  });
});

describe.each(STORE_KINDS)('the identifier index across its periods on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it("finds an identifier's events in every period of the index (migration 013)", async () => {
    const epc = parcelEpcs[2]!;
    const seen = (iso: string): HubEvent => objectEvent({ action: 'OBSERVE', bizStep: 'receiving', readPoint: places[0]!, eventTime: new Date(iso), epcList: [epc] });
    await recordEvents(store.db, [seen('2027-03-01T08:00:00.000Z')]);
    // Capture order two periods further on, where a busy hub is by the afternoon.
    if (kind === 'postgres') await sql`select setval('epcis_events_seq', ${2 * EVENTS_PER_PERIOD})`.execute(store.db);
    else await sql`insert into epcis_events (seq, event_id, event_type, event_time, record_time, document) values (${2 * EVENTS_PER_PERIOD}, 'urn:uuid:6f1e2a10-0000-4000-8000-000000000000', 'ObjectEvent', '2027-03-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z', '{}')`.execute(store.db);
    await recordEvents(store.db, [seen('2027-03-01T09:00:00.000Z')]);
    const periods = await store.db.selectFrom('epcis_event_epcs').select('period').where('epc', '=', epc).orderBy('seq').execute();
    expect(periods.map((p) => Number(p.period))).toEqual([0, 2]);
    const page = await queryEvents(store.db, parse({ MATCH_epc: epc }));
    expect(page.events.map((e) => e['eventTime'])).toEqual(['2027-03-01T08:00:00.000Z', '2027-03-01T09:00:00.000Z']);
  });
});
