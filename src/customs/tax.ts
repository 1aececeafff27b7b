/**
 * VAT and customs duty of one consignment, for its date of import (e-commerce VAT package, 2021-07-01;
 * interim flat duty from 2026-07-01). Pure: no I/O; every figure is exact (bigint minor units) and
 * rounded once, half-even, to the cent.
 */
import { convertMoneyByInverseRate, divRoundHalfEven, formatMoney, isEu, multiplyMoney, parseMoney, parseMoneyOrThrow, type Money } from '../domain/index.js';
import { CustomsDataError, LOW_VALUE_THRESHOLD_EUR, type CustomsData } from './data/index.js';

export interface TaxItem {
  readonly hsCode: string;
  readonly quantity: number;
  /** Exact decimal string in `currency`. */
  readonly unitValue: string;
  readonly currency: string;
}

export interface TaxParcel {
  readonly trackingNumber: string;
  readonly destCountry: string;
  readonly iossNumber: string | null;
  readonly items: readonly TaxItem[];
}

export type Procedure = 'H7' | 'H1';
export type VatCollection = 'ioss-at-sale' | 'special-arrangements' | 'standard-import' | 'none';

export interface TaxResult {
  readonly trackingNumber: string;
  /** H7 (≤ EUR 150, super-reduced data set) or H1 (full declaration needed: flagged, not cleared here). */
  readonly procedure: Procedure;
  readonly destination: string;
  /** Percent of the member state of delivery; null outside the EU. */
  readonly vatRate: string | null;
  /** VAT on the consignment under its scheme, EUR. */
  readonly vat: string;
  /** What is due at import: 0.00 under IOSS (paid at sale). */
  readonly vatDueAtImport: string;
  readonly vatCollection: VatCollection;
  /** EUR; null for H1 (tariff duty needs the 10-digit TARIC code and a declarant). */
  readonly duty: string | null;
  readonly intrinsicValueEur: string;
  readonly distinctHs6: number;
  readonly basis: TaxBasis;
  /** Conditions found while computing (rule names, see docs/customs.md). */
  readonly flags: readonly string[];
}

export interface TaxBasis {
  readonly dateOfImport: string;
  readonly vatRateValidFrom: string | null;
  readonly vatSource: string | null;
  readonly fx: readonly { readonly currency: string; readonly perEur: string; readonly date: string }[];
  readonly dutyRule: string | null;
}

/** An IOSS VAT identification number: `IM` + 10 digits (format only; the registry check is the customs office's). */
export const IOSS_NUMBER = /^IM\d{10}$/;
const THRESHOLD = parseMoneyOrThrow(LOW_VALUE_THRESHOLD_EUR, 'EUR').minor; // EUR 150.00, inclusive

const ZERO = '0.00';
const eur = (minor: bigint): string => formatMoney({ currency: 'EUR', minor });

/** `base × percent / 100`, half-even to the cent; `percent` has at most 2 decimals. */
export function percentOf(baseMinor: bigint, percent: string): bigint {
  const [whole, frac = ''] = percent.split('.');
  const hundredths = BigInt(`${whole!}${frac.padEnd(2, '0')}`);
  return divRoundHalfEven(baseMinor * hundredths, 10000n);
}

/** Distinct 6-digit subheadings of the items (dots and spaces ignored). */
export function distinctHs6(items: readonly TaxItem[]): number {
  const set = new Set<string>();
  for (const it of items) set.add(it.hsCode.replace(/[.\s]/g, '').slice(0, 6));
  return set.size;
}

/** Intrinsic value in EUR: Σ unit value × quantity per currency, each currency converted once at the dated rate. */
export function intrinsicValue(items: readonly TaxItem[], date: string, data: CustomsData): { eur: Money; fx: TaxBasis['fx'] } {
  const perCurrency = new Map<string, bigint>();
  for (const it of items) {
    const unit = parseMoney(it.unitValue, it.currency);
    if (!unit.ok) throw new CustomsDataError(`unit value ${JSON.stringify(it.unitValue)} ${it.currency}: ${unit.reason}`);
    perCurrency.set(it.currency, (perCurrency.get(it.currency) ?? 0n) + multiplyMoney(unit.value, it.quantity).minor);
  }
  let total = 0n;
  const fx: { currency: string; perEur: string; date: string }[] = [];
  for (const [currency, minor] of perCurrency) {
    if (currency === 'EUR') {
      total += minor;
      continue;
    }
    const rate = data.fxRate(currency, date);
    fx.push({ currency, perEur: rate.rate, date: rate.date });
    total += convertMoneyByInverseRate({ currency, minor }, 'EUR', rate.rate).minor;
  }
  return { eur: { currency: 'EUR', minor: total }, fx };
}

/** VAT, duty and procedure of one consignment imported on `dateOfImport` (YYYY-MM-DD). */
export function computeTax(parcel: TaxParcel, dateOfImport: string, data: CustomsData): TaxResult {
  const flags: string[] = [];
  const { eur: value, fx } = intrinsicValue(parcel.items, dateOfImport, data);
  const hs6 = distinctHs6(parcel.items);
  const lowValue = value.minor <= THRESHOLD;
  const procedure: Procedure = lowValue ? 'H7' : 'H1';
  if (!lowValue) flags.push('h1-declaration-required');
  const ioss = parcel.iossNumber !== null && IOSS_NUMBER.test(parcel.iossNumber);
  if (parcel.iossNumber !== null && !ioss) flags.push('ioss-number-invalid');
  const vatRate = isEu(parcel.destCountry) ? data.vatRate(parcel.destCountry, dateOfImport) : null;
  if (vatRate === null) flags.push('destination-outside-eu');

  let dutyMinor: bigint | null = 0n;
  let dutyRule: string | null = null;
  if (!lowValue) dutyMinor = null;
  else {
    const rule = data.dutyRule(dateOfImport);
    dutyRule = rule?.id ?? null;
    if (rule?.kind === 'flat-per-hs6' && (rule.scope === 'all' || ioss)) {
      const per = parseMoney(rule.amountEur ?? '', 'EUR');
      if (!per.ok) throw new CustomsDataError(`duty rule ${rule.id}: amount ${per.reason}`);
      dutyMinor = per.value.minor * BigInt(hs6);
    }
  }

  let vatCollection: VatCollection = 'none';
  let vatMinor = 0n;
  let dueMinor = 0n;
  if (vatRate !== null) {
    if (procedure === 'H7' && ioss) {
      // Charged by the seller at the sale on the price (approximated by the intrinsic value); exempt at import.
      vatCollection = 'ioss-at-sale';
      vatMinor = percentOf(value.minor, vatRate.rate);
    } else {
      // Import VAT on customs value + duty (transport to destination not known here: see docs/customs.md).
      vatCollection = procedure === 'H7' ? 'special-arrangements' : 'standard-import';
      vatMinor = percentOf(value.minor + (dutyMinor ?? 0n), vatRate.rate);
      dueMinor = vatMinor;
    }
  }
  return {
    trackingNumber: parcel.trackingNumber,
    procedure,
    destination: parcel.destCountry,
    vatRate: vatRate?.rate ?? null,
    vat: vatRate === null ? ZERO : eur(vatMinor),
    vatDueAtImport: eur(dueMinor),
    vatCollection,
    duty: dutyMinor === null ? null : eur(dutyMinor),
    intrinsicValueEur: eur(value.minor),
    distinctHs6: hs6,
    basis: { dateOfImport, vatRateValidFrom: vatRate?.date ?? null, vatSource: vatRate?.source ?? null, fx, dutyRule },
    flags,
  };
}
