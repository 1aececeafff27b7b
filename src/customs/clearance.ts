/**
 * Clearance of a flight: bulk reads (parcels, items, history), in-memory computation (tax, duty, H7, ICS2,
 * every risk rule), party data through the gate in batches, bulk writes of one row per parcel.
 */
import type { Kysely } from 'kysely';
import { convertMoneyByInverseRate, parseMoney } from '../domain/index.js';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { CustomsData } from './data/index.js';
import { buildH7, ics2Missing, partyOf, type H7Input } from './h7.js';
import { readParties } from './parties.js';
import { currentRules } from './rules/document.js';
import { evaluateRules, hs6Medians, type Flag, type RuleParcel, type SameDayParcel } from './rules/engine.js';
import { EMPTY_SANCTIONS, type SanctionsList } from './rules/sanctions.js';
import { computeTax, type TaxResult } from './tax.js';

export interface ClearOptions {
  readonly principal: Principal;
  readonly declarant: string;
  readonly sanctions?: SanctionsList;
  readonly data?: CustomsData;
  readonly now?: Date;
}

export interface ParcelClearance extends TaxResult {
  readonly allFlags: readonly Flag[];
}

export interface FlightClearance {
  readonly flightId: string;
  readonly dateOfImport: string;
  readonly rulesVersion: number;
  readonly parcels: readonly ParcelClearance[];
  readonly timings: Readonly<Record<string, number>>;
}

const ROWS_PER_INSERT = 500; // × 14 columns, under SQLite's 32,766 parameters

export async function clearFlight(db: Kysely<Database>, gate: Gate, flightId: string, opts: ClearOptions): Promise<FlightClearance> {
  const t: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string): void => {
    const n = performance.now();
    t[name] = Math.round(n - t0);
    t0 = n;
  };
  const data = opts.data ?? new CustomsData();
  const flight = await db.selectFrom('flights').select(['id', 'flight_date', 'arrived_at']).where('id', '=', flightId).executeTakeFirst();
  if (!flight) throw new RangeError(`no flight ${flightId}`);
  const date = flight.arrived_at?.slice(0, 10) ?? flight.flight_date;
  const rules = await currentRules(db);
  const parcels = await db
    .selectFrom('parcels')
    .select(['tracking_number', 'awb', 'dest_country', 'gross_mass_g', 'ioss_number', 'consignee_ref', 'seller_ref'])
    .where('flight_id', '=', flightId)
    .orderBy('tracking_number')
    .execute();
  const itemRows = await db
    .selectFrom('parcel_items as i')
    .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
    .select(['i.tracking_number', 'i.description', 'i.hs_code', 'i.quantity', 'i.unit_value', 'i.currency', 'i.origin_country'])
    .where('p.flight_id', '=', flightId)
    .orderBy('i.tracking_number')
    .orderBy('i.line_no')
    .execute();
  const items = new Map<string, (typeof itemRows)[number][]>();
  for (const r of itemRows) {
    const list = items.get(r.tracking_number);
    if (list) list.push(r);
    else items.set(r.tracking_number, [r]);
  }
  lap('read');

  const toEurMinor = (value: string, currency: string): bigint => {
    const m = parseMoney(value, currency);
    if (!m.ok) return 0n;
    return currency === 'EUR' ? m.value.minor : convertMoneyByInverseRate(m.value, 'EUR', data.fxRate(currency, date).rate).minor;
  };
  // History for the undervaluation medians: other flights' items within the window, at today's rate (approximation).
  const samples = new Map<string, bigint[]>();
  if (rules.document.undervaluation.enabled) {
    const from = new Date(Date.parse(date) - rules.document.undervaluation.historyDays * 86_400_000).toISOString();
    const hist = await db
      .selectFrom('parcel_items as i')
      .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
      .select(['i.hs_code', 'i.unit_value', 'i.currency'])
      .where('p.flight_id', '!=', flightId)
      .where('p.created_at', '>=', from)
      .execute();
    for (const h of hist) {
      const hs6 = h.hs_code.replace(/[.\s]/g, '').slice(0, 6);
      const v = toEurMinor(h.unit_value, h.currency);
      const list = samples.get(hs6);
      if (list) list.push(v);
      else samples.set(hs6, [v]);
    }
  }
  const sameDayRows = await db
    .selectFrom('customs_clearances as c')
    .innerJoin('parcels as p', 'p.tracking_number', 'c.tracking_number')
    .select(['c.tracking_number', 'c.intrinsic_eur', 'p.consignee_ref', 'p.seller_ref'])
    .where('c.date_of_import', '=', date)
    .where('c.flight_id', '!=', flightId)
    .execute();
  const sameDay: SameDayParcel[] = sameDayRows.map((r) => ({ trackingNumber: r.tracking_number, consigneeRef: r.consignee_ref, sellerRef: r.seller_ref, intrinsicEurMinor: toEurMinor(r.intrinsic_eur, 'EUR') }));
  lap('history');

  const sellers = await readParties(gate, opts.principal, parcels.flatMap((p) => (p.seller_ref === null ? [] : [p.seller_ref])), 'seller');
  const buyers = await readParties(gate, opts.principal, parcels.map((p) => p.consignee_ref), 'consignee');
  lap('gate');

  const taxes: TaxResult[] = [];
  const ruleParcels: RuleParcel[] = [];
  const extra = new Map<string, Flag[]>();
  const sellerNames = new Map<string, string>();
  for (const [ref, rec] of sellers) if (rec.name !== undefined) sellerNames.set(ref, rec.name);
  for (const p of parcels) {
    const its = items.get(p.tracking_number) ?? [];
    const taxItems = its.map((i) => ({ hsCode: i.hs_code, quantity: i.quantity, unitValue: i.unit_value, currency: i.currency }));
    const tax = computeTax({ trackingNumber: p.tracking_number, destCountry: p.dest_country, iossNumber: p.ioss_number, items: taxItems }, date, data);
    taxes.push(tax);
    const own: Flag[] = tax.flags.map((rule) => ({ rule, evidence: { intrinsicValueEur: tax.intrinsicValueEur, destination: tax.destination } }));
    const h7in: H7Input = {
      trackingNumber: p.tracking_number, awb: p.awb, grossMassG: p.gross_mass_g, destCountry: p.dest_country, iossNumber: p.ioss_number,
      items: its.map((i) => ({ description: i.description, hsCode: i.hs_code, originCountry: i.origin_country, quantity: i.quantity, unitValue: i.unit_value, currency: i.currency })),
    };
    const seller = partyOf(p.seller_ref === null ? undefined : sellers.get(p.seller_ref));
    const buyer = partyOf(buyers.get(p.consignee_ref));
    if (rules.document.ics2.enabled) {
      const missing = ics2Missing(h7in, seller, buyer);
      if (missing.length > 0) own.push({ rule: 'ics2-incomplete', evidence: { missing } });
    }
    if (tax.procedure === 'H7') {
      const h7 = buildH7(h7in, tax, seller, buyer, opts.declarant);
      if (h7.missing.length > 0) own.push({ rule: 'h7-incomplete', evidence: { missing: h7.missing } });
    }
    extra.set(p.tracking_number, own);
    ruleParcels.push({
      trackingNumber: p.tracking_number, consigneeRef: p.consignee_ref, sellerRef: p.seller_ref, intrinsicEurMinor: toEurMinor(tax.intrinsicValueEur, 'EUR'),
      items: its.map((i) => ({ hs6: i.hs_code.replace(/[.\s]/g, '').slice(0, 6), unitEurMinor: toEurMinor(i.unit_value, i.currency) })),
    });
  }
  const ruleFlags = evaluateRules(ruleParcels, { rules: rules.document, medians: hs6Medians(samples), sellerNames, sanctions: opts.sanctions ?? EMPTY_SANCTIONS, sameDay });
  const result: ParcelClearance[] = taxes.map((tax) => ({ ...tax, allFlags: [...(extra.get(tax.trackingNumber) ?? []), ...(ruleFlags.get(tax.trackingNumber) ?? [])] }));
  lap('compute');

  const clearedAt = (opts.now ?? new Date()).toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('customs_clearances').where('flight_id', '=', flightId).execute();
    for (let i = 0; i < result.length; i += ROWS_PER_INSERT) {
      const rows = result.slice(i, i + ROWS_PER_INSERT).map((r) => ({
        tracking_number: r.trackingNumber, flight_id: flightId, date_of_import: date, procedure: r.procedure, destination: r.destination,
        vat_rate: r.vatRate, vat: r.vat, vat_due: r.vatDueAtImport, duty: r.duty, intrinsic_eur: r.intrinsicValueEur,
        flag_rules: [...new Set(r.allFlags.map((f) => f.rule))].join(' '), flags: JSON.stringify(r.allFlags), rules_version: rules.version, cleared_at: clearedAt,
      }));
      await tx.insertInto('customs_clearances').values(rows).execute();
    }
  });
  lap('write');
  return { flightId, dateOfImport: date, rulesVersion: rules.version, parcels: result, timings: t };
}
