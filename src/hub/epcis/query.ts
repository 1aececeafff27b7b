/**
 * The EPCIS 2.0 REST query parameters the hub supports on `GET /epcis/events` (EPCIS 2.0 §8.2.7.1 and
 * the standard's OpenAPI binding: list values are pipe-delimited, `EQ_bizStep=shipping|receiving`),
 * parsed into a typed filter, and `matchesFilter`, the pure reference semantics that the storage's SQL
 * translation is tested against. Every parameter value is untrusted input: each refusal names its
 * parameter, and all refusals are reported at once.
 *
 * MATCH_epc patterns: an exact URI (URN and Digital Link spellings of an SSCC, SGLN or PGLN are the
 * same EPC); an EPC pattern URI (`urn:epc:idpat:sgtin:0614141.*.*`, GS1 EPC Tag Data Standard: `*` stands for
 * whole trailing fields), which matches EPCs written as URNs; and, for other URIs, a final `*` standing
 * for any rest (`https://id.gs1.org/00/*`, `https://id.glasshub.dev/s10/*`), a hub extension since the
 * Digital Link and the hub's URIs have no pattern syntax of their own. Each pattern is thus an exact
 * value or a prefix, which SQL says with `=` and `LIKE 'prefix%'`.
 *
 * Times compare at millisecond precision (both sides rounded as the CBV event hash rounds them).
 */
import { canonicalTime } from './hash.js';
import { canonicalIdOrSelf } from './ids.js';
import { isDateTime, isUri } from './schema.js';
import { cbvBareWord, isAction, isEventType, type Action, type EventType } from './vocabulary.js';

export type EpcPattern = { readonly kind: 'exact'; readonly uri: string } | { readonly kind: 'prefix'; readonly prefix: string };

export interface EventFilter {
  readonly eventTypes?: readonly EventType[];
  readonly actions?: readonly Action[];
  /** Bare words for CBV business steps, URIs for custom ones. */
  readonly bizSteps?: readonly string[];
  /** Canonical identifiers (Digital Link for SGLN URNs). */
  readonly bizLocations?: readonly string[];
  readonly epcs?: readonly EpcPattern[];
  /** Inclusive lower bound, milliseconds since the Unix epoch. */
  readonly geEventTime?: number;
  /** Exclusive upper bound, milliseconds since the Unix epoch. */
  readonly ltEventTime?: number;
  readonly perPage: number;
  readonly nextPageToken?: string;
}

export interface QueryParameterError {
  readonly parameter: string;
  readonly message: string;
}
export type ParsedQuery =
  | { readonly ok: true; readonly filter: EventFilter }
  | { readonly ok: false; readonly errors: readonly QueryParameterError[] };

export type QueryInput = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** EPCIS 2.0 OpenAPI: `perPage` defaults to 30; a server may cap it (the client cannot override). */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;

const SUPPORTED = ['eventType', 'EQ_action', 'EQ_bizStep', 'EQ_bizLocation', 'MATCH_epc', 'GE_eventTime', 'LT_eventTime', 'perPage', 'nextPageToken'] as const;
type Parameter = (typeof SUPPORTED)[number];
const MAX_VALUES = 100;
const TOKEN = /^[A-Za-z0-9._~=-]{1,1024}$/;

class Refusal extends Error {}
type Building = { -readonly [K in keyof EventFilter]: EventFilter[K] };

/** Parses the query string of `GET /epcis/events` into a filter, or every reason it is refused. */
export function parseEventQuery(input: QueryInput, maxPerPage: number = MAX_PER_PAGE): ParsedQuery {
  const errors: QueryParameterError[] = [];
  const raw = new Map<Parameter, string>();
  for (const [name, values] of entries(input)) {
    if (!(SUPPORTED as readonly string[]).includes(name)) {
      errors.push({ parameter: name, message: `not supported by this server; supported: ${SUPPORTED.join(', ')}` });
    } else if (values.length !== 1) {
      errors.push({ parameter: name, message: 'given more than once; list several values in one parameter, separated by "|"' });
    } else raw.set(name as Parameter, values[0]!);
  }
  const filter: Building = { perPage: Math.min(DEFAULT_PER_PAGE, maxPerPage) };
  for (const [parameter, value] of raw) {
    try {
      apply(filter, parameter, value, maxPerPage);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      errors.push({ parameter, message: e.message });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filter };
}

function entries(input: QueryInput): [string, string[]][] {
  const out = new Map<string, string[]>();
  if (input instanceof URLSearchParams) {
    for (const [k, v] of input) out.set(k, [...(out.get(k) ?? []), v]);
  } else {
    for (const [k, v] of Object.entries(input)) {
      if (v !== undefined) out.set(k, typeof v === 'string' ? [v] : [...v]);
    }
  }
  return [...out];
}

function apply(filter: Building, parameter: Parameter, value: string, maxPerPage: number): void {
  switch (parameter) {
    case 'eventType':
      filter.eventTypes = list(value).map((v) => member(v, isEventType, 'an EPCIS event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)'));
      return;
    case 'EQ_action':
      filter.actions = list(value).map((v) => member(v, isAction, 'ADD, OBSERVE or DELETE'));
      return;
    case 'EQ_bizStep':
      filter.bizSteps = list(value).map(bizStep);
      return;
    case 'EQ_bizLocation':
      filter.bizLocations = list(value).map((v) => canonicalIdOrSelf(uri(v)));
      return;
    case 'MATCH_epc':
      filter.epcs = list(value).map(epcPattern);
      return;
    case 'GE_eventTime':
      filter.geEventTime = time(value);
      return;
    case 'LT_eventTime':
      filter.ltEventTime = time(value);
      return;
    case 'perPage':
      if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new Refusal(`must be a positive integer, got ${show(value)}`);
      filter.perPage = Math.min(Number(value), maxPerPage);
      return;
    case 'nextPageToken':
      if (!TOKEN.test(value)) throw new Refusal('not a page token issued by this server');
      filter.nextPageToken = value;
      return;
  }
}

function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function list(value: string): string[] {
  const items = value.split('|');
  if (items.length > MAX_VALUES) throw new Refusal(`at most ${MAX_VALUES} values`);
  if (items.some((v) => v === '')) throw new Refusal('empty value (values are separated by a single "|")');
  return items;
}

function member<T extends string>(value: string, is: (v: unknown) => v is T, what: string): T {
  if (!is(value)) throw new Refusal(`${show(value)} is not ${what}`);
  return value;
}

function uri(value: string): string {
  if (value.length > 2048 || !isUri(value)) throw new Refusal(`${show(value)} is not an absolute URI`);
  return value;
}

function bizStep(value: string): string {
  const word = cbvBareWord('bizStep', value);
  if (word !== undefined) return word;
  if (!value.includes(':')) throw new Refusal(`${show(value)} is not a CBV 2.0 business step (custom steps are URIs)`);
  return uri(value);
}

function time(value: string): number {
  if (!isDateTime(value)) throw new Refusal(`${show(value)} is not an RFC 3339 date-time with offset, e.g. 2025-01-31T23:00:00.000+01:00`);
  return Date.parse(canonicalTime(value));
}

const IDPAT = /^urn:epc:idpat:([a-z0-9-]+):(.+)$/i;

function epcPattern(value: string): EpcPattern {
  const idpat = IDPAT.exec(value);
  if (idpat !== null) {
    const fields = idpat[2]!.split('.');
    const firstStar = fields.indexOf('*');
    const fixed = firstStar === -1 ? fields : fields.slice(0, firstStar);
    if (fixed.some((f) => f.includes('*')) || fields.slice(fixed.length).some((f) => f !== '*')) {
      throw new Refusal(`${show(value)}: in an EPC pattern, "*" stands for whole fields, and only for the last ones`);
    }
    const id = `urn:epc:id:${idpat[1]!}:${fixed.join('.')}`;
    if (firstStar === -1) return { kind: 'exact', uri: canonicalIdOrSelf(uri(id)) };
    return { kind: 'prefix', prefix: fixed.length === 0 ? id : `${id}.` };
  }
  const star = value.indexOf('*');
  if (star === -1) return { kind: 'exact', uri: canonicalIdOrSelf(uri(value)) };
  if (star !== value.length - 1) throw new Refusal(`${show(value)}: "*" is allowed only as the last character`);
  const prefix = value.slice(0, -1);
  uri(`${prefix}x`); // the prefix must begin a URI
  return { kind: 'prefix', prefix };
}

/** The query string that `parseEventQuery` reads back as `filter` (for `Link: <…>; rel="next"`). */
export function filterToQuery(filter: EventFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (filter.eventTypes) q.set('eventType', filter.eventTypes.join('|'));
  if (filter.actions) q.set('EQ_action', filter.actions.join('|'));
  if (filter.bizSteps) q.set('EQ_bizStep', filter.bizSteps.join('|'));
  if (filter.bizLocations) q.set('EQ_bizLocation', filter.bizLocations.join('|'));
  if (filter.epcs) q.set('MATCH_epc', filter.epcs.map((p) => (p.kind === 'exact' ? p.uri : `${p.prefix}*`)).join('|'));
  if (filter.geEventTime !== undefined) q.set('GE_eventTime', new Date(filter.geEventTime).toISOString());
  if (filter.ltEventTime !== undefined) q.set('LT_eventTime', new Date(filter.ltEventTime).toISOString());
  q.set('perPage', String(filter.perPage));
  if (filter.nextPageToken !== undefined) q.set('nextPageToken', filter.nextPageToken);
  return q;
}

/**
 * Whether an event (any EPCIS 2.0 event as JSON) passes every condition of the filter; pagination
 * (`perPage`, `nextPageToken`) is the storage's. A condition on a field the event lacks fails,
 * as EPCIS 2.0 §8.2.7.1 says ("the result will only include events that have a … field").
 */
export function matchesFilter(event: object, filter: EventFilter): boolean {
  const e = event as Readonly<Record<string, unknown>>;
  if (filter.eventTypes && !includes(filter.eventTypes, e.type)) return false;
  if (filter.actions && !includes(filter.actions, e.action)) return false;
  if (filter.bizSteps) {
    if (typeof e.bizStep !== 'string' || !filter.bizSteps.includes(cbvBareWord('bizStep', e.bizStep) ?? e.bizStep)) return false;
  }
  if (filter.bizLocations) {
    const id = placeId(e.bizLocation);
    if (typeof id !== 'string' || !filter.bizLocations.includes(canonicalIdOrSelf(id))) return false;
  }
  if (filter.geEventTime !== undefined || filter.ltEventTime !== undefined) {
    const t = eventTimeMs(e.eventTime);
    if (t === undefined) return false;
    if (filter.geEventTime !== undefined && t < filter.geEventTime) return false;
    if (filter.ltEventTime !== undefined && t >= filter.ltEventTime) return false;
  }
  if (filter.epcs && !anyEpcMatches(e, filter.epcs)) return false;
  return true;
}

const includes = (values: readonly string[], value: unknown): boolean => typeof value === 'string' && values.includes(value);
const placeId = (place: unknown): unknown => (typeof place === 'object' && place !== null ? (place as { id?: unknown }).id : undefined);

function eventTimeMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !isDateTime(value)) return undefined;
  return Date.parse(canonicalTime(value));
}

function anyEpcMatches(e: Readonly<Record<string, unknown>>, patterns: readonly EpcPattern[]): boolean {
  for (const list of [e.epcList, e.childEPCs]) {
    if (!Array.isArray(list)) continue;
    for (const epc of list as readonly unknown[]) {
      if (typeof epc !== 'string') continue;
      const canonical = canonicalIdOrSelf(epc);
      for (const p of patterns) {
        if (p.kind === 'exact' ? canonical === p.uri : epc.startsWith(p.prefix) || canonical.startsWith(p.prefix)) return true;
      }
    }
  }
  return false;
}
