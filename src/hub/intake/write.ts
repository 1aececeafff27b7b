/**
 * One chunk of valid parcels → the hub's tables, inside the caller's transaction: flights, AWBs and ULDs
 * created as needed, parcels and their items in multi-row inserts, each person's data sealed by the gate.
 *
 * Inserts are built as SQL text once per shape and run with their parameters, bypassing the query
 * builder: at 250,000 parcels a manifest, building a query tree per row costs more than the insert.
 * Table and column names are constants of this file, never input.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { PersonalDataSealer, PreparedSeal, SealRequest } from '../../gate/types.js';
import { insertCells, selectIn, type Database, type Dialect } from '../../store/index.js';
import type { IntakeParcel, LineError } from './types.js';

/** What became of a chunk's parcels. */
export interface ChunkResult {
  readonly accepted: readonly IntakeParcel[];
  readonly duplicates: number;
  /** Lines refused at write time (an AWB already on another flight). */
  readonly errors: readonly LineError[];
}

type Cell = string | number | null;

// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const MAX_PARAMS = 30_000;
/** Keys per `IN (…)`: a power of two, so that padding stays under the limits too. */
const IN_MAX = 16_384;
// Serialises concurrent imports on PostgreSQL, so that two of them never both insert one tracking number.
const IMPORT_LOCK = 0x6768_1001;

const PARCEL_COLUMNS = [
  'tracking_number', 'flight_id', 'awb', 'uld', 'seller_country', 'dest_country', 'dest_postcode', 'gross_mass_g',
  'ioss_number', 'item_count', 'consignee_ref', 'seller_ref', 'status', 'created_at', 'updated_at',
] as const satisfies readonly (keyof Database['parcels'])[];
const ITEM_COLUMNS = [
  'tracking_number', 'line_no', 'description', 'hs_code', 'quantity', 'unit_value', 'currency', 'origin_country',
] as const satisfies readonly (keyof Database['parcel_items'])[];
const FLIGHT_COLUMNS = ['id', 'flight_number', 'flight_date', 'status', 'created_at'] as const satisfies readonly (keyof Database['flights'])[];
const AWB_COLUMNS = ['awb', 'flight_id', 'created_at'] as const satisfies readonly (keyof Database['awbs'])[];
const ULD_COLUMNS = ['flight_id', 'uld', 'status', 'created_at'] as const satisfies readonly (keyof Database['ulds'])[];

/** The people of each parcel to seal, two per parcel in parcel order: its consignee, then its seller. */
export function sealRequests(parcels: readonly IntakeParcel[]): SealRequest[] {
  const people: SealRequest[] = [];
  for (const p of parcels) people.push({ role: 'consignee', data: p.consignee }, { role: 'seller', data: p.seller });
  return people;
}

/** A chunk's seal requests (`sealRequests`) and the sealer's work on them started ahead (`PersonalDataSealer.prepare`). */
export interface SealAhead {
  readonly requests: readonly SealRequest[];
  readonly prepared: PreparedSeal;
}

export async function writeChunk(
  tx: Kysely<Database>,
  dialect: Dialect,
  sealer: PersonalDataSealer,
  parcels: readonly IntakeParcel[],
  now: string,
  ahead?: SealAhead,
): Promise<ChunkResult> {
  if (parcels.length === 0) return { accepted: [], duplicates: 0, errors: [] };
  const ins = (table: string, columns: readonly string[], cells: readonly Cell[], ignoreConflicts = false) => insertRows(tx, table, columns, cells, ignoreConflicts);
  // The first statement takes the write lock: on SQLite a write, on PostgreSQL an advisory lock.
  if (dialect === 'postgres') await tx.executeQuery(CompiledQuery.raw(`select pg_advisory_xact_lock(${IMPORT_LOCK})`, []));
  const flights = new Map(parcels.map((p) => [p.flightId, [p.flightId, p.flightNumber, p.flightDate, 'expected', now] as Cell[]]));
  await ins('flights', FLIGHT_COLUMNS, [...flights.values()].flat(), true);

  const existing = await selectKeyed(tx, 'select tracking_number as k, null as v from parcels', 'tracking_number', parcels.map((p) => p.trackingNumber));
  const awbFlight = await selectKeyed(tx, 'select awb as k, flight_id as v from awbs', 'awb', [...new Set(parcels.map((p) => p.awb))]);
  const accepted: IntakeParcel[] = [];
  const requests = ahead?.requests ?? sealRequests(parcels);
  const people: SealRequest[] = [];
  const errors: LineError[] = [];
  let duplicates = 0;
  for (const [i, p] of parcels.entries()) {
    if (existing.has(p.trackingNumber)) {
      duplicates++;
      continue;
    }
    const flight = awbFlight.get(p.awb);
    if (flight !== undefined && flight !== p.flightId) {
      errors.push({ line: p.line, field: 'awb', reason: `air waybill ${p.awb} is already manifested on flight ${flight ?? ''}` });
      continue;
    }
    existing.set(p.trackingNumber, null); // a second line with the same parcel in this chunk is a duplicate
    awbFlight.set(p.awb, p.flightId);
    accepted.push(p);
    people.push(requests[2 * i]!, requests[2 * i + 1]!);
  }
  if (accepted.length === 0) return { accepted, duplicates, errors };

  const refs = await sealer.seal(tx, people, ahead?.prepared);
  if (refs.length !== people.length) throw new Error(`the sealer returned ${refs.length} references for ${people.length} people`);

  // Rows are laid out flat, in column order: the parameters of a multi-row INSERT as they are sent.
  const awbs = new Map<string, Cell[]>();
  const ulds = new Map<string, Cell[]>();
  const parcelCells: Cell[] = [];
  const itemCells: Cell[] = [];
  accepted.forEach((p, i) => {
    if (!awbs.has(p.awb)) awbs.set(p.awb, [p.awb, p.flightId, now]);
    if (p.uld !== null) ulds.set(`${p.flightId} ${p.uld}`, [p.flightId, p.uld, 'expected', now]);
    parcelCells.push(
      p.trackingNumber, p.flightId, p.awb, p.uld, p.seller.country, p.consignee.country, p.consignee.postcode ?? '',
      p.grossMassG, p.iossNumber, p.items.length, refs[2 * i]!, refs[2 * i + 1]!, 'manifested', now, now,
    );
    p.items.forEach((it, n) => {
      itemCells.push(p.trackingNumber, n + 1, it.description, it.hsCode, it.quantity, it.unitValue, it.currency, it.originCountry);
    });
  });
  await ins('awbs', AWB_COLUMNS, [...awbs.values()].flat(), true);
  await ins('ulds', ULD_COLUMNS, [...ulds.values()].flat(), true);
  await ins('parcels', PARCEL_COLUMNS, parcelCells);
  await ins('parcel_items', ITEM_COLUMNS, itemCells);
  return { accepted, duplicates, errors };
}

/** Rows (`cells`, flat, in column order) in as few multi-row INSERTs as the parameter limit allows. */
function insertRows(tx: Kysely<Database>, table: string, columns: readonly string[], cells: readonly Cell[], ignoreConflicts: boolean): Promise<void> {
  return insertCells(tx, table, columns, cells, Math.floor(MAX_PARAMS / columns.length), ignoreConflicts ? 'on conflict do nothing' : '');
}

/** `key → value` of the rows of `select` whose `column` is one of `keys`. */
async function selectKeyed(tx: Kysely<Database>, select: string, column: string, keys: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await selectIn<{ k: string; v: string | null }>(tx, select, column, keys, IN_MAX);
  return new Map(rows.map((r) => [r.k, r.v]));
}
