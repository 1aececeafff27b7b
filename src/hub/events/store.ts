/**
 * The event store: EPCIS 2.0 events in `epcis_events`, one index row per identifier in
 * `epcis_event_epcs` (see `rows.ts`), keyed by period first (see `periods.ts`). Writes are multi-row inserts (a freighter's breakdown emits
 * hundreds of thousands of events: one statement per few hundred rows, not one per event) and idempotent
 * on `eventID`: an event already stored (the same scan sent twice gets the same CBV hash ID) is skipped,
 * and its identifiers are not indexed again.
 *
 * `seq` numbers events in capture order: SQLite's rowid, a sequence on PostgreSQL. Query paging is by
 * `seq`. On PostgreSQL two writers may commit sequence numbers out of order, so a reader paging at that
 * very moment can miss, on a later page, the event of the slower writer (its seq lies behind the page
 * token already issued). SQLite has one writer at a time and no such gap. Where it matters (many writer
 * processes on PostgreSQL), the remedy is to page only up to the oldest seq still in flight, or to
 * serialise writers per hub and day, which is how the hub partitions anyway.
 */
import type { Kysely } from 'kysely';
import { insertRows, insertRowsCounting, usesDollarPlaceholders, type Database, type SqlValue } from '../../store/index.js';
import { eventRows, type EventRow, type EventRows, type StorableEvent } from './rows.js';
import { periodOf } from './periods.js';

/** Parameters per statement stay far below SQLite's 32,766 and PostgreSQL's 65,535. */
const EVENT_ROWS_PER_INSERT = 512; // × 8 columns
const EPC_ROWS_PER_INSERT = 2048; // × 4 columns

export interface RecordResult {
  /** eventIDs stored now, in input order. */
  readonly recorded: readonly string[];
  /** eventIDs that were already stored (or repeated in the input), skipped. */
  readonly duplicates: readonly string[];
}

export interface RecordOptions {
  /** The capture time written as each event's `recordTime` (default: now). */
  readonly recordTime?: Date;
}

/**
 * Stores events, in order, inside the caller's transaction (`tx` may also be a plain connection when
 * the caller needs no atomicity with other writes). Throws `EventStoreError` before writing anything
 * when an event lacks an eventID or a valid eventTime.
 */
export async function recordEvents(tx: Kysely<Database>, events: readonly StorableEvent[], options: RecordOptions = {}): Promise<RecordResult> {
  const recordTime = (options.recordTime ?? new Date()).toISOString();
  const unique = new Map<string, EventRows>();
  const duplicates: string[] = [];
  for (const event of events) {
    const rows = eventRows(event, recordTime);
    if (unique.has(rows.row.event_id)) duplicates.push(rows.row.event_id);
    else unique.set(rows.row.event_id, rows);
  }
  const all = [...unique.values()];
  const seqs = new Map<string, number>();
  for (let i = 0; i < all.length; i += EVENT_ROWS_PER_INSERT) {
    for (const { event_id, seq } of await insertNew(tx, all, i, Math.min(all.length, i + EVENT_ROWS_PER_INSERT))) seqs.set(event_id, seq);
  }
  const recorded: string[] = [];
  const epcRows: [period: number, epc: string, seq: number, role: string][] = [];
  for (const { row, epcs } of all) {
    const seq = seqs.get(row.event_id);
    if (seq === undefined) {
      duplicates.push(row.event_id);
      continue;
    }
    recorded.push(row.event_id);
    const period = periodOf(seq);
    for (const [epc, role] of epcs) epcRows.push([period, epc, seq, role]);
  }
  for (let i = 0; i < epcRows.length; i += EPC_ROWS_PER_INSERT) {
    await insertRows(tx, 'epcis_event_epcs', ['period', 'epc', 'seq', 'role'], epcRows.slice(i, i + EPC_ROWS_PER_INSERT));
  }
  return { recorded, duplicates };
}

const EVENT_COLUMNS = ['event_id', 'event_type', 'event_time', 'record_time', 'biz_step', 'biz_location', 'action', 'document'] as const;

/** Inserts the rows `[from, to)` whose event_id is new; answers the seq of each inserted row. */
async function insertNew(tx: Kysely<Database>, all: readonly EventRows[], from: number, to: number): Promise<{ event_id: string; seq: number }[]> {
  const values: SqlValue[][] = [];
  for (let i = from; i < to; i++) {
    const r: EventRow = all[i]!.row; // in EVENT_COLUMNS' order:
    values.push([r.event_id, r.event_type, r.event_time, r.record_time, r.biz_step, r.biz_location, r.action, r.document]);
  }
  const tail = 'on conflict (event_time, event_id) do nothing';
  if (usesDollarPlaceholders(tx)) {
    const inserted = await insertRows<{ event_id: string; seq: number | string }>(tx, 'epcis_events', EVENT_COLUMNS, values, `${tail} returning event_id, seq`);
    return inserted.map((r) => ({ event_id: r.event_id, seq: Number(r.seq) }));
  }
  // SQLite: seq is the rowid, and a statement's new rows take consecutive ones, in order, after the table's
  // largest (rows skipped as stored already take none). So a statement that stored all its rows numbered
  // them up to its last insert rowid; one that skipped some is read back by that range. Returning the rows
  // instead cost an object and a string per event, half a million a freighter.
  const out: { event_id: string; seq: number }[] = [];
  for (const piece of await insertRowsCounting(tx, 'epcis_events', EVENT_COLUMNS, values, tail)) {
    const first = piece.lastRowid - piece.inserted + 1;
    if (piece.inserted === piece.to - piece.from) {
      for (let i = piece.from; i < piece.to; i++) out.push({ event_id: values[i]![0] as string, seq: first + i - piece.from });
    } else if (piece.inserted > 0) {
      const stored = await tx
        .selectFrom('epcis_events')
        .select(['event_id', 'seq'])
        .where('seq', '>=', first)
        .where('seq', '<=', piece.lastRowid)
        .orderBy('seq')
        .execute();
      for (const r of stored) out.push({ event_id: r.event_id, seq: Number(r.seq) });
    }
  }
  return out;
}
