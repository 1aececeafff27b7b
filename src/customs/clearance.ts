/**
 * Clearance of a flight without per-parcel personal data: bulk reads (parcels, items, history), in-memory
 * computation with exact integer amounts (tax, duty, non-personal H7/ICS2 completeness, every risk rule;
 * split consignments by vault refs, never opened), bulk writes with prebuilt multi-row SQL.
 * Personal data is read for one thing only: the sanctions screening of SELLERS — the distinct seller refs
 * of the flight (few), names only, through the gate (purpose customs-control), ≤ 1,000 refs per decision.
 * Buyers' data is needed only for the H7 export (a disclosure to customs, see `h7-export.ts`).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { FlightContext, type ItemRow, type ParcelClearance, type ParcelRow } from './compute.js';
import { CustomsData } from './data/index.js';
import { readParties } from './parties.js';
import { currentRules } from './rules/document.js';
import { evaluateRules, hs6Medians, type RuleParcel, type SameDayParcel } from './rules/engine.js';
import { EMPTY_SANCTIONS, type SanctionsList } from './rules/sanctions.js';

export type { ParcelClearance } from './compute.js';

export interface ClearOptions {
  readonly principal: Principal;
  readonly declarant: string;
  readonly sanctions?: SanctionsList;
  readonly data?: CustomsData;
  readonly now?: Date;
}

export interface FlightClearance {
  readonly flightId: string;
  readonly dateOfImport: string;
  readonly rulesVersion: number;
  /** What every figure rests on, once per flight: exchange rates used, the duty rule. */
  readonly basis: { readonly fx: readonly { readonly currency: string; readonly perEur: string; readonly date: string }[]; readonly dutyRule: string | null };
  readonly parcels: readonly ParcelClearance[];
  /** Ledger indexes of the gate's decisions on reading sellers' names (one per ≤ 1,000 sellers). */
  readonly sellerReads: readonly number[];
  readonly timings: Readonly<Record<string, number>>;
}

const COLUMNS = ['tracking_number', 'flight_id', 'date_of_import', 'procedure', 'destination', 'vat_rate', 'vat', 'vat_due', 'duty', 'intrinsic_eur', 'flag_rules', 'flags', 'rules_version', 'cleared_at'];
const ROWS_PER_INSERT = 2000; // × 14 = 28,000 parameters, under SQLite's 32,766

export async function clearFlight(db: Kysely<Database>, gate: Gate, flightId: string, opts: ClearOptions): Promise<FlightClearance> {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const n = performance.now();
    t[name] = Math.round(n - t0);
    t0 = n;
  };
  const flight = await db.selectFrom('flights').select(['id', 'flight_date', 'arrived_at']).where('id', '=', flightId).executeTakeFirst();
  if (!flight) throw new RangeError(`no flight ${flightId}`);
  const date = flight.arrived_at?.slice(0, 10) ?? flight.flight_date;
  const rules = await currentRules(db);
  const ctx = new FlightContext(opts.data ?? new CustomsData(), date, opts.declarant, rules.document.ics2.enabled);
  const parcels: ParcelRow[] = await db
    .selectFrom('parcels')
    .select(['tracking_number', 'awb', 'dest_country', 'gross_mass_g', 'ioss_number', 'consignee_ref', 'seller_ref'])
    .where('flight_id', '=', flightId)
    .orderBy('tracking_number')
    .execute();
  const items = groupItems(
    await db
      .selectFrom('parcel_items as i')
      .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
      .select(['i.tracking_number', 'i.line_no', 'i.description', 'i.hs_code', 'i.quantity', 'i.unit_value', 'i.currency', 'i.origin_country'])
      .where('p.flight_id', '=', flightId)
      .execute(),
  );
  lap('read');

  const samples = new Map<string, bigint[]>();
  const u = rules.document.undervaluation;
  if (u.enabled) {
    const from = new Date(Date.parse(date) - u.historyDays * 86_400_000).toISOString();
    const hist = await db
      .selectFrom('parcel_items as i')
      .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
      .select(['i.hs_code', 'i.unit_value', 'i.currency'])
      .where('p.flight_id', '!=', flightId)
      .where('p.created_at', '>=', from)
      .execute();
    for (const h of hist) {
      const hs6 = ctx.facts.hs6(h.hs_code);
      const v = ctx.conv.unitEur(h.unit_value, h.currency);
      const list = samples.get(hs6);
      if (list) list.push(v);
      else samples.set(hs6, [v]);
    }
  }
  const sameDay: SameDayParcel[] = (
    await db
      .selectFrom('customs_clearances as c')
      .innerJoin('parcels as p', 'p.tracking_number', 'c.tracking_number')
      .select(['c.tracking_number', 'c.intrinsic_eur', 'p.consignee_ref', 'p.seller_ref'])
      .where('c.date_of_import', '=', date)
      .where('c.flight_id', '!=', flightId)
      .execute()
  ).map((r) => ({ trackingNumber: r.tracking_number, consigneeRef: r.consignee_ref, sellerRef: r.seller_ref, intrinsicEurMinor: ctx.conv.minor(r.intrinsic_eur, 'EUR') ?? 0n }));
  lap('history');

  // Sanctions screening: each distinct seller once, its name only.
  const sellerNames = new Map<string, string>();
  let sellerReads: readonly number[] = [];
  if (rules.document.sanctions.enabled) {
    const refs = new Set<string>();
    for (const p of parcels) if (p.seller_ref !== null) refs.add(p.seller_ref);
    const read = await readParties(gate, opts.principal, refs, 'seller', ['name']);
    for (const [ref, rec] of read.records) if (rec.name !== undefined) sellerNames.set(ref, rec.name);
    sellerReads = read.ledgerIndexes;
  }
  lap('gate');

  const result: ParcelClearance[] = new Array<ParcelClearance>(parcels.length);
  const ruleParcels: RuleParcel[] = new Array<RuleParcel>(parcels.length);
  for (let i = 0; i < parcels.length; i++) {
    const p = parcels[i]!;
    const { clearance, rule } = ctx.compute(p, items.get(p.tracking_number) ?? NO_ITEMS);
    result[i] = clearance;
    ruleParcels[i] = rule;
  }
  const ruleFlags = evaluateRules(ruleParcels, { rules: rules.document, medians: hs6Medians(samples), sellerNames, sanctions: opts.sanctions ?? EMPTY_SANCTIONS, sameDay });
  for (const r of result) {
    const more = ruleFlags.get(r.trackingNumber);
    if (more !== undefined) r.allFlags.push(...more);
  }
  lap('compute');

  const clearedAt = (opts.now ?? new Date()).toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('customs_clearances').where('flight_id', '=', flightId).execute();
    const dollar = tx.selectFrom('customs_clearances').select('tracking_number').where('tracking_number', '=', '').compile().sql.includes('$1');
    const texts = new Map<number, string>();
    for (let i = 0; i < result.length; i += ROWS_PER_INSERT) {
      const chunk = result.slice(i, i + ROWS_PER_INSERT);
      let text = texts.get(chunk.length);
      if (text === undefined) texts.set(chunk.length, (text = insertText(chunk.length, dollar)));
      const params: (string | number | null)[] = [];
      for (const r of chunk) {
        const f = r.allFlags;
        const names = f.length === 0 ? '' : [...new Set(f.map((x) => x.rule))].join(' ');
        params.push(r.trackingNumber, flightId, date, r.procedure, r.destination, r.vatRate, r.vat, r.vatDueAtImport, r.duty, r.intrinsicValueEur, names, f.length === 0 ? '[]' : JSON.stringify(f), rules.version, clearedAt);
      }
      await tx.executeQuery(CompiledQuery.raw(text, params));
    }
  });
  lap('write');
  const basis = { fx: [...ctx.conv.used].map(([currency, r]) => ({ currency, perEur: r.rate, date: r.date })), dutyRule: ctx.dutyRule };
  return { flightId, dateOfImport: date, rulesVersion: rules.version, basis, parcels: result, sellerReads, timings: t };
}

const NO_ITEMS: readonly ItemRow[] = [];

/** The statement text for `rows` rows, built once per chunk size and reused. */
function insertText(rows: number, dollar: boolean): string {
  const w = COLUMNS.length;
  const tuples: string[] = new Array<string>(rows);
  for (let r = 0; r < rows; r++) {
    const cells: string[] = new Array<string>(w);
    for (let c = 0; c < w; c++) cells[c] = dollar ? `$${r * w + c + 1}` : '?';
    tuples[r] = `(${cells.join(',')})`;
  }
  return `insert into customs_clearances (${COLUMNS.join(', ')}) values ${tuples.join(',')}`;
}

/** Items by parcel, in line order (the join returns them grouped; the order is checked, not assumed). */
function groupItems(rows: readonly ItemRow[]): Map<string, ItemRow[]> {
  const out = new Map<string, ItemRow[]>();
  for (const r of rows) {
    const list = out.get(r.tracking_number);
    if (list === undefined) out.set(r.tracking_number, [r]);
    else list.push(r);
  }
  for (const list of out.values()) {
    for (let i = 1; i < list.length; i++) {
      if (list[i - 1]!.line_no > list[i]!.line_no) {
        list.sort((a, b) => a.line_no - b.line_no);
        break;
      }
    }
  }
  return out;
}
