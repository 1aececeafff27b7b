import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epcisVectorsDir, isDateTime, isUri, MAX_ERRORS, validateEpcisDocument, validateEpcisEvent } from './schema.js';

const dir = epcisVectorsDir();

/** The standard's example documents, read in place from ../shared/vectors/epcis/JSON. */
function examples(): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const path = join(d, e.name);
      if (e.isDirectory()) return walk(path);
      return e.name.endsWith('.jsonld') ? [path] : [];
    });
  return walk(join(dir, 'JSON')).sort();
}

const files = examples();
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** The events of an EPCISDocument or EPCISQueryDocument. */
function eventsOf(doc: Record<string, unknown>): unknown[] {
  const body = doc.epcisBody as { eventList?: unknown[]; queryResults?: { resultsBody: { eventList: unknown[] } } };
  return body.eventList ?? body.queryResults?.resultsBody.eventList ?? [];
}

describe('the 47 example documents of EPCIS 2.0 validate against the official schema', () => {
  it('finds all 47 in place', () => {
    expect(files).toHaveLength(47);
  });

  for (const file of files) {
    it(relative(dir, file), () => {
      const doc = read(file);
      expect(validateEpcisDocument(doc)).toEqual({ ok: true });
      for (const event of eventsOf(doc)) expect(validateEpcisEvent(event)).toEqual({ ok: true });
    });
  }
});

function objectEventDoc(event: Record<string, unknown>): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2025-01-01T00:00:00Z',
    epcisBody: { eventList: [event] },
  };
}

const good = {
  type: 'ObjectEvent',
  eventTime: '2025-01-01T10:00:00.000Z',
  eventTimeZoneOffset: '+01:00',
  epcList: ['https://id.gs1.org/00/106141412345678908'],
  action: 'OBSERVE',
  bizStep: 'receiving',
};

describe('refusals name the path and the reason', () => {
  it('accepts the reference event', () => {
    expect(validateEpcisDocument(objectEventDoc(good))).toEqual({ ok: true });
    expect(validateEpcisEvent(good)).toEqual({ ok: true });
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['unknown business step', { ...good, bizStep: 'flying' }, '/epcisBody/eventList/0/bizStep', /allowed values|uri/],
    ['time without offset', { ...good, eventTime: '2025-01-01T10:00:00' }, '/epcisBody/eventList/0/eventTime', /date-time/],
    ['offset out of range', { ...good, eventTimeZoneOffset: '+15:00' }, '/epcisBody/eventList/0/eventTimeZoneOffset', /pattern/],
    ['missing offset', { ...good, eventTimeZoneOffset: undefined }, '/epcisBody/eventList/0', /eventTimeZoneOffset/],
    ['bad action', { ...good, action: 'MOVE' }, '/epcisBody/eventList/0/action', /allowed values/],
    ['non-URI EPC', { ...good, epcList: ['not a uri'] }, '/epcisBody/eventList/0/epcList/0', /uri/],
    ['property without namespace', { ...good, lane: 'L1' }, '/epcisBody/eventList/0', /"lane" is not allowed/],
    ['ilmd with OBSERVE', { ...good, ilmd: { 'ex:lot': '1' } }, '/epcisBody/eventList/0/ilmd', /must not be present/],
  ];
  for (const [name, event, path, message] of cases) {
    it(name, () => {
      const result = validateEpcisDocument(objectEventDoc(event));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.some((e) => e.path === path && message.test(e.message)), JSON.stringify(result.errors)).toBe(true);
      const single = validateEpcisEvent(JSON.parse(JSON.stringify(event)));
      expect(single.ok).toBe(false);
    });
  }

  it(`reports at most ${MAX_ERRORS} errors`, () => {
    const bad = Array.from({ length: 50 }, (_, i) => ({ ...good, bizStep: `flying${i}` }));
    const result = validateEpcisDocument({ ...objectEventDoc(good), epcisBody: { eventList: bad } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeLessThanOrEqual(MAX_ERRORS);
  });

  it('refuses non-documents', () => {
    for (const value of [null, 42, 'EPCISDocument', [], {}]) expect(validateEpcisDocument(value).ok).toBe(false);
    expect(validateEpcisEvent(null).ok).toBe(false);
  });
});

describe('the format checks shared with the builders are the schema\'s', () => {
  it('uri', () => {
    expect(isUri('https://id.gs1.org/00/106141412345678908')).toBe(true);
    expect(isUri('urn:epc:id:sscc:0614141.1234567890')).toBe(true);
    expect(isUri('glasshub:lane')).toBe(true);
    expect(isUri('relative/path')).toBe(false);
    expect(isUri('https://x/a b')).toBe(false);
  });
  it('date-time', () => {
    expect(isDateTime('2025-01-01T10:00:00.123+01:00')).toBe(true);
    expect(isDateTime('2025-01-01T10:00:00')).toBe(false);
    expect(isDateTime('2025-02-30T10:00:00Z')).toBe(false);
  });
});
