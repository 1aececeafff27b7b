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
export function eurString(minor: bigint | number): string {
  const s = minor.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/**
 * Products up to 2^52 leave room for `q × d ≤ p + d` below 2^53: every step of `mulDivHalfEven` is then an
 * exact integer operation on doubles.
 */
const SAFE_PRODUCT = 2 ** 52;

/**
 * `n × m ÷ d` rounded half-even, exactly, on non-negative safe integers (`d` ≤ 2^52); −1 when the product
 * leaves the range where doubles are exact (the caller then uses the bigint path). Numbers, not bigints,
 * in the hot path: a bigint is a heap object, and a freighter makes millions of them.
 */
export function mulDivHalfEven(n: number, m: number, d: number): number {
  const p = n * m;
  if (p > SAFE_PRODUCT) return -1;
  let q = Math.floor(p / d);
  let r = p - q * d;
  // The double quotient is within one of the true one: correct it with the exact remainder.
  if (r < 0) {
    q--;
    r += d;
  } else if (r >= d) {
    q++;
    r -= d;
  }
  const twice = r * 2;
  if (twice > d || (twice === d && q % 2 === 1)) q++;
  return q;
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

interface Fx {
  readonly n: bigint;
  readonly d: bigint;
  /** The same fraction reduced, as doubles when both are ≤ 2^52 (else −1: bigint path). */
  readonly nNum: number;
  readonly dNum: number;
  readonly rate: DatedRate;
}

/** Cached per distinct string: minor units as a safe integer, or −1 (not an amount, or too large). */
type NumCache = Map<string, number>;

/** Per flight: dated rates, parsed amounts and conversions to EUR, each computed once. */
export class EurConverter {
  private readonly fx = new Map<string, Fx>();
  private readonly parsed = new Map<string, Map<string, bigint | null>>();
  private readonly unitEurCache = new Map<string, Map<string, bigint>>();
  private readonly parsedNum = new Map<string, NumCache>();
  private readonly unitEurNumCache = new Map<string, NumCache>();
  private readonly eurText = new Map<number, string>();
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
      const n = pow10(18 + EUR_DIGITS);
      const d = pow10(currencyMinorUnits(currency)) * rateScaled(rate.rate);
      const g = gcd(n, d);
      const small = n / g <= BigInt(SAFE_PRODUCT) && d / g <= BigInt(SAFE_PRODUCT);
      f = { n, d, nNum: small ? Number(n / g) : -1, dNum: small ? Number(d / g) : -1, rate };
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

  /** `toEur` on a safe integer: −1 when the exact result needs bigints. */
  toEurNum(minor: number, currency: string): number {
    if (currency === 'EUR') return minor;
    const f = this.fxOf(currency);
    if (!this.used.has(currency)) this.used.set(currency, f.rate);
    return f.nNum < 0 ? -1 : mulDivHalfEven(minor, f.nNum, f.dNum);
  }

  /** `minor` as a safe integer; −1 when the string is not an amount or its minor units exceed 2^52. */
  minorNum(value: string, currency: string): number {
    let byValue = this.parsedNum.get(currency);
    if (byValue === undefined) this.parsedNum.set(currency, (byValue = new Map<string, number>()));
    let m = byValue.get(value);
    if (m === undefined) {
      const big = this.minor(value, currency);
      byValue.set(value, (m = big === null || big > BigInt(SAFE_PRODUCT) ? -1 : Number(big)));
    }
    return m;
  }

  /** `unitEur` as a number (exact when ≤ 2^52, which every real unit value is; the rules only compare it). */
  unitEurNum(value: string, currency: string): number {
    let byValue = this.unitEurNumCache.get(currency);
    if (byValue === undefined) this.unitEurNumCache.set(currency, (byValue = new Map<string, number>()));
    let e = byValue.get(value);
    if (e === undefined) byValue.set(value, (e = Number(this.unitEur(value, currency))));
    return e;
  }

  /** `eurString` of a safe integer, cached: a flight repeats the same few thousand amounts. */
  eur(minor: number): string {
    let s = this.eurText.get(minor);
    if (s === undefined) {
      s = eurString(minor);
      if (this.eurText.size < 100_000) this.eurText.set(minor, s);
    }
    return s;
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
  private readonly hs6Ok = new Map<string, boolean>();
  constructor(private readonly vague: ReadonlySet<string>) {}

  hs6(code: string): string {
    let h = this.hs6Cache.get(code);
    if (h === undefined) this.hs6Cache.set(code, (h = code.replace(/[.\s]/g, '').slice(0, 6)));
    return h;
  }

  /** Whether the code gives a 6-digit subheading (dots and spaces ignored). */
  isHs6(code: string): boolean {
    let v = this.hs6Ok.get(code);
    if (v === undefined) this.hs6Ok.set(code, (v = /^\d{6}$/.test(this.hs6(code))));
    return v;
  }

  isVague(description: string): boolean {
    let v = this.vagueCache.get(description);
    if (v === undefined) this.vagueCache.set(description, (v = this.vague.has(description.trim().toLowerCase())));
    return v;
  }
}
