/** Reading and updating parcels by tracking number in batches; the hub's counters. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { parseS10 } from '../../domain/index.js';
import { IN_CHUNK, selectIn, updateFromValues, type Database, type SqlValue } from '../../store/index.js';
import type { HubExceptionTable, ParcelStatus, ParcelTable } from '../../store/schema.js';
import { details, distinct, MAX_DETAILS, OperationError, type Located } from './errors.js';

/** The non-personal columns operations read (never the vault references). */
export const PARCEL_COLUMNS = ['tracking_number', 'flight_id', 'awb', 'uld', 'dest_country', 'dest_postcode', 'status', 'lane', 'bag', 'storage_location', 'received_at'] as const;
type DefaultColumn = (typeof PARCEL_COLUMNS)[number];
/** Besides those: the consignee's vault reference, opaque, read only to ask the gate whether that person was erased. */
export type ParcelColumn = (typeof PARCEL_COLUMNS)[number] | 'consignee_ref';
export type ParcelRow = Pick<Selectable<ParcelTable>, ParcelColumn>;
/** The columns induction reads: whether a parcel is known and was received. */
export const INDUCTION_COLUMNS = ['tracking_number', 'received_at'] as const satisfies readonly ParcelColumn[];
/** The columns bagging reads: status and lane. */
export const BAGGING_COLUMNS = ['tracking_number', 'status', 'lane'] as const satisfies readonly ParcelColumn[];
/** The columns sorting reads: status, receipt and destination (`sortLane`), and whose parcel it is (erased.ts). */
export const SORTING_COLUMNS = ['tracking_number', 'status', 'received_at', 'dest_country', 'dest_postcode', 'consignee_ref'] as const satisfies readonly ParcelColumn[];

/** The canonical S10 number, or undefined when `raw` is not one. */
export function canonicalTracking(raw: string): string | undefined {
  const parsed = parseS10(raw);
  return parsed.ok ? parsed.value.value : undefined;
}

/** The tracking numbers at their places, canonical; refuses the whole request when one is not an S10 number, naming each. */
export function requireTracking(items: readonly Located[]): Located[] {
  const bad: Located[] = [];
  const out = items.map((item) => {
    const value = canonicalTracking(item.value);
    if (value === undefined) bad.push(item);
    return { field: item.field, value: value ?? item.value };
  });
  if (bad.length > 0) throw new OperationError('INVALID', `${bad.length} tracking number(s) are not UPU S10 numbers`, details(bad, 'not an S10 number'));
  return out;
}

/**
 * The parcels among `tns` (canonical), by tracking number, with `columns` (all of `PARCEL_COLUMNS` by
 * default): a scan batch reads only what it decides on, as 5,000 rows of eleven columns cost twice as much.
 */
export async function loadParcels<C extends ParcelColumn = DefaultColumn>(
  db: Kysely<Database>,
  tns: readonly string[],
  columns: readonly C[] = PARCEL_COLUMNS as readonly DefaultColumn[] as readonly C[],
): Promise<Map<string, Pick<ParcelRow, C | 'tracking_number'>>> {
  type Row = Pick<ParcelRow, C | 'tracking_number'>;
  const out = new Map<string, Row>();
  const select = `select ${columns.includes('tracking_number' as C) ? '' : 'tracking_number, '}${columns.join(', ')} from parcels`;
  // SQL text, not a query tree: a sorter batch asks for 5,000 parcels, and Kysely builds a node per value.
  for (const row of await selectIn<Row>(db, select, 'tracking_number', [...new Set(tns)])) out.set(row.tracking_number, row);
  return out;
}

/**
 * The parcels of `items` (canonical tracking numbers at their places in the input), with `columns` (as
 * `loadParcels`), or a NOT_FOUND error naming the unknown ones where they were given.
 */
export async function requireParcels<C extends ParcelColumn = DefaultColumn>(
  db: Kysely<Database>,
  items: readonly Located[],
  columns?: readonly C[],
): Promise<Map<string, Pick<ParcelRow, C | 'tracking_number'>>> {
  const found = await loadParcels(db, items.map((item) => item.value), columns);
  const missing = distinct(items).filter((item) => !found.has(item.value));
  if (missing.length > 0) throw new OperationError('NOT_FOUND', `${missing.length} parcel(s) are not known to the hub`, details(missing, 'unknown parcel'));
  return found;
}

/** Sets the same columns on every parcel of `tns`. */
export async function updateParcels(tx: Kysely<Database>, tns: readonly string[], set: Updateable<ParcelTable>): Promise<void> {
  const distinct = [...new Set(tns)];
  for (let i = 0; i < distinct.length; i += IN_CHUNK) {
    await tx.updateTable('parcels').set(set).where('tracking_number', 'in', distinct.slice(i, i + IN_CHUNK)).execute();
  }
}

/**
 * Physical receipt: `received_at` (the first scan's time, per parcel) on parcels not received before, and
 * status `received` for those still `manifested` (a parcel held by customs before it arrived stays held).
 */
export async function markReceived(tx: Kysely<Database>, firstScan: ReadonlyMap<string, string>, now: Date): Promise<void> {
  const updated = now.toISOString();
  const rows = [...firstScan].map(([tn, at]): SqlValue[] => [tn, at, updated]);
  for (let i = 0; i < rows.length; i += 1024) {
    await updateFromValues(
      tx,
      'parcels',
      "received_at = v.column2, status = case when parcels.status = 'manifested' then 'received' else parcels.status end, updated_at = v.column3",
      'parcels.tracking_number = v.column1 and parcels.received_at is null',
      rows.slice(i, i + 1024),
    );
  }
}

/**
 * Sets each parcel's own lane and status, and `received_at` where it had none (rows of tracking number,
 * lane, status, time of the first scan): one statement per thousand parcels.
 */
export async function setLanes(tx: Kysely<Database>, rows: readonly (readonly [tn: string, lane: string, status: ParcelStatus, firstScan: string])[], now: Date): Promise<void> {
  const updated = now.toISOString();
  const values = rows.map(([tn, lane, status, firstScan]): SqlValue[] => [tn, lane, status, firstScan, updated]);
  for (let i = 0; i < values.length; i += 1024) {
    await updateFromValues(
      tx,
      'parcels',
      'lane = v.column2, status = v.column3, received_at = coalesce(parcels.received_at, v.column4), updated_at = v.column5',
      'parcels.tracking_number = v.column1',
      values.slice(i, i + 1024),
    );
  }
}

/** Refuses unless every parcel of `items` (all in `parcels`) is in one of `allowed`; names the others with their status. */
export function requireStatus(items: readonly Located[], parcels: ReadonlyMap<string, Pick<ParcelRow, 'status'>>, allowed: readonly ParcelRow['status'][], doing: string): void {
  const bad = distinct(items).filter((item) => !allowed.includes(parcels.get(item.value)!.status));
  if (bad.length > 0) {
    const list = bad.slice(0, MAX_DETAILS).map(({ field, value }) => ({ field, value, reason: `status ${parcels.get(value)!.status}` }));
    throw new OperationError('CONFLICT', `${bad.length} parcel(s) cannot be ${doing}: expected status ${allowed.join(' or ')}`, list);
  }
}

/** The next value of a named counter (1, 2, …), inside the caller's transaction. */
export async function nextCounter(tx: Kysely<Database>, name: string): Promise<number> {
  const row = await tx
    .insertInto('hub_counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('hub_counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Records scan exceptions (idempotent on their event), a few hundred rows per statement. */
export async function insertExceptions(tx: Kysely<Database>, rows: readonly HubExceptionTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insertInto('hub_exceptions').values(rows.slice(i, i + 1000)).onConflict((oc) => oc.column('event_id').doNothing()).execute();
  }
}
