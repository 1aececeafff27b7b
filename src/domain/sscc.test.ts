import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from './parsed.js';
import {
  makeSscc,
  parseSscc,
  parseSsccOrThrow,
  ssccCheckDigit,
  ssccToDigitalLink,
  ssccToElementString,
  ssccToEpcUrn,
} from './sscc.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const partsArb = fc
  .integer({ min: 6, max: 12 })
  .chain((cpLength) => fc.tuple(fc.integer({ min: 0, max: 9 }), digits(cpLength), digits(16 - cpLength)));
const ssccArb = partsArb.map(([ext, cp, ref]) => makeSscc(ext, cp, ref));
const replaceAt = (s: string, i: number, ch: string) => s.slice(0, i) + ch + s.slice(i + 1);

describe('SSCC known answers', () => {
  // GS1 EPC Tag Data Standard's SSCC example, also used by the EPCIS 2.0 examples.
  const sscc = '106141412345678908';
  const urn = 'urn:epc:id:sscc:0614141.1234567890';

  it('computes the GS1 mod-10 check digit', () => {
    expect(ssccCheckDigit('10614141234567890')).toBe(8);
    expect(ssccCheckDigit('00000000000000000')).toBe(0);
    expect(ssccCheckDigit('37612345000001009')).toBe(1);
  });

  it.each([
    sscc,
    `(00)${sscc}`,
    `(00) 1 0614141 234567890 8`,
    `00${sscc}`,
    `https://id.gs1.org/00/${sscc}`,
    `HTTPS://id.gs1.org/00/${sscc}?linkType=gs1:traceability`,
    `https://resolver.example.com/some/path/00/${sscc}#top`,
    urn,
    urn.toUpperCase().replace('SSCC', 'sscc'),
  ])('parses %s', (raw) => {
    expect(parseSscc(raw)).toEqual({ ok: true, value: { value: sscc, extensionDigit: 1, checkDigit: 8 } });
  });

  it('writes the other forms', () => {
    expect(ssccToEpcUrn(sscc, 7)).toBe(urn);
    expect(ssccToDigitalLink(sscc)).toBe(`https://id.gs1.org/00/${sscc}`);
    expect(ssccToElementString(sscc)).toBe(`(00)${sscc}`);
    expect(makeSscc(1, '0614141', '234567890')).toBe(sscc);
    expect(makeSscc(1, '0614141', 234567890)).toBe(sscc);
    expect(makeSscc(0, '4012345', 111111111n)).toBe('040123451111111110');
  });

  it.each([
    ['106141412345678907', 'check digit'],
    ['10614141234567890', 'must be 18 digits'],
    ['(00)00106141412345678908', 'must be 18 digits'],
    ['10614141234567890A', 'only digits'],
    ['https://id.gs1.org/01/106141412345678908', 'must end in /00/'],
    ['https://id.gs1.org/00/10614141234567890', 'must end in /00/'],
    ['urn:epc:id:sscc:06141.412345678908', 'EPC URN'],
    ['urn:epc:id:sscc:0614141.123456789', 'EPC URN'],
    ['urn:epc:id:sscc:0614141.12345678a0', 'EPC URN'],
  ])('refuses %s', (raw, reason) => {
    const r = parseSscc(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('throws ParseError from the throwing variant', () => {
    expect(() => parseSsccOrThrow('106141412345678907')).toThrow(ParseError);
  });
});

describe('SSCC properties', () => {
  it('round-trips through every form', () => {
    fc.assert(
      fc.property(partsArb, ([ext, cp, ref]) => {
        const sscc = makeSscc(ext, cp, ref);
        expect(sscc).toBe(`${ext}${cp}${ref}${ssccCheckDigit(`${ext}${cp}${ref}`)}`);
        const urn = ssccToEpcUrn(sscc, cp.length);
        expect(urn).toBe(`urn:epc:id:sscc:${cp}.${ext}${ref}`);
        for (const form of [sscc, ssccToElementString(sscc), `00${sscc}`, ssccToDigitalLink(sscc), urn]) {
          expect(parseSsccOrThrow(form).value).toBe(sscc);
        }
      }),
    );
  });

  it('detects every single substituted digit', () => {
    fc.assert(
      fc.property(ssccArb, fc.nat(17), fc.nat(9), (sscc, i, digit) => {
        fc.pre(sscc[i] !== String(digit));
        expect(parseSscc(replaceAt(sscc, i, String(digit))).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('detects an adjacent swap of data digits exactly when they differ by other than 5', () => {
    fc.assert(
      fc.property(ssccArb, fc.nat(15), (sscc, i) => {
        const a = Number(sscc[i]);
        const b = Number(sscc[i + 1]);
        fc.pre(a !== b);
        const swapped = sscc.slice(0, i) + sscc[i + 1]! + sscc[i]! + sscc.slice(i + 2);
        expect(!parseSscc(swapped).ok).toBe(Math.abs(a - b) !== 5);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws from parseSscc, whatever the input', () => {
    const uriish = fc.tuple(fc.constantFrom('https://', 'urn:epc:id:sscc:', '(00)', ''), fc.string()).map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.oneof(fc.string(), uriish, fc.anything()), (raw) => {
        expect(typeof parseSscc(raw).ok).toBe('boolean');
      }),
    );
  });
});

describe('SSCC argument checks', () => {
  it('asserts makeSscc input', () => {
    expect(() => makeSscc(10, '0614141', '234567890')).toThrow(RangeError);
    expect(() => makeSscc(1, '06141', '2345678901')).toThrow(RangeError);
    expect(() => makeSscc(1, '0614141', '23456789')).toThrow(RangeError);
    expect(() => makeSscc(1, '0614141', 1_000_000_000)).toThrow(RangeError);
    expect(() => makeSscc(1, '0614141', -1)).toThrow(RangeError);
    expect(() => makeSscc(1, '0614141', 1.5)).toThrow(RangeError);
    expect(() => makeSscc(1, '0614141', null as unknown as string)).toThrow(TypeError);
  });

  it('asserts the SSCC given to the formatting functions', () => {
    expect(() => ssccToEpcUrn('106141412345678907', 7)).toThrow(RangeError);
    expect(() => ssccToEpcUrn('106141412345678908', 5)).toThrow(RangeError);
    expect(() => ssccToDigitalLink('1061414123456789')).toThrow(RangeError);
  });
});

// The EPCIS 2.0 example documents (../shared/vectors, unchanged from gs1/EPCIS) name SSCCs as EPC URNs.
const VECTORS = join(import.meta.dirname, '../../../shared/vectors/epcis/JSON');
describe.skipIf(!existsSync(VECTORS))('SSCC in the EPCIS 2.0 examples', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  const urns = new Set(files(VECTORS).flatMap((f) => readFileSync(f, 'utf8').match(/urn:epc:id:sscc:[0-9.]+/g) ?? []));

  it('parses every SSCC URN and writes it back', () => {
    expect(urns.size).toBeGreaterThan(0);
    for (const urn of urns) {
      const sscc = parseSsccOrThrow(urn).value;
      expect(ssccToEpcUrn(sscc, urn.indexOf('.') - 'urn:epc:id:sscc:'.length)).toBe(urn);
    }
  });
});
