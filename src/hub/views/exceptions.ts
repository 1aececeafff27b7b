import type { Kysely } from 'kysely';
import type { ErasedRecipients } from '../operations/index.js';
import type { Database } from '../../store/index.js';

export type ExceptionKind = 'short-shipped' | 'over-carried' | 'unknown-parcel' | 'unknown-destination' | 'recipient-erased';

export interface ExceptionItem {
  readonly kind: ExceptionKind;
  readonly trackingNumber: string;
  readonly flightId: string | null;
  readonly location: string | null;
  readonly at: string | null;
}

export interface Exceptions {
  readonly counts: { readonly shortShipped: number; readonly overCarried: number; readonly unknownParcel: number; readonly unknownDestination: number; readonly recipientErased: number };
  /** Newest first, at most `limit` in all. */
  readonly items: readonly ExceptionItem[];
}

/**
 * What needs a person's attention on the floor. Short-shipped: not inducted on a closed flight (a flight still
 * in breakdown has only provisional ones: see its breakdown report). Over-carried and unknown parcels: the
 * scan exceptions. Status `exception`: recipient erased when the gate (`erasures`) says the consignee's data was
 * erased (sorting or dispatch sent it there: nobody to deliver to), else unknown destination (no rule of the
 * sort plan matched). The gate is asked by opaque reference, and opens nothing.
 */
export async function floorExceptions(db: Kysely<Database>, limit: number, erasures?: ErasedRecipients): Promise<Exceptions> {
  const short = db
    .selectFrom('parcels as p')
    .innerJoin('flights as f', 'f.id', 'p.flight_id')
    .where('f.status', '=', 'broken-down')
    .where('p.received_at', 'is', null);
  const [shortCount, shortItems, scanCounts, scanItems, exceptional] = await Promise.all([
    short.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    short.select(['p.tracking_number', 'p.flight_id', 'f.arrived_at']).orderBy('f.arrived_at', 'desc').orderBy('p.tracking_number').limit(limit).execute(),
    db
      .selectFrom('hub_exceptions')
      .select((eb) => ['kind', eb.fn.count<number | string>('tracking_number').distinct().as('n')])
      .groupBy('kind')
      .execute(),
    db.selectFrom('hub_exceptions').select(['kind', 'tracking_number', 'flight_id', 'location', 'scanned_at']).orderBy('scanned_at', 'desc').limit(2 * limit).execute(),
    // Every one: the erased among them are counted apart (status `exception` parcels are few: problems).
    db.selectFrom('parcels').select(['tracking_number', 'flight_id', 'lane', 'updated_at', 'consignee_ref']).where('status', '=', 'exception').orderBy('updated_at', 'desc').execute(),
  ]);
  const erased = erasures === undefined || exceptional.length === 0 ? new Set<string>() : await erasures.erasedAmong(exceptional.map((p) => p.consignee_ref), db);
  const destItems = exceptional.map((p) => ({ ...p, kind: erased.has(p.consignee_ref) ? ('recipient-erased' as const) : ('unknown-destination' as const) }));
  const recipientErased = destItems.filter((p) => p.kind === 'recipient-erased').length;
  const scans = (kind: string) => Number(scanCounts.find((c) => c.kind === kind)?.n ?? 0);
  const items: ExceptionItem[] = [
    ...shortItems.map((p) => ({ kind: 'short-shipped' as const, trackingNumber: p.tracking_number, flightId: p.flight_id, location: null, at: p.arrived_at })),
    ...scanItems.map((e) => ({ kind: e.kind, trackingNumber: e.tracking_number, flightId: e.flight_id, location: e.location, at: e.scanned_at })),
    ...destItems.slice(0, limit).map((p) => ({ kind: p.kind, trackingNumber: p.tracking_number, flightId: p.flight_id, location: p.lane, at: p.updated_at })),
  ];
  items.sort((a, b) => ((b.at ?? '') < (a.at ?? '') ? -1 : (b.at ?? '') > (a.at ?? '') ? 1 : 0));
  return {
    counts: { shortShipped: Number(shortCount.n), overCarried: scans('over-carried'), unknownParcel: scans('unknown-parcel'), unknownDestination: destItems.length - recipientErased, recipientErased },
    items: items.slice(0, limit),
  };
}
