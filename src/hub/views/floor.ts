import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { LaneKind, TruckStatus } from '../../store/schema.js';

/** Per lane: parcels waiting to be bagged, parcels in bags not yet on a truck, and the lane's bags. */
export interface LaneFill {
  readonly lane: string;
  readonly kind: LaneKind;
  readonly carrier: string | null;
  readonly departure: string | null;
  /** Sorted to the lane, not bagged yet. */
  readonly sorted: number;
  /** In the lane's open or closed bags (not yet loaded). */
  readonly bagged: number;
  readonly openBags: number;
  readonly closedBags: number;
}

/** Bag figures come from `bags.parcel_count`, so only the not-yet-bagged parcels are counted row by row. */
export async function laneFill(db: Kysely<Database>): Promise<LaneFill[]> {
  const [lanes, sorted, bags] = await Promise.all([
    db.selectFrom('lanes').select(['id', 'kind', 'carrier', 'departure']).orderBy('id').execute(),
    db
      .selectFrom('parcels')
      .select((eb) => ['lane', eb.fn.countAll<number | string>().as('n')])
      .where('status', '=', 'sorted')
      .groupBy('lane')
      .execute(),
    db
      .selectFrom('bags')
      .select((eb) => ['lane', 'status', eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string>('parcel_count').as('parcels')])
      .where('status', 'in', ['open', 'closed'])
      .groupBy(['lane', 'status'])
      .execute(),
  ]);
  const sortedBy = new Map(sorted.map((s) => [s.lane, Number(s.n)]));
  return lanes.map((l) => {
    const own = bags.filter((b) => b.lane === l.id);
    const count = (status: string) => Number(own.find((b) => b.status === status)?.n ?? 0);
    return {
      lane: l.id,
      kind: l.kind,
      carrier: l.carrier,
      departure: l.departure,
      sorted: sortedBy.get(l.id) ?? 0,
      bagged: own.reduce((n, b) => n + Number(b.parcels ?? 0), 0),
      openBags: count('open'),
      closedBags: count('closed'),
    };
  });
}

export interface TruckStatusRow {
  readonly id: string;
  readonly lane: string;
  readonly carrier: string;
  readonly status: TruckStatus;
  readonly bags: number;
  readonly parcels: number;
  readonly departureAt: string | null;
  readonly dispatchedAt: string | null;
}

/** Trucks, those still loading first, then the most recently dispatched. */
export async function dispatchStatus(db: Kysely<Database>, limit: number): Promise<TruckStatusRow[]> {
  const rows = await db
    .selectFrom('trucks as t')
    .leftJoin('bags as b', 'b.truck', 't.id')
    .select((eb) => [
      't.id',
      't.lane',
      't.carrier',
      't.status',
      't.departure_at',
      't.dispatched_at',
      't.created_at',
      eb.fn.count<number | string>('b.sscc').as('bags'),
      eb.fn.sum<number | string | null>('b.parcel_count').as('parcels'),
    ])
    .groupBy(['t.id', 't.lane', 't.carrier', 't.status', 't.departure_at', 't.dispatched_at', 't.created_at'])
    .orderBy((eb) => eb.case().when('t.status', '=', 'loading').then(0).else(1).end())
    .orderBy('t.dispatched_at', 'desc')
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    lane: r.lane,
    carrier: r.carrier,
    status: r.status,
    bags: Number(r.bags),
    parcels: Number(r.parcels ?? 0),
    departureAt: r.departure_at,
    dispatchedAt: r.dispatched_at,
  }));
}
