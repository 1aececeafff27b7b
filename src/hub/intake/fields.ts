/**
 * Checks of manifest fields that have no parser in `domain/`: flight designators, free text, telephone
 * numbers, masses. Each returns a `Parsed` with a constant reason, like the domain parsers, and NEVER puts
 * the value in the reason: free text here is a person's name, street or city.
 */
import { fail, ok, type Parsed } from '../../domain/index.js';

const BAD_FLIGHT = fail('must be an IATA flight designator: 2-character airline code, 1–4 digits, optional suffix letter (e.g. CK231)');
const DIGITS_AIRLINE = fail('airline code (first 2 characters) cannot be two digits');
const FLIGHT = /^([A-Z0-9]{2})([0-9]{1,4})([A-Z]?)$/;

/**
 * `CK231`, `ck 231`, `CK0231` → `CK231`. Leading zeros of the flight number are dropped (systems pad it to
 * 3 or 4 digits), so that one flight never becomes two.
 */
export function parseFlight(raw: string): Parsed<string> {
  let s = raw;
  if (!FLIGHT.test(s)) s = s.replace(/[\s-]+/g, '').toUpperCase();
  const m = FLIGHT.exec(s);
  if (m === null) return BAD_FLIGHT;
  const [, airline = '', digits = '', suffix = ''] = m;
  if (airline.charCodeAt(0) <= 57 && airline.charCodeAt(1) <= 57) return DIGITS_AIRLINE;
  const number = digits.replace(/^0+(?=\d)/, '');
  return ok(airline + number + suffix);
}

const CONTROL = fail('contains a control character');
const LONE_SURROGATE = fail('contains an invalid character (an unpaired UTF-16 surrogate)');
const BLANK = fail('is blank');

/**
 * Free text (a name, a street, a description): no control characters (NUL would also be refused by
 * PostgreSQL), no unpaired surrogates (they cannot be stored as UTF-8), not only spaces. Returns it trimmed.
 */
export function parseText(s: string): Parsed<string> {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return CONTROL;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return LONE_SURROGATE;
      i++;
    }
  }
  const trimmed = s.trim();
  return trimmed.length === 0 ? BLANK : ok(trimmed);
}

const PHONE_DIGITS = fail('must have 6 to 15 digits (ITU-T E.164)');

/** A telephone number whose characters the schema already checked: 6 to 15 digits. */
export function parsePhone(s: string): Parsed<string> {
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits < 6 || digits > 15 ? PHONE_DIGITS : ok(s.trim());
}

const NOT_GRAMS = fail('must be given to the gram at most (3 decimals)');

/** Kilograms (already checked positive and bounded) as whole grams. */
export function parseMassKg(kg: number): Parsed<number> {
  const grams = Math.round(kg * 1000);
  // A JSON number with 3 decimals is within rounding error of a whole number of grams; 4 are not.
  return grams < 1 || Math.abs(grams - kg * 1000) > 1e-6 ? NOT_GRAMS : ok(grams);
}

/**
 * `parse` behind a bounded cache. Manifest lines repeat most identifiers and codes (one flight, an AWB per
 * few hundred parcels, a few ULDs, a handful of countries, currencies and tariff codes): a Map lookup is
 * several times cheaper than a parse. Results are immutable, so they are shared. Never use it for personal
 * data: a cache would keep it in memory past the line that carried it.
 */
export function memo<T>(parse: (raw: string) => Parsed<T>, max = 4096): (raw: string) => Parsed<T> {
  const cache = new Map<string, Parsed<T>>();
  return (raw) => {
    let result = cache.get(raw);
    if (result === undefined) {
      if (cache.size >= max) cache.clear();
      result = parse(raw);
      cache.set(raw, result);
    }
    return result;
  };
}
