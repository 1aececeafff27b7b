/**
 * ISO 4217 active currency codes and the digits of their minor unit ("exponent"), which fixes how
 * many decimals an amount in that currency may carry (EUR 2, JPY 0, KWD 3, CLF 4).
 *
 * Source: ISO 4217 List One (SIX, the maintenance agency) as published 2024-06-25, fund codes
 * included (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), then:
 * - added XCG, the Caribbean guilder, which replaced ANG in Curaçao and Sint Maarten on 2025-03-31;
 * - removed ANG (withdrawn after that changeover) and BGN (Bulgaria adopted the euro on 2026-01-01).
 * Left out: the codes whose minor unit is "N.A." (metals XAU XAG XPD XPT, bond-market units
 * XBA–XBD, XDR, XSU, XUA, the test code XTS and XXX): they cannot be counted in minor units.
 * ISO, not CLDR, is followed where they differ (CLDR gives 0 digits to e.g. IQD, IRR, LAK, RSD).
 */
import { frozenTable, own } from './assert.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';

const BY_DIGITS: Readonly<Record<0 | 2 | 3 | 4, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2:
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF ' +
    'CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
    'GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD ' +
    'MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP ' +
    'PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT ' +
    'TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

/** Digits of the minor unit for every active ISO 4217 code this module accepts. */
export const CURRENCY_MINOR_UNITS: Readonly<Record<string, number>> = frozenTable(
  Object.fromEntries(
    Object.entries(BY_DIGITS).flatMap(([digits, codes]) => codes.split(' ').map((code) => [code, Number(digits)] as const)),
  ),
);

/** Every accepted code, in alphabetical order. */
export const CURRENCY_CODES: readonly string[] = Object.freeze(Object.keys(CURRENCY_MINOR_UNITS).sort());

/** True for an accepted ISO 4217 code (upper case). Never throws. */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && own(CURRENCY_MINOR_UNITS, code) !== undefined;
}

/** Digits of the minor unit of `code`; RangeError for a code not accepted here. */
export function currencyMinorUnits(code: string): number {
  const digits = typeof code === 'string' ? own(CURRENCY_MINOR_UNITS, code) : undefined;
  if (digits === undefined) throw new RangeError(`not an active ISO 4217 currency code: ${String(code)}`);
  return digits;
}

const NOT_A_CODE = fail('must be 3 capital letters (ISO 4217)');
const UNKNOWN = fail('not an active ISO 4217 currency code');

/** Parses a currency code; surrounding spaces and lower case are accepted (`' eur'` → `EUR`). Never throws. */
export function parseCurrency(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  if (own(CURRENCY_MINOR_UNITS, raw) !== undefined) return ok(raw);
  const s = raw.trim();
  if (s.length !== 3) return NOT_A_CODE;
  let upper = '';
  for (let i = 0; i < 3; i++) {
    let c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c < 65 || c > 90) return NOT_A_CODE;
    upper += String.fromCharCode(c);
  }
  return own(CURRENCY_MINOR_UNITS, upper) === undefined ? UNKNOWN : ok(upper);
}

/** `parseCurrency`, throwing a `ParseError` on refusal. */
export function parseCurrencyOrThrow(raw: string): string {
  return unwrap(parseCurrency(raw));
}
