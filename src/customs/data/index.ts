/**
 * The dated reference data customs computes with (VAT rates, exchange rates, duty rules), validated when
 * built, and looked up for the date of import.
 */
import { EU_MEMBER_STATES, isCalendarDate } from '../../domain/index.js';
import { DUTY_RULES, type DutyRule } from './duty.js';
import { MAX_STALE_DAYS, SAMPLE_FX_RATES, type FxRateRow } from './fx-rates.js';
import { REDUCED_VAT_RATES, STANDARD_VAT_RATES, type ReducedRateRow, type VatRateRow } from './vat-rates.js';

export { DUTY_RULES, LOW_VALUE_THRESHOLD_EUR, NATIONAL_HANDLING_FEES, type DutyRule, type HandlingFee } from './duty.js';
export { MAX_STALE_DAYS, parseEcbCsv, SAMPLE_FX_RATES, type FxRateRow } from './fx-rates.js';
export { REDUCED_VAT_RATES, STANDARD_VAT_RATES, type ReducedRateRow, type VatRateRow } from './vat-rates.js';

export class CustomsDataError extends Error {
  override readonly name = 'CustomsDataError';
}

const RATE = /^\d{1,2}(\.\d{1,2})?$/;
const inRange = (date: string, from: string, to?: string): boolean => date >= from && (to === undefined || date <= to);

export interface CustomsDataInput {
  readonly vat?: readonly VatRateRow[];
  readonly reduced?: readonly ReducedRateRow[];
  readonly fx?: readonly FxRateRow[];
  readonly duty?: readonly DutyRule[];
}

/** The found rate and what it rests on (reported with every figure). */
export interface DatedRate {
  readonly rate: string;
  readonly date: string;
  readonly source: string;
}

export class CustomsData {
  readonly vat: readonly VatRateRow[];
  readonly reduced: readonly ReducedRateRow[];
  readonly duty: readonly DutyRule[];
  /** currency → rows sorted by date. */
  private readonly fx = new Map<string, FxRateRow[]>();
  private readonly vatCache = new Map<string, DatedRate | null>();
  private readonly fxCache = new Map<string, DatedRate>();

  constructor(input: CustomsDataInput = {}) {
    this.vat = input.vat ?? STANDARD_VAT_RATES;
    this.reduced = input.reduced ?? REDUCED_VAT_RATES;
    this.duty = input.duty ?? DUTY_RULES;
    for (const r of input.fx ?? SAMPLE_FX_RATES) {
      if (!isCalendarDate(r.date)) throw new CustomsDataError(`fx ${r.currency}: date ${r.date} is not a calendar date written YYYY-MM-DD`);
      const list = this.fx.get(r.currency) ?? [];
      list.push(r);
      this.fx.set(r.currency, list);
    }
    for (const list of this.fx.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    validateVat(this.vat);
    for (const r of this.duty) checkPeriod(`duty rule ${r.id}`, r.validFrom, r.validTo);
  }

  /** Standard VAT rate of `country` on `date`, or null when the country is not a member state then. */
  vatRate(country: string, date: string): DatedRate | null {
    const key = `${country}/${date}`;
    const hit = this.vatCache.get(key);
    if (hit !== undefined) return hit;
    const row = this.vat.find((r) => r.country === country && inRange(date, r.validFrom, r.validTo));
    const found = row ? { rate: row.rate, date: row.validFrom, source: row.source } : null;
    this.vatCache.set(key, found);
    return found;
  }

  /** Units of `currency` per EUR on `date` (latest on or before, ≤ MAX_STALE_DAYS old); EUR is 1. */
  fxRate(currency: string, date: string): DatedRate {
    if (currency === 'EUR') return { rate: '1', date, source: 'identity' };
    const key = `${currency}/${date}`;
    const hit = this.fxCache.get(key);
    if (hit) return hit;
    const list = this.fx.get(currency);
    let found: FxRateRow | undefined;
    for (const r of list ?? []) if (r.date <= date) found = r;
    if (!found) throw new CustomsDataError(`no ${currency} exchange rate on or before ${date}`);
    const age = (Date.parse(date) - Date.parse(found.date)) / 86_400_000;
    if (age > MAX_STALE_DAYS) throw new CustomsDataError(`${currency} rate of ${found.date} is ${age} days older than ${date}`);
    const rate = { rate: found.perEur, date: found.date, source: found.source };
    this.fxCache.set(key, rate);
    return rate;
  }

  /** The duty rule in force on `date` for low-value consignments. */
  dutyRule(date: string): DutyRule | undefined {
    return this.duty.find((r) => inRange(date, r.validFrom, r.validTo));
  }
}

/** Every row well-formed; every member state covered without overlap from its first row on. */
/** A row's period of validity: calendar days, the first not after the last. */
function checkPeriod(row: string, validFrom: string, validTo: string | undefined): void {
  if (!isCalendarDate(validFrom)) throw new CustomsDataError(`${row}: validFrom ${JSON.stringify(validFrom)} is not a calendar date written YYYY-MM-DD`);
  if (validTo === undefined) return;
  if (!isCalendarDate(validTo)) throw new CustomsDataError(`${row}: validTo ${JSON.stringify(validTo)} is not a calendar date written YYYY-MM-DD`);
  if (validTo < validFrom) throw new CustomsDataError(`${row}: validTo ${validTo} is before validFrom ${validFrom}`);
}

function validateVat(rows: readonly VatRateRow[]): void {
  for (const r of rows) {
    if (!RATE.test(r.rate)) throw new CustomsDataError(`VAT ${r.country}: rate ${r.rate} is not a percent decimal`);
    checkPeriod(`VAT ${r.country}`, r.validFrom, r.validTo);
    if (r.source.trim() === '') throw new CustomsDataError(`VAT ${r.country}: a row needs its source`);
  }
  for (const c of EU_MEMBER_STATES) {
    const own = rows.filter((r) => r.country === c).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
    if (own.length === 0) throw new CustomsDataError(`VAT: no standard rate for member state ${c}`);
    for (let i = 1; i < own.length; i++) {
      const prev = own[i - 1]!;
      const next = new Date(Date.parse(prev.validTo ?? '9999-12-31') + 86_400_000).toISOString().slice(0, 10);
      if (prev.validTo === undefined || next !== own[i]!.validFrom) throw new CustomsDataError(`VAT ${c}: rows ${prev.validFrom} and ${own[i]!.validFrom} overlap or leave a gap`);
    }
    if (own[own.length - 1]!.validTo !== undefined) throw new CustomsDataError(`VAT ${c}: no rate in force after ${own[own.length - 1]!.validTo}`);
  }
}
