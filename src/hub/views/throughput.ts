import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/index.js';

const MINUTE_MS = 60_000;

export interface Throughput {
  readonly from: string;
  readonly until: string;
  readonly minutes: number;
  /** The start of each minute, oldest first. */
  readonly minuteStarts: readonly string[];
  /** Per bizStep (CBV bare word, or `unknown`), the events of each minute, aligned with `minuteStarts`. */
  readonly series: readonly { readonly bizStep: string; readonly counts: readonly number[] }[];
  readonly total: number;
}

/**
 * Events per minute by bizStep over the `minutes` whole minutes up to `until`, from the stored EPCIS events
 * by eventTime. One grouped range query on the (event_time, event_id) index: stored times are UTC
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, so the first 16 characters name the minute on both stores.
 */
export async function throughput(db: Kysely<Database>, minutes: number, until: Date): Promise<Throughput> {
  const end = Math.ceil(until.getTime() / MINUTE_MS) * MINUTE_MS;
  const start = end - minutes * MINUTE_MS;
  const minute = sql<string>`substr(event_time, 1, 16)`;
  const rows = await db
    .selectFrom('epcis_events')
    .select((eb) => [minute.as('minute'), 'biz_step', eb.fn.countAll<number | string>().as('n')])
    .where('event_time', '>=', new Date(start).toISOString())
    .where('event_time', '<', new Date(end).toISOString())
    .groupBy([minute, 'biz_step'])
    .execute();
  const minuteStarts = Array.from({ length: minutes }, (_, i) => new Date(start + i * MINUTE_MS).toISOString());
  const slot = new Map(minuteStarts.map((m, i) => [m.slice(0, 16), i]));
  const series = new Map<string, number[]>();
  let total = 0;
  for (const r of rows) {
    const i = slot.get(r.minute);
    if (i === undefined) continue;
    const step = r.biz_step ?? 'unknown';
    const counts = series.get(step) ?? new Array<number>(minutes).fill(0);
    series.set(step, counts);
    counts[i] = (counts[i] ?? 0) + Number(r.n);
    total += Number(r.n);
  }
  return {
    from: new Date(start).toISOString(),
    until: new Date(end).toISOString(),
    minutes,
    minuteStarts,
    series: [...series].sort(([a], [b]) => (a < b ? -1 : 1)).map(([bizStep, counts]) => ({ bizStep, counts })),
    total,
  };
}
