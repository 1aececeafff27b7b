import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODES,
  CURRENCY_MINOR_UNITS,
  currencyMinorUnits,
  isCurrencyCode,
  parseCurrency,
  parseCurrencyOrThrow,
} from './currency.js';
import { ParseError } from './parsed.js';

describe('ISO 4217 currencies', () => {
  it('lists 3-letter codes, sorted, without duplicates', () => {
    expect(CURRENCY_CODES.length).toBe(Object.keys(CURRENCY_MINOR_UNITS).length);
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
    for (const code of CURRENCY_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it.each([
    ['EUR', 2], ['USD', 2], ['GBP', 2], ['CHF', 2], ['PLN', 2], ['CNY', 2],
    ['JPY', 0], ['KRW', 0], ['ISK', 0], ['XOF', 0],
    ['KWD', 3], ['BHD', 3], ['TND', 3], ['IQD', 3],
    ['CLF', 4], ['XCG', 2], ['ZWG', 2], ['SLE', 2], ['VED', 2],
  ])('%s has %d decimals', (code, digits) => {
    expect(isCurrencyCode(code)).toBe(true);
    expect(currencyMinorUnits(code)).toBe(digits);
  });

  it.each(['ANG', 'BGN', 'HRK', 'ZWL', 'XAU', 'XDR', 'XTS', 'XXX', 'eur', 'EURO', 'constructor'])('does not accept %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyMinorUnits(code)).toThrow(RangeError);
  });

  it('parses with spaces and lower case', () => {
    expect(parseCurrency(' eur ')).toEqual({ ok: true, value: 'EUR' });
    expect(parseCurrency('Usd')).toEqual({ ok: true, value: 'USD' });
    expect(parseCurrency('BGN')).toMatchObject({ ok: false, reason: 'not an active ISO 4217 currency code' });
    expect(parseCurrency('E1R')).toMatchObject({ ok: false, reason: 'must be 3 capital letters (ISO 4217)' });
    expect(() => parseCurrencyOrThrow('XXX')).toThrow(ParseError);
  });

  it('never throws from parseCurrency', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 5 }), fc.anything()), (raw) => {
        const r = parseCurrency(raw);
        if (r.ok) expect(isCurrencyCode(r.value)).toBe(true);
      }),
    );
  });
});
