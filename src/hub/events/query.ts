/**
 * `queryEvents`: the EPCIS 2.0 REST query (`GET /events`) on the event store — `parseEventQuery`'s filter
 * as SQL, with the same answer as the reference matcher `matchesFilter`, in capture order, paged by
 * keyset: `nextPageToken` is the base64url of the last `seq` served, opaque to clients. A token only
 * says where to resume; the filter comes again with every page (the `Link: rel="next"` URL carries both).
 *
 * `MATCH_epc`: an exact pattern is an index lookup on `epcis_event_epcs (period, epc, seq)`, one seek per
 * period (see `periods.ts`); a prefix pattern
 * compares `substr(epc, 1, n)` — the same on both stores and independent of collation and of `LIKE`'s
 * case rules (SQLite's `LIKE` ignores ASCII case), at the cost of a scan of the index rows.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../store/index.js';
import type { EventFilter } from '../epcis/index.js';
import { EPC_PERIODS } from './periods.js';
import { EventStoreError } from './rows.js';

export interface StoredEventJson {
  readonly eventID: string;
  readonly recordTime: string;
  readonly [field: string]: unknown;
}

export interface EventPage {
  readonly events: readonly StoredEventJson[];
  /** Present when more events match: pass it back as `nextPageToken` for the next page. */
  readonly nextPageToken?: string;
}

export class PageTokenError extends EventStoreError {
  override readonly name = 'PageTokenError';
}

export function encodePageToken(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

/** The seq a token resumes after; throws `PageTokenError` for anything this server did not issue. */
export function decodePageToken(token: string): number {
  const text = /^[A-Za-z0-9_-]{1,24}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (!/^(0|[1-9]\d{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new PageTokenError('nextPageToken is not a page token issued by this server');
  }
  return Number(text);
}

/** One page of the events matching `filter` (its `perPage` and `nextPageToken` included). */
export async function queryEvents(db: Kysely<Database>, filter: EventFilter): Promise<EventPage> {
  const after = filter.nextPageToken === undefined ? undefined : decodePageToken(filter.nextPageToken);
  const rows = await db
    .selectFrom('epcis_events as e')
    .select(['e.seq', 'e.document', 'e.record_time'])
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (after !== undefined) conditions.push(eb('e.seq', '>', after));
      if (filter.eventTypes) conditions.push(eb('e.event_type', 'in', nonEmpty(filter.eventTypes)));
      if (filter.actions) conditions.push(eb('e.action', 'in', nonEmpty(filter.actions)));
      if (filter.bizSteps) conditions.push(eb('e.biz_step', 'in', nonEmpty(filter.bizSteps)));
      if (filter.bizLocations) conditions.push(eb('e.biz_location', 'in', nonEmpty(filter.bizLocations)));
      if (filter.geEventTime !== undefined) conditions.push(eb('e.event_time', '>=', new Date(filter.geEventTime).toISOString()));
      if (filter.ltEventTime !== undefined) conditions.push(eb('e.event_time', '<', new Date(filter.ltEventTime).toISOString()));
      if (filter.epcs) {
        const exact = filter.epcs.flatMap((p) => (p.kind === 'exact' ? [p.uri] : []));
        const prefixes = filter.epcs.flatMap((p) => (p.kind === 'prefix' ? [p.prefix] : []));
        const matching = eb
          .selectFrom('epcis_event_epcs as x')
          .select('x.seq')
          .where((xb) => {
            const any: Expression<SqlBool>[] = [];
            if (exact.length > 0) any.push(xb.and([xb('x.period', 'in', EPC_PERIODS), xb('x.epc', 'in', exact), xb('x.role', '=', 'epc')]));
            for (const prefix of prefixes) {
              const starts = sql<SqlBool>`substr(${xb.ref('x.epc')}, 1, ${[...prefix].length}) = ${prefix}`;
              any.push(xb.and([xb('x.role', 'in', ['epc', 'epc-raw']), starts]));
            }
            return xb.or(any);
          });
        conditions.push(eb('e.seq', 'in', matching));
      }
      return eb.and(conditions);
    })
    .orderBy('e.seq')
    .limit(filter.perPage + 1)
    .execute();
  const page = rows.slice(0, filter.perPage);
  const events = page.map((r) => ({ ...(JSON.parse(r.document) as { eventID: string }), recordTime: r.record_time }));
  const last = page.at(-1);
  return rows.length > filter.perPage && last !== undefined ? { events, nextPageToken: encodePageToken(Number(last.seq)) } : { events };
}

/** `IN ()` is not SQL; the query parser never yields an empty list, but a caller might. */
function nonEmpty<T extends string>(values: readonly T[]): readonly T[] {
  return values.length > 0 ? values : ([''] as unknown as readonly T[]);
}
