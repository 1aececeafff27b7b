/**
 * Exact money: an integer count of the currency's minor units (cents for EUR, yen for JPY, fils for
 * KWD) held in a bigint, never a binary float. Customs compares consignment values to the EUR 150
 * threshold with these, so `150.00` must be exactly 15000 cents, and a sum never drifts.
 *
 * Rounding happens in one place only, a currency conversion, once, on the exact result: to the
 * target currency's minor unit, ties to even (see `divRoundHalfEven`).
 */
import { assertString, describe } from './assert.js';
import { currencyMinorUnits, isCurrencyCode } from './currency.js';
import { divRoundHalfEven, formatDecimal, parseDecimal, pow10 } from './decimal.js';
import { fail, ok, unwrap, type Parsed } from './parsed.js';

export interface Money {
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
  /** Amount in minor units of `currency`: `EUR 12.50` is `1250n`. */
  readonly minor: bigint;
}

// 10^18 major units of any currency is far beyond any consignment; bounds the work on hostile input.
const MAX_INTEGER_DIGITS = 18;
const UNKNOWN_CURRENCY = fail('currency is not an active ISO 4217 code');

/**
 * Parses a decimal amount (`12.50`, `12.5`, `12`; no exponent, no grouping) in `currency`, with at
 * most as many decimals as the currency's minor unit (2 for EUR, 0 for JPY, 3 for KWD). Negative
 * amounts only with `allowNegative`. Never throws.
 */
export function parseMoney(
  amount: unknown,
  currency: unknown,
  options: { readonly allowNegative?: boolean } = {},
): Parsed<Money> {
  if (!isCurrencyCode(currency)) return UNKNOWN_CURRENCY;
  const d = parseDecimal(amount, {
    maxDecimals: currencyMinorUnits(currency),
    maxIntegerDigits: MAX_INTEGER_DIGITS,
    allowNegative: options.allowNegative === true,
  });
  return d.ok ? ok({ currency, minor: d.value.units }) : d;
}

/** `parseMoney`, throwing a `ParseError` on refusal. */
export function parseMoneyOrThrow(amount: string, currency: string, options?: { readonly allowNegative?: boolean }): Money {
  return unwrap(parseMoney(amount, currency, options));
}

/** Money from a count of minor units: `money(1250n, 'EUR')` is EUR 12.50. */
export function money(minor: bigint, currency: string): Money {
  if (typeof minor !== 'bigint') throw new TypeError(`minor units must be a bigint, got ${describe(minor)}`);
  if (!isCurrencyCode(currency)) throw new RangeError(`not an active ISO 4217 currency code: ${describe(currency)}`);
  return { currency, minor };
}

function assertMoney(m: unknown, name: string): asserts m is Money {
  if (typeof m !== 'object' || m === null) throw new TypeError(`${name} must be a Money, got ${describe(m)}`);
  const { minor, currency } = m as { minor?: unknown; currency?: unknown };
  if (typeof minor !== 'bigint' || !isCurrencyCode(currency)) {
    throw new TypeError(`${name} must be a Money (bigint minor units and an ISO 4217 code)`);
  }
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} and ${b.currency}`);
}

/** The amount as a decimal string with exactly the currency's decimals: `12.50`, `-0.05`, `1200` (JPY). */
export function formatMoney(m: Money): string {
  assertMoney(m, 'amount');
  return formatDecimal(m.minor, currencyMinorUnits(m.currency));
}

export function addMoney(a: Money, b: Money): Money {
  assertMoney(a, 'a');
  assertMoney(b, 'b');
  assertSameCurrency(a, b);
  return { currency: a.currency, minor: a.minor + b.minor };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertMoney(a, 'a');
  assertMoney(b, 'b');
  assertSameCurrency(a, b);
  return { currency: a.currency, minor: a.minor - b.minor };
}

/** The sum of `amounts`, all in `currency`; zero for none. */
export function sumMoney(currency: string, amounts: Iterable<Money>): Money {
  let total = money(0n, currency).minor;
  for (const m of amounts) {
    assertMoney(m, 'amount');
    if (m.currency !== currency) throw new RangeError(`currency mismatch: ${currency} and ${m.currency}`);
    total += m.minor;
  }
  return { currency, minor: total };
}

/** `m × quantity` for an integer quantity (a number of items): exact, no rounding. */
export function multiplyMoney(m: Money, quantity: number | bigint): Money {
  assertMoney(m, 'amount');
  if (typeof quantity === 'number') {
    if (!Number.isSafeInteger(quantity)) throw new RangeError(`quantity must be an integer, got ${describe(quantity)}`);
    return { currency: m.currency, minor: m.minor * BigInt(quantity) };
  }
  if (typeof quantity !== 'bigint') throw new TypeError(`quantity must be a number or bigint, got ${describe(quantity)}`);
  return { currency: m.currency, minor: m.minor * quantity };
}

/** −1, 0 or 1 as `a` is less than, equal to or greater than `b` (same currency required). */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertMoney(a, 'a');
  assertMoney(b, 'b');
  assertSameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** A positive exchange rate given as a decimal string (up to 18 decimals), as `units × 10^−18`. */
function parseRate(rate: unknown): bigint {
  if (typeof rate === 'number') throw new TypeError('exchange rate must be a decimal string, not a float');
  assertString(rate, 'exchange rate');
  const r = parseDecimal(rate, { maxDecimals: 18, maxIntegerDigits: 18, allowNegative: false });
  if (!r.ok) throw new RangeError(`exchange rate ${r.reason}: ${describe(rate)}`);
  if (r.value.units === 0n) throw new RangeError('exchange rate must be positive');
  return r.value.units;
}

/**
 * Converts `m` into `to` at `rate` = units of `to` for one unit of `m.currency` (e.g. EUR → USD at
 * `"1.0856"`). The exact product is rounded once to the minor unit of `to`, ties to even:
 * `EUR 0.50 × 0.05 = USD 0.025` → `USD 0.02`, `EUR 0.70 × 0.05 = 0.035` → `0.04`.
 */
export function convertMoney(m: Money, to: string, rate: string): Money {
  assertMoney(m, 'amount');
  if (!isCurrencyCode(to)) throw new RangeError(`not an active ISO 4217 currency code: ${describe(to)}`);
  const r = parseRate(rate);
  // m.minor·10^−from × r·10^−18 × 10^to, in minor units of `to`.
  const n = m.minor * r * pow10(currencyMinorUnits(to));
  const d = pow10(currencyMinorUnits(m.currency) + 18);
  return { currency: to, minor: divRoundHalfEven(n, d) };
}

/**
 * Converts `m` into `to` when the rate is quoted the other way: `rate` = units of `m.currency` for one
 * unit of `to` (ECB reference rates are EUR 1 = USD x; USD → EUR divides by x). Same rounding rule,
 * once, on the exact quotient.
 */
export function convertMoneyByInverseRate(m: Money, to: string, rate: string): Money {
  assertMoney(m, 'amount');
  if (!isCurrencyCode(to)) throw new RangeError(`not an active ISO 4217 currency code: ${describe(to)}`);
  const r = parseRate(rate);
  // m.minor·10^−from ÷ (r·10^−18) × 10^to, in minor units of `to`.
  const n = m.minor * pow10(18 + currencyMinorUnits(to));
  const d = pow10(currencyMinorUnits(m.currency)) * r;
  return { currency: to, minor: divRoundHalfEven(n, d) };
}

/**
 * Splits `m` into parts proportional to `weights` (non-negative integers, not all zero) whose sum is
 * exactly `m`: each part gets the floor of its share, and the minor units left over go one each to
 * the parts with the largest remainders, earlier parts first on ties (largest remainder method).
 * For spreading freight or a discount over the items of a consignment.
 */
export function allocateMoney(m: Money, weights: readonly (number | bigint)[]): Money[] {
  assertMoney(m, 'amount');
  if (!Array.isArray(weights) || weights.length === 0) throw new RangeError('weights must be a non-empty array');
  const w = weights.map((x, i) => {
    if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
    if (typeof x === 'bigint' && x >= 0n) return x;
    throw new RangeError(`weight ${i} must be a non-negative integer, got ${describe(x)}`);
  });
  const total = w.reduce((s, x) => s + x, 0n);
  if (total === 0n) throw new RangeError('weights cannot all be zero');
  const negative = m.minor < 0n;
  const whole = negative ? -m.minor : m.minor;
  const parts = w.map((x) => (whole * x) / total);
  let left = whole - parts.reduce((s, x) => s + x, 0n);
  const order = w.map((x, i) => ({ i, rem: (whole * x) % total }));
  order.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (let k = 0; left > 0n; k++, left--) parts[order[k]!.i]! += 1n;
  return parts.map((p) => ({ currency: m.currency, minor: negative ? -p : p }));
}
