/**
 * One manifest line → a typed, normalised parcel, or the list of what is wrong with it, as
 * `{line, field, reason}`. Never throws, whatever the input.
 *
 * Reasons NEVER contain a personal-data value (name, street, city, e-mail, phone): they say what is wrong
 * ("consignee.email: not an e-mail address"), not what was written. Only identifiers are stored in clear
 * anyway, and the domain parsers' reasons do not echo values either.
 *
 * Fast path (a valid line): JSON.parse, the compiled structural check, then the domain parsers; no error
 * objects and no exceptions. The slow path (a refused line) collects every error, at most `MAX_LINE_ERRORS`.
 */
import {
  formatMoney,
  normalisePostcode,
  parseAwb,
  parseCountry,
  parseCurrency,
  parseHsCode,
  parseMoney,
  parseS10,
  parseUld,
  ok,
  type Parsed,
} from '../../domain/index.js';
import type { PersonalData } from '../../gate/types.js';
import type { IntakeItem, IntakeParcel, LineError, LineResult } from './types.js';
import { memo, parseFlight, parseMassKg, parsePhone, parseText } from './fields.js';
import { checkManifestShape, manifestShapeErrors, MAX_ITEMS } from './manifest-schema.js';
import { shapeErrorsToLineErrors } from './shape-errors.js';

export interface ValidateOptions {
  /** The flight date of lines without `flightDate`: the UTC date of the import (YYYY-MM-DD). */
  readonly defaultFlightDate: string;
}

/** A line longer than this is refused unread (a manifest line with 100 items is well under 100 KiB). */
export const MAX_LINE_LENGTH = 262_144;
export const MAX_LINE_ERRORS = 20;

const LINE = '(line)';

// Identifiers and codes repeat from line to line; personal data (names, streets, contacts) is never cached.
const flightOf = memo(parseFlight);
const awbOf = memo((raw) => parseAwb(raw));
const uldOf = memo((raw) => parseUld(raw));
const countryOf = memo((raw) => parseCountry(raw));
const hsCodeOf = memo((raw) => parseHsCode(raw));
const currencyOf = memo((raw) => parseCurrency(raw));
const descriptionOf = memo(parseText);
/** Per currency (canonical), a cached parse of unit values into canonical decimal strings. */
const unitValueParsers = new Map<string, (raw: string) => Parsed<string>>();
function unitValueOf(currency: string): (raw: string) => Parsed<string> {
  let parse = unitValueParsers.get(currency);
  if (parse === undefined) {
    parse = memo((raw) => {
      const m = parseMoney(raw, currency);
      return m.ok ? ok(formatMoney(m.value)) : m;
    });
    unitValueParsers.set(currency, parse);
  }
  return parse;
}

/** Validates one NDJSON line. */
export function validateLine(text: string, line: number, options: ValidateOptions): LineResult {
  if (text.length > MAX_LINE_LENGTH) return refused(line, LINE, `longer than ${MAX_LINE_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The SyntaxError's message quotes the input: it must not reach the report.
    return refused(line, LINE, 'not valid JSON');
  }
  return validateValue(value, line, options);
}

/** Validates one manifest line already decoded (from JSON, or from a CSV row). */
export function validateValue(value: unknown, line: number, options: ValidateOptions): LineResult {
  if (checkManifestShape(value)) {
    const c = new Collector(line, undefined);
    const parcel = build(value, c, options);
    return c.errors === undefined ? { ok: true, parcel } : { ok: false, errors: c.errors };
  }
  const shape = shapeErrorsToLineErrors(manifestShapeErrors(value), line, MAX_LINE_ERRORS);
  const c = new Collector(line, shape);
  // Check what the shape check let through too, so one report lists every problem of the line.
  if (isRecord(value)) build(value, c, options);
  const errors = c.errors ?? shape;
  return { ok: false, errors: errors.length > 0 ? errors : [{ line, field: LINE, reason: 'does not match the manifest schema' }] };
}

function refused(line: number, field: string, reason: string): LineResult {
  return { ok: false, errors: [{ line, field, reason }] };
}

/** Errors of one line; a field the shape check already reported is not reported twice. */
class Collector {
  errors: LineError[] | undefined;
  private readonly reported: ReadonlySet<string> | undefined;
  constructor(
    readonly line: number,
    shape: LineError[] | undefined,
  ) {
    this.errors = shape;
    this.reported = shape && new Set(shape.map((e) => e.field));
  }

  /** The value when `parsed` is ok, else records the refusal under `field` and returns undefined. */
  take<T>(field: string, parsed: Parsed<T>): T | undefined {
    if (parsed.ok) return parsed.value;
    if (this.reported?.has(field) !== true) this.add(field, parsed.reason);
    return undefined;
  }

  private add(field: string, reason: string): void {
    this.errors ??= [];
    if (this.errors.length < MAX_LINE_ERRORS) this.errors.push({ line: this.line, field, reason });
  }
}

type Loose = Readonly<Record<string, unknown>>;
const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';

/**
 * Reads every field it can, recording each refusal. A field of the wrong type or missing was reported by
 * the shape check: it is skipped here, and its place in the result holds a filler (`''`). The result is
 * therefore only meaningful when the collector holds no error, which is what `validateValue` checks.
 */
function build(v: Loose, c: Collector, options: ValidateOptions): IntakeParcel {
  const flightNumber = field(v['flight'], 'flight', flightOf, c) ?? '';
  const flightDate = str(v['flightDate']) ? v['flightDate'] : options.defaultFlightDate;
  const uld = field(v['uld'], 'uld', uldOf, c);
  const mass = v['grossMassKg'];
  const ioss = v['iossNumber'];
  return {
    line: c.line,
    flightNumber,
    flightDate,
    flightId: `${flightNumber}/${flightDate}`,
    awb: field(v['awb'], 'awb', awbOf, c)?.value ?? '',
    uld: uld?.value ?? null,
    trackingNumber: field(v['trackingNumber'], 'trackingNumber', parseS10, c)?.value ?? '',
    seller: person(v['seller'], 'seller', c),
    consignee: person(v['consignee'], 'consignee', c),
    items: Array.isArray(v['items']) ? v['items'].slice(0, MAX_ITEMS).map((it, i) => item(it, i, c)) : [],
    grossMassG: (typeof mass === 'number' ? c.take('grossMassKg', parseMassKg(mass)) : undefined) ?? 0,
    iossNumber: str(ioss) ? ioss : null,
  };
}

/** The parsed value of a string field, or undefined when it is absent, not a string, or refused. */
function field<T>(raw: unknown, name: string, parse: (raw: string) => Parsed<T>, c: Collector): T | undefined {
  return str(raw) ? c.take(name, parse(raw)) : undefined;
}

/** Dotted field names, built once: a template string per field and line would cost more than the checks. */
const personFields = (role: string) => ({
  name: `${role}.name`,
  street: `${role}.street`,
  postcode: `${role}.postcode`,
  city: `${role}.city`,
  country: `${role}.country`,
  phone: `${role}.phone`,
});
const PERSON_FIELDS = { seller: personFields('seller'), consignee: personFields('consignee') } as const;
const ITEM_FIELDS = Array.from({ length: MAX_ITEMS }, (_, i) => ({
  description: `items.${i}.description`,
  hsCode: `items.${i}.hsCode`,
  value: `items.${i}.value`,
  currency: `items.${i}.currency`,
  originCountry: `items.${i}.originCountry`,
}));

/**
 * A seller or consignee: free text checked, country canonical, e-mail and phone as given. The consignee's
 * postcode is checked against its country and made canonical (sorting keys on it); the seller's is free
 * text, as foreign sellers write it.
 */
function person(raw: unknown, role: 'seller' | 'consignee', c: Collector): PersonalData {
  if (!isRecord(raw)) return { name: '', country: '' };
  const f = PERSON_FIELDS[role];
  const country = field(raw['country'], f.country, countryOf, c);
  const postcode = raw['postcode'];
  const email = raw['email'];
  return {
    name: field(raw['name'], f.name, parseText, c) ?? '',
    street: field(raw['street'], f.street, parseText, c),
    postcode:
      role === 'seller' ? field(postcode, f.postcode, parseText, c) : country === undefined || !str(postcode) ? undefined : c.take(f.postcode, normalisePostcode(country, postcode)),
    city: field(raw['city'], f.city, parseText, c),
    country: country ?? '',
    email: str(email) ? email : undefined,
    phone: field(raw['phone'], f.phone, parsePhone, c),
  };
}

function item(raw: unknown, i: number, c: Collector): IntakeItem {
  const it = isRecord(raw) ? raw : {};
  const f = ITEM_FIELDS[i]!;
  const currency = field(it['currency'], f.currency, currencyOf, c);
  const value = it['value'];
  const quantity = it['quantity'];
  return {
    description: field(it['description'], f.description, descriptionOf, c) ?? '',
    hsCode: field(it['hsCode'], f.hsCode, hsCodeOf, c)?.code ?? '',
    quantity: typeof quantity === 'number' ? quantity : 0,
    unitValue: (currency !== undefined && str(value) ? c.take(f.value, unitValueOf(currency)(value)) : undefined) ?? '',
    currency: currency ?? '',
    originCountry: field(it['originCountry'], f.originCountry, countryOf, c) ?? '',
  };
}
