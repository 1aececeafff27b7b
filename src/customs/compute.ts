/**
 * The per-parcel part of clearance, on bulk-read rows, without personal data: intrinsic value, procedure,
 * VAT, duty (the same rules and the same exact arithmetic as `computeTax`, which stays the readable
 * reference: the tests check both agree), the completeness of the non-personal H7 and ICS2 elements and,
 * when a `RuleEngine` is given, the item and seller risk rules.
 * Party elements (names, addresses) are checked where they are read: at the H7 export (`h7-export.ts`).
 *
 * Amounts are EUR cents as safe integers (exact: every product is checked to stay ≤ 2^52); a parcel whose
 * figures would leave that range is computed again with bigints (`exactFigures`), so no figure is ever
 * approximate. Rows are positional tuples, as the bulk query returns them (no object per row).
 */
import { isEu } from '../domain/index.js';
import { divRoundHalfEven } from '../domain/index.js';
import { CustomsDataError, LOW_VALUE_THRESHOLD_EUR, type CustomsData } from './data/index.js';
import { EurConverter, eurString, mulDivHalfEven, percentHundredths, StringFacts } from './amounts.js';
import { VAGUE } from './h7.js';
import type { Flag, RuleEngine } from './rules/engine.js';
import { IOSS_NUMBER, type Procedure, type VatCollection } from './tax.js';

/** A parcel as clearance reads it (more elements may follow: the flight read appends the items). */
export type ParcelRow = readonly [trackingNumber: string, awb: string, destCountry: string, grossMassG: number, iossNumber: string | null, consigneeRef: string, sellerRef: string | null, ...rest: unknown[]];
/** One goods item, in line order. */
export type ItemRow = readonly [lineNo: number, description: string, hsCode: string, quantity: number, unitValue: string, currency: string, originCountry: string];

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
  /** Every flag: tax conditions, non-personal completeness, risk rules (split consignments added by `clearFlight`). */
  readonly allFlags: Flag[];
}

interface Vat {
  readonly rate: string;
  readonly hundredths: number;
}

/** The figures of one parcel; `valueMinor` is what the rules compare (exact up to 2^53 cents). */
interface Figures {
  readonly low: boolean;
  readonly vatCollection: VatCollection;
  readonly vat: string;
  readonly due: string;
  readonly duty: string | null;
  readonly intrinsic: string;
  readonly valueMinor: number;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** What is fixed for a flight: data for the date of import, rules, caches. */
export class FlightContext {
  readonly conv: EurConverter;
  readonly facts = new StringFacts(VAGUE);
  private readonly vat = new Map<string, Vat | null>();
  private readonly threshold: number;
  /** Flat duty per distinct HS6 in EUR cents, and whether it applies to all low-value consignments. */
  private readonly duty: { readonly perHs6: number; readonly all: boolean } | null;
  readonly dutyRule: string | null;

  constructor(
    private readonly data: CustomsData,
    readonly date: string,
    readonly declarant: string,
    readonly ics2: boolean,
  ) {
    this.conv = new EurConverter(data, date);
    this.threshold = Number(this.conv.minor(LOW_VALUE_THRESHOLD_EUR, 'EUR') ?? 0n);
    const rule = data.dutyRule(date);
    this.dutyRule = rule?.id ?? null;
    if (rule?.kind === 'flat-per-hs6') {
      const per = this.conv.minor(rule.amountEur ?? '', 'EUR');
      if (per === null) throw new CustomsDataError(`duty rule ${rule.id}: amount ${JSON.stringify(rule.amountEur)} is not a EUR amount`);
      this.duty = { perHs6: Number(per), all: rule.scope === 'all' };
    } else this.duty = null;
  }

  vatOf(country: string): Vat | null {
    let v = this.vat.get(country);
    if (v === undefined) {
      const r = isEu(country) ? this.data.vatRate(country, this.date) : null;
      this.vat.set(country, (v = r === null ? null : { rate: r.rate, hundredths: Number(percentHundredths(r.rate)) }));
    }
    return v;
  }

  /** `parties` false: the sanctions flags of the parcel's parties are left to the caller (`partyFlags`), once screening is done. */
  compute(p: ParcelRow, items: readonly ItemRow[], rules?: RuleEngine, parties = true): ParcelClearance {
    const tracking = p[0];
    const dest = p[2];
    const iossNumber = p[4];
    const ioss = iossNumber !== null && IOSS_NUMBER.test(iossNumber);
    const vat = this.vatOf(dest);
    const distinct = this.distinctHs6(items);
    const f = this.fastFigures(items, ioss, vat, distinct) ?? this.exactFigures(tracking, items, ioss, vat, distinct);
    const flags: Flag[] = [];
    if (!f.low) flags.push(taxFlag('h1-declaration-required', f.intrinsic, dest));
    if (iossNumber !== null && !ioss) flags.push(taxFlag('ioss-number-invalid', f.intrinsic, dest));
    if (vat === null) flags.push(taxFlag('destination-outside-eu', f.intrinsic, dest));
    this.completeness(p, items, f.low ? 'H7' : 'H1', flags);
    if (rules !== undefined) {
      for (let i = 0; i < items.length; i++) {
        const it = items[i]!;
        const more = rules.itemFlags(this.facts.hs6(it[2]), this.conv.unitEurNum(it[4], it[5]));
        for (let k = 0; k < more.length; k++) flags.push(more[k]!);
      }
      if (parties) partyFlags(rules, p, flags);
      // Parcels above the threshold are never part of a split (the rule checks each part).
      rules.addToSplit(tracking, p[5], p[6], f.valueMinor);
    }
    return {
      trackingNumber: tracking,
      procedure: f.low ? 'H7' : 'H1',
      destination: dest,
      vatRate: vat?.rate ?? null,
      vatCollection: f.vatCollection,
      vat: f.vat,
      vatDueAtImport: f.due,
      duty: f.duty,
      intrinsicValueEur: f.intrinsic,
      allFlags: flags,
    };
  }

  private distinctHs6(items: readonly ItemRow[]): number {
    if (items.length <= 1) return items.length;
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i++) seen.add(this.facts.hs6(items[i]![2]));
    return seen.size;
  }

  /**
   * Intrinsic value (Σ per currency, each currency converted once, as `intrinsicValue`), duty and VAT on
   * safe integers; null as soon as an intermediate would leave the exact range.
   */
  private fastFigures(items: readonly ItemRow[], ioss: boolean, vat: Vat | null, distinct: number): Figures | null {
    const { conv } = this;
    let eurSum = 0;
    let otherCurrency: string | null = null;
    let otherSum = 0;
    let more: Map<string, number> | null = null;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const currency = it[5];
      const unit = conv.minorNum(it[4], currency);
      if (unit < 0) return null; // not an amount (the exact path names it) or too large
      const line = unit * it[3];
      if (line > MAX) return null;
      if (currency === 'EUR') eurSum += line;
      else if (otherCurrency === null || otherCurrency === currency) {
        otherCurrency = currency;
        otherSum += line;
      } else (more ??= new Map()).set(currency, (more.get(currency) ?? 0) + line);
    }
    // Sums past 2^53 are no longer exact, but they stay past it: checking the totals is enough.
    if (eurSum > MAX || otherSum > MAX) return null;
    let value = eurSum;
    if (otherCurrency !== null) {
      const e = conv.toEurNum(otherSum, otherCurrency);
      if (e < 0) return null;
      value += e;
    }
    if (more !== null) {
      for (const [c, m] of more) {
        const e = m > MAX ? -1 : conv.toEurNum(m, c);
        if (e < 0) return null;
        value += e;
      }
    }
    if (value > MAX) return null;

    const low = value <= this.threshold;
    let duty = -1; // −1: none (H1)
    if (low) duty = this.duty !== null && (this.duty.all || ioss) ? this.duty.perHs6 * distinct : 0;
    let vatCollection: VatCollection = 'none';
    let vatMinor = 0;
    let due = 0;
    if (vat !== null) {
      if (low && ioss) {
        vatCollection = 'ioss-at-sale';
        vatMinor = mulDivHalfEven(value, vat.hundredths, 10000);
      } else {
        vatCollection = low ? 'special-arrangements' : 'standard-import';
        vatMinor = mulDivHalfEven(value + (duty < 0 ? 0 : duty), vat.hundredths, 10000);
        due = vatMinor;
      }
      if (vatMinor < 0) return null;
    }
    return { low, vatCollection, vat: conv.eur(vatMinor), due: conv.eur(due), duty: duty < 0 ? null : conv.eur(duty), intrinsic: conv.eur(value), valueMinor: value };
  }

  /** The same figures with bigints: any size, and the place an invalid amount is named. */
  private exactFigures(tracking: string, items: readonly ItemRow[], ioss: boolean, vat: Vat | null, distinct: number): Figures {
    const { conv } = this;
    const perCurrency = new Map<string, bigint>();
    for (const it of items) {
      const unit = conv.minor(it[4], it[5]);
      if (unit === null) throw new CustomsDataError(`${tracking}: unit value ${JSON.stringify(it[4])} ${it[5]} is not an amount`);
      perCurrency.set(it[5], (perCurrency.get(it[5]) ?? 0n) + unit * BigInt(it[3]));
    }
    let value = 0n;
    for (const [c, m] of perCurrency) value += conv.toEur(m, c);
    const low = value <= BigInt(this.threshold);
    let duty: bigint | null = null;
    if (low) duty = this.duty !== null && (this.duty.all || ioss) ? BigInt(this.duty.perHs6) * BigInt(distinct) : 0n;
    let vatCollection: VatCollection = 'none';
    let vatMinor = 0n;
    let due = 0n;
    if (vat !== null) {
      const hundredths = BigInt(vat.hundredths);
      if (low && ioss) {
        vatCollection = 'ioss-at-sale';
        vatMinor = divRoundHalfEven(value * hundredths, 10000n);
      } else {
        vatCollection = low ? 'special-arrangements' : 'standard-import';
        vatMinor = divRoundHalfEven((value + (duty ?? 0n)) * hundredths, 10000n);
        due = vatMinor;
      }
    }
    // Rules only compare values to thresholds and medians: a double keeps that order.
    return { low, vatCollection, vat: eurString(vatMinor), due: eurString(due), duty: duty === null ? null : eurString(duty), intrinsic: eurString(value), valueMinor: Number(value) };
  }

  /** ICS2 house-level and H7 elements that are not personal data: each missing one named. */
  private completeness(p: ParcelRow, items: readonly ItemRow[], procedure: Procedure, flags: Flag[]): void {
    const awbMissing = p[1].trim() === '';
    const massMissing = !(p[3] > 0);
    let ics2: string[] | null = null;
    let h7: string[] | null = null;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const vague = this.facts.isVague(it[1]);
      const badHs = !this.facts.isHs6(it[2]);
      const badOrigin = !COUNTRY.test(it[6]);
      if (!vague && !badHs && !badOrigin) continue;
      const own: string[] = [];
      if (vague) own.push(`goodsItems[${i}].descriptionOfGoods`);
      if (badHs) own.push(`goodsItems[${i}].commodityCodeHs6`);
      if (vague || badHs) (ics2 ??= []).push(...own);
      if (badOrigin) own.push(`goodsItems[${i}].countryOfOrigin`);
      (h7 ??= []).push(...own);
    }
    if (!awbMissing && !massMissing && items.length > 0 && ics2 === null && h7 === null && this.declarant.trim() !== '') return;
    const head: string[] = [];
    if (awbMissing) head.push('transportDocument');
    if (massMissing) head.push('grossMass');
    if (items.length === 0) head.push('goodsItems');
    if (this.ics2 && (head.length > 0 || ics2 !== null)) flags.push({ rule: 'ics2-incomplete', evidence: { missing: [...head, ...(ics2 ?? [])] } });
    if (procedure === 'H7') {
      const missing = [...(this.declarant.trim() === '' ? ['declarant'] : []), ...head.filter((h) => h !== 'goodsItems'), ...(h7 ?? []), ...(items.length === 0 ? ['goodsItems'] : [])];
      if (missing.length > 0) flags.push({ rule: 'h7-incomplete', evidence: { missing } });
    }
  }
}

function taxFlag(rule: string, intrinsicValueEur: string, destination: string): Flag {
  return { rule, evidence: { intrinsicValueEur, destination } };
}

const COUNTRY = /^[A-Z]{2}$/;

/** The sanctions flags of a parcel's seller and buyer (in that order, after its other flags). */
export function partyFlags(rules: RuleEngine, p: ParcelRow, flags: Flag[]): void {
  const seller = rules.sellerFlag(p[6]);
  if (seller !== null) flags.push(seller);
  const buyer = rules.buyerFlag(p[5]);
  if (buyer !== null) flags.push(buyer);
}
