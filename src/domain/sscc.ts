/**
 * GS1 Serial Shipping Container Codes (SSCC, GS1 General Specifications §2.2.1): 18 digits =
 * extension digit, GS1 Company Prefix, serial reference, check digit.
 *
 * Check digit (GS1 General Specifications §7.9.1): weights 3, 1, 3, … from the right over the 17 data
 * digits, check = (10 − sum mod 10) mod 10. What it detects: every single substituted digit (3 and 1
 * are invertible modulo 10), and every swap of two adjacent data digits a, b except when |a − b| = 5
 * (the sum changes by 2(a − b)). The tests check exactly these two properties.
 *
 * Forms accepted by `parseSscc`: the bare 18 digits; the element string `(00)…` or `00…` as scanners
 * transmit it; a GS1 Digital Link URI (`https://id.gs1.org/00/…`, or any resolver host, as the GS1
 * Digital Link URI syntax allows); the EPC pure identity URI `urn:epc:id:sscc:CompanyPrefix.SerialRef`
 * (GS1 EPC Tag Data Standard, SSCC), whose serial reference starts with the extension digit.
 */
import { assertDigits, assertInteger, assertString, describe } from './assert.js';
import { allDigits, compact } from './chars.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';

export interface Sscc {
  /** The 18 digits, e.g. `106141412345678908`. */
  readonly value: string;
  readonly extensionDigit: number;
  readonly checkDigit: number;
}

/** GS1 mod-10 check digit of the 17 digits of `s` at [from, from + 17); digits already checked. */
function checkDigitAt(s: string, from: number): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(from + 16 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** The GS1 check digit of the first 17 digits of an SSCC. */
export function ssccCheckDigit(digits17: string): number {
  assertDigits(digits17, 'SSCC data digits', 17);
  return checkDigitAt(digits17, 0);
}

const WRONG_LENGTH = fail('must be 18 digits (optionally after "(00)"), a GS1 Digital Link URI or an EPC URN');
const NOT_DIGITS = fail('must contain only digits, spaces and hyphens');
const BAD_CHECK = fail('check digit (18th digit) does not match (GS1 mod 10)');
const BAD_LINK = fail('GS1 Digital Link URI must end in /00/ and the 18 digits of the SSCC');
const BAD_URN = fail('EPC URN must be urn:epc:id:sscc: then a 6–12 digit company prefix, ".", and 17 digits in all');

// Bounds the work a hostile URI can cause; real Digital Link URIs are far shorter.
const MAX_URI_LENGTH = 2048;

/** Checks 18 digits of `s` and builds the result. */
function fromDigits(s: string): Parsed<Sscc> {
  if (!allDigits(s)) return NOT_DIGITS;
  const checkDigit = s.charCodeAt(17) - 48;
  if (checkDigitAt(s, 0) !== checkDigit) return BAD_CHECK;
  return ok({ value: s, extensionDigit: s.charCodeAt(0) - 48, checkDigit });
}

/** Parses any of the forms above into the 18 digits. Never throws. */
export function parseSscc(raw: unknown): Parsed<Sscc> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  if (raw.length > 16 && raw.charCodeAt(0) > 57) {
    if (raw.length > MAX_URI_LENGTH) return WRONG_LENGTH;
    const head = raw.slice(0, 16).toLowerCase(); // URI schemes and URN namespaces are case-insensitive
    if (head === 'urn:epc:id:sscc:') return fromEpcUrn(raw);
    if (head.startsWith('https://') || head.startsWith('http://')) return fromDigitalLink(raw);
  }
  const withAi = raw.startsWith('(00)');
  let s = compact(withAi ? raw.slice(4) : raw, 20);
  if (s === undefined) return WRONG_LENGTH;
  if (!withAi && s.length === 20 && s.startsWith('00')) s = s.slice(2); // AI 00 without parentheses
  if (s.length !== 18) return WRONG_LENGTH;
  return fromDigits(s);
}

function fromDigitalLink(raw: string): Parsed<Sscc> {
  let end = raw.length;
  const query = raw.indexOf('?');
  if (query !== -1) end = query;
  const fragment = raw.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  const start = end - 22; // '/00/' + 18 digits
  if (start < 9 || raw.slice(start, start + 4) !== '/00/') return BAD_LINK;
  return fromDigits(raw.slice(start + 4, end));
}

function fromEpcUrn(raw: string): Parsed<Sscc> {
  if (raw.length !== 16 + 18) return BAD_URN; // 17 digits and the dot
  const dot = raw.indexOf('.', 16);
  const prefixLength = dot - 16;
  if (prefixLength < 6 || prefixLength > 12 || !allDigits(raw, 16, dot) || !allDigits(raw, dot + 1)) return BAD_URN;
  // TDS, SSCC ↔ EPC: SSCC = first digit of the serial reference, company prefix, the rest, check digit.
  const data = raw[dot + 1]! + raw.slice(16, dot) + raw.slice(dot + 2);
  const check = checkDigitAt(data, 0);
  return ok({ value: data + String(check), extensionDigit: data.charCodeAt(0) - 48, checkDigit: check });
}

/** `parseSscc`, throwing a `ParseError` on refusal. */
export function parseSsccOrThrow(raw: string): Sscc {
  return unwrap(parseSscc(raw));
}

/** Asserts a canonical SSCC (18 digits, valid check digit) given to a formatting function. */
function assertSscc(sscc: string): void {
  assertDigits(sscc, 'SSCC', 18);
  if (checkDigitAt(sscc, 0) !== sscc.charCodeAt(17) - 48) throw new RangeError(`SSCC check digit does not match: ${sscc}`);
}

/**
 * Builds an SSCC from its extension digit (0–9), GS1 Company Prefix (6–12 digits, the lengths the
 * EPC Tag Data Standard's SSCC partition table knows) and serial reference: a string of exactly
 * 16 − prefix length digits, or a non-negative integer below 10^(16 − prefix length), zero-padded.
 */
export function makeSscc(extension: number, companyPrefix: string, serialRef: string | number | bigint): string {
  assertInteger(extension, 'SSCC extension digit', 0, 9);
  assertString(companyPrefix, 'GS1 Company Prefix');
  if (companyPrefix.length < 6 || companyPrefix.length > 12 || !allDigits(companyPrefix)) {
    throw new RangeError(`GS1 Company Prefix must be 6 to 12 digits, got ${describe(companyPrefix)}`);
  }
  const width = 16 - companyPrefix.length;
  let ref: string;
  if (typeof serialRef === 'string') {
    assertDigits(serialRef, `SSCC serial reference (${width} digits with a ${companyPrefix.length}-digit prefix)`, width);
    ref = serialRef;
  } else if (typeof serialRef === 'number' || typeof serialRef === 'bigint') {
    if (typeof serialRef === 'number' && !Number.isSafeInteger(serialRef)) {
      throw new RangeError(`SSCC serial reference must be an integer, got ${describe(serialRef)}`);
    }
    const n = BigInt(serialRef);
    if (n < 0n || n >= 10n ** BigInt(width)) {
      throw new RangeError(`SSCC serial reference must be in [0, 10^${width}), got ${describe(serialRef)}`);
    }
    ref = n.toString().padStart(width, '0');
  } else {
    throw new TypeError(`SSCC serial reference must be a string, number or bigint, got ${describe(serialRef)}`);
  }
  const data = String(extension) + companyPrefix + ref;
  return data + String(checkDigitAt(data, 0));
}

/**
 * The EPC pure identity URI of an SSCC (GS1 EPC Tag Data Standard). The company prefix length is not written in the
 * SSCC itself: it comes from the GS1 allocation (6–12 digits here, per the TDS partition table).
 */
export function ssccToEpcUrn(sscc: string, companyPrefixLength: number): string {
  assertSscc(sscc);
  assertInteger(companyPrefixLength, 'GS1 Company Prefix length', 6, 12);
  const end = 1 + companyPrefixLength;
  return `urn:epc:id:sscc:${sscc.slice(1, end)}.${sscc[0]!}${sscc.slice(end, 17)}`;
}

/** The GS1 Digital Link URI on GS1's own resolver, `https://id.gs1.org/00/<sscc>`. */
export function ssccToDigitalLink(sscc: string): string {
  assertSscc(sscc);
  return `https://id.gs1.org/00/${sscc}`;
}

/** The human-readable element string, `(00)<sscc>`. */
export function ssccToElementString(sscc: string): string {
  assertSscc(sscc);
  return `(00)${sscc}`;
}
