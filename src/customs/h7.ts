/**
 * The H7 super-reduced data set (Delegated Regulation (EU) 2015/2446 Annex B, column H7) per eligible
 * consignment, named after the EU Customs Data Model elements; and the ICS2 house-level completeness check.
 * Party names and addresses come only from the gate (purpose customs-control) and are never stored.
 * EUCDM numbers verified: 12 09 (LRN), 11 09 (procedure), 11 10 (additional procedure: C07 + F48 with
 * IOSS, C07 + F49 special arrangements, C07 alone otherwise), 13 16 (additional fiscal references: the
 * IOSS number). The other element names follow the EUCDM; their numbers are not given here.
 */
import type { PersonalRecord } from '../gate/index.js';
import type { TaxResult } from './tax.js';

export interface H7Party {
  readonly name: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly country: string;
}

export interface H7GoodsItem {
  readonly descriptionOfGoods: string;
  readonly commodityCodeHs6: string;
  readonly countryOfOrigin: string;
  readonly intrinsicValue: { readonly amount: string; readonly currency: string };
}

export interface H7Declaration {
  readonly lrn: string;
  readonly additionalDeclarationType: 'A';
  readonly procedure: { readonly requestedProcedure: '40'; readonly previousProcedure: '00' };
  readonly additionalProcedure: readonly string[];
  readonly declarant: string;
  /** The seller (EUCDM: exporter / seller). */
  readonly seller: H7Party;
  /** The buyer (EUCDM: importer / buyer). */
  readonly buyer: H7Party;
  readonly additionalFiscalReferences: readonly { readonly role: 'FR5'; readonly vatIdentificationNumber: string }[];
  readonly totalIntrinsicValueEur: string;
  readonly grossMassKg: string;
  readonly transportDocument: { readonly type: 'N740'; readonly referenceNumber: string };
  readonly countryOfDestination: string;
  readonly goodsItems: readonly H7GoodsItem[];
}

export interface H7Input {
  readonly trackingNumber: string;
  readonly awb: string;
  readonly grossMassG: number;
  readonly destCountry: string;
  readonly iossNumber: string | null;
  readonly items: readonly { readonly description: string; readonly hsCode: string; readonly originCountry: string; readonly quantity: number; readonly unitValue: string; readonly currency: string }[];
}

/** Descriptions that say nothing (ICS2 and H7 both refuse them). */
export const VAGUE: ReadonlySet<string> = new Set(['gift', 'gifts', 'goods', 'parts', 'sample', 'samples', 'accessories', 'general merchandise', 'other', 'n/a', '']);
const PARTY_FIELDS = ['name', 'street', 'postcode', 'city', 'country'] as const;

export function partyOf(record: PersonalRecord | undefined): Partial<H7Party> {
  const out: Partial<Record<keyof H7Party, string>> = {};
  for (const f of PARTY_FIELDS) if (record?.[f] !== undefined && record[f].trim() !== '') out[f] = record[f];
  return out;
}

/** The elements of a party that are missing, named `seller.street` …; all of them for an absent party (`{}`). */
export function missingParty(role: 'seller' | 'buyer', p: Partial<H7Party>): string[] {
  return PARTY_FIELDS.filter((f) => p[f] === undefined).map((f) => `${role}.${f}`);
}

const hs6Of = (hsCode: string): string => hsCode.replace(/[.\s]/g, '').slice(0, 6);

/** What ICS2 house-level entry summary data lacks (empty: complete). */
export function ics2Missing(input: H7Input, seller: Partial<H7Party>, buyer: Partial<H7Party>): string[] {
  const missing = [...missingParty('seller', seller), ...missingParty('buyer', buyer)];
  if (input.awb.trim() === '') missing.push('transportDocument');
  if (!(input.grossMassG > 0)) missing.push('grossMass');
  if (input.items.length === 0) missing.push('goodsItems');
  input.items.forEach((it, i) => {
    if (VAGUE.has(it.description.trim().toLowerCase())) missing.push(`goodsItems[${i}].descriptionOfGoods`);
    if (!/^\d{6}$/.test(hs6Of(it.hsCode))) missing.push(`goodsItems[${i}].commodityCodeHs6`);
  });
  return missing;
}

/**
 * What the H7 data set lacks apart from the parties (empty: only the parties can still fail it). Needs no
 * personal data, so the export decides with it which parcels' parties are worth reading at all.
 */
export function missingWithoutParties(input: H7Input, tax: Pick<TaxResult, 'procedure'>, declarant: string): string[] {
  const missing: string[] = [];
  if (tax.procedure !== 'H7') missing.push('procedure (intrinsic value above EUR 150: H1 declaration required)');
  if (declarant.trim() === '') missing.push('declarant');
  if (input.awb.trim() === '') missing.push('transportDocument');
  if (!(input.grossMassG > 0)) missing.push('grossMass');
  input.items.forEach((it, i) => {
    if (VAGUE.has(it.description.trim().toLowerCase())) missing.push(`goodsItems[${i}].descriptionOfGoods`);
    if (!/^\d{6}$/.test(hs6Of(it.hsCode))) missing.push(`goodsItems[${i}].commodityCodeHs6`);
    if (!/^[A-Z]{2}$/.test(it.originCountry)) missing.push(`goodsItems[${i}].countryOfOrigin`);
  });
  if (input.items.length === 0) missing.push('goodsItems');
  return missing;
}

/** The H7 data set, or the list of elements that are missing (each named, one per problem; the parties' first). */
export function buildH7(input: H7Input, tax: Pick<TaxResult, 'procedure' | 'vatCollection' | 'intrinsicValueEur'>, seller: Partial<H7Party>, buyer: Partial<H7Party>, declarant: string): { declaration?: H7Declaration; missing: string[] } {
  const missing = [...missingParty('seller', seller), ...missingParty('buyer', buyer), ...missingWithoutParties(input, tax, declarant)];
  if (missing.length > 0) return { missing };
  const goodsItems = input.items.map((it): H7GoodsItem => ({ descriptionOfGoods: it.description, commodityCodeHs6: hs6Of(it.hsCode), countryOfOrigin: it.originCountry, intrinsicValue: { amount: it.unitValue, currency: it.currency } }));
  const additionalProcedure = tax.vatCollection === 'ioss-at-sale' ? ['C07', 'F48'] : tax.vatCollection === 'special-arrangements' ? ['C07', 'F49'] : ['C07'];
  return {
    missing,
    declaration: {
      lrn: `GH${input.trackingNumber}`.slice(0, 22),
      additionalDeclarationType: 'A',
      procedure: { requestedProcedure: '40', previousProcedure: '00' },
      additionalProcedure,
      declarant,
      seller: seller as H7Party,
      buyer: buyer as H7Party,
      additionalFiscalReferences: tax.vatCollection === 'ioss-at-sale' && input.iossNumber ? [{ role: 'FR5', vatIdentificationNumber: input.iossNumber }] : [],
      totalIntrinsicValueEur: tax.intrinsicValueEur,
      grossMassKg: (input.grossMassG / 1000).toFixed(3),
      transportDocument: { type: 'N740', referenceNumber: input.awb },
      countryOfDestination: input.destCountry,
      goodsItems,
    },
  };
}
