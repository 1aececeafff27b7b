/** A flight's breakdown report: see `breakdown.ts` for what short-shipped and over-carried mean, `short-shipped.ts` for the rule. */
import type { Hub } from './config.js';
import { details, OperationError } from './errors.js';
import { countsAsShortShipped, type ShortShippedScope } from './short-shipped.js';

export interface UldSummary {
  readonly uld: string;
  readonly status: 'expected' | 'received';
  readonly manifested: number;
  readonly scanned: number;
}

export interface ShortShipped {
  readonly trackingNumber: string;
  readonly awb: string;
  readonly uld: string | null;
}

export interface OverCarried {
  readonly trackingNumber: string;
  readonly location: string;
  readonly scanner: string | null;
  readonly scannedAt: string;
  readonly eventID: string;
}

export interface BreakdownReport {
  readonly flightId: string;
  readonly flightStatus: 'expected' | 'arrived' | 'broken-down';
  /** True once the flight is closed: until then, `shortShipped` is provisional. */
  readonly final: boolean;
  readonly manifested: number;
  readonly scanned: number;
  readonly ulds: readonly UldSummary[];
  readonly shortShipped: readonly ShortShipped[];
  readonly overCarried: readonly OverCarried[];
}

export async function breakdownReport(hub: Hub, flightId: string): Promise<BreakdownReport> {
  const { db } = hub;
  const flight = await db.selectFrom('flights').select(['id', 'status']).where('id', '=', flightId).executeTakeFirst();
  if (!flight) throw new OperationError('NOT_FOUND', `flight ${flightId} is not known`, details([{ field: 'flightId', value: flightId }], 'unknown flight'));
  const final = flight.status === 'broken-down';
  const ulds = await db.selectFrom('ulds').select(['uld', 'status']).where('flight_id', '=', flight.id).orderBy('uld').execute();
  const counts = await db
    .selectFrom('parcels')
    .select((eb) => ['uld', eb.fn.countAll<number>().as('manifested'), eb.fn.count<number>('received_at').as('scanned')])
    .where('flight_id', '=', flight.id)
    .groupBy('uld')
    .execute();
  const byUld = new Map(counts.map((c) => [c.uld, { manifested: Number(c.manifested), scanned: Number(c.scanned) }]));
  const scope: ShortShippedScope = { flightClosed: final, receivedUlds: new Set(ulds.filter((u) => u.status === 'received').map((u) => u.uld)) };
  let unscannedQuery = db.selectFrom('parcels').select(['tracking_number', 'awb', 'uld']).where('flight_id', '=', flight.id).where('received_at', 'is', null);
  // Narrowed in SQL to the rows the rule can count: during breakdown a freighter has 250,000 unscanned parcels.
  if (!scope.flightClosed) unscannedQuery = unscannedQuery.where('uld', 'in', [...scope.receivedUlds]);
  const unscanned = scope.flightClosed || scope.receivedUlds.size > 0 ? await unscannedQuery.orderBy('tracking_number').execute() : [];
  const short = unscanned.filter((p) => countsAsShortShipped(scope, p.uld));
  const over = await db
    .selectFrom('hub_exceptions')
    .select(['tracking_number', 'location', 'scanner', 'scanned_at', 'event_id'])
    .where('flight_id', '=', flight.id)
    .where('kind', '=', 'over-carried')
    .orderBy('scanned_at')
    .execute();
  return {
    flightId: flight.id,
    flightStatus: flight.status,
    final,
    manifested: counts.reduce((n, c) => n + Number(c.manifested), 0),
    scanned: counts.reduce((n, c) => n + Number(c.scanned), 0),
    ulds: ulds.map((u) => ({ uld: u.uld, status: u.status, ...(byUld.get(u.uld) ?? { manifested: 0, scanned: 0 }) })),
    shortShipped: short.map((p) => ({ trackingNumber: p.tracking_number, awb: p.awb, uld: p.uld })),
    overCarried: firstPerParcel(over).map((o) => ({ trackingNumber: o.tracking_number, location: o.location, scanner: o.scanner, scannedAt: o.scanned_at, eventID: o.event_id })),
  };
}

/** A parcel scanned several times is over-carried once, at its first scan. */
function firstPerParcel<T extends { tracking_number: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.tracking_number) && seen.add(r.tracking_number) !== undefined);
}
