/**
 * The per-parcel part of clearance, on bulk-read rows, without personal data: intrinsic value, procedure,
 * VAT, duty (the same rules and the same exact arithmetic as `computeTax`, which stays the readable
 * reference: the tests check both agree), and the completeness of the non-personal H7 and ICS2 elements.
 * Party elements (names, addresses) are checked where they are read: at the H7 export (`h7-export.ts`).
 */
import { isEu } from '../domain/index.js';
import { CustomsDataError, LOW_VALUE_THRESHOLD_EUR, type CustomsData } from './data/index.js';
import { EurConverter, eurString, percentHundredths, StringFacts } from './amounts.js';
import { VAGUE } from './h7.js';
import type { Flag, RuleParcel } from './rules/engine.js';
import { IOSS_NUMBER, type Procedure, type VatCollection } from './tax.js';
import { divRoundHalfEven } from '../domain/index.js';

export interface ParcelRow {
  readonly tracking_number: string;
  readonly awb: string;
  readonly dest_country: string;
  readonly gross_mass_g: number;
  readonly ioss_number: string | null;
  readonly consignee_ref: string;
  readonly seller_ref: string | null;
}

export interface ItemRow {
  readonly tracking_number: string;
  readonly line_no: number;
  readonly description: string;
  readonly hs_code: string;
  readonly quantity: number;
  readonly unit_value: string;
  readonly currency: string;
  readonly origin_country: string;
}

export interface ParcelClearance {
  readonly trackingNumber: string;
  readonly procedure: Procedure;
  readonly destination: string;
  readonly vatRate: string | null;
  readonly vatCollection: VatCollection;
  readonly vat: string;
  readonly vatDueAtImport: string;
  readonly duty: string | null;
  readonly intrinsicValueEur: string;
  /** Every flag: tax conditions, non-personal completeness, risk rules (filled in by `clearFlight`). */
  readonly allFlags: Flag[];
}

interface Vat {
  readonly rate: string;
  readonly hundredths: bigint;
}

/** What is fixed for a flight: data for the date of import, rules, caches. */
export class FlightContext {
  readonly conv: EurConverter;
  readonly facts = new StringFacts(VAGUE);
  private readonly vat = new Map<string, Vat | null>();
  private readonly threshold: bigint;
  /** Flat duty per distinct HS6 in EUR cents, and whether it applies to all low-value consignments. */
  private readonly duty: { readonly perHs6: bigint; readonly all: boolean } | null;
  readonly dutyRule: string | null;

  constructor(
    data: CustomsData,
    readonly date: string,
    readonly declarant: string,
    readonly ics2: boolean,
  ) {
    this.conv = new EurConverter(data, date);
    this.threshold = this.conv.minor(LOW_VALUE_THRESHOLD_EUR, 'EUR') ?? 0n;
    const rule = data.dutyRule(date);
    this.dutyRule = rule?.id ?? null;
    if (rule?.kind === 'flat-per-hs6') {
      const per = this.conv.minor(rule.amountEur ?? '', 'EUR');
      if (per === null) throw new CustomsDataError(`duty rule ${rule.id}: amount ${JSON.stringify(rule.amountEur)} is not a EUR amount`);
      this.duty = { perHs6: per, all: rule.scope === 'all' };
    } else this.duty = null;
    this.vatOf = (country: string): Vat | null => {
      let v = this.vat.get(country);
      if (v === undefined) {
        const r = isEu(country) ? data.vatRate(country, date) : null;
        this.vat.set(country, (v = r === null ? null : { rate: r.rate, hundredths: percentHundredths(r.rate) }));
      }
      return v;
    };
  }
  readonly vatOf: (country: string) => Vat | null;

  compute(p: ParcelRow, items: readonly ItemRow[]): { clearance: ParcelClearance; rule: RuleParcel } {
    const { conv, facts } = this;
    const flags: Flag[] = [];
    // Intrinsic value: Σ per currency, each currency converted once (as `intrinsicValue`).
    let eurSum = 0n;
    let otherCurrency: string | null = null;
    let otherSum = 0n;
    let more: Map<string, bigint> | null = null;
    let distinct = 0;
    const ruleItems: { hs6: string; unitEurMinor: bigint }[] = [];
    for (const it of items) {
      const unit = conv.minor(it.unit_value, it.currency);
      if (unit === null) throw new CustomsDataError(`${p.tracking_number}: unit value ${JSON.stringify(it.unit_value)} ${it.currency} is not an amount`);
      const line = unit * BigInt(it.quantity);
      if (it.currency === 'EUR') eurSum += line;
      else if (otherCurrency === null || otherCurrency === it.currency) {
        otherCurrency = it.currency;
        otherSum += line;
      } else (more ??= new Map()).set(it.currency, (more.get(it.currency) ?? 0n) + line);
      const hs6 = facts.hs6(it.hs_code);
      if (!ruleItems.some((r) => r.hs6 === hs6)) distinct++;
      ruleItems.push({ hs6, unitEurMinor: conv.unitEur(it.unit_value, it.currency) });
    }
    let value = eurSum;
    if (otherCurrency !== null) value += conv.toEur(otherSum, otherCurrency);
    if (more !== null) for (const [c, m] of more) value += conv.toEur(m, c);

    const low = value <= this.threshold;
    const procedure: Procedure = low ? 'H7' : 'H1';
    const ioss = p.ioss_number !== null && IOSS_NUMBER.test(p.ioss_number);
    const vat = this.vatOf(p.dest_country);
    const intrinsic = eurString(value);
    const taxFlag = (rule: string): void => void flags.push({ rule, evidence: { intrinsicValueEur: intrinsic, destination: p.dest_country } });
    if (!low) taxFlag('h1-declaration-required');
    if (p.ioss_number !== null && !ioss) taxFlag('ioss-number-invalid');
    if (vat === null) taxFlag('destination-outside-eu');

    let duty: bigint | null = null;
    if (low) duty = this.duty !== null && (this.duty.all || ioss) ? this.duty.perHs6 * BigInt(distinct) : 0n;
    let vatCollection: VatCollection = 'none';
    let vatMinor = 0n;
    let due = 0n;
    if (vat !== null) {
      if (low && ioss) {
        vatCollection = 'ioss-at-sale';
        vatMinor = divRoundHalfEven(value * vat.hundredths, 10000n);
      } else {
        vatCollection = low ? 'special-arrangements' : 'standard-import';
        vatMinor = divRoundHalfEven((value + (duty ?? 0n)) * vat.hundredths, 10000n);
        due = vatMinor;
      }
    }
    this.completeness(p, items, procedure, flags);
    const clearance: ParcelClearance = {
      trackingNumber: p.tracking_number,
      procedure,
      destination: p.dest_country,
      vatRate: vat?.rate ?? null,
      vatCollection,
      vat: eurString(vatMinor),
      vatDueAtImport: eurString(due),
      duty: duty === null ? null : eurString(duty),
      intrinsicValueEur: intrinsic,
      allFlags: flags,
    };
    return { clearance, rule: { trackingNumber: p.tracking_number, consigneeRef: p.consignee_ref, sellerRef: p.seller_ref, intrinsicEurMinor: value, items: ruleItems } };
  }

  /** ICS2 house-level and H7 elements that are not personal data: each missing one named. */
  private completeness(p: ParcelRow, items: readonly ItemRow[], procedure: Procedure, flags: Flag[]): void {
    const head: string[] = [];
    if (p.awb.trim() === '') head.push('transportDocument');
    if (!(p.gross_mass_g > 0)) head.push('grossMass');
    if (items.length === 0) head.push('goodsItems');
    let ics2: string[] | null = null;
    let h7: string[] | null = null;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const vague = this.facts.isVague(it.description);
      const badHs = !SIX_DIGITS.test(this.facts.hs6(it.hs_code));
      const badOrigin = !COUNTRY.test(it.origin_country);
      if (!vague && !badHs && !badOrigin) continue;
      const own: string[] = [];
      if (vague) own.push(`goodsItems[${i}].descriptionOfGoods`);
      if (badHs) own.push(`goodsItems[${i}].commodityCodeHs6`);
      if (vague || badHs) (ics2 ??= []).push(...own);
      if (badOrigin) own.push(`goodsItems[${i}].countryOfOrigin`);
      (h7 ??= []).push(...own);
    }
    if (this.ics2 && (head.length > 0 || ics2 !== null)) flags.push({ rule: 'ics2-incomplete', evidence: { missing: [...head, ...(ics2 ?? [])] } });
    if (procedure === 'H7') {
      const missing = [...(this.declarant.trim() === '' ? ['declarant'] : []), ...head.filter((h) => h !== 'goodsItems'), ...(h7 ?? []), ...(items.length === 0 ? ['goodsItems'] : [])];
      if (missing.length > 0) flags.push({ rule: 'h7-incomplete', evidence: { missing } });
    }
  }
}

const SIX_DIGITS = /^\d{6}$/;
const COUNTRY = /^[A-Z]{2}$/;
