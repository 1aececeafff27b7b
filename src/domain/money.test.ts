import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, currencyMinorUnits } from './currency.js';
import { pow10 } from './decimal.js';
import {
  addMoney,
  allocateMoney,
  compareMoney,
  convertMoney,
  convertMoneyByInverseRate,
  formatMoney,
  money,
  multiplyMoney,
  parseMoney,
  parseMoneyOrThrow,
  subtractMoney,
  sumMoney,
  type Money,
} from './money.js';
import { ParseError } from './parsed.js';

const eur = (s: string): Money => parseMoneyOrThrow(s, 'EUR', { allowNegative: true });
const minorArb = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const currencyArb = fc.constantFrom(...CURRENCY_CODES);
const moneyArb = fc.tuple(minorArb, currencyArb).map(([minor, currency]) => money(minor, currency));
const rateArb = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }))
  .map(([units, scale]) => {
    const s = units.toString().padStart(scale + 1, '0');
    return scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  });

describe('parseMoney and formatMoney', () => {
  it.each([
    ['12.50', 'EUR', 1250n, '12.50'],
    ['12.5', 'EUR', 1250n, '12.50'],
    ['150', 'EUR', 15000n, '150.00'],
    ['0.01', 'EUR', 1n, '0.01'],
    ['1200', 'JPY', 1200n, '1200'],
    ['1.250', 'KWD', 1250n, '1.250'],
    ['0.0001', 'CLF', 1n, '0.0001'],
  ])('%s %s → %s minor units', (amount, currency, minor, formatted) => {
    const m = parseMoneyOrThrow(amount, currency);
    expect(m).toEqual({ currency, minor });
    expect(formatMoney(m)).toBe(formatted);
  });

  it.each([
    ['12.505', 'EUR', 'at most 2 decimals'],
    ['12.5', 'JPY', 'cannot have decimals'],
    ['-1.00', 'EUR', 'cannot be negative'],
    ['1e2', 'EUR', 'decimal number'],
    ['12.50', 'XXX', 'currency'],
    ['12.50', 'eur', 'currency'],
    [12.5, 'EUR', 'expected a string'],
  ])('refuses %j %s', (amount, currency, reason) => {
    const r = parseMoney(amount, currency);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('throws ParseError from the throwing variant', () => {
    expect(() => parseMoneyOrThrow('12.505', 'EUR')).toThrow(ParseError);
  });

  it('round-trips every amount in every currency', () => {
    fc.assert(
      fc.property(moneyArb, (m) => {
        expect(parseMoneyOrThrow(formatMoney(m), m.currency, { allowNegative: true })).toEqual(m);
      }),
    );
  });

  it('never throws from parseMoney', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789.-') }), fc.anything()), fc.oneof(currencyArb, fc.anything()), (a, c) => {
        expect(typeof parseMoney(a, c, { allowNegative: true }).ok).toBe('boolean');
      }),
    );
  });
});

describe('arithmetic is exact', () => {
  it('adds decimals without binary rounding (0.10 + 0.20 = 0.30)', () => {
    expect(formatMoney(addMoney(eur('0.10'), eur('0.20')))).toBe('0.30');
    expect(0.1 + 0.2).not.toBe(0.3); // what a float would have done
    expect(formatMoney(sumMoney('EUR', Array.from({ length: 1000 }, () => eur('0.10'))))).toBe('100.00');
  });

  it('checks the EUR 150 customs threshold to the cent', () => {
    const threshold = eur('150');
    expect(compareMoney(sumMoney('EUR', [eur('100.00'), eur('49.99'), eur('0.01')]), threshold)).toBe(0);
    expect(compareMoney(sumMoney('EUR', [eur('100.00'), eur('50.00'), eur('0.01')]), threshold)).toBe(1);
    expect(compareMoney(eur('149.99'), threshold)).toBe(-1);
  });

  it('the sum of the parts equals the whole, as decimal strings', () => {
    fc.assert(
      fc.property(fc.array(minorArb, { maxLength: 20 }), currencyArb, (minors, currency) => {
        const parts = minors.map((m) => parseMoneyOrThrow(formatMoney(money(m, currency)), currency, { allowNegative: true }));
        const whole = money(minors.reduce((s, m) => s + m, 0n), currency);
        expect(formatMoney(sumMoney(currency, parts))).toBe(formatMoney(whole));
      }),
    );
  });

  it('multiplies by a quantity like repeated addition, and subtracts back', () => {
    fc.assert(
      fc.property(moneyArb, fc.integer({ min: 0, max: 50 }), (m, q) => {
        const repeated = sumMoney(m.currency, Array.from({ length: q }, () => m));
        expect(multiplyMoney(m, q)).toEqual(repeated);
        expect(multiplyMoney(m, BigInt(q))).toEqual(repeated);
        expect(subtractMoney(addMoney(m, repeated), repeated)).toEqual(m);
      }),
    );
  });

  it('refuses mixed currencies and bad arguments', () => {
    const usd = parseMoneyOrThrow('1.00', 'USD');
    expect(() => addMoney(eur('1.00'), usd)).toThrow(RangeError);
    expect(() => compareMoney(eur('1.00'), usd)).toThrow(RangeError);
    expect(() => sumMoney('EUR', [usd])).toThrow(RangeError);
    expect(() => multiplyMoney(eur('1.00'), 1.5)).toThrow(RangeError);
    expect(() => multiplyMoney(eur('1.00'), '2' as unknown as number)).toThrow(TypeError);
    expect(() => money(100 as unknown as bigint, 'EUR')).toThrow(TypeError);
    expect(() => money(100n, 'XXX')).toThrow(RangeError);
    expect(() => formatMoney({ currency: 'EUR', minor: 1 } as unknown as Money)).toThrow(TypeError);
  });
});

describe('conversion rounds once, half to even, to the target minor unit', () => {
  it.each([
    ['0.50', '0.05', '0.02'], // 0.025 → 0.02 (tie, 2 is even)
    ['0.70', '0.05', '0.04'], // 0.035 → 0.04 (tie, 4 is even)
    ['0.30', '0.05', '0.02'], // 0.015 → 0.02
    ['100.00', '1.0856', '108.56'],
    ['123.45', '1.08567', '134.03'], // 134.0259615 → 134.03
  ])('EUR %s at %s → USD %s', (amount, rate, expected) => {
    expect(formatMoney(convertMoney(eur(amount), 'USD', rate))).toBe(expected);
  });

  it('converts between currencies of different minor units', () => {
    expect(convertMoney(eur('10.00'), 'JPY', '162.345')).toEqual({ currency: 'JPY', minor: 1623n }); // 1623.45
    expect(convertMoney(eur('10.00'), 'KWD', '0.33333')).toEqual({ currency: 'KWD', minor: 3333n }); // 3.3333
    expect(convertMoney(parseMoneyOrThrow('1623', 'JPY'), 'EUR', '0.0061598')).toEqual({ currency: 'EUR', minor: 1000n });
  });

  it('divides by an ECB-style rate quoted the other way', () => {
    // EUR 1 = USD 1.0856; USD 162.84 → EUR 150.0000 exactly
    expect(formatMoney(convertMoneyByInverseRate(parseMoneyOrThrow('162.84', 'USD'), 'EUR', '1.0856'))).toBe('150.00');
    // USD 100.00 / 1.0856 = 92.1149... → EUR 92.11
    expect(formatMoney(convertMoneyByInverseRate(parseMoneyOrThrow('100.00', 'USD'), 'EUR', '1.0856'))).toBe('92.11');
  });

  it('is the nearest representable amount, ties to even (exact rational check)', () => {
    fc.assert(
      fc.property(moneyArb, currencyArb, rateArb, (m, to, rate) => {
        const out = convertMoney(m, to, rate);
        const [int, frac = ''] = rate.split('.');
        const r = BigInt(int! + frac);
        // exact = m.minor × r × 10^to / 10^(from + frac): check 2·|exact − out| ≤ 1 in target minor units
        const num = m.minor * r * pow10(currencyMinorUnits(to));
        const den = pow10(currencyMinorUnits(m.currency) + frac.length);
        const err2 = 2n * (num - out.minor * den);
        const abs = err2 < 0n ? -err2 : err2;
        expect(abs <= den).toBe(true);
        if (abs === den) expect(out.minor % 2n).toBe(0n);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses rates that are not positive decimal strings', () => {
    for (const rate of ['0', '0.000', '-1.2', '1e3', '1,08', '']) {
      expect(() => convertMoney(eur('1.00'), 'USD', rate), rate).toThrow(RangeError);
    }
    expect(() => convertMoney(eur('1.00'), 'USD', 1.08 as unknown as string)).toThrow(TypeError);
    expect(() => convertMoney(eur('1.00'), 'XXX', '1')).toThrow(RangeError);
  });
});

describe('allocateMoney', () => {
  it('splits with the largest remainder method', () => {
    expect(allocateMoney(eur('100.00'), [1, 1, 1]).map(formatMoney)).toEqual(['33.34', '33.33', '33.33']);
    expect(allocateMoney(eur('0.05'), [3, 7]).map(formatMoney)).toEqual(['0.02', '0.03']); // 1.5 and 3.5 cents: tie, first part
    expect(allocateMoney(eur('-0.10'), [1, 2]).map(formatMoney)).toEqual(['-0.03', '-0.07']);
    expect(allocateMoney(eur('10.00'), [0, 1]).map(formatMoney)).toEqual(['0.00', '10.00']);
  });

  it('parts sum exactly to the whole and stay within one minor unit of their share', () => {
    fc.assert(
      fc.property(moneyArb, fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }), (m, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const parts = allocateMoney(m, weights);
        expect(sumMoney(m.currency, parts)).toEqual(m);
        const total = BigInt(weights.reduce((s, w) => s + w, 0));
        parts.forEach((p, i) => {
          const share = m.minor * BigInt(weights[i]!); // exact share × total
          const diff = p.minor * total - share;
          expect(diff < total && -diff < total).toBe(true);
        });
      }),
    );
  });

  it('refuses bad weights', () => {
    expect(() => allocateMoney(eur('1.00'), [])).toThrow(RangeError);
    expect(() => allocateMoney(eur('1.00'), [0, 0])).toThrow(RangeError);
    expect(() => allocateMoney(eur('1.00'), [1, -1])).toThrow(RangeError);
    expect(() => allocateMoney(eur('1.00'), [1.5])).toThrow(RangeError);
  });
});
