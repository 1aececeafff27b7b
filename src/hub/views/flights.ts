import type { Kysely } from 'kysely';
import { countsAsShortShipped, type ShortShippedScope } from '../operations/index.js';
import type { Database } from '../../store/index.js';
import type { FlightStatus } from '../../store/schema.js';

/** One row of the flights board: arrival, ULDs, parcels and breakdown progress. No personal data. */
export interface FlightBoardRow {
  readonly id: string;
  readonly flightNumber: string;
  readonly flightDate: string;
  readonly status: FlightStatus;
  readonly arrivedAt: string | null;
  readonly ulds: { readonly expected: number; readonly received: number };
  readonly parcels: { readonly manifested: number; readonly inducted: number };
  /** inducted / manifested, 0 when nothing was manifested. */
  readonly breakdownProgress: number;
  /** Not inducted, by the breakdown report's rule (`countsAsShortShipped`): provisional until the flight is closed. */
  readonly shortShipped: number;
  readonly overCarried: number;
}

export interface FlightBoardQuery {
  /** Flights of this date (YYYY-MM-DD) only; otherwise the newest. */
  readonly date?: string;
  readonly limit: number;
}

/** The flights board in four grouped queries, whatever the number of parcels per flight. */
export async function flightsBoard(db: Kysely<Database>, query: FlightBoardQuery): Promise<FlightBoardRow[]> {
  let q = db.selectFrom('flights').select(['id', 'flight_number', 'flight_date', 'status', 'arrived_at']);
  if (query.date !== undefined) q = q.where('flight_date', '=', query.date);
  const flights = await q.orderBy('flight_date', 'desc').orderBy('flight_number').limit(query.limit).execute();
  if (flights.length === 0) return [];
  const ids = flights.map((f) => f.id);
  const [ulds, parcels, over] = await Promise.all([
    db.selectFrom('ulds').select(['flight_id', 'uld', 'status']).where('flight_id', 'in', ids).execute(),
    db
      .selectFrom('parcels')
      .select((eb) => ['flight_id', 'uld', eb.fn.countAll<number | string>().as('manifested'), eb.fn.count<number | string>('received_at').as('inducted')])
      .where('flight_id', 'in', ids)
      .groupBy(['flight_id', 'uld'])
      .execute(),
    db
      .selectFrom('hub_exceptions')
      .select((eb) => ['flight_id', eb.fn.count<number | string>('tracking_number').distinct().as('n')])
      .where('flight_id', 'in', ids)
      .where('kind', '=', 'over-carried')
      .groupBy('flight_id')
      .execute(),
  ]);
  const overBy = new Map(over.map((o) => [o.flight_id, Number(o.n)]));
  return flights.map((f) => {
    const own = parcels.filter((p) => p.flight_id === f.id);
    const flightUlds = ulds.filter((u) => u.flight_id === f.id);
    const receivedUlds = flightUlds.filter((u) => u.status === 'received').map((u) => u.uld);
    const manifested = own.reduce((n, p) => n + Number(p.manifested), 0);
    const inducted = own.reduce((n, p) => n + Number(p.inducted), 0);
    const scope: ShortShippedScope = { flightClosed: f.status === 'broken-down', receivedUlds: new Set(receivedUlds) };
    const shortShipped = own.filter((p) => countsAsShortShipped(scope, p.uld)).reduce((n, p) => n + Number(p.manifested) - Number(p.inducted), 0);
    return {
      id: f.id,
      flightNumber: f.flight_number,
      flightDate: f.flight_date,
      status: f.status,
      arrivedAt: f.arrived_at,
      ulds: { expected: flightUlds.length, received: receivedUlds.length },
      parcels: { manifested, inducted },
      breakdownProgress: manifested === 0 ? 0 : inducted / manifested,
      shortShipped,
      overCarried: overBy.get(f.id) ?? 0,
    };
  });
}
