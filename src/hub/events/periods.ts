/**
 * Periods of the identifier index (migration 013): `epcis_event_epcs` is keyed by (period, epc, seq) so
 * that a batch's rows are written to the current period's few pages rather than all over a large index.
 * A lookup by identifier seeks once per period: `EPC_PERIODS` lists them, from 0 to the newest.
 */
import { periodsOf } from '../../store/index.js';

/** Events per period; the migration that built the index used the same number. */
export const EVENTS_PER_PERIOD = 65_536;

/** The period of the event with this `seq`. */
export function periodOf(seq: number): number {
  return Math.floor(seq / EVENTS_PER_PERIOD);
}

/** `(select n from periods)`: every period of the index, for `period in …` (one index seek each). */
export const EPC_PERIODS = periodsOf('epcis_event_epcs');
