/**
 * Harmonized System codes (WCO HS Convention): chapter (2 digits), heading (4), subheading (6).
 * The EU's Combined Nomenclature adds 2 digits (CN, 8) and TARIC 2 more (10); `parseHsCode` accepts
 * those and keeps the HS6 subheading they start with, which is what H7 and IOSS data need.
 *
 * Checked: chapter 01–97 except 77 (reserved by the WCO for future use); chapters 98–99 are left to
 * national use and are not HS. A heading never ends in 00 (headings count from 01 within a chapter).
 * Whether a subheading exists in a given HS edition is a lookup in the nomenclature, not done here.
 */
import { assertString, describe } from './assert.js';
import { isDigit } from './chars.js';
import { fail, NOT_A_STRING, ok, unwrap, type Parsed } from './parsed.js';

export interface HsCode {
  /** All digits given: 6 (HS), 8 (CN) or 10 (TARIC). */
  readonly code: string;
  /** The 6-digit HS subheading, e.g. `851712`. */
  readonly hs6: string;
  readonly chapter: string;
  readonly heading: string;
}

/** The 96 HS chapters, `'01'` to `'97'` without `'77'`. */
export const HS_CHAPTERS: readonly string[] = Object.freeze(
  Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '77'),
);

/** True for `'01'`–`'97'` except `'77'`. Never throws. */
export function isHsChapter(chapter: unknown): boolean {
  if (typeof chapter !== 'string' || chapter.length !== 2) return false;
  const n = (chapter.charCodeAt(0) - 48) * 10 + (chapter.charCodeAt(1) - 48);
  return isDigit(chapter.charCodeAt(0)) && isDigit(chapter.charCodeAt(1)) && n >= 1 && n <= 97 && n !== 77;
}

const EMPTY = fail('is empty');
const BAD_CHAR = fail('must contain only digits, dots and spaces');
const BAD_LENGTH = fail('must have 6 digits (HS), or 8 (CN) or 10 (TARIC)');
const NOT_SIX = fail('must have exactly 6 digits (HS subheading)');
const BAD_CHAPTER = fail('chapter (first 2 digits) must be 01–97; 77 is reserved');
const BAD_HEADING = fail('heading (digits 3–4) cannot be 00');
// A code with dots and spaces is at most a few characters longer than its 10 digits.
const MAX_RAW_LENGTH = 24;

/** Digits of `raw` with dots and spaces dropped, or a refusal. */
function digitsOf(raw: string): Parsed<string> {
  if (raw.length > MAX_RAW_LENGTH) return BAD_LENGTH;
  let digits = '';
  let clean = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isDigit(c)) {
      if (!clean) digits += raw[i];
    } else if (c === 46 || c === 32) {
      if (clean) digits = raw.slice(0, i);
      clean = false;
    } else return BAD_CHAR;
  }
  if (clean) digits = raw;
  return digits.length === 0 ? EMPTY : ok(digits);
}

function fromDigits(code: string): Parsed<HsCode> {
  const chapter = code.slice(0, 2);
  if (!isHsChapter(chapter)) return BAD_CHAPTER;
  if (code.charCodeAt(2) === 48 && code.charCodeAt(3) === 48) return BAD_HEADING;
  return ok({ code, hs6: code.length === 6 ? code : code.slice(0, 6), chapter, heading: code.slice(0, 4) });
}

/**
 * Parses an HS, CN or TARIC code written `8517.12`, `851712`, `8517 12 00` or `8517120000`; the
 * result holds all digits and the HS6 subheading. Never throws.
 */
export function parseHsCode(raw: unknown): Parsed<HsCode> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  const d = digitsOf(raw);
  if (!d.ok) return d;
  const n = d.value.length;
  if (n !== 6 && n !== 8 && n !== 10) return BAD_LENGTH;
  return fromDigits(d.value);
}

/** Like `parseHsCode`, but only a 6-digit HS subheading is accepted. Never throws. */
export function parseHs6(raw: unknown): Parsed<HsCode> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  const d = digitsOf(raw);
  if (!d.ok) return d;
  if (d.value.length !== 6) return NOT_SIX;
  return fromDigits(d.value);
}

/** `parseHsCode`, throwing a `ParseError` on refusal. */
export function parseHsCodeOrThrow(raw: string): HsCode {
  return unwrap(parseHsCode(raw));
}

/** The HS6 subheading of an HS, CN or TARIC code (`'8517.12.00.00'` → `'851712'`); throws `ParseError`. */
export function hs6(raw: string): string {
  assertString(raw, 'HS code');
  return unwrap(parseHsCode(raw)).hs6;
}

/** `'8517.12'` for `'851712'`: the dotted form the tariff prints. RangeError for anything but 6 digits. */
export function formatHs6(hs6Code: string): string {
  const parsed = parseHs6(hs6Code);
  if (!parsed.ok || parsed.value.code !== hs6Code) {
    throw new RangeError(`not a 6-digit HS subheading: ${describe(hs6Code)}`);
  }
  return `${hs6Code.slice(0, 4)}.${hs6Code.slice(4)}`;
}
