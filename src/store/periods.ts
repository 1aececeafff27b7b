import { sql, type RawBuilder } from 'kysely';

/** Tables keyed by period first: the gate's access index (migration 011) and the events' identifier index (013). */
export type PeriodKeyedTable = 'gate_access_index' | 'epcis_event_epcs';

/**
 * `(select n from periods)`: every period of a table keyed by period first, from 0 to the newest, for
 * `period in …`. Such a table keeps a batch's random keys on the current period's few pages; the price is
 * that a lookup by the rest of the key seeks once per period.
 */
export function periodsOf(table: PeriodKeyedTable): RawBuilder<number> {
  return sql<number>`(with recursive periods(n) as (select 0 union all select n + 1 from periods where n < (select max(period) from ${sql.table(table)})) select n from periods)`;
}
