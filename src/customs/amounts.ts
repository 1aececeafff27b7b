/**
 * Exact integer amounts for the clearance hot path: every decimal string (unit values, rates) is parsed
 * ONCE per distinct string and cached as bigint minor units; each exchange rate is parsed once per flight
 * into a scaled integer. Conversions and percentages are bigint with one half-even rounding, the same
 * arithmetic as `domain/money` (`convertMoneyByInverseRate`, `percentOf`): the tests check they agree.
 */
import { currencyMinorUnits, divRoundHalfEven, parseMoney } from '../domain/index.js';
import { CustomsDataError, type CustomsData, type DatedRate } from './data/index.js';

const RATE = /^(\d{1,18})(?:\.(\d{1,18}))?$/;
const EUR_DIGITS = 2;
const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** A decimal rate (≤ 18 decimals) as an integer scaled by 10^18. */
export function rateScaled(rate: string): bigint {
  const m = RATE.exec(rate);
  if (!m) throw new CustomsDataError(`rate ${JSON.stringify(rate)} is not a decimal`);
  return BigInt(`${m[1]!}${(m[2] ?? '').padEnd(18, '0')}`);
}

/** Percent with at most 2 decimals as hundredths of a percent ("21" → 2100n, "25.5" → 2550n). */
export function percentHundredths(percent: string): bigint {
  const [whole, frac = ''] = percent.split('.');
  return BigInt(`${whole!}${frac.padEnd(2, '0')}`);
}

/** EUR cents as "12.34" (negative amounts do not occur here). */
export function eurString(minor: bigint): string {
  const s = minor.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

interface Fx {
  readonly n: bigint;
  readonly d: bigint;
  readonly rate: DatedRate;
}

/** Per flight: dated rates, parsed amounts and conversions to EUR, each computed once. */
export class EurConverter {
  private readonly fx = new Map<string, Fx>();
  private readonly parsed = new Map<string, Map<string, bigint | null>>();
  private readonly unitEurCache = new Map<string, Map<string, bigint>>();
  /** Currencies converted, with the rate used: the basis reported once per flight. */
  readonly used = new Map<string, DatedRate>();

  constructor(
    private readonly data: CustomsData,
    readonly date: string,
  ) {}

  private fxOf(currency: string): Fx {
    let f = this.fx.get(currency);
    if (f === undefined) {
      const rate = this.data.fxRate(currency, this.date);
      // minor·10^−from ÷ (r·10^−18) × 10^2 = minor·10^(18+2) ÷ (10^from · r)
      f = { n: pow10(18 + EUR_DIGITS), d: pow10(currencyMinorUnits(currency)) * rateScaled(rate.rate), rate };
      this.fx.set(currency, f);
    }
    return f;
  }

  /** `minor` units of `currency` in EUR cents, half-even. */
  toEur(minor: bigint, currency: string): bigint {
    if (currency === 'EUR') return minor;
    const f = this.fxOf(currency);
    if (!this.used.has(currency)) this.used.set(currency, f.rate);
    return divRoundHalfEven(minor * f.n, f.d);
  }

  /** A unit value (decimal string) in EUR cents; cached per currency and string. Invalid amounts are 0. */
  unitEur(value: string, currency: string): bigint {
    let byValue = this.unitEurCache.get(currency);
    if (byValue === undefined) this.unitEurCache.set(currency, (byValue = new Map<string, bigint>()));
    let e = byValue.get(value);
    if (e === undefined) byValue.set(value, (e = this.toEur(this.minor(value, currency) ?? 0n, currency)));
    return e;
  }

  /** A decimal string in `currency` as minor units; null when it is not a valid amount. Cached per string. */
  minor(value: string, currency: string): bigint | null {
    let byValue = this.parsed.get(currency);
    if (byValue === undefined) this.parsed.set(currency, (byValue = new Map<string, bigint | null>()));
    let m = byValue.get(value);
    if (m === undefined) {
      const p = parseMoney(value, currency);
      m = p.ok ? p.value.minor : null;
      byValue.set(value, m);
    }
    return m;
  }
}

/** Per-string caches of the cheap checks that would otherwise run once per item. */
export class StringFacts {
  private readonly hs6Cache = new Map<string, string>();
  private readonly vagueCache = new Map<string, boolean>();
  constructor(private readonly vague: ReadonlySet<string>) {}

  hs6(code: string): string {
    let h = this.hs6Cache.get(code);
    if (h === undefined) this.hs6Cache.set(code, (h = code.replace(/[.\s]/g, '').slice(0, 6)));
    return h;
  }

  isVague(description: string): boolean {
    let v = this.vagueCache.get(description);
    if (v === undefined) this.vagueCache.set(description, (v = this.vague.has(description.trim().toLowerCase())));
    return v;
  }
}
