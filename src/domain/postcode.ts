/**
 * Postcode validation and normalisation per destination country, and the prefixes sort plans use.
 *
 * Known formats: the EU and EEA states, CH and GB (`postcode-specs.ts`, `postcode-gb.ts`). Any other
 * assigned ISO country gets a generic check: 2–10 letters and digits, with single spaces or hyphens
 * between them. Spaces and hyphens are not significant on input (`1234ab`, `1234 AB` and `1234-AB`
 * are the same Dutch postcode); the canonical form puts them where the national operator prints them.
 */
import { assertInteger, own } from './assert.js';
import { compact, isDigit, isUpper } from './chars.js';
import { isCountryCode } from './country.js';
import { fail, NOT_A_STRING, ok, unwrap, type Failed, type Parsed } from './parsed.js';
import { normaliseGb } from './postcode-gb.js';
import { POSTCODE_SPECS, type PostcodeSpec } from './postcode-specs.js';

/** Countries with a specific postcode format (the others get the generic check). */
export const POSTCODE_COUNTRIES: readonly string[] = Object.freeze([...Object.keys(POSTCODE_SPECS), 'GB'].sort());

const UNKNOWN_COUNTRY = fail('country is not an assigned ISO 3166-1 alpha-2 code');
const EMPTY = fail('is empty');
const GB_LENGTH = fail('must be 5 to 7 letters and digits (e.g. SW1A 1AA)');
const GENERIC = fail('must be 2 to 10 letters and digits, with single spaces or hyphens between them');

// One refusal per country, built once: "must have the form 9999 AA (9 a digit, A a letter), e.g. 2490 AA".
const SHAPE_FAILURES: ReadonlyMap<string, Failed> = new Map(
  Object.entries(POSTCODE_SPECS).map(([country, spec]) => [country, fail(describeShape(spec))]),
);

function describeShape(spec: PostcodeSpec): string {
  const { shape, splitAt, separator, lead = '' } = spec;
  const form = splitAt === undefined ? shape : shape.slice(0, splitAt) + (separator ?? '') + shape.slice(splitAt);
  const legend = [
    shape.includes('9') ? '9 a digit' : '',
    shape.includes('A') ? 'A a letter' : '',
    shape.includes('X') ? 'X a letter or digit' : '',
  ].filter((s) => s !== '');
  return `must have the form ${lead}${form} (${legend.join(', ')}), e.g. ${spec.example}`;
}

function matchesShape(s: string, shape: string): boolean {
  for (let i = 0; i < shape.length; i++) {
    const c = s.charCodeAt(i);
    const want = shape.charCodeAt(i);
    if (want === 57 /* 9 */ ? !isDigit(c) : want === 65 /* A */ ? !isUpper(c) : !isDigit(c) && !isUpper(c)) {
      return false;
    }
  }
  return true;
}

function normaliseKnown(country: string, spec: PostcodeSpec, raw: string): Parsed<string> {
  const { shape } = spec;
  let s = compact(raw, shape.length + 3);
  if (s === undefined) return SHAPE_FAILURES.get(country)!;
  if (s.length === 0) return EMPTY;
  if (s.length > shape.length && shape.charCodeAt(0) === 57) {
    for (const prefix of spec.prefixes) {
      if (s.length === shape.length + prefix.length && s.startsWith(prefix)) {
        s = s.slice(prefix.length);
        break;
      }
    }
  }
  if (s.length !== shape.length || !matchesShape(s, shape)) return SHAPE_FAILURES.get(country)!;
  const refused = spec.check?.(s);
  if (refused !== undefined) return refused;
  const lead = spec.lead ?? '';
  const at = spec.splitAt;
  return ok(at === undefined ? lead + s : `${lead}${s.slice(0, at)}${spec.separator ?? ''}${s.slice(at)}`);
}

/** 2–10 letters and digits, single spaces or hyphens between them; upper-cased, spaces collapsed. */
function normaliseGeneric(raw: string): Parsed<string> {
  const s = raw.trim();
  if (s.length === 0) return EMPTY;
  if (s.length > 20) return GENERIC;
  let out = '';
  let significant = 0;
  let previousWasSeparator = true; // refuses a leading separator
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 45) {
      if (previousWasSeparator) {
        // Runs of whitespace collapse into one space; a hyphen next to another separator is refused.
        if (c === 45 || out.endsWith('-')) return GENERIC;
        continue;
      }
      out += c === 45 ? '-' : ' ';
      previousWasSeparator = true;
      continue;
    }
    if (c >= 97 && c <= 122) c -= 32;
    if (!isDigit(c) && !isUpper(c)) return GENERIC;
    out += String.fromCharCode(c);
    significant++;
    previousWasSeparator = false;
  }
  if (previousWasSeparator || significant < 2 || significant > 10) return GENERIC; // trailing hyphen, or count
  return ok(out);
}

/**
 * Validates `raw` as a postcode of `country` (an assigned ISO 3166-1 alpha-2 code, upper case) and
 * returns its canonical form, e.g. `normalisePostcode('NL', '1234ab')` → `1234 AB`. Never throws.
 */
export function normalisePostcode(country: string, raw: unknown): Parsed<string> {
  if (!isCountryCode(country)) return UNKNOWN_COUNTRY;
  if (typeof raw !== 'string') return NOT_A_STRING;
  if (country === 'GB') {
    const s = compact(raw, 9);
    if (s === undefined) return GB_LENGTH;
    return s.length === 0 ? EMPTY : normaliseGb(s);
  }
  const spec = own(POSTCODE_SPECS, country);
  return spec === undefined ? normaliseGeneric(raw) : normaliseKnown(country, spec, raw);
}

/** `normalisePostcode`, throwing a `ParseError` on refusal. */
export function normalisePostcodeOrThrow(country: string, raw: string): string {
  return unwrap(normalisePostcode(country, raw));
}

/** A valid postcode in canonical form for a country with a known format, else `undefined`. */
export function postcodeExample(country: string): string | undefined {
  if (country === 'GB') return 'SW1A 1AA';
  return own(POSTCODE_SPECS, country)?.example;
}

/**
 * The first `n` significant characters of a postcode (separators and a `LV-` lead left out), as sort
 * plans key on them: `postcodePrefix('NL', '1234 AB', 2)` → `12`, `postcodePrefix('GB', 'SW1A 1AA', 2)`
 * → `SW`. A postcode shorter than `n` is returned whole (an Icelandic 3-digit postcode under a 4-character
 * plan). Throws `ParseError` for an invalid postcode and `RangeError` unless 1 ≤ n ≤ 10.
 */
export function postcodePrefix(country: string, postcode: string, n: number): string {
  assertInteger(n, 'postcode prefix length', 1, 10);
  let canonical = unwrap(normalisePostcode(country, postcode), 'postcode');
  const lead = own(POSTCODE_SPECS, country)?.lead;
  if (lead !== undefined) canonical = canonical.slice(lead.length);
  let out = '';
  for (let i = 0; i < canonical.length && out.length < n; i++) {
    const c = canonical.charCodeAt(i);
    if (c !== 32 && c !== 45) out += canonical[i];
  }
  return out;
}
