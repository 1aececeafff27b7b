/**
 * Exchange rates, ECB reference-rate style: units of the currency for EUR 1 (EUR 1 = USD 1.1642), dated.
 * A foreign amount becomes EUR by dividing by the rate (`convertMoneyByInverseRate`, half-even, once).
 *
 * The rate for a date of import is the latest published on or before it, at most `MAX_STALE_DAYS` old
 * (the ECB publishes on TARGET business days only). Approximation: EU customs law (UCC IA Art. 146)
 * fixes one rate per month (the ECB rate of the penultimate Wednesday of the previous month); the daily
 * rate is used here — load such monthly rates as rows dated the 1st of the month to follow the law.
 *
 * The sample below is ILLUSTRATIVE demo data, not copied from the ECB: load the real file with
 * `parseEcbCsv` (eurofxref.csv or eurofxref-hist.csv) for production figures.
 */
import { isCalendarDate, isCurrencyCode } from '../../domain/index.js';

export interface FxRateRow {
  /** ISO date the rate was published for. */
  readonly date: string;
  readonly currency: string;
  /** Units of `currency` for EUR 1, exact decimal string. */
  readonly perEur: string;
  readonly source: string;
}

export const MAX_STALE_DAYS = 7;
const SAMPLE = 'glasshub demo sample (illustrative, ECB format; not official ECB figures)';

const sample = (date: string, rates: Record<string, string>): FxRateRow[] =>
  Object.entries(rates).map(([currency, perEur]) => ({ date, currency, perEur, source: SAMPLE }));

export const SAMPLE_FX_RATES: readonly FxRateRow[] = [
  ...sample('2026-06-30', { USD: '1.1500', CNY: '8.2500', GBP: '0.8500', HKD: '9.0000', JPY: '165.00' }),
  ...sample('2026-07-01', { USD: '1.1520', CNY: '8.2600', GBP: '0.8510', HKD: '9.0200', JPY: '165.40' }),
  ...sample('2026-11-24', { USD: '1.1600', CNY: '8.2800', GBP: '0.8700', HKD: '9.0400', JPY: '170.00' }),
  ...sample('2026-11-25', { USD: '1.1642', CNY: '8.3000', GBP: '0.8720', HKD: '9.0600', JPY: '170.50' }),
];

const MONTHS: Record<string, string> = {
  January: '01', February: '02', March: '03', April: '04', May: '05', June: '06',
  July: '07', August: '08', September: '09', October: '10', November: '11', December: '12',
};

function isoDate(raw: string, line: number): string {
  const t = raw.trim();
  const m = /^(\d{1,2}) ([A-Z][a-z]+) (\d{4})$/.exec(t);
  const month = m ? MONTHS[m[2]!] : undefined;
  const date = m && month !== undefined ? `${m[3]!}-${month}-${m[1]!.padStart(2, '0')}` : t;
  if (!isCalendarDate(date)) throw new RangeError(`ECB CSV line ${line}: date ${JSON.stringify(raw)} is not a calendar date (YYYY-MM-DD or "24 November 2026")`);
  return date;
}

/**
 * Reads the ECB's reference-rate CSV: a header `Date, USD, JPY, …` then one line per day (`24 November
 * 2026, 1.1642, …` in eurofxref.csv; `2026-11-24,1.1642,…` in eurofxref-hist.csv). `N/A` and empty
 * cells are skipped; anything else that is not a positive decimal is refused with its line number.
 */
export function parseEcbCsv(text: string, source = 'ECB euro foreign exchange reference rates'): FxRateRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  if (header[0] !== 'Date') throw new RangeError('ECB CSV: the first column must be "Date"');
  const out: FxRateRow[] = [];
  lines.slice(1).forEach((line, n) => {
    const cells = line.split(',');
    const date = isoDate(cells[0] ?? '', n + 2);
    header.forEach((currency, i) => {
      if (i === 0 || currency === '') return;
      const v = (cells[i] ?? '').trim();
      if (v === '' || v === 'N/A') return;
      if (!isCurrencyCode(currency)) return; // retired codes (e.g. CYP) in the history file
      if (!/^\d+(\.\d+)?$/.test(v) || /^0+(\.0+)?$/.test(v)) throw new RangeError(`ECB CSV line ${n + 2}: ${currency} rate ${JSON.stringify(v)} is not a positive decimal`);
      out.push({ date, currency, perEur: v, source });
    });
  });
  return out;
}
