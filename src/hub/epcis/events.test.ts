import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatS10, makeSscc } from '../../domain/index.js';
import { CUSTOMS_DECISIONS, EpcisInputError } from './check.js';
import { aggregationEvent, epcisDocument, HUB_PREFIXES, objectEvent, type AggregationEventInput, type HubExtensions, type ObjectEventInput } from './events.js';
import { eventHashId } from './hash.js';
import { awbUri, glnLocation, gs1CheckDigit, s10Epc, ssccEpc, uldEpc } from './ids.js';
import { validateEpcisDocument, validateEpcisEvent } from './schema.js';
import { ACTIONS, BIZ_STEPS, BIZ_TRANSACTION_TYPES, DISPOSITIONS, SOURCE_DESTINATION_TYPES } from './vocabulary.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const s10 = fc
  .tuple(fc.constantFrom('RR', 'CP', 'EE', 'LX', 'UA'), digits(8), fc.constantFrom('GB', 'DE', 'FR', 'CN', 'US', 'NL'))
  .map(([serviceIndicator, serial, country]) => s10Epc(formatS10({ serviceIndicator, serial, country })));
const sscc = fc
  .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 6, max: 12 }), digits(16))
  .map(([ext, n, d]) => ssccEpc(makeSscc(ext, d.slice(0, n), d.slice(n))));
const uld = fc.tuple(fc.constantFrom('AKE', 'PMC', 'PAG', 'AKN'), digits(5), fc.constantFrom('LH', 'BA', 'CK', 'AF')).map(([t, s, o]) => t + s + o);
const gln = digits(12).map((d) => d + String(gs1CheckDigit(d)));
const place = fc.tuple(gln, fc.option(fc.stringMatching(/^[0-9A-Za-z-]{1,20}$/), { nil: undefined })).map(([g, ext]) => glnLocation(g, ext));
const thing = fc.oneof(s10, sscc, uld.map(uldEpc));
const eventTime = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
const offset = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 13 }), fc.constantFrom('00', '30', '45')).map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}:${m}`);
const text = fc.stringMatching(/^\S(.{0,30}\S)?$/);
const extensions: fc.Arbitrary<HubExtensions> = fc.record(
  {
    customsDecision: fc.constantFrom(...CUSTOMS_DECISIONS),
    lane: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/),
    uld,
    flight: text,
    notes: fc.array(text, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const common = {
  bizStep: fc.constantFrom(...BIZ_STEPS),
  disposition: fc.option(fc.constantFrom(...DISPOSITIONS), { nil: undefined }),
  readPoint: place,
  bizLocation: fc.option(place, { nil: undefined }),
  eventTime,
  eventTimeZoneOffset: fc.option(offset, { nil: undefined }),
  bizTransactionList: fc.option(
    fc.array(fc.record({ type: fc.option(fc.constantFrom(...BIZ_TRANSACTION_TYPES), { nil: undefined }), bizTransaction: fc.constantFrom(awbUri('112-12345675'), awbUri('020-00000000')) }), { maxLength: 2 }),
    { nil: undefined },
  ),
  sourceList: fc.option(fc.array(fc.record({ type: fc.constantFrom(...SOURCE_DESTINATION_TYPES), source: place }), { maxLength: 2 }), { nil: undefined }),
  destinationList: fc.option(fc.array(fc.record({ type: fc.constantFrom(...SOURCE_DESTINATION_TYPES), destination: place }), { maxLength: 2 }), { nil: undefined }),
  extensions: fc.option(extensions, { nil: undefined }),
};
const objectInput: fc.Arbitrary<ObjectEventInput> = fc
  .record({ ...common, action: fc.constantFrom(...ACTIONS), epcList: fc.uniqueArray(thing, { minLength: 1, maxLength: 5 }), ilmd: fc.option(extensions, { nil: undefined }) })
  .map((i) => (i.action === 'ADD' ? i : { ...i, ilmd: undefined }));
const aggregationInput: fc.Arbitrary<AggregationEventInput> = fc
  .record({ ...common, action: fc.constantFrom(...ACTIONS), parentID: fc.oneof(sscc, uld.map(uldEpc)), childEPCs: fc.uniqueArray(s10, { minLength: 0, maxLength: 5 }) })
  .filter((i) => i.childEPCs.length > 0 || i.action === 'DELETE');

const valid = (value: unknown) => expect(value, JSON.stringify(value)).toEqual({ ok: true });

describe('every builder output validates against the official schema', () => {
  it('objectEvent', () => {
    fc.assert(
      fc.property(objectInput, (input) => {
        const event = objectEvent(input);
        valid(validateEpcisEvent(event));
        expect(event.eventID).toBe(eventHashId(event, HUB_PREFIXES));
        expect(objectEvent(input).eventID).toBe(event.eventID);
      }),
      { numRuns: 500 },
    );
  });

  it('aggregationEvent', () => {
    fc.assert(
      fc.property(aggregationInput, (input) => {
        const event = aggregationEvent(input);
        valid(validateEpcisEvent(event));
        expect(event.eventID).toBe(eventHashId(event, HUB_PREFIXES));
      }),
      { numRuns: 500 },
    );
  });

  it('epcisDocument, also once serialised', () => {
    fc.assert(
      fc.property(fc.array(objectInput, { maxLength: 3 }), fc.array(aggregationInput, { maxLength: 3 }), eventTime, (o, a, at) => {
        const doc = epcisDocument([...o.map(objectEvent), ...a.map(aggregationEvent)], at);
        valid(validateEpcisDocument(doc));
        valid(validateEpcisDocument(JSON.parse(JSON.stringify(doc))));
        expect(doc.creationDate).toBe(at.toISOString());
      }),
      { numRuns: 200 },
    );
  });
});

describe('the event ID is the CBV event hash: a re-sent scan gets the same ID', () => {
  const input: ObjectEventInput = {
    epcList: [s10Epc('RR473124829GB')],
    action: 'OBSERVE',
    bizStep: 'arriving',
    readPoint: glnLocation('4012345000115', 'DOOR-3'),
    eventTime: new Date('2025-03-01T08:15:00.250Z'),
    eventTimeZoneOffset: '+01:00',
    extensions: { uld: 'ake 12345 ck', lane: 'L7' },
  };
  it('is deterministic and changes with the content', () => {
    const a = objectEvent(input);
    expect(a.eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(a['glasshub:uld']).toBe('AKE12345CK');
    expect(objectEvent({ ...input, extensions: { lane: 'L7', uld: 'AKE12345CK' } }).eventID).toBe(a.eventID);
    expect(objectEvent({ ...input, epcList: ['https://id.glasshub.dev/s10/RR473124829GB'] }).eventID).toBe(a.eventID);
    expect(objectEvent({ ...input, extensions: { ...input.extensions, lane: 'L8' } }).eventID).not.toBe(a.eventID);
    expect(objectEvent({ ...input, eventTime: new Date('2025-03-01T08:15:00.251Z') }).eventID).not.toBe(a.eventID);
  });
});

describe("a batch's repeated values are checked once, with the same answers", () => {
  it('events built one after another equal events built alone, and hash like their JSON copy (property)', () => {
    fc.assert(
      fc.property(fc.array(objectInput, { minLength: 1, maxLength: 4 }), (inputs) => {
        const warm = inputs.map(objectEvent);
        for (const [i, event] of warm.entries()) {
          const copy = JSON.parse(JSON.stringify(event)) as object;
          expect(eventHashId(copy, HUB_PREFIXES)).toBe(event.eventID);
          expect(objectEvent(inputs[i]!)).toEqual(event);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an invalid time is refused right after a valid one, and equal instants give equal times', () => {
    const input: ObjectEventInput = { epcList: [s10Epc('RR473124829GB')], action: 'OBSERVE', bizStep: 'receiving', readPoint: glnLocation('4012345000115'), eventTime: new Date('2025-01-01T00:00:00Z') };
    const a = objectEvent(input);
    expect(objectEvent({ ...input, eventTime: new Date(a.eventTime) }).eventTime).toBe(a.eventTime);
    expect(() => objectEvent({ ...input, eventTime: new Date(Number.NaN) })).toThrow(/eventTime: expected a valid Date/);
    expect(objectEvent({ ...input, eventTime: new Date('2025-01-01T00:00:00.001Z') }).eventTime).toBe('2025-01-01T00:00:00.001Z');
  });

  it('events at the same place share one frozen place; a place someone can change is hashed afresh', () => {
    const input: ObjectEventInput = { epcList: [s10Epc('RR473124829GB')], action: 'OBSERVE', bizStep: 'receiving', readPoint: glnLocation('4012345000115', 'DOOR-3'), eventTime: new Date('2025-01-01T00:00:00Z') };
    const a = objectEvent(input);
    const b = objectEvent({ ...input, epcList: [s10Epc('RR000000005GB')] });
    expect(b.readPoint).toBe(a.readPoint);
    expect(Object.isFrozen(a.readPoint)).toBe(true);
    const open = JSON.parse(JSON.stringify(a)) as { readPoint: { id: string } };
    const before = eventHashId(open, HUB_PREFIXES);
    open.readPoint.id = glnLocation('4012345000115', 'DOOR-4');
    expect(eventHashId(open, HUB_PREFIXES)).not.toBe(before);
    expect(eventHashId(open, HUB_PREFIXES)).toBe(objectEvent({ ...input, readPoint: open.readPoint.id }).eventID);
  });
});

describe('invalid inputs are refused, naming the field', () => {
  const ok: ObjectEventInput = {
    epcList: [s10Epc('RR473124829GB')],
    action: 'ADD',
    bizStep: 'receiving',
    readPoint: glnLocation('4012345000115'),
    eventTime: new Date('2025-01-01T00:00:00Z'),
  };
  const bad = (patch: Record<string, unknown>): ObjectEventInput => ({ ...ok, ...patch });
  it('accepts the reference input', () => expect(() => objectEvent(ok)).not.toThrow());

  const table: [string, ObjectEventInput, string, RegExp][] = [
    ['empty epcList', bad({ epcList: [] }), 'epcList', /at least 1/],
    ['duplicate EPC', bad({ epcList: [ssccEpc('106141412345678908'), 'urn:epc:id:sscc:0614141.1234567890'] }), 'epcList[1]', /same identifier as epcList\[0\]/],
    ['non-URI EPC', bad({ epcList: ['RR473124829GB'] }), 'epcList[0]', /absolute URI/],
    ['SGTIN URN', bad({ epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }), 'epcList[0]', /Digital Link/],
    ['unknown action', bad({ action: 'MOVE' }), 'action', /ADD, OBSERVE or DELETE/],
    ['unknown business step', bad({ bizStep: 'sorting' }), 'bizStep', /CBV 2.0 business step/],
    ['unknown disposition', bad({ disposition: 'lost' }), 'disposition', /disposition/],
    ['missing read point', bad({ readPoint: undefined }), 'readPoint', /URI string/],
    ['invalid date', bad({ eventTime: new Date('nope') }), 'eventTime', /valid Date/],
    ['time as string', bad({ eventTime: '2025-01-01T00:00:00Z' }), 'eventTime', /valid Date/],
    ['offset out of range', bad({ eventTimeZoneOffset: '+14:30' }), 'eventTimeZoneOffset', /between -14:00 and \+14:00/],
    ['bad transaction type', bad({ bizTransactionList: [{ type: 'awb', bizTransaction: awbUri('112-12345675') }] }), 'bizTransactionList[0].type', /transaction type/],
    ['source without type', bad({ sourceList: [{ source: glnLocation('4012345000115') }] }), 'sourceList[0].type', /owning_party/],
    ['prefixed extension name', bad({ extensions: { 'glasshub:lane': 'L1' } }), 'extensions.glasshub:lane', /without prefix/],
    ['number extension', bad({ extensions: { weight: 12 } }), 'extensions.weight', /expected a string/],
    ['padded extension', bad({ extensions: { flight: ' LH400' } }), 'extensions.flight', /white space/],
    ['unknown customs decision', bad({ extensions: { customsDecision: 'maybe' } }), 'extensions.customsDecision', /released, held/],
    ['bad ULD', bad({ extensions: { uld: 'AKE1' } }), 'extensions.uld', /AKE1/],
    ['ilmd with OBSERVE', bad({ action: 'OBSERVE', ilmd: { lot: 'A' } }), 'ilmd', /only allowed with action ADD/],
  ];
  for (const [name, input, field, reason] of table) {
    it(name, () => {
      let error: unknown;
      try {
        objectEvent(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EpcisInputError);
      expect((error as EpcisInputError).field).toBe(field);
      expect((error as EpcisInputError).message).toMatch(reason);
    });
  }

  it('aggregations: children unless DELETE, and never the parent itself', () => {
    const agg: AggregationEventInput = { ...ok, parentID: ssccEpc('106141412345678908'), childEPCs: [] };
    expect(() => aggregationEvent(agg)).toThrow(/childEPCs: must list at least 1/);
    expect(() => aggregationEvent({ ...agg, action: 'DELETE' })).not.toThrow();
    expect(() => aggregationEvent({ ...agg, childEPCs: [agg.parentID] })).toThrow(/itself/);
    expect(() => aggregationEvent({ ...agg, parentID: 'bag-1', childEPCs: ok.epcList })).toThrow(/parentID/);
  });

  it('documents: a valid creation date', () => {
    expect(() => epcisDocument([], new Date(Number.NaN))).toThrow(/creationDate/);
  });
});
