/**
 * EPCIS documents in and out of the event store.
 *
 * In (`POST /epcis/capture`): an EPCISDocument — or an EPCISQueryDocument, whose events are captured
 * the same way (a repository re-ingesting another's query answer; the standard's example set has one) —
 * is validated against the official schema as a whole, then each event is prepared for storage:
 * - a third party's `eventID` is kept as given;
 * - an event without one gets the CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`, computed with the
 *   document's own namespace prefixes) when the hub's hash covers its fields, else a name-based UUID
 *   (`urn:uuid:`, RFC 9562 version 8) from the SHA-256 of the event's canonical JSON (keys sorted, the
 *   JSON-LD context included). Either way the same event captured twice gets the same ID, and the
 *   second capture is recognised as a duplicate instead of being stored again;
 * - `recordTime` is the repository's to set (EPCIS 2.0 §7.4.1): one given in capture is dropped and the
 *   capture time is written instead;
 * - the document's own `@context` entries beyond the standard context (namespace prefixes such as
 *   `example:`) are copied into the event as its `@context`, which the schema allows, so that the event
 *   keeps its meaning when served in another document.
 *
 * Out (`GET /epcis/events`): an EPCISQueryDocument of stored events.
 */
import { createHash } from 'node:crypto';
import { EPCIS_CONTEXT_URL, EventHashError, eventHashId, GLASSHUB_NAMESPACE, validateEpcisDocument, type SchemaError } from '../epcis/index.js';
import type { StoredEventJson } from './query.js';
import type { StorableEvent } from './rows.js';

type Json = Readonly<Record<string, unknown>>;

export class CaptureRefused extends Error {
  override readonly name = 'CaptureRefused';
  constructor(readonly errors: readonly SchemaError[]) {
    super(`not a valid EPCIS 2.0 document: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
  }
}

export interface PreparedCapture {
  readonly events: readonly StorableEvent[];
  /** How many events had no eventID and were given one. */
  readonly minted: number;
}

export class CaptureTooLarge extends Error {
  override readonly name = 'CaptureTooLarge';
  constructor(
    readonly events: number,
    readonly limit: number,
  ) {
    super(`${events} events; at most ${limit} per capture`);
  }
}

/**
 * Validates a captured document and prepares its events; throws `CaptureRefused` listing schema errors,
 * or `CaptureTooLarge` past `maxEvents`.
 */
export function prepareCapture(doc: unknown, maxEvents = Number.POSITIVE_INFINITY): PreparedCapture {
  const result = validateEpcisDocument(doc);
  if (!result.ok) throw new CaptureRefused(result.errors);
  const d = doc as Json;
  const body = d.epcisBody as { eventList?: unknown; queryResults?: { resultsBody?: { eventList?: unknown } } };
  const list = d.type === 'EPCISQueryDocument' ? body.queryResults?.resultsBody?.eventList : body.eventList;
  if (Array.isArray(list) && list.length > maxEvents) throw new CaptureTooLarge(list.length, maxEvents);
  const { prefixes, extraContext } = context(d['@context']);
  let minted = 0;
  const events = (Array.isArray(list) ? (list as Json[]) : []).map((raw) => {
    const event: Record<string, unknown> = { ...raw };
    delete event.recordTime;
    const withContext: Json = event['@context'] === undefined && extraContext.length > 0 ? { '@context': extraContext, ...event } : event;
    if (typeof withContext.eventID === 'string') return withContext as unknown as StorableEvent;
    minted++;
    return { eventID: mintEventId(withContext, prefixes), ...withContext } as unknown as StorableEvent;
  });
  return { events, minted };
}

/** The CBV 2.0 hash ID when the hub's hash covers the event, else a deterministic `urn:uuid:`. */
export function mintEventId(event: Json, prefixes: Readonly<Record<string, string>>): string {
  try {
    return eventHashId(event, prefixes);
  } catch (err) {
    if (!(err instanceof EventHashError)) throw err;
  }
  const hex = createHash('sha256').update(canonicalJson(event), 'utf8').digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** JSON with object keys sorted at every depth (arrays keep their order). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Namespace prefixes (`{"example": "http://…"}` entries) and every entry beyond the standard context. */
function context(value: unknown): { prefixes: Record<string, string>; extraContext: unknown[] } {
  const entries = Array.isArray(value) ? (value as unknown[]) : [value];
  const prefixes: Record<string, string> = {};
  const extraContext: unknown[] = [];
  for (const entry of entries) {
    if (entry === EPCIS_CONTEXT_URL || entry === undefined) continue;
    extraContext.push(entry);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    for (const [prefix, iri] of Object.entries(entry as Json)) if (typeof iri === 'string') prefixes[prefix] = iri;
  }
  return { prefixes, extraContext };
}

export interface EpcisQueryDocument {
  readonly '@context': readonly [typeof EPCIS_CONTEXT_URL, { readonly glasshub: typeof GLASSHUB_NAMESPACE }];
  readonly type: 'EPCISQueryDocument';
  readonly schemaVersion: '2.0';
  readonly creationDate: string;
  readonly epcisBody: {
    readonly queryResults: { readonly queryName: 'SimpleEventQuery'; readonly resultsBody: { readonly eventList: readonly StoredEventJson[] } };
  };
}

/** The answer to a query: the events in an EPCISQueryDocument (EPCIS 2.0 REST binding). */
export function queryDocument(events: readonly StoredEventJson[], creationDate: Date = new Date()): EpcisQueryDocument {
  return {
    '@context': [EPCIS_CONTEXT_URL, { glasshub: GLASSHUB_NAMESPACE }],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: events } } },
  };
}
