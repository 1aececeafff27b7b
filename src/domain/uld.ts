/**
 * IATA Unit Load Device identifiers (IATA ULD Regulations, Standard Specification 40/1; IATA
 * Resolution 686), e.g. `AKE12345CK`, `PMC1234LH`: a 3-letter type code, a 4- or 5-digit serial
 * number (5 digits allowed since 1 October 1993) and the 2-character owner code, usually the owning
 * airline's IATA designator (letters and digits, never two digits). There is no check digit: a
 * mistyped ULD is caught only by reconciling with the flight's loading list.
 */
import { assertString, describe, own } from './assert.js';
import { allDigits, allUpper, allUpperOrDigit, compact, isDigit } from './chars.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';
import { ULD_CATEGORIES, ULD_TYPES, type UldKind } from './uld-types.js';

export { ULD_BASE_SIZES, ULD_CATEGORIES, ULD_TYPES, type UldKind, type UldType } from './uld-types.js';

export interface Uld {
  /** Canonical form without spaces, e.g. `AKE12345CK`. */
  readonly value: string;
  readonly type: string;
  /** 4 or 5 digits, leading zeros kept. */
  readonly serial: string;
  readonly owner: string;
  /** From the known type table, else from the category letter, else 'unknown'. */
  readonly kind: UldKind | 'unknown';
}

const WRONG_LENGTH = fail('must be 9 or 10 characters: 3-letter type, 4- or 5-digit serial, 2-character owner');
const BAD_TYPE = fail('type code (characters 1–3) must be 3 letters');
const BAD_SERIAL = fail('serial number must be 4 or 5 digits');
const BAD_OWNER = fail('owner code (last 2 characters) must be letters or digits');
const DIGITS_OWNER = fail('owner code (last 2 characters) cannot be two digits: airline designators have a letter');

/** The kind of a type code: from the table of known types, else from its category letter. */
export function uldKind(type: string): UldKind | 'unknown' {
  assertString(type, 'ULD type code');
  return own(ULD_TYPES, type)?.kind ?? own(ULD_CATEGORIES, type.charAt(0))?.kind ?? 'unknown';
}

/** Parses a ULD identifier; spaces, hyphens and lower case are accepted (`ake 12345 ck`). Never throws. */
export function parseUld(raw: unknown): Parsed<Uld> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  const s = compact(raw, 10);
  if (s === undefined || (s.length !== 9 && s.length !== 10)) return WRONG_LENGTH;
  if (!allUpper(s, 0, 3)) return BAD_TYPE;
  const ownerAt = s.length - 2;
  if (!allDigits(s, 3, ownerAt)) return BAD_SERIAL;
  if (!allUpperOrDigit(s, ownerAt)) return BAD_OWNER;
  if (isDigit(s.charCodeAt(ownerAt)) && isDigit(s.charCodeAt(ownerAt + 1))) return DIGITS_OWNER;
  const type = s.slice(0, 3);
  return ok({ value: s, type, serial: s.slice(3, ownerAt), owner: s.slice(ownerAt), kind: uldKind(type) });
}

/** `parseUld`, throwing a `ParseError` on refusal. */
export function parseUldOrThrow(raw: string): Uld {
  return unwrap(parseUld(raw));
}

export interface UldParts {
  readonly type: string;
  readonly serial: string;
  readonly owner: string;
}

/** Canonical `AKE12345CK` from parts, or `AKE 12345 CK` with `spaced` (as stencilled on the unit). */
export function formatUld(parts: UldParts, options: { readonly spaced?: boolean } = {}): string {
  if (typeof parts !== 'object' || parts === null) throw new TypeError(`ULD parts must be an object, got ${describe(parts)}`);
  const { type, serial, owner } = parts;
  assertString(type, 'ULD type code');
  assertString(serial, 'ULD serial number');
  assertString(owner, 'ULD owner code');
  const joined = type + serial + owner;
  const parsed = parseUld(joined);
  if (!parsed.ok || parsed.value.value !== joined || type.length !== 3 || owner.length !== 2) {
    throw new RangeError(`not a valid ULD identifier: ${describe(joined)}${parsed.ok ? '' : ` (${parsed.reason})`}`);
  }
  return options.spaced === true ? `${type} ${serial} ${owner}` : parsed.value.value;
}
