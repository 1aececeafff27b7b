/**
 * ISO 3166-1 alpha-2 country codes, EU member states and the EEA.
 *
 * Membership here is political membership by ISO code. Territories with their own ISO code that are
 * part of a member state (AX Åland, GF, GP, MQ, RE, YT, MF) are not member states; which territories
 * are inside the EU customs and VAT territories (not the Canary Islands, not Åland for VAT, …) is a
 * customs rule, decided in `customs/`, not here.
 */
import { assertString, describe } from './assert.js';
import { isUpper } from './chars.js';
import { COUNTRY_NAMES } from './country-data.js';
import { fail, NOT_A_STRING, ok, unwrap, type Failed, type Parsed } from './parsed.js';

export { COUNTRY_NAMES } from './country-data.js';

/** Every officially assigned ISO 3166-1 alpha-2 code, in alphabetical order. */
export const COUNTRY_CODES: readonly string[] = Object.freeze(Object.keys(COUNTRY_NAMES).sort());

const ASSIGNED: ReadonlySet<string> = new Set(COUNTRY_CODES);

/** The 27 member states of the European Union (since 1 February 2020), by ISO code. */
export const EU_MEMBER_STATES: readonly string[] = Object.freeze([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** The European Economic Area: the EU member states plus Iceland, Liechtenstein and Norway. */
export const EEA_STATES: readonly string[] = Object.freeze([...EU_MEMBER_STATES, 'IS', 'LI', 'NO'].sort());

const EU: ReadonlySet<string> = new Set(EU_MEMBER_STATES);
const EEA: ReadonlySet<string> = new Set(EEA_STATES);

/** True for an officially assigned ISO 3166-1 alpha-2 code, upper case. Never throws. */
export function isCountryCode(code: unknown): code is string {
  return typeof code === 'string' && ASSIGNED.has(code);
}

/** True for the ISO code of an EU member state (upper case; 'EL' is not ISO, use 'GR'). Never throws. */
export function isEu(code: unknown): boolean {
  return typeof code === 'string' && EU.has(code);
}

/** True for the ISO code of an EEA state (EU + IS, LI, NO). Never throws. */
export function isEea(code: unknown): boolean {
  return typeof code === 'string' && EEA.has(code);
}

/** The English short name of an assigned code; RangeError for anything else. */
export function countryName(code: string): string {
  assertString(code, 'country code');
  const name = ASSIGNED.has(code) ? COUNTRY_NAMES[code] : undefined;
  if (name === undefined) throw new RangeError(`not an assigned ISO 3166-1 alpha-2 code: ${describe(code)}`);
  return name;
}

const WRONG_LENGTH = fail('must be 2 letters (ISO 3166-1 alpha-2)');
const NOT_LETTERS = fail('must be 2 ASCII letters (ISO 3166-1 alpha-2)');
const UNASSIGNED = fail('not an assigned ISO 3166-1 alpha-2 code');
// Codes that look right and are in daily use, but are not ISO 3166-1 assignments: say what to use.
const NOT_ISO: Readonly<Record<string, Failed>> = {
  EL: fail("'EL' is the EU's code for Greece (VAT, Eurostat); ISO 3166-1 uses 'GR'"),
  UK: fail("'UK' is reserved, not assigned; ISO 3166-1 uses 'GB' for the United Kingdom"),
  XK: fail("'XK' (Kosovo) is a user-assigned code, not an ISO 3166-1 assignment"),
  EU: fail("'EU' is reserved for the European Union, not a country"),
};

/**
 * Parses a country code: surrounding spaces are ignored and lower case accepted (`' be'` → `'BE'`);
 * the result is an assigned ISO 3166-1 alpha-2 code. Never throws.
 */
export function parseCountry(raw: unknown): Parsed<string> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  let code = raw;
  if (code.length !== 2) {
    code = code.trim();
    if (code.length !== 2) return WRONG_LENGTH;
  }
  if (ASSIGNED.has(code)) return ok(code);
  const a = toUpper(code.charCodeAt(0));
  const b = toUpper(code.charCodeAt(1));
  if (!isUpper(a) || !isUpper(b)) return NOT_LETTERS;
  const upper = String.fromCharCode(a, b);
  if (ASSIGNED.has(upper)) return ok(upper);
  return NOT_ISO[upper] ?? UNASSIGNED;
}

/** `parseCountry`, throwing a `ParseError` on refusal. */
export function parseCountryOrThrow(raw: string): string {
  return unwrap(parseCountry(raw));
}

function toUpper(code: number): number {
  return code >= 97 && code <= 122 ? code - 32 : code;
}
