/**
 * Checks of builder inputs. Each refusal names the field (`epcList[2]`, `extensions.uld`) and says
 * what was expected; what passes is what the official schema accepts (the same `uri` check) and what
 * the event hash can canonicalise.
 */
import { parseUld } from '../../domain/index.js';
import { canonicalId, isCanonicalHubId, MAX_URI_LENGTH } from './ids.js';
import { isUri } from './schema.js';

export class EpcisInputError extends RangeError {
  override readonly name = 'EpcisInputError';
  constructor(
    /** The input field, e.g. `epcList[2]` or `extensions.lane`. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export function refuse(field: string, reason: string): never {
  throw new EpcisInputError(field, reason);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  return typeof value;
}

/** An absolute URI naming a thing, place or party, in a form the event hash can canonicalise. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string') refuse(field, `expected a URI string, got ${show(value)}`);
  if (isCanonicalHubId(value)) return value;
  if (value.length > MAX_URI_LENGTH) refuse(field, `longer than ${MAX_URI_LENGTH} characters`);
  if (!isUri(value)) refuse(field, `not an absolute URI (RFC 3986): ${show(value)}`);
  if (canonicalId(value) === undefined) {
    refuse(field, `EPC URN ${show(value)} is not supported: use its GS1 Digital Link URI (https://id.gs1.org/…)`);
  }
  return value;
}

/** A list of distinct identifiers (distinct also across URN and Digital Link spellings). */
export function checkIdList(value: unknown, field: string, minItems: number): string[] {
  if (!Array.isArray(value)) refuse(field, `expected an array of URIs, got ${show(value)}`);
  if (value.length < minItems) refuse(field, `must list at least ${minItems} identifier${minItems === 1 ? '' : 's'}`);
  const items = value as readonly unknown[];
  // A scan's single identifier, minted by the hub: nothing to compare, no field name to build.
  if (items.length === 1 && typeof items[0] === 'string' && isCanonicalHubId(items[0])) return [items[0]];
  const seen = new Map<string, number>();
  return items.map((item, i) => {
    const uri = checkId(item, `${field}[${i}]`);
    const key = canonicalId(uri) ?? uri;
    const first = seen.get(key);
    if (first !== undefined) refuse(`${field}[${i}]`, `same identifier as ${field}[${first}]`);
    seen.set(key, i);
    return uri;
  });
}

/** Places already checked, as the `{ id }` objects events carry: a batch's events share a few read points. */
const places = new Map<string, { readonly id: string }>();

/** `{ id }` of a read point or business location (`checkId`); the same object for the same identifier. */
export function checkPlace(value: unknown, field: string): { readonly id: string } {
  if (typeof value === 'string') {
    const known = places.get(value);
    if (known !== undefined) return known;
  }
  const place = Object.freeze({ id: checkId(value, field) });
  if (places.size >= 256) places.clear();
  places.set(place.id, place);
  return place;
}

/** A member of a closed vocabulary. */
export function checkMember<T extends string>(value: unknown, field: string, is: (v: unknown) => v is T, what: string): T {
  if (!is(value)) refuse(field, `${show(value)} is not ${what}`);
  return value;
}

/** An event time as the schema wants it: RFC 3339 in UTC, millisecond precision. */
export function checkTime(value: unknown, field: string): string {
  if (!(value instanceof Date)) refuse(field, 'expected a valid Date');
  const ms = value.getTime();
  // A batch's events mostly share their time: the last answer is kept (keyed by the instant, not the object).
  if (ms === lastTime[0]) return lastTime[1];
  if (Number.isNaN(ms)) refuse(field, 'expected a valid Date');
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) refuse(field, `year ${year} is outside 0001–9999`);
  const text = value.toISOString();
  lastTime = [ms, text];
  return text;
}

let lastTime: readonly [ms: number, text: string] = [Number.NaN, ''];

const OFFSET = /^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$/;

/** EPCIS 2.0 eventTimeZoneOffset: `+hh:mm` / `-hh:mm`, from −14:00 to +14:00 (the schema's pattern). */
export function checkOffset(value: unknown, field: string): string {
  if (typeof value !== 'string' || !OFFSET.test(value)) {
    refuse(field, `expected a UTC offset like "+01:00" between -14:00 and +14:00, got ${show(value)}`);
  }
  return value;
}

export function checkArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) refuse(field, `expected an array, got ${show(value)}`);
  return value as readonly unknown[];
}

export function checkRecord(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(field, `expected an object, got ${show(value)}`);
  return value as Readonly<Record<string, unknown>>;
}

/** Values of the `glasshub:customsDecision` extension. */
export const CUSTOMS_DECISIONS = ['released', 'held', 'inspection', 'seized', 'refused'] as const;
export type CustomsDecision = (typeof CUSTOMS_DECISIONS)[number];

// Local names become `glasshub:<name>`: a JSON-LD compact IRI that is also a valid URI.
const LOCAL_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const LANE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const MAX_VALUE_LENGTH = 1024;

/**
 * Hub extension fields (local names → string or list of strings) as `glasshub:` properties. String
 * values only: they hash identically in every implementation, unlike JSON numbers and booleans.
 * Known names are checked: `customsDecision` (one of CUSTOMS_DECISIONS), `uld` (an IATA ULD
 * identifier, written canonically) and `lane` (1–32 letters, digits, `-`, `_`).
 */
export function checkExtensions(value: unknown, field: string): Record<`glasshub:${string}`, string | string[]> {
  const out: Record<`glasshub:${string}`, string | string[]> = {};
  const record = checkRecord(value, field);
  // Field names (`extensions.lane`) are built only for a refusal: every scan's event passes through here.
  for (const name of Object.keys(record)) {
    const raw = record[name];
    if (raw === undefined) continue;
    if (!LOCAL_NAME.test(name)) refuse(`${field}.${name}`, 'extension names are 1–64 letters, digits, "_" or "-", starting with a letter or "_", without prefix');
    const values = Array.isArray(raw) ? (raw as readonly unknown[]).map((v, i) => checkText(v, field, name, i)) : checkText(raw, field, name);
    out[`glasshub:${name}`] = checkKnown(name, values, field);
  }
  return out;
}

function checkText(value: unknown, field: string, name: string, index?: number): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= MAX_VALUE_LENGTH && value.trim() === value) return value;
  const at = index === undefined ? `${field}.${name}` : `${field}.${name}[${index}]`;
  if (typeof value !== 'string') refuse(at, `expected a string, got ${show(value)}`);
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH) refuse(at, `must be 1 to ${MAX_VALUE_LENGTH} characters`);
  refuse(at, 'must not start or end with white space (the event hash trims it)');
}

function checkKnown(name: string, value: string | string[], parent: string): string | string[] {
  if (name !== 'customsDecision' && name !== 'uld' && name !== 'lane') return value;
  const field = `${parent}.${name}`;
  if (typeof value !== 'string') refuse(field, 'expected a single string');
  switch (name) {
    case 'customsDecision':
      if (!(CUSTOMS_DECISIONS as readonly string[]).includes(value)) refuse(field, `${show(value)} is not one of ${CUSTOMS_DECISIONS.join(', ')}`);
      return value;
    case 'uld': {
      const uld = parseUld(value);
      if (!uld.ok) refuse(field, `${show(value)}: ${uld.reason}`);
      return uld.value.value;
    }
    case 'lane':
      if (!LANE.test(value)) refuse(field, 'a lane is 1–32 letters, digits, "-" or "_"');
      return value;
  }
}
