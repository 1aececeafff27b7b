/**
 * The H7 declarations of a flight, as JSON for the customs authority: a disclosure of personal data, so
 * party data (buyers, sellers) is read only here, only through the gate (purpose customs-control), one
 * decision per batch of ≤ 1,000 distinct refs; the ledger indexes of those decisions come with the export.
 * Nothing read is stored. Each consignment is validated element by element; an incomplete one is not
 * declared but listed with its missing elements named. Parties are read only for consignments that can
 * still be declared: the elements that are not personal data are checked first, then the sellers, then the
 * buyers of what is left; a consignment that fails a step lists what that step found, not later ones.
 */
import type { Kysely } from 'kysely';
import type { Gate, Principal } from '../gate/index.js';
import type { Database } from '../store/index.js';
import { FlightContext, type ItemRow, type ParcelClearance } from './compute.js';
import { CustomsData } from './data/index.js';
import { buildH7, missingParty, missingWithoutParties, partyOf, type H7Declaration, type H7Input, type H7Party } from './h7.js';
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
  /** Consignments not declared, by tracking number: the missing or invalid elements of the first step that failed. */
  readonly errors: readonly { readonly trackingNumber: string; readonly missing: readonly string[] }[];
  /** H1 consignments (above EUR 150): a full declaration is needed, not part of this export. */
  readonly h1: readonly string[];
  /** Ledger indexes of the gate's decisions for this export (the receipts of the disclosure). */
  readonly receipts: { readonly consignees: readonly number[]; readonly sellers: readonly number[] };
}

/** A parcel whose non-personal elements are complete: its parties decide. */
interface Candidate {
  readonly input: H7Input;
  readonly tax: ParcelClearance;
  readonly consigneeRef: string;
  readonly sellerRef: string;
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

  // What can be decided without personal data is decided first: a parcel whose other elements are
  // incomplete, or that has no seller, cannot be declared whatever its parties hold, so they are not read.
  const ctx = new FlightContext(opts.data ?? new CustomsData(), date, opts.declarant, true);
  const errors: { trackingNumber: string; missing: string[] }[] = [];
  const candidates: Candidate[] = [];
  for (const p of parcels) {
    const its = items.get(p.tracking_number) ?? [];
    const tax = ctx.compute([p.tracking_number, p.awb, p.dest_country, p.gross_mass_g, p.ioss_number, p.consignee_ref, p.seller_ref], its);
    const input: H7Input = {
      trackingNumber: p.tracking_number, awb: p.awb, grossMassG: p.gross_mass_g, destCountry: p.dest_country, iossNumber: p.ioss_number,
      items: its.map(([, description, hsCode, quantity, unitValue, currency, originCountry]) => ({ description, hsCode, originCountry, quantity, unitValue, currency })),
    };
    const missing = [...(p.seller_ref === null ? missingParty('seller', {}) : []), ...missingWithoutParties(input, tax, opts.declarant)];
    if (p.seller_ref !== null && missing.length === 0) candidates.push({ input, tax, consigneeRef: p.consignee_ref, sellerRef: p.seller_ref });
    else errors.push({ trackingNumber: p.tracking_number, missing });
  }

  // Sellers before buyers: a seller without an address (a manifest from before `seller.street` …) fails
  // its parcels, and their buyers — far more people than sellers — are then not read.
  const sellers = await readParties(gate, opts.principal, candidates.map((c) => c.sellerRef), 'seller', undefined, opts.requestId);
  const withSeller: (Candidate & { seller: Partial<H7Party> })[] = [];
  for (const c of candidates) {
    const seller = partyOf(sellers.records.get(c.sellerRef));
    const missing = missingParty('seller', seller);
    if (missing.length > 0) errors.push({ trackingNumber: c.input.trackingNumber, missing });
    else withSeller.push({ ...c, seller });
  }
  const buyers = await readParties(gate, opts.principal, withSeller.map((c) => c.consigneeRef), 'consignee', undefined, opts.requestId);

  const declarations: H7Declaration[] = [];
  for (const c of withSeller) {
    const r = buildH7(c.input, c.tax, c.seller, partyOf(buyers.records.get(c.consigneeRef)), opts.declarant);
    if (r.declaration) declarations.push(r.declaration);
    else errors.push({ trackingNumber: c.input.trackingNumber, missing: r.missing });
  }
  errors.sort((a, b) => (a.trackingNumber < b.trackingNumber ? -1 : a.trackingNumber > b.trackingNumber ? 1 : 0));
  return { flightId, dateOfImport: date, declarant: opts.declarant, declarations, errors, h1, receipts: { consignees: buyers.ledgerIndexes, sellers: sellers.ledgerIndexes } };
}
