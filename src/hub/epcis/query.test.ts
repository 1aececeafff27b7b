import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatS10, makeSscc } from '../../domain/index.js';
import { aggregationEvent, objectEvent, type HubEvent } from './events.js';
import { glnLocation, s10Epc, ssccEpc } from './ids.js';
import { DEFAULT_PER_PAGE, filterToQuery, matchesFilter, MAX_PER_PAGE, parseEventQuery, type EventFilter } from './query.js';
import { epcisVectorsDir } from './schema.js';
import { ACTIONS, BIZ_STEPS, EVENT_TYPES } from './vocabulary.js';

function parse(query: string): EventFilter {
  const result = parseEventQuery(new URLSearchParams(query));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.filter;
}

describe('parsing valid queries', () => {
  const dock = glnLocation('4012345000115', 'DOCK-1');
  const table: [string, Partial<EventFilter>][] = [
    ['', {}],
    ['eventType=ObjectEvent|AggregationEvent', { eventTypes: ['ObjectEvent', 'AggregationEvent'] }],
    ['EQ_action=ADD|DELETE', { actions: ['ADD', 'DELETE'] }],
    ['EQ_bizStep=shipping|urn:epcglobal:cbv:bizstep:receiving|https://ref.gs1.org/cbv/BizStep-packing', { bizSteps: ['shipping', 'receiving', 'packing'] }],
    ['EQ_bizStep=https://glasshub.dev/epcis/sorting', { bizSteps: ['https://glasshub.dev/epcis/sorting'] }],
    [`EQ_bizLocation=${encodeURIComponent('urn:epc:id:sgln:4012345.00011.DOCK-1')}`, { bizLocations: [dock] }],
    ['MATCH_epc=https://id.glasshub.dev/s10/RR473124829GB', { epcs: [{ kind: 'exact', uri: 'https://id.glasshub.dev/s10/RR473124829GB' }] }],
    ['MATCH_epc=urn:epc:id:sscc:0614141.1234567890', { epcs: [{ kind: 'exact', uri: 'https://id.gs1.org/00/106141412345678908' }] }],
    ['MATCH_epc=urn:epc:idpat:sscc:0614141.1234567890', { epcs: [{ kind: 'exact', uri: 'https://id.gs1.org/00/106141412345678908' }] }],
    ['MATCH_epc=urn:epc:idpat:sgtin:0614141.*.*', { epcs: [{ kind: 'prefix', prefix: 'urn:epc:id:sgtin:0614141.' }] }],
    ['MATCH_epc=urn:epc:idpat:sgtin:*.*.*', { epcs: [{ kind: 'prefix', prefix: 'urn:epc:id:sgtin:' }] }],
    ['MATCH_epc=https://id.gs1.org/00/*|https://id.glasshub.dev/s10/RR*', { epcs: [{ kind: 'prefix', prefix: 'https://id.gs1.org/00/' }, { kind: 'prefix', prefix: 'https://id.glasshub.dev/s10/RR' }] }],
    ['GE_eventTime=2025-01-01T01:00:00%2B01:00&LT_eventTime=2025-01-02T00:00:00.0005Z', { geEventTime: Date.UTC(2025, 0, 1), ltEventTime: Date.UTC(2025, 0, 2) + 1 }],
    ['perPage=100&nextPageToken=abc_DEF-123.x~', { perPage: 100, nextPageToken: 'abc_DEF-123.x~' }],
    ['perPage=999999', { perPage: MAX_PER_PAGE }],
  ];
  for (const [query, expected] of table) {
    it(query === '' ? '(no parameters)' : query, () => {
      expect(parse(query)).toEqual({ perPage: DEFAULT_PER_PAGE, ...expected });
    });
  }

  it('accepts a plain object (as a web framework parses the query string)', () => {
    expect(parseEventQuery({ EQ_action: 'OBSERVE', perPage: undefined })).toEqual({ ok: true, filter: { actions: ['OBSERVE'], perPage: DEFAULT_PER_PAGE } });
  });
});

describe('refusing invalid queries, naming each parameter', () => {
  const table: [string, string, RegExp][] = [
    ['eventType=ObjectEvents', 'eventType', /not an EPCIS event type/],
    ['EQ_action=add', 'EQ_action', /ADD, OBSERVE or DELETE/],
    ['EQ_bizStep=sorting', 'EQ_bizStep', /not a CBV 2.0 business step/],
    ['EQ_bizStep=shipping||receiving', 'EQ_bizStep', /empty value/],
    ['EQ_bizLocation=dock%201', 'EQ_bizLocation', /absolute URI/],
    ['MATCH_epc=urn:epc:idpat:sgtin:*.107346.*', 'MATCH_epc', /only for the last/],
    ['MATCH_epc=urn:epc:idpat:sgtin:0614141.10*.*', 'MATCH_epc', /whole fields/],
    ['MATCH_epc=https://id.gs1.org/*/123', 'MATCH_epc', /only as the last character/],
    ['MATCH_epc=*', 'MATCH_epc', /absolute URI/],
    ['GE_eventTime=2025-01-01', 'GE_eventTime', /RFC 3339/],
    ['LT_eventTime=2025-01-01T00:00:00', 'LT_eventTime', /RFC 3339/],
    ['perPage=0', 'perPage', /positive integer/],
    ['perPage=ten', 'perPage', /positive integer/],
    ['nextPageToken=a%20b', 'nextPageToken', /page token/],
    ['EQ_disposition=in_transit', 'EQ_disposition', /not supported/],
    ['EQ_action=ADD&EQ_action=DELETE', 'EQ_action', /more than once/],
    [`EQ_bizStep=${Array(101).fill('shipping').join('|')}`, 'EQ_bizStep', /at most 100/],
  ];
  for (const [query, parameter, message] of table) {
    it(query.length > 80 ? `${query.slice(0, 80)}…` : query, () => {
      const result = parseEventQuery(new URLSearchParams(query));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.parameter).toBe(parameter);
      expect(result.errors[0]!.message).toMatch(message);
    });
  }

  it('reports every refused parameter at once', () => {
    const result = parseEventQuery(new URLSearchParams('EQ_action=X&perPage=-1&foo=1'));
    expect(result.ok ? [] : result.errors.map((e) => e.parameter).sort()).toEqual(['EQ_action', 'foo', 'perPage']);
  });
});

const hub = glnLocation('4012345000115');
const eventArb: fc.Arbitrary<HubEvent> = fc
  .record({
    kind: fc.constantFrom('object', 'aggregation'),
    action: fc.constantFrom(...ACTIONS),
    bizStep: fc.constantFrom(...BIZ_STEPS),
    serial: fc.integer({ min: 0, max: 99 }),
    bizLocation: fc.option(fc.constantFrom(hub, glnLocation('4012345000115', 'CHUTE-1')), { nil: undefined }),
    eventTime: fc.date({ min: new Date('2025-01-01'), max: new Date('2025-01-03'), noInvalidDate: true }),
  })
  .map(({ kind, serial, ...r }) => {
    const parcel = s10Epc(formatS10({ serviceIndicator: 'RR', serial: String(serial).padStart(8, '0'), country: 'GB' }));
    const common = { ...r, readPoint: hub };
    if (kind === 'object') return objectEvent({ ...common, epcList: [parcel] });
    return aggregationEvent({ ...common, parentID: ssccEpc(makeSscc(1, '0614141', serial)), childEPCs: [parcel] });
  });

const filterArb: fc.Arbitrary<EventFilter> = fc
  .record(
    {
      eventTypes: fc.subarray([...EVENT_TYPES], { minLength: 1 }),
      actions: fc.subarray([...ACTIONS], { minLength: 1 }),
      bizSteps: fc.subarray([...BIZ_STEPS], { minLength: 1, maxLength: 5 }),
      bizLocations: fc.constantFrom([hub], [glnLocation('4012345000115', 'CHUTE-1')]),
      epcs: fc.constantFrom([{ kind: 'prefix' as const, prefix: 'https://id.glasshub.dev/s10/RR0000001' }], [{ kind: 'prefix' as const, prefix: 'https://id.gs1.org/00/' }]),
      geEventTime: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 0, 3) }),
      ltEventTime: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 0, 3) }),
    },
    { requiredKeys: [] },
  )
  .map((f) => ({ ...f, perPage: DEFAULT_PER_PAGE }));

describe('matchesFilter (properties)', () => {
  it('the empty filter matches every event', () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        expect(matchesFilter(e, { perPage: 30 })).toBe(true);
      }),
    );
  });

  it('a filter is the conjunction of its conditions', () => {
    fc.assert(
      fc.property(eventArb, filterArb, (e, f) => {
        const each = Object.entries(f)
          .filter(([k]) => k !== 'perPage')
          .map(([k, v]) => matchesFilter(e, { perPage: 30, [k]: v as never }));
        expect(matchesFilter(e, f)).toBe(each.every(Boolean));
      }),
    );
  });

  it('agrees with the definition of each condition', () => {
    fc.assert(
      fc.property(eventArb, filterArb, (e, f) => {
        const t = Date.parse(e.eventTime);
        if (f.geEventTime !== undefined) expect(matchesFilter(e, { perPage: 30, geEventTime: f.geEventTime })).toBe(t >= f.geEventTime);
        if (f.ltEventTime !== undefined) expect(matchesFilter(e, { perPage: 30, ltEventTime: f.ltEventTime })).toBe(t < f.ltEventTime);
        if (f.bizSteps) expect(matchesFilter(e, { perPage: 30, bizSteps: f.bizSteps })).toBe(f.bizSteps.includes(e.bizStep));
        if (f.eventTypes) expect(matchesFilter(e, { perPage: 30, eventTypes: f.eventTypes })).toBe(f.eventTypes.includes(e.type));
        const epcs = e.type === 'ObjectEvent' ? e.epcList : e.childEPCs;
        for (const epc of epcs) expect(matchesFilter(e, { perPage: 30, epcs: [{ kind: 'exact', uri: epc }] })).toBe(true);
        if (e.type === 'AggregationEvent') expect(matchesFilter(e, { perPage: 30, epcs: [{ kind: 'exact', uri: e.parentID }] })).toBe(false);
      }),
    );
  });

  it('filterToQuery is read back as the same filter', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        expect(parse(filterToQuery(f).toString())).toEqual(f);
      }),
    );
  });
});

describe('matchesFilter on the standard\'s example events', () => {
  const dir = join(epcisVectorsDir(), 'JSON');
  const events = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonld'))
    .flatMap((f) => {
      const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { epcisBody: { eventList?: object[]; queryResults?: { resultsBody: { eventList: object[] } } } };
      return doc.epcisBody.eventList ?? doc.epcisBody.queryResults?.resultsBody.eventList ?? [];
    });
  const count = (query: string) => events.filter((e) => matchesFilter(e, parse(query))).length;

  it('selects by type, step and time as their fields say, across spellings', () => {
    expect(events.length).toBeGreaterThan(47);
    const field = (name: string, value: string) => events.filter((e) => (e as Record<string, unknown>)[name] === value).length;
    expect(count('eventType=AggregationEvent')).toBe(field('type', 'AggregationEvent'));
    expect(count('EQ_action=DELETE')).toBe(field('action', 'DELETE'));
    expect(count('EQ_bizStep=receiving')).toBe(field('bizStep', 'receiving') + field('bizStep', 'urn:epcglobal:cbv:bizstep:receiving') + field('bizStep', 'https://ref.gs1.org/cbv/BizStep-receiving'));
    expect(count('GE_eventTime=1970-01-01T00:00:00Z')).toBe(events.length);
  });

  it('finds EPCs by exact Digital Link, by prefix and by EPC pattern', () => {
    const dl = 'https://id.gs1.org/01/70614141123451/21/2018';
    const lists = (e: object) => JSON.stringify([(e as Record<string, unknown>).epcList, (e as Record<string, unknown>).childEPCs]);
    const withDl = events.filter((e) => lists(e).includes(`"${dl}"`)).length;
    expect(withDl).toBeGreaterThan(0);
    expect(count(`MATCH_epc=${encodeURIComponent(dl)}`)).toBe(withDl);
    expect(count('MATCH_epc=https://id.gs1.org/01/*')).toBeGreaterThanOrEqual(withDl);
    expect(count('MATCH_epc=urn:epc:idpat:sgtin:0614141.*.*')).toBeGreaterThan(0);
    expect(count('MATCH_epc=urn:epc:idpat:sgtin:9999999.*.*')).toBe(0);
  });

  it('finds an SSCC written as a URN by its Digital Link, and the other way round', () => {
    const urn = 'urn:epc:id:sscc:0614141.1234567890';
    const event = objectEvent({ epcList: [urn], action: 'OBSERVE', bizStep: 'departing', readPoint: hub, eventTime: new Date(0) });
    expect(matchesFilter(event, parse(`MATCH_epc=${encodeURIComponent(ssccEpc(urn))}`))).toBe(true);
    expect(matchesFilter(event, parse(`MATCH_epc=${encodeURIComponent(urn)}`))).toBe(true);
    expect(matchesFilter(event, parse('MATCH_epc=https://id.gs1.org/00/1061414*'))).toBe(true);
    expect(matchesFilter(event, parse('MATCH_epc=urn:epc:idpat:sscc:0614141.*'))).toBe(true);
    const dlEvent = objectEvent({ epcList: [ssccEpc(urn)], action: 'OBSERVE', bizStep: 'departing', readPoint: hub, eventTime: new Date(0) });
    expect(matchesFilter(dlEvent, parse(`MATCH_epc=${encodeURIComponent(urn)}`))).toBe(true);
    expect(dlEvent.eventID).toBe(event.eventID);
  });
});
