import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { awbCheckDigit, formatAwb, parseAwb, parseAwbOrThrow } from './awb.js';
import { ParseError } from './parsed.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const awbArb = fc.tuple(digits(3), digits(7)).map(([prefix, serial7]) => formatAwb(prefix, serial7));
const replaceAt = (s: string, i: number, ch: string) => s.slice(0, i) + ch + s.slice(i + 1);

describe('AWB known answers', () => {
  it('computes the check digit of 1234567 (1234567 mod 7 = 5)', () => {
    expect(awbCheckDigit('1234567')).toBe(5);
  });

  it.each(['112-12345675', '11212345675', '112 12345675', '112-1234 5675', ' 112-12345675 '])('parses %j', (raw) => {
    expect(parseAwb(raw)).toEqual({
      ok: true,
      value: { value: '112-12345675', prefix: '112', serial: '12345675', checkDigit: 5 },
    });
  });

  it.each([
    ['112-12345676', 'check digit'],
    ['112-12345678', 'check digit'], // 7, 8, 9 can never be a mod-7 check digit
    ['112-1234567', 'must be 11 digits'],
    ['112-123456755', 'must be 11 digits'],
    ['11A-12345675', 'only digits'],
    ['112.1234567', 'only digits'],
  ])('refuses %j', (raw, reason) => {
    const r = parseAwb(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('throws ParseError from the throwing variant', () => {
    expect(() => parseAwbOrThrow('112-12345676')).toThrow(ParseError);
  });

  it('does not cover the airline prefix', () => {
    expect(parseAwb('999-12345675').ok).toBe(true);
  });
});

describe('AWB properties (what mod 7 does and does not guarantee)', () => {
  it('round-trips every generated number', () => {
    fc.assert(
      fc.property(awbArb, (awb) => {
        expect(parseAwbOrThrow(awb).value).toBe(awb);
        expect(parseAwbOrThrow(awb.replace('-', '')).value).toBe(awb);
      }),
    );
  });

  it('detects a substituted serial digit exactly when the difference is not ±7', () => {
    fc.assert(
      fc.property(awbArb, fc.nat(6), fc.nat(9), (awb, pos, digit) => {
        const i = 4 + pos; // serial digits 1–7 after "PPP-"
        const old = Number(awb[i]);
        fc.pre(old !== digit);
        const detected = !parseAwb(replaceAt(awb, i, String(digit))).ok;
        expect(detected).toBe(Math.abs(old - digit) !== 7);
      }),
      { numRuns: 2000 },
    );
  });

  it('misses 0↔7, 1↔8 and 2↔9 for real', () => {
    expect(parseAwb('112-12345675').ok).toBe(true);
    expect(parseAwb('112-82345675').ok).toBe(true);
  });

  it('detects every change of the check digit', () => {
    fc.assert(
      fc.property(awbArb, fc.nat(9), (awb, digit) => {
        fc.pre(awb[11] !== String(digit));
        expect(parseAwb(replaceAt(awb, 11, String(digit))).ok).toBe(false);
      }),
    );
  });

  it('detects an adjacent swap in the 7 serial digits exactly when the digits differ by other than 7', () => {
    fc.assert(
      fc.property(awbArb, fc.nat(5), (awb, pos) => {
        const i = 4 + pos;
        const a = Number(awb[i]);
        const b = Number(awb[i + 1]);
        fc.pre(a !== b);
        const swapped = awb.slice(0, i) + awb[i + 1]! + awb[i]! + awb.slice(i + 2);
        expect(!parseAwb(swapped).ok).toBe(Math.abs(a - b) !== 7);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws from parseAwb, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.anything()), (raw) => {
        expect(typeof parseAwb(raw).ok).toBe('boolean');
      }),
    );
  });
});

describe('AWB argument checks', () => {
  it('asserts awbCheckDigit and formatAwb input', () => {
    expect(() => awbCheckDigit('123456')).toThrow(RangeError);
    expect(() => awbCheckDigit(1234567 as unknown as string)).toThrow(TypeError);
    expect(() => formatAwb('12', '1234567')).toThrow(RangeError);
    expect(() => formatAwb('112', '12345678')).toThrow(RangeError);
    expect(formatAwb('020', '0000000')).toBe('020-00000000');
  });
});
