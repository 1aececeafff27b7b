/**
 * UPU S10 postal item identifiers, e.g. `RR473124829GB`: a 2-letter service indicator, an 8-digit
 * serial number, a check digit, and the ISO 3166-1 alpha-2 code of the issuing postal operator's
 * country (UPU standard S10, "Identification of postal items — 13-character identifier").
 *
 * Check digit: S = Σ digitᵢ × weightᵢ with weights 8 6 4 2 3 5 9 7 over the serial, then
 * C = 11 − (S mod 11), with 10 written as 0 and 11 written as 5.
 *
 * What it detects. 11 is prime and every weight and every digit difference is non-zero below 11, so
 * a single substituted serial digit (or two adjacent serial digits swapped: neighbouring weights
 * differ) always changes S mod 11. But the digit written is not injective in S mod 11: remainder 0
 * gives 11 → 5 and remainder 6 gives 5 too. So such an error goes unnoticed exactly when it moves
 * S mod 11 between 0 and 6 (e.g. RR000000005GB and RR900000005GB are both valid). Any change of the
 * check digit itself is detected. The usual claim that S10 "detects every single-digit substitution"
 * therefore holds except for that 0 ↔ 6 collision, which the tests pin down.
 */
import { assertDigits, assertString, describe } from './assert.js';
import { allDigits, allUpper, compact } from './chars.js';
import { isCountryCode } from './country.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';

export interface S10 {
  /** Canonical 13-character form, e.g. `RR473124829GB`. */
  readonly value: string;
  /** Two letters; meaning per S10 annex (R… registered, E… EMS, C… parcels, L… tracked, …). */
  readonly serviceIndicator: string;
  /** Eight digits, leading zeros kept. */
  readonly serial: string;
  readonly checkDigit: number;
  /** ISO 3166-1 alpha-2 code of the issuing postal operator's country. */
  readonly country: string;
}

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/** S10 check digit of the serial in `s` at [from, from + 8); digits already checked by the caller. */
function checkDigitAt(s: string, from: number): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (s.charCodeAt(from + i) - 48) * WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

/** The S10 check digit of an 8-digit serial number, e.g. `s10CheckDigit('47312482') === 9`. */
export function s10CheckDigit(serial: string): number {
  assertDigits(serial, 'S10 serial number', 8);
  return checkDigitAt(serial, 0);
}

const WRONG_LENGTH = fail('must be 13 characters: 2 letters, 8 digits, a check digit, 2 letters (UPU S10)');
const BAD_SERVICE = fail('service indicator (characters 1–2) must be 2 letters');
const BAD_SERIAL = fail('serial number (characters 3–10) must be 8 digits');
const BAD_CHECK_CHAR = fail('check digit (character 11) must be a digit');
const BAD_COUNTRY = fail('country (characters 12–13) must be 2 letters');
const UNKNOWN_COUNTRY = fail('country (characters 12–13) is not an assigned ISO 3166-1 alpha-2 code');
const CHECK_MISMATCH = fail('check digit does not match the serial number');

/**
 * Parses an S10 identifier. Lower case, spaces and hyphens are accepted (labels print
 * `RR 473 124 829 GB`); the result is canonical. Never throws.
 */
export function parseS10(raw: unknown): Parsed<S10> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  const s = compact(raw, 13);
  if (s === undefined || s.length !== 13) return WRONG_LENGTH;
  if (!allUpper(s, 0, 2)) return BAD_SERVICE;
  if (!allDigits(s, 2, 10)) return BAD_SERIAL;
  if (!allDigits(s, 10, 11)) return BAD_CHECK_CHAR;
  if (!allUpper(s, 11, 13)) return BAD_COUNTRY;
  const country = s.slice(11, 13);
  if (!isCountryCode(country)) return UNKNOWN_COUNTRY;
  const checkDigit = s.charCodeAt(10) - 48;
  if (checkDigitAt(s, 2) !== checkDigit) return CHECK_MISMATCH;
  return ok({ value: s, serviceIndicator: s.slice(0, 2), serial: s.slice(2, 10), checkDigit, country });
}

/** `parseS10`, throwing a `ParseError` on refusal. */
export function parseS10OrThrow(raw: string): S10 {
  return unwrap(parseS10(raw));
}

export interface S10Parts {
  readonly serviceIndicator: string;
  readonly serial: string;
  readonly country: string;
}

/**
 * Builds an S10 identifier from its parts, computing the check digit. `spaced` gives the
 * human-readable grouping printed under the barcode (`RR 473 124 829 GB`).
 */
export function formatS10(parts: S10Parts, options: { readonly spaced?: boolean } = {}): string {
  if (typeof parts !== 'object' || parts === null) throw new TypeError(`S10 parts must be an object, got ${describe(parts)}`);
  const { serviceIndicator, serial, country } = parts;
  assertString(serviceIndicator, 'S10 service indicator');
  if (serviceIndicator.length !== 2 || !allUpper(serviceIndicator)) {
    throw new RangeError(`S10 service indicator must be 2 capital letters, got ${describe(serviceIndicator)}`);
  }
  assertDigits(serial, 'S10 serial number', 8);
  if (!isCountryCode(country)) {
    throw new RangeError(`S10 country must be an assigned ISO 3166-1 alpha-2 code, got ${describe(country)}`);
  }
  const check = checkDigitAt(serial, 0);
  if (options.spaced === true) {
    return `${serviceIndicator} ${serial.slice(0, 3)} ${serial.slice(3, 6)} ${serial.slice(6)}${check} ${country}`;
  }
  return `${serviceIndicator}${serial}${check}${country}`;
}
