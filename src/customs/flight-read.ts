/**
 * What clearance reads of a flight: its parcels with their items as JSON built by the database, and
 * apart from them the parties (consignee and seller refs) that screening needs first.
 *
 * On SQLite both are read in rowid order, the order the manifest was imported in, so that they can be
 * joined by position. Given the store's reader (a worker thread), the flight is read in pieces of rowid
 * ranges: the reader builds the next piece while the main thread parses the one before. Each piece is
 * a statement of its own, but the ranges are fixed by one first query, and a parcel imported later has a
 * higher rowid: pieces neither overlap nor take in parcels that arrived after the read began.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { ItemRow } from './compute.js';

/** A parcel's parties: its tracking number, consignee (buyer) and seller refs, where a flight parcel has them. */
export type Parties = readonly [trackingNumber: string, null, null, null, null, consigneeRef: string, sellerRef: string | null];

/** A parcel with its parties and items, as clearance computes it. */
export type FlightParcel = readonly [trackingNumber: string, awb: string, destCountry: string, grossMassG: number, iossNumber: string | null, consigneeRef: string, sellerRef: string | null, items: readonly ItemRow[]];

/**
 * A parcel as the flight read has it: its parties' slots empty (the parties' query has them; a third less
 * JSON to parse). The slots are there so that filling them does not grow 250,000 arrays.
 */
export type FlightRead = readonly [trackingNumber: string, awb: string, destCountry: string, grossMassG: number, iossNumber: string | null, consigneeRef: null, sellerRef: null, items: readonly ItemRow[]];

/** Parcels per piece of a read in the reader: a freighter is five pieces. */
export const READ_PIECE = 50_000;

/** The flight's parcels on SQLite, in rowid order: the range of its rowids (one index scan each way), the flight tested per row. */
const SQLITE_FLIGHT_ROWS = `p.rowid between (select min(rowid) from parcels where flight_id = ?) and (select max(rowid) from parcels where flight_id = ?) and +p.flight_id = ?`;

/**
 * The flight's parties, as screening needs them and the flight read leaves them out: one string from the
 * database (as rows, 250,000 objects cost about 0.3 s), parcels split by U+001E, fields by U+001F.
 */
const PARTIES_SQL = {
  sqlite: `select group_concat(tracking_number || char(31) || consignee_ref || char(31) || ifnull(seller_ref, ''), char(30)) as refs from parcels p where ${SQLITE_FLIGHT_ROWS}`,
  postgres: `select string_agg(tracking_number || chr(31) || consignee_ref || chr(31) || coalesce(seller_ref, ''), chr(30)) as refs from parcels where flight_id = $1`,
};

export async function flightRefs(db: Kysely<Database>, flightId: string, dollar: boolean): Promise<Parties[]> {
  const res = await db.executeQuery<{ refs: string | null }>(dollar ? CompiledQuery.raw(PARTIES_SQL.postgres, [flightId]) : CompiledQuery.raw(PARTIES_SQL.sqlite, [flightId, flightId, flightId]));
  const text = res.rows[0]?.refs;
  if (text === null || text === undefined || text === '') return [];
  return text.split('\u001e').map((parcel) => {
    const a = parcel.indexOf('\u001f');
    const b = parcel.indexOf('\u001f', a + 1);
    const seller = parcel.slice(b + 1);
    return [parcel.slice(0, a), null, null, null, null, parcel.slice(a + 1, b), seller === '' ? null : seller] as const;
  });
}

/**
 * Gives each parcel read its parties (slots 5 and 6). Both queries scan the
 * flight's parcels the same way, so unless the flight changed in between they come in the same order and
 * are joined by position. Otherwise by tracking number: the parties of parcels added since `refs` was read
 * are read now, and parcels no longer in the database are left out. `screened`: every parcel's parties were
 * among `refs`.
 */
export async function withParties(db: Kysely<Database>, read: readonly FlightRead[], refs: readonly Parties[]): Promise<{ parcels: FlightParcel[]; screened: boolean }> {
  let aligned = refs.length === read.length;
  for (let i = 0; aligned && i < read.length; i++) aligned = read[i]![0] === refs[i]![0];
  const byTracking = new Map<string, Parties>();
  let late = 0;
  if (!aligned) {
    for (const r of refs) byTracking.set(r[0], r);
    const missing = read.map((p) => p[0]).filter((tn) => !byTracking.has(tn));
    late = missing.length;
    for (let i = 0; i < missing.length; i += 1000) {
      const rows = await db.selectFrom('parcels').select(['tracking_number', 'consignee_ref', 'seller_ref']).where('tracking_number', 'in', missing.slice(i, i + 1000)).execute();
      for (const r of rows) byTracking.set(r.tracking_number, [r.tracking_number, null, null, null, null, r.consignee_ref, r.seller_ref]);
    }
  }
  const parcels: FlightParcel[] = [];
  for (let i = 0; i < read.length; i++) {
    const p = read[i]! as unknown as unknown[];
    const parties = aligned ? refs[i]! : byTracking.get(p[0] as string);
    if (parties === undefined) continue;
    p[5] = parties[5];
    p[6] = parties[6];
    parcels.push(p as unknown as FlightParcel);
  }
  return { parcels, screened: late === 0 };
}

const ITEMS = ['i.line_no', 'i.description', 'i.hs_code', 'i.quantity', 'i.unit_value', 'i.currency', 'i.origin_country'].join(', ');
const PARCEL = ['p.tracking_number', 'p.awb', 'p.dest_country', 'p.gross_mass_g', 'p.ioss_number', 'null', 'null'].join(', ');
const SQLITE_JSON = `select json_group_array(json_array(${PARCEL}, (select json_group_array(json_array(${ITEMS})) from parcel_items i where i.tracking_number = p.tracking_number))) as flight from parcels p`;

/**
 * The whole flight in ONE statement whose text never changes (cached prepared on SQLite): parcels with their
 * items nested, as one JSON array built by the database. One string crosses into JavaScript instead of
 * ~600,000 row objects, and `JSON.parse` builds the tuples natively (the read was 2.5 s of 6 with rows).
 * Memory: about 130 bytes of JSON per parcel, held once (a 500,000-parcel freighter: ~65 MB).
 */
const FLIGHT_SQL = {
  sqlite: `${SQLITE_JSON} where ${SQLITE_FLIGHT_ROWS}`,
  postgres: `select coalesce(json_agg(json_build_array(${PARCEL}, (select json_agg(json_build_array(${ITEMS})) from parcel_items i where i.tracking_number = p.tracking_number))), '[]')::text as flight from parcels p where p.flight_id = $1`,
};
/** One piece of the flight on SQLite: a range of rowids. */
const PIECE_SQL = `${SQLITE_JSON} where p.rowid between ? and ? and +p.flight_id = ?`;
const BOUNDS_SQL = `select min(rowid) as lo, max(rowid) as hi, count(*) as n from parcels where flight_id = ?`;

/** The flight in one statement, on `db` (either store). */
export async function readFlight(db: Kysely<Database>, flightId: string, dollar: boolean): Promise<FlightRead[]> {
  const query = dollar ? CompiledQuery.raw(FLIGHT_SQL.postgres, [flightId]) : CompiledQuery.raw(FLIGHT_SQL.sqlite, [flightId, flightId, flightId]);
  const out: FlightRead[] = [];
  appendParsed(out, (await db.executeQuery<{ flight: string | null }>(query)).rows[0]?.flight);
  return out;
}

/**
 * The flight in pieces of about `piece` parcels, all sent to SQLite's `reader` at once; each is parsed as it
 * arrives, while the reader builds the next. The result is in rowid order, as `readFlight`'s.
 */
export async function readFlightInPieces(reader: Kysely<Database>, flightId: string, piece = READ_PIECE): Promise<FlightRead[]> {
  const bounds = (await reader.executeQuery<{ lo: number | null; hi: number | null; n: number }>(CompiledQuery.raw(BOUNDS_SQL, [flightId]))).rows[0];
  const out: FlightRead[] = [];
  if (bounds === undefined || bounds.lo === null || bounds.hi === null) return out;
  const { lo, hi } = bounds;
  const step = Math.ceil((hi - lo + 1) / Math.max(1, Math.round(bounds.n / piece)));
  const pieces: Promise<{ rows: { flight: string | null }[] }>[] = [];
  for (let from = lo; from <= hi; from += step) pieces.push(reader.executeQuery<{ flight: string | null }>(CompiledQuery.raw(PIECE_SQL, [from, Math.min(hi, from + step - 1), flightId])));
  // Awaited in order below: not unhandled rejections meanwhile.
  for (const p of pieces) p.catch(() => undefined);
  for (const p of pieces) appendParsed(out, (await p).rows[0]?.flight);
  return out;
}

/** Parses one JSON array of parcels onto `out`, their items in line order. */
function appendParsed(out: FlightRead[], json: string | null | undefined): void {
  const parcels = JSON.parse(json ?? '[]') as unknown[][];
  for (let i = 0; i < parcels.length; i++) {
    const p = parcels[i]!;
    // A nested aggregate may arrive as text (JSON subtype lost) or null (PostgreSQL, no items).
    let items = p[7] as readonly ItemRow[] | string | null;
    if (items === null) items = NO_ITEMS;
    else if (typeof items === 'string') items = JSON.parse(items) as ItemRow[];
    if (!inLineOrder(items)) items = [...items].sort((a, b) => a[0] - b[0]);
    p[7] = items;
    out.push(p as unknown as FlightRead);
  }
}

/** Tracking-number order: a deterministic result, and rows reach the primary key in order. */
export function sortByTracking(parcels: FlightParcel[]): FlightParcel[] {
  for (let i = 1; i < parcels.length; i++) {
    if (parcels[i - 1]![0] > parcels[i]![0]) return parcels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  return parcels;
}

const NO_ITEMS: readonly ItemRow[] = [];

function inLineOrder(items: readonly ItemRow[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]![0] > items[i]![0]) return false;
  return true;
}
