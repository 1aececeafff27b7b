import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRoundHalfEven, formatDecimal, parseDecimal, pow10 } from './decimal.js';

const limits = { maxDecimals: 2, maxIntegerDigits: 18, allowNegative: true };

describe('parseDecimal', () => {
  it.each([
    ['12.50', 1250n],
    ['12.5', 1250n],
    ['12', 1200n],
    ['0.01', 1n],
    ['-0.05', -5n],
    ['-0', 0n],
    ['007.10', 710n],
    ['999999999999999999.99', 99999999999999999999n],
  ])('%j → %s', (raw, units) => {
    expect(parseDecimal(raw, limits)).toEqual({ ok: true, value: { units, scale: 2 } });
  });

  it.each([
    ['', 'empty'],
    ['12.505', 'at most 2 decimals'],
    ['.5', 'decimal number'],
    ['5.', 'decimal number'],
    ['+5', 'decimal number'],
    ['1e3', 'decimal number'],
    ['1,000.00', 'decimal number'],
    [' 12', 'decimal number'],
    ['12 ', 'decimal number'],
    ['--1', 'decimal number'],
    ['١٢', 'decimal number'], // Arabic-Indic digits are not ASCII digits
    ['1234567890123456789', 'too many digits'],
  ])('refuses %j', (raw, reason) => {
    const r = parseDecimal(raw, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('refuses negatives unless allowed, and decimals where there are none', () => {
    expect(parseDecimal('-1', { ...limits, allowNegative: false })).toMatchObject({ ok: false, reason: 'cannot be negative' });
    expect(parseDecimal('1.5', { ...limits, maxDecimals: 0 })).toMatchObject({
      ok: false,
      reason: 'cannot have decimals in this currency',
    });
  });

  it('round-trips with formatDecimal at every scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 4 }), (units, scale) => {
        const s = formatDecimal(units, scale);
        expect(parseDecimal(s, { maxDecimals: scale, maxIntegerDigits: 24, allowNegative: true })).toEqual({
          ok: true,
          value: { units, scale },
        });
      }),
    );
  });
});

describe('divRoundHalfEven', () => {
  it.each([
    [25n, 10n, 2n], // 2.5 → 2
    [35n, 10n, 4n], // 3.5 → 4
    [-25n, 10n, -2n],
    [-35n, 10n, -4n],
    [26n, 10n, 3n],
    [24n, 10n, 2n],
    [-26n, 10n, -3n],
    [0n, 7n, 0n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
  ])('%s / %s → %s', (n, d, q) => {
    expect(divRoundHalfEven(n, d)).toBe(q);
  });

  it('is the nearest integer, ties to even', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 30n }), (n, d) => {
        const q = divRoundHalfEven(n, d);
        const distance2 = 2n * (n - q * d); // twice the error, in units of 1/d
        const abs = distance2 < 0n ? -distance2 : distance2;
        expect(abs <= d).toBe(true);
        if (abs === d) expect(q % 2n).toBe(0n);
      }),
    );
  });

  it('sends every exact tie to the even neighbour', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (k, m) => {
        const q = divRoundHalfEven(k * 2n * m + m, 2n * m); // exactly k + ½
        expect(q === k || q === k + 1n).toBe(true);
        expect(q % 2n).toBe(0n);
      }),
    );
  });

  it('refuses a non-positive divisor', () => {
    expect(() => divRoundHalfEven(1n, 0n)).toThrow(RangeError);
    expect(() => divRoundHalfEven(1n, -1n)).toThrow(RangeError);
  });

  it('has powers of ten', () => {
    expect(pow10(0)).toBe(1n);
    expect(pow10(18)).toBe(1_000_000_000_000_000_000n);
    expect(pow10(70)).toBe(10n ** 70n);
  });
});
