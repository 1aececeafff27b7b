import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES } from './country.js';
import { ParseError } from './parsed.js';
import { formatS10, parseS10, parseS10OrThrow, s10CheckDigit } from './s10.js';

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];
const remainder = (serial: string): number =>
  [...serial].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0) % 11;

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const serialArb = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 8, maxLength: 8 });
const partsArb = fc.record({
  serviceIndicator: fc.tuple(letter, letter).map(([a, b]) => a + b),
  serial: serialArb,
  country: fc.constantFrom(...COUNTRY_CODES),
});

describe('S10 known answers', () => {
  it('computes the check digit of the standard worked example (47312482 → 9)', () => {
    expect(s10CheckDigit('47312482')).toBe(9);
  });

  it.each([
    ['RR473124829GB', 'RR', '47312482', 9, 'GB'],
    ['EE876543216CA', 'EE', '87654321', 6, 'CA'],
    // C = 11 → 5 and C = 10 → 0 (sums 0 and 1 modulo 11)
    ['RR000000005GB', 'RR', '00000000', 5, 'GB'],
    ['CP000000080BE', 'CP', '00000008', 0, 'BE'],
  ])('parses %s', (raw, serviceIndicator, serial, checkDigit, country) => {
    expect(parseS10(raw)).toEqual({
      ok: true,
      value: { value: raw, serviceIndicator, serial, checkDigit, country },
    });
  });

  it('accepts the spaced, lower-case form printed on labels', () => {
    const r = parseS10OrThrow('rr 473 124 829 gb');
    expect(r.value).toBe('RR473124829GB');
    expect(formatS10(r, { spaced: true })).toBe('RR 473 124 829 GB');
  });

  it.each([
    ['RR473124828GB', 'check digit does not match the serial number'],
    ['RR47312482GB', 'must be 13 characters'],
    ['R1473124829GB', 'service indicator'],
    ['RR47312A829GB', 'serial number'],
    ['RR47312482XGB', 'check digit (character 11)'],
    ['RR4731248291B', 'country (characters 12–13) must be 2 letters'],
    ['RR473124829UK', 'not an assigned ISO 3166-1'],
    ['', 'must be 13 characters'],
  ])('refuses %s', (raw, reason) => {
    const r = parseS10(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('throws ParseError from the throwing variant', () => {
    expect(() => parseS10OrThrow('RR473124828GB')).toThrow(ParseError);
  });
});

describe('S10 properties', () => {
  it('round-trips every generated identifier', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const s = formatS10(parts);
        const r = parseS10OrThrow(s);
        expect(r).toEqual({ value: s, ...parts, checkDigit: s10CheckDigit(parts.serial) });
        expect(parseS10OrThrow(formatS10(parts, { spaced: true })).value).toBe(s);
      }),
    );
  });

  it('detects a substituted serial digit unless it moves S mod 11 between 0 and 6 (both write 5)', () => {
    fc.assert(
      fc.property(partsArb, fc.nat(7), fc.nat(9), (parts, pos, digit) => {
        const s = formatS10(parts);
        const i = 2 + pos;
        fc.pre(s[i] !== String(digit));
        const changed = s.slice(0, i) + String(digit) + s.slice(i + 1);
        const before = remainder(parts.serial);
        const after = remainder(changed.slice(2, 10));
        const blind = (before === 0 && after === 6) || (before === 6 && after === 0);
        expect(parseS10(changed).ok).toBe(blind);
      }),
      { numRuns: 2000 },
    );
  });

  it('detects a swap of two adjacent serial digits unless it moves S mod 11 between 0 and 6', () => {
    fc.assert(
      fc.property(partsArb, fc.nat(6), (parts, pos) => {
        const { serial } = parts;
        fc.pre(serial[pos] !== serial[pos + 1]);
        const swapped = serial.slice(0, pos) + serial[pos + 1]! + serial[pos]! + serial.slice(pos + 2);
        const s = formatS10(parts);
        const before = remainder(serial);
        const after = remainder(swapped);
        const blind = (before === 0 && after === 6) || (before === 6 && after === 0);
        expect(parseS10(s.slice(0, 2) + swapped + s.slice(10)).ok).toBe(blind);
      }),
      { numRuns: 2000 },
    );
  });

  it('has the 0 ↔ 6 blind spot for real: two valid identifiers one digit apart', () => {
    expect(parseS10('RR000000005GB').ok).toBe(true);
    expect(parseS10('RR900000005GB').ok).toBe(true);
  });

  it('detects every change of the check digit itself', () => {
    fc.assert(
      fc.property(partsArb, fc.nat(9), (parts, digit) => {
        const s = formatS10(parts);
        fc.pre(s[10] !== String(digit));
        expect(parseS10(s.slice(0, 10) + String(digit) + s.slice(11)).ok).toBe(false);
      }),
    );
  });

  it('never throws from parseS10, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.anything()), (raw) => {
        const r = parseS10(raw);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('S10 argument checks', () => {
  it('asserts s10CheckDigit input', () => {
    expect(() => s10CheckDigit('1234567')).toThrow(RangeError);
    expect(() => s10CheckDigit('1234567a')).toThrow(RangeError);
    expect(() => s10CheckDigit(12345678 as unknown as string)).toThrow(TypeError);
  });

  it('asserts formatS10 parts', () => {
    expect(() => formatS10({ serviceIndicator: 'rr', serial: '47312482', country: 'GB' })).toThrow(RangeError);
    expect(() => formatS10({ serviceIndicator: 'RR', serial: '4731248', country: 'GB' })).toThrow(RangeError);
    expect(() => formatS10({ serviceIndicator: 'RR', serial: '47312482', country: 'UK' })).toThrow(RangeError);
    expect(() => formatS10(null as unknown as never)).toThrow(TypeError);
  });
});
