/**
 * EPCIS event hash IDs (CBV 2.0, "EPCIS Event Hash ID"): `ni:///sha-256;<hex>?ver=CBV2.0`, the
 * SHA-256 of a canonical "pre-hash string" of the event. The hub uses them as `eventID`: the same scan
 * sent twice gets the same ID, so capture is idempotent and duplicates are found by primary key.
 *
 * Scope: the fields the hub's builders emit (the event head, epcList, parentID, childEPCs,
 * bizTransactionList, sourceList, destinationList, ilmd, user extensions with string values). Any
 * other standard field (quantities, sensor data, persistentDisposition, errorDeclaration, …) or an EPC
 * URN the hub cannot turn into a Digital Link (SGTIN, …) makes `eventHashId` throw, rather than
 * return a hash other implementations would not reproduce.
 *
 * The pre-hash string follows the published rules and, where their canonical order table and the
 * reference implementation (github.com/RalphTro/epcis-event-hash-generator) differ, the reference
 * implementation's test vectors, which `hash.test.ts` reproduces: after bizLocation, the list fields,
 * ilmd and user extensions are sorted as strings, which puts `destinationList` before `sourceList`
 * (the table lists them the other way round); inside a list element, `type=` comes first.
 */
import { hash } from 'node:crypto';
import { canonicalId } from './ids.js';
import { cbvExpand, type VocabularyKind } from './vocabulary.js';

export const EVENT_HASH_VERSION = 'CBV2.0';

/** A parsed JSON object; values are checked as the walk meets them. */
type JsonObject = Readonly<Record<string, unknown>>;

/** Namespace prefixes of the JSON-LD context, for extension names (`glasshub:lane`). */
export type Prefixes = Readonly<Record<string, string>>;

export class EventHashError extends Error {
  override readonly name = 'EventHashError';
}

/** Fields left out of the hash (CBV 2.0: eventID and recordTime are not part of the event's content). */
const IGNORED = new Set(['@context', 'eventID', 'recordTime']);
const HEAD = new Set(['type', 'eventTime', 'eventTimeZoneOffset', 'epcList', 'parentID', 'childEPCs', 'action', 'bizStep', 'disposition', 'readPoint', 'bizLocation']);
const LISTS: Readonly<Record<string, readonly [item: string, kind: VocabularyKind]>> = {
  bizTransactionList: ['bizTransaction', 'bizTransactionType'],
  sourceList: ['source', 'sourceDestinationType'],
  destinationList: ['destination', 'sourceDestinationType'],
};

/** The hash ID of an event (a JSON object as found in `eventList`). */
export function eventHashId(event: object, prefixes: Prefixes): string {
  // One-shot: a freighter hashes half a million events, and a Hash object per event cost twice as much.
  const digest = hash('sha256', eventPreHash(event, prefixes), 'hex');
  return `ni:///sha-256;${digest}?ver=${EVENT_HASH_VERSION}`;
}

/** The canonical pre-hash string of an event. */
export function eventPreHash(json: object, prefixes: Prefixes): string {
  const event = json as JsonObject;
  let head = `eventType=${text(event.type, 'type')}`;
  head += `eventTime=${canonicalTime(text(event.eventTime, 'eventTime'))}`;
  head += `eventTimeZoneOffset=${text(event.eventTimeZoneOffset, 'eventTimeZoneOffset').trim()}`;
  head += idList('epcList', event.epcList);
  if (event.parentID !== undefined) head += `parentID=${id(event.parentID, 'parentID')}`;
  head += idList('childEPCs', event.childEPCs);
  if (event.action !== undefined) head += `action=${text(event.action, 'action').trim()}`;
  if (event.bizStep !== undefined) head += `bizStep=${cbvExpand('bizStep', text(event.bizStep, 'bizStep').trim())}`;
  if (event.disposition !== undefined) head += `disposition=${cbvExpand('disposition', text(event.disposition, 'disposition').trim())}`;
  head += place('readPoint', event.readPoint);
  head += place('bizLocation', event.bizLocation);

  const tail: string[] = [];
  for (const key of Object.keys(event)) {
    if (IGNORED.has(key) || HEAD.has(key)) continue;
    const value = event[key];
    const list = LISTS[key];
    if (list !== undefined) tail.push(typedList(key, list, value));
    else if (key === 'ilmd') tail.push(`ilmd${extensionEntries(object(value, 'ilmd'), prefixes).join('')}`);
    else if (key.includes(':')) tail.push(...extensionEntry(key, value, prefixes));
    else throw new EventHashError(`the hub's event hash does not cover the field "${key}"`);
  }
  return head + tail.filter((s) => s !== '').sort(compareCodeUnits).join('');
}

/** Case-sensitive lexical order by character code (rule 10), not locale order. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new EventHashError(`${field}: expected a string`);
  return value;
}

function object(value: unknown, field: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EventHashError(`${field}: expected an object`);
  return value as JsonObject;
}

function array(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new EventHashError(`${field}: expected an array`);
  return value as readonly unknown[];
}

/** An identifier in canonical form (rules 17–18); refuses EPC URNs the hub cannot convert. */
function id(value: unknown, field: string): string {
  const raw = text(value, field).trim();
  const canonical = canonicalId(raw);
  if (canonical === undefined) throw new EventHashError(`${field}: cannot convert ${raw} to a GS1 Digital Link URI`);
  return canonical;
}

function idList(name: string, value: unknown): string {
  if (value === undefined) return '';
  const items = array(value, name).map((v, i) => `epc=${id(v, `${name}[${i}]`)}`);
  return items.length === 0 ? '' : name + items.sort(compareCodeUnits).join('');
}

function place(name: string, value: unknown): string {
  if (value === undefined) return '';
  const known = typeof value === 'object' && value !== null ? placeParts.get(value) : undefined;
  if (known !== undefined) return name + known;
  const checked = object(value, name);
  const { id: placeId, ...rest } = checked;
  if (Object.keys(rest).length > 0) throw new EventHashError(`${name}: the hub's event hash covers "id" only`);
  const part = `id=${id(placeId, `${name}.id`)}`;
  // Only frozen objects (the builders' shared places, see `checkPlace`): a mutable one may change.
  if (Object.isFrozen(checked)) placeParts.set(checked, part);
  return name + part;
}

/** The pre-hash part of a frozen `{ id }` place, by object: a batch's events share their places. */
const placeParts = new WeakMap<object, string>();

function typedList(name: string, [item, kind]: readonly [string, VocabularyKind], value: unknown): string {
  const entries = array(value, name).map((element, i) => {
    const { type, [item]: itemId, ...rest } = object(element, `${name}[${i}]`);
    if (Object.keys(rest).length > 0) throw new EventHashError(`${name}[${i}]: unexpected fields`);
    const typePart = type === undefined ? '' : `type=${cbvExpand(kind, text(type, `${name}[${i}].type`).trim())}`;
    return `${typePart}${item}=${id(itemId, `${name}[${i}].${item}`)}`;
  });
  return entries.length === 0 ? '' : name + entries.sort(compareCodeUnits).join('');
}

/** `prefix:local` → `{namespace}local` (rules 21–22). */
function expandName(key: string, prefixes: Prefixes): string {
  const colon = key.indexOf(':');
  const namespace = colon > 0 ? prefixes[key.slice(0, colon)] : undefined;
  if (namespace === undefined) throw new EventHashError(`extension "${key}": no namespace declared for its prefix`);
  return `{${namespace}}${key.slice(colon + 1)}`;
}

function extensionEntries(value: JsonObject, prefixes: Prefixes): string[] {
  return Object.entries(value).flatMap(([k, v]) => extensionEntry(k, v, prefixes)).sort(compareCodeUnits);
}

/** One extension element: repeated for each array item; nested elements sorted inside their parent. */
function extensionEntry(key: string, value: unknown, prefixes: Prefixes): string[] {
  const name = expandName(key, prefixes);
  if (Array.isArray(value)) return (value as readonly unknown[]).flatMap((v) => extensionEntry(key, v, prefixes));
  if (value !== null && typeof value === 'object') return [name + extensionEntries(value as JsonObject, prefixes).join('')];
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new EventHashError(`extension "${key}": not a JSON value`);
  }
  const canonical = value === null ? '' : canonicalValue(String(value).trim(), key);
  return [canonical === '' ? name : `${name}=${canonical}`];
}

const DECIMAL = /^[+-]?\d{1,15}(\.\d{1,15})?$/;

/**
 * An extension value: numbers without sign, leading or trailing zeros (rule 6, as the reference
 * implementation applies it: to any value that reads as a number), CBV URNs as Web URIs (rule 14) and
 * EPC URNs as Digital Link URIs (rule 17).
 */
function canonicalValue(value: string, field: string): string {
  if (DECIMAL.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n) && (n === 0 || Math.abs(n) >= 1e-4)) return String(n === 0 ? 0 : n);
    return value;
  }
  if (value.startsWith('urn:epcglobal:cbv:')) {
    for (const kind of ['bizStep', 'disposition', 'bizTransactionType', 'sourceDestinationType', 'errorReason'] as const) {
      const expanded = cbvExpand(kind, value);
      if (expanded !== value) return expanded;
    }
  }
  return value.startsWith('urn:epc:') ? id(value, field) : value;
}

/**
 * A timestamp in UTC with exactly 3 decimals (rules 8–9): more decimals round half up at the 4th.
 * The input is an RFC 3339 date-time with an offset, as the schema requires.
 */
export function canonicalTime(value: string): string {
  // Events of one batch share their time: the last answer is kept (the function is pure).
  if (value === lastTime[0]) return lastTime[1];
  const canonical = canonicalTimeOf(value);
  lastTime = [value, canonical];
  return canonical;
}

let lastTime: readonly [input: string, canonical: string] = ['', ''];

function canonicalTimeOf(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(value.trim());
  if (m === null) throw new EventHashError(`not an RFC 3339 date-time with offset: ${JSON.stringify(value)}`);
  const seconds = Date.parse(`${m[1]!}${m[3]!.toUpperCase()}`);
  if (Number.isNaN(seconds)) throw new EventHashError(`not a valid date-time: ${JSON.stringify(value)}`);
  const fraction = (m[2] ?? '').padEnd(4, '0');
  const millis = Number(fraction.slice(0, 3)) + (fraction.charCodeAt(3) >= 53 ? 1 : 0); // '5' is 53
  return new Date(seconds + millis).toISOString();
}
