/**
 * The H7 declarations of a flight, as JSON for the customs authority: a disclosure of personal data, so
 * party data (buyers, sellers) is read only here, only through the gate (purpose customs-control), one
 * decision per batch of ≤ 1,000 distinct refs; the ledger indexes of those decisions come with the export.
 * Nothing read is stored. Each consignment is validated element by element; an incomplete one is not
 * declared but listed with every missing element named.
 */
import type { Kysely } from 'kysely';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { FlightContext, type ItemRow } from './compute.js';
import { CustomsData } from './data/index.js';
import { buildH7, partyOf, type H7Declaration } from './h7.js';
import { readParties } from './parties.js';

export class H7ExportError extends Error {
  override readonly name = 'H7ExportError';
  constructor(
    readonly code: 'NOT_FOUND' | 'NOT_CLEARED',
    message: string,
  ) {
    super(message);
  }
}

export interface H7Export {
  readonly flightId: string;
  readonly dateOfImport: string;
  readonly declarant: string;
  readonly declarations: readonly H7Declaration[];
  /** Consignments not declared: every missing or invalid element named. */
  readonly errors: readonly { readonly trackingNumber: string; readonly missing: readonly string[] }[];
  /** H1 consignments (above EUR 150): a full declaration is needed, not part of this export. */
  readonly h1: readonly string[];
  /** Ledger indexes of the gate's decisions for this export (the receipts of the disclosure). */
  readonly receipts: { readonly consignees: readonly number[]; readonly sellers: readonly number[] };
}

export interface H7ExportOptions {
  readonly principal: Principal;
  readonly declarant: string;
  readonly data?: CustomsData;
  readonly requestId?: string;
}

export async function exportFlightH7(db: Kysely<Database>, gate: Gate, flightId: string, opts: H7ExportOptions): Promise<H7Export> {
  const flight = await db.selectFrom('flights').select('id').where('id', '=', flightId).executeTakeFirst();
  if (!flight) throw new H7ExportError('NOT_FOUND', `no flight ${flightId}`);
  const cleared = await db.selectFrom('customs_clearances').select(['tracking_number', 'procedure', 'date_of_import']).where('flight_id', '=', flightId).execute();
  if (cleared.length === 0) throw new H7ExportError('NOT_CLEARED', `flight ${flightId} is not cleared yet: run the clearance first (glasshub customs clear --flight ${flightId})`);
  const date = cleared[0]!.date_of_import;
  const h1 = cleared.filter((c) => c.procedure !== 'H7').map((c) => c.tracking_number).sort();
  const h7 = new Set(cleared.filter((c) => c.procedure === 'H7').map((c) => c.tracking_number));
  const parcels = (
    await db.selectFrom('parcels').select(['tracking_number', 'awb', 'dest_country', 'gross_mass_g', 'ioss_number', 'consignee_ref', 'seller_ref']).where('flight_id', '=', flightId).orderBy('tracking_number').execute()
  ).filter((p) => h7.has(p.tracking_number));
  const itemRows = await db
    .selectFrom('parcel_items as i')
    .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
    .select(['i.tracking_number', 'i.line_no', 'i.description', 'i.hs_code', 'i.quantity', 'i.unit_value', 'i.currency', 'i.origin_country'])
    .where('p.flight_id', '=', flightId)
    .orderBy('i.tracking_number')
    .orderBy('i.line_no')
    .execute();
  const items = new Map<string, ItemRow[]>();
  for (const r of itemRows) {
    const row: ItemRow = [r.line_no, r.description, r.hs_code, r.quantity, r.unit_value, r.currency, r.origin_country];
    const list = items.get(r.tracking_number);
    if (list) list.push(row);
    else items.set(r.tracking_number, [row]);
  }

  const buyers = await readParties(gate, opts.principal, parcels.map((p) => p.consignee_ref), 'consignee', undefined, opts.requestId);
  const sellers = await readParties(gate, opts.principal, parcels.flatMap((p) => (p.seller_ref === null ? [] : [p.seller_ref])), 'seller', undefined, opts.requestId);

  const ctx = new FlightContext(opts.data ?? new CustomsData(), date, opts.declarant, true);
  const declarations: H7Declaration[] = [];
  const errors: { trackingNumber: string; missing: string[] }[] = [];
  for (const p of parcels) {
    const its = items.get(p.tracking_number) ?? [];
    const tax = ctx.compute([p.tracking_number, p.awb, p.dest_country, p.gross_mass_g, p.ioss_number, p.consignee_ref, p.seller_ref], its);
    const input = {
      trackingNumber: p.tracking_number, awb: p.awb, grossMassG: p.gross_mass_g, destCountry: p.dest_country, iossNumber: p.ioss_number,
      items: its.map(([, description, hsCode, quantity, unitValue, currency, originCountry]) => ({ description, hsCode, originCountry, quantity, unitValue, currency })),
    };
    const seller = partyOf(p.seller_ref === null ? undefined : sellers.records.get(p.seller_ref));
    const r = buildH7(input, tax, seller, partyOf(buyers.records.get(p.consignee_ref)), opts.declarant);
    if (r.declaration) declarations.push(r.declaration);
    else errors.push({ trackingNumber: p.tracking_number, missing: r.missing });
  }
  return { flightId, dateOfImport: date, declarant: opts.declarant, declarations, errors, h1, receipts: { consignees: buyers.ledgerIndexes, sellers: sellers.ledgerIndexes } };
}
