/**
 * `hub/events`: the EPCIS 2.0 event store — record (batched, idempotent on eventID), query (the REST
 * query's filter as SQL, keyset-paged), capture of third-party documents.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { prepareCapture } from './documents.js';
import { recordEvents, type RecordOptions, type RecordResult } from './store.js';

export { CaptureRefused, CaptureTooLarge, mintEventId, prepareCapture, queryDocument, type EpcisQueryDocument, type PreparedCapture } from './documents.js';
export { decodePageToken, encodePageToken, PageTokenError, queryEvents, type EventPage, type StoredEventJson } from './query.js';
export { EPC_PERIODS, EVENTS_PER_PERIOD, periodOf } from './periods.js';
export { EventStoreError, eventRows, type EpcRole, type EventRow, type EventRows, type StorableEvent } from './rows.js';
export { recordEvents, type RecordOptions, type RecordResult } from './store.js';

export interface CaptureResult extends RecordResult {
  /** Events that came without an eventID and were given one (see `prepareCapture`). */
  readonly minted: number;
}

export interface CaptureOptions extends RecordOptions {
  /** Most events one document may carry (default: no limit). */
  readonly maxEvents?: number;
}

/** Validates an EPCIS document and stores its events in one transaction; throws `CaptureRefused` or `CaptureTooLarge`. */
export async function captureDocument(db: Kysely<Database>, doc: unknown, options: CaptureOptions = {}): Promise<CaptureResult> {
  const { events, minted } = prepareCapture(doc, options.maxEvents);
  const result = await db.transaction().execute((tx) => recordEvents(tx, events, options));
  return { ...result, minted };
}
