/**
 * IATA air waybill numbers, e.g. `112-12345675`: a 3-digit airline prefix and an 8-digit serial
 * number whose last digit is a check digit, the first 7 digits taken as a number modulo 7
 * (IATA Resolution 600a; Cargo-IMP / Cargo-XML "AWB number").
 *
 * What mod 7 detects, and what it does not (the tests check exactly this):
 * - The airline prefix is not covered at all.
 * - The check digit itself: any change is detected (only 0–6 can ever be valid).
 * - One of the 7 serial digits substituted by a difference δ changes the number by δ·10ᵏ; 10 is
 *   invertible modulo 7, so the error is detected if and only if δ is not ±7. Swapping 0↔7, 1↔8 or
 *   2↔9 goes unnoticed (e.g. 112-12345675 and 112-82345675 are both valid).
 * - Two adjacent serial digits a, b swapped change the number by (a − b)·9·10ᵏ: detected if and only
 *   if |a − b| ≠ 7. A swap of the 7th digit with the check digit carries no guarantee.
 */
import { assertDigits } from './assert.js';
import { allDigits, compact } from './chars.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';

export interface Awb {
  /** Canonical form `PPP-NNNNNNNN`, e.g. `112-12345675`. */
  readonly value: string;
  /** IATA airline prefix (accounting code), 3 digits. */
  readonly prefix: string;
  /** The 8-digit serial number, check digit included as its last digit. */
  readonly serial: string;
  readonly checkDigit: number;
}

/** Remainder modulo 7 of the 7 digits of `s` at [from, from + 7); digits already checked. */
function mod7At(s: string, from: number): number {
  let r = 0;
  for (let i = from; i < from + 7; i++) r = (r * 10 + (s.charCodeAt(i) - 48)) % 7;
  return r;
}

/** The check digit of the first 7 serial digits, e.g. `awbCheckDigit('1234567') === 5`. */
export function awbCheckDigit(serial7: string): number {
  assertDigits(serial7, 'AWB serial number (7 digits before the check digit)', 7);
  return mod7At(serial7, 0);
}

const WRONG_LENGTH = fail('must be 11 digits: a 3-digit airline prefix and an 8-digit serial number');
const NOT_DIGITS = fail('must contain only digits, spaces and hyphens');
const BAD_CHECK = fail('check digit (last digit) must equal the first 7 serial digits modulo 7');

/**
 * Parses an air waybill number written `112-12345675`, `11212345675`, `112 12345675` or
 * `112-1234 5675` (spaces and hyphens are ignored). The result is canonical (`PPP-NNNNNNNN`).
 * Never throws.
 */
export function parseAwb(raw: unknown): Parsed<Awb> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  const s = compact(raw, 11);
  if (s === undefined || s.length !== 11) return WRONG_LENGTH;
  if (!allDigits(s)) return NOT_DIGITS;
  const checkDigit = s.charCodeAt(10) - 48;
  if (mod7At(s, 3) !== checkDigit) return BAD_CHECK;
  const prefix = s.slice(0, 3);
  const serial = s.slice(3);
  return ok({ value: `${prefix}-${serial}`, prefix, serial, checkDigit });
}

/** `parseAwb`, throwing a `ParseError` on refusal. */
export function parseAwbOrThrow(raw: string): Awb {
  return unwrap(parseAwb(raw));
}

/** Builds the canonical `PPP-NNNNNNNN` from a prefix and the 7 serial digits, adding the check digit. */
export function formatAwb(prefix: string, serial7: string): string {
  assertDigits(prefix, 'AWB airline prefix', 3);
  assertDigits(serial7, 'AWB serial number (7 digits before the check digit)', 7);
  return `${prefix}-${serial7}${mod7At(serial7, 0)}`;
}

