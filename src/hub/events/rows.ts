/**
 * The columns of an event's storage rows: what `queryEvents` filters on, computed once at capture with the
 * same normalisations as the reference matcher `matchesFilter` (`hub/epcis/query.ts`), so that SQL and the
 * matcher agree (property-tested on both stores):
 *
 * - `biz_step`: the CBV bare word for a CBV step in any spelling, the URI itself for a custom step;
 * - `biz_location`: the canonical identifier (Digital Link for an SGLN URN);
 * - `event_time`: the instant at millisecond precision in UTC (`canonicalTime`), which sorts as text;
 * - identifiers, one row each: `epc` for the canonical form of an `epcList` or `childEPCs` member (what
 *   `MATCH_epc` compares exactly), `epc-raw` for its spelling as captured when that differs (which a
 *   `MATCH_epc` prefix pattern may also match), `parent` for `parentID`, `input` / `output` for a
 *   TransformationEvent's lists (both spellings; these three are not looked at by `MATCH_epc`).
 */
import { canonicalIdOrSelf, canonicalTime, cbvBareWord, isDateTime } from '../epcis/index.js';

/** What storage needs of an event: an EPCIS 2.0 event as JSON (a builder's output, or validated). */
export interface StorableEvent {
  readonly eventID: string;
  readonly type: string;
  readonly eventTime: string;
}

export type EpcRole = 'epc' | 'epc-raw' | 'parent' | 'input' | 'output';

export interface EventRow {
  readonly event_id: string;
  readonly event_type: string;
  readonly event_time: string;
  readonly record_time: string;
  readonly biz_step: string | null;
  readonly biz_location: string | null;
  readonly action: string | null;
  readonly document: string;
}

export interface EventRows {
  readonly row: EventRow;
  /** Identifier → role, each identifier once (the first role in the order above wins). */
  readonly epcs: ReadonlyMap<string, EpcRole>;
}

export class EventStoreError extends RangeError {
  override readonly name: string = 'EventStoreError';
}

/** The rows of one event. Throws `EventStoreError` for an event without a usable eventID or eventTime. */
export function eventRows(event: StorableEvent, recordTime: string): EventRows {
  const e = event as unknown as Readonly<Record<string, unknown>>;
  if (typeof e.eventID !== 'string' || e.eventID.length === 0) throw new EventStoreError('an event to store needs an eventID');
  if (typeof e.type !== 'string') throw new EventStoreError(`event ${e.eventID}: no type`);
  if (typeof e.eventTime !== 'string') throw new EventStoreError(`event ${e.eventID}: eventTime is not an RFC 3339 date-time`);
  const location = placeId(e.bizLocation);
  const row: EventRow = {
    event_id: e.eventID,
    event_type: e.type,
    event_time: utcMillis(e.eventID, e.eventTime),
    record_time: recordTime,
    biz_step: typeof e.bizStep === 'string' ? (cbvBareWord('bizStep', e.bizStep) ?? e.bizStep) : null,
    biz_location: typeof location === 'string' ? canonicalIdOrSelf(location) : null,
    action: typeof e.action === 'string' ? e.action : null,
    document: JSON.stringify(event),
  };
  return { row, epcs: identifiers(e) };
}

function identifiers(e: Readonly<Record<string, unknown>>): Map<string, EpcRole> {
  const out = new Map<string, EpcRole>();
  const matched = [...strings(e.epcList), ...strings(e.childEPCs)];
  for (const id of matched) add(out, canonicalIdOrSelf(id), 'epc');
  for (const id of matched) add(out, id, 'epc-raw');
  if (typeof e.parentID === 'string') addBoth(out, e.parentID, 'parent');
  for (const id of strings(e.inputEPCList)) addBoth(out, id, 'input');
  for (const id of strings(e.outputEPCList)) addBoth(out, id, 'output');
  return out;
}

// Plain functions, not closures made per event: a freighter stores half a million events.
function add(out: Map<string, EpcRole>, id: string, role: EpcRole): void {
  if (!out.has(id)) out.set(id, role);
}

function addBoth(out: Map<string, EpcRole>, id: string, role: EpcRole): void {
  add(out, canonicalIdOrSelf(id), role);
  add(out, id, role);
}

/** The last time found already canonical: a batch's events mostly share their time (one scan, one wave). */
let lastCanonical = '';

/** The instant in canonical form; the builders' output already is (the fast path of the sorter). */
function utcMillis(eventID: string, time: string): string {
  if (time === lastCanonical) return time;
  if (time.length === 24 && time.endsWith('Z')) {
    const date = new Date(time);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === time) return (lastCanonical = time);
  }
  if (!isDateTime(time)) throw new EventStoreError(`event ${eventID}: eventTime is not an RFC 3339 date-time`);
  return canonicalTime(time);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is string => typeof v === 'string') : [];
}

function placeId(place: unknown): unknown {
  return typeof place === 'object' && place !== null ? (place as { id?: unknown }).id : undefined;
}
