import { sql, type Kysely, type RawBuilder } from 'kysely';
import { DEFAULT_AGGREGATE_K, releaseAggregate, type AggregateRelease, type DecisionLog, type Policy, type Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { isCalendarDate } from '../domain/index.js';

/**
 * What parcel statistics may be grouped by. All come from the hub's non-personal columns: destination and
 * seller country, the HS chapter of the parcel's first item line, the flight's date, its airline (the IATA
 * designator: the flight number's first two characters) and the flight number.
 */
export const STATISTICS_DIMENSIONS = ['destCountry', 'sellerCountry', 'hsChapter', 'day', 'airline', 'flight'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];
/** More dimensions only make cells smaller than k. */
export const MAX_DIMENSIONS = 3;

const COLUMN: Record<StatisticsDimension, RawBuilder<string>> = {
  destCountry: sql<string>`p.dest_country`,
  sellerCountry: sql<string>`p.seller_country`,
  hsChapter: sql<string>`coalesce(substr(i.hs_code, 1, 2), '')`,
  day: sql<string>`f.flight_date`,
  airline: sql<string>`substr(f.flight_number, 1, 2)`,
  flight: sql<string>`f.flight_number`,
};

export interface ParcelStatisticsQuery {
  readonly principal: Principal;
  readonly purpose: string;
  readonly groupBy: readonly StatisticsDimension[];
  /** Flight dates, inclusive, YYYY-MM-DD. */
  readonly from?: string;
  readonly to?: string;
  readonly requestId?: string;
}

export interface ParcelStatisticsRow {
  readonly key: Readonly<Partial<Record<StatisticsDimension, string>>>;
  readonly parcels: number;
  readonly grossMassG: number;
  /** Parcels with a customs valuation (cleared), and the sum of their intrinsic values, EUR decimal. */
  readonly valuedParcels: number;
  readonly valueEur: string;
}

export interface ParcelStatistics {
  readonly decision: AggregateRelease['decision'];
  readonly dimensions: readonly StatisticsDimension[];
  readonly k: number;
  readonly rows: readonly ParcelStatisticsRow[];
  readonly suppressedCells: number;
  readonly receipt: { ledgerIndex: number; requestId: string; policy: string; rules: readonly string[]; commitment: string; salt: string };
}

export interface StatisticsDeps {
  readonly db: Kysely<Database>;
  readonly log: DecisionLog;
  readonly policy: Policy;
  /** Default `statisticsK()`. */
  readonly k?: number;
}

export class StatisticsError extends Error {
  override readonly name = 'StatisticsError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** k from $GLASSHUB_AGGREGATE_K (default 10); the policy refuses any release with k below 5. */
export function statisticsK(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['GLASSHUB_AGGREGATE_K'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_AGGREGATE_K;
  const k = Number(raw);
  if (!Number.isSafeInteger(k) || k < 1) throw new StatisticsError('GLASSHUB_AGGREGATE_K', `${JSON.stringify(raw)} is not a positive integer`);
  return k;
}

/** Counts and sums of parcels by the chosen dimensions, released only through the gate (cells below k withheld). */
export async function parcelStatistics(deps: StatisticsDeps, q: ParcelStatisticsQuery): Promise<ParcelStatistics> {
  validate(q);
  const dims = q.groupBy;
  let query = deps.db
    .selectFrom('parcels as p')
    .innerJoin('flights as f', 'f.id', 'p.flight_id')
    .leftJoin('parcel_items as i', (j) => j.onRef('i.tracking_number', '=', 'p.tracking_number').on('i.line_no', '=', 1))
    .leftJoin('customs_clearances as c', 'c.tracking_number', 'p.tracking_number')
    .select(dims.map((d, n) => COLUMN[d].as(`d${n}`)))
    .select([
      sql<number | string>`count(*)`.as('parcels'),
      sql<number | string | null>`sum(p.gross_mass_g)`.as('mass'),
      sql<number | string>`count(c.intrinsic_eur)`.as('valued'),
      // Cents per parcel, rounded once, so that both stores add integers alike.
      sql<number | string | null>`sum(cast(round(cast(c.intrinsic_eur as double precision) * 100) as bigint))`.as('cents'),
    ])
    .groupBy(dims.map((d) => COLUMN[d]));
  if (q.from !== undefined) query = query.where('f.flight_date', '>=', q.from);
  if (q.to !== undefined) query = query.where('f.flight_date', '<=', q.to);
  const rows = (await query.execute()) as unknown as Record<string, number | string | null>[];
  const cells = rows.map((r) => ({
    key: dims.map((_, n) => String(r[`d${n}`] ?? '')),
    count: Number(r['parcels']),
    sums: { grossMassG: Number(r['mass'] ?? 0), valuedParcels: Number(r['valued']), valueCents: Number(r['cents'] ?? 0) },
  }));
  const filter: Record<string, string> = {};
  if (q.from !== undefined) filter['from'] = q.from;
  if (q.to !== undefined) filter['to'] = q.to;
  const release = await releaseAggregate(deps.log, deps.policy, {
    principal: q.principal,
    purpose: q.purpose,
    dataset: 'parcels',
    dimensions: dims,
    filter,
    cells,
    k: deps.k ?? statisticsK(),
    ...(q.requestId !== undefined ? { requestId: q.requestId } : {}),
  });
  const sorted = [...release.cells].sort((a, b) => b.count - a.count || a.key.join('\u0000').localeCompare(b.key.join('\u0000')));
  return {
    decision: release.decision,
    dimensions: dims,
    k: release.k,
    rows: sorted.map((c) => ({
      key: Object.fromEntries(dims.map((d, n) => [d, c.key[n]!])),
      parcels: c.count,
      grossMassG: c.sums['grossMassG'] ?? 0,
      valuedParcels: c.sums['valuedParcels'] ?? 0,
      valueEur: euros(c.sums['valueCents'] ?? 0),
    })),
    suppressedCells: release.suppressed,
    receipt: { ledgerIndex: release.ledgerIndex, requestId: release.requestId, policy: release.policy, rules: release.rules, commitment: release.commitment, salt: release.salt },
  };
}

function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function validate(q: ParcelStatisticsQuery): void {
  if (q.groupBy.length === 0 || q.groupBy.length > MAX_DIMENSIONS) throw new StatisticsError('groupBy', `one to ${MAX_DIMENSIONS} of ${STATISTICS_DIMENSIONS.join(', ')}`);
  for (const d of q.groupBy) if (!STATISTICS_DIMENSIONS.includes(d)) throw new StatisticsError('groupBy', `${JSON.stringify(d)} is not one of ${STATISTICS_DIMENSIONS.join(', ')}`);
  if (new Set(q.groupBy).size !== q.groupBy.length) throw new StatisticsError('groupBy', 'a dimension is named twice');
  for (const f of ['from', 'to'] as const) {
    const v = q[f];
    if (v !== undefined && !isCalendarDate(v)) throw new StatisticsError(f, 'a date, YYYY-MM-DD');
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw new StatisticsError('to', 'must not be before from');
}
