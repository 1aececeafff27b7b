/**
 * Exact decimal arithmetic on bigints, for money: a decimal string is read as an integer count of
 * 10^−scale units, never through a binary float (0.1 + 0.2 is 0.3 here).
 */
import { isDigit } from './chars.js';
import { fail, NOT_A_STRING, ok, type Parsed } from './parsed.js';

/** `units × 10^−scale`, e.g. `12.50` at scale 2 is `{ units: 1250n, scale: 2 }`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export interface DecimalLimits {
  /** Most digits after the point. */
  readonly maxDecimals: number;
  /** Most digits before the point (bounds the work on hostile input). */
  readonly maxIntegerDigits: number;
  readonly allowNegative: boolean;
}

const EMPTY = fail('is empty');
const BAD_SYNTAX = fail('must be a decimal number written with digits and an optional "." (e.g. 12.50)');
const NEGATIVE = fail('cannot be negative');
const TOO_MANY_INTEGER_DIGITS = fail('has too many digits before the decimal point');
// Precomputed per count, so a refusal allocates nothing: index = allowed decimals.
const TOO_MANY_DECIMALS = Array.from({ length: 19 }, (_, n) =>
  fail(n === 0 ? 'cannot have decimals in this currency' : `can have at most ${n} decimal${n === 1 ? '' : 's'}`),
);

/**
 * Reads `-?digits(.digits)?`: no exponent, no `+`, no grouping separators, at least one digit on
 * each side of a point. The result's scale is `limits.maxDecimals` (`"12.5"` at 2 → 1250n).
 */
export function parseDecimal(raw: unknown, limits: DecimalLimits): Parsed<Decimal> {
  if (typeof raw !== 'string') return NOT_A_STRING;
  if (raw.length === 0) return EMPTY;
  const { maxDecimals, maxIntegerDigits } = limits;
  let i = 0;
  const negative = raw.charCodeAt(0) === 45;
  if (negative) {
    if (!limits.allowNegative) return NEGATIVE;
    i = 1;
  }
  const intStart = i;
  while (i < raw.length && isDigit(raw.charCodeAt(i))) i++;
  const intDigits = i - intStart;
  if (intDigits === 0) return BAD_SYNTAX;
  if (intDigits > maxIntegerDigits) return TOO_MANY_INTEGER_DIGITS;
  let fraction = '';
  if (i < raw.length) {
    if (raw.charCodeAt(i) !== 46) return BAD_SYNTAX;
    const fracStart = ++i;
    while (i < raw.length && isDigit(raw.charCodeAt(i))) i++;
    if (i !== raw.length || i === fracStart) return BAD_SYNTAX;
    if (i - fracStart > maxDecimals) return TOO_MANY_DECIMALS[maxDecimals] ?? BAD_SYNTAX;
    fraction = raw.slice(fracStart);
  }
  const digits = raw.slice(intStart, intStart + intDigits) + fraction.padEnd(maxDecimals, '0');
  const magnitude = BigInt(digits);
  return ok({ units: negative ? -magnitude : magnitude, scale: maxDecimals });
}

/** 10^n as a bigint, for 0 ≤ n ≤ 64 from a table. */
const POWERS: readonly bigint[] = Array.from({ length: 65 }, (_, n) => 10n ** BigInt(n));
export function pow10(n: number): bigint {
  return POWERS[n] ?? 10n ** BigInt(n);
}

/**
 * n / d rounded to the nearest integer, ties to the even neighbour ("banker's rounding", IEEE 754
 * roundTiesToEven): unbiased over many conversions, so totals do not drift up. `d` must be positive.
 */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const twice = (a % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** Writes `units × 10^−scale` back as a decimal string with exactly `scale` decimals. */
export function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const cut = padded.length - scale;
  return `${negative ? '-' : ''}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
