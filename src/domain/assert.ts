/**
 * Assertions for the throwing public functions of `domain/` (noble-hashes discipline): a wrong type
 * is a `TypeError`, a value of the right type outside its domain is a `RangeError`. Internal to
 * `domain/`. Messages name the argument; they never echo long input back.
 */
import { allDigits } from './chars.js';

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 24 ? `a string of length ${value.length}` : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
}

/** `value` is a string of exactly `length` ASCII digits. */
export function assertDigits(value: unknown, name: string, length: number): asserts value is string {
  assertString(value, name);
  if (value.length !== length || !allDigits(value)) {
    throw new RangeError(`${name} must be ${length} ASCII digits, got ${describe(value)}`);
  }
}

/** `value` is a safe integer in [min, max]. */
export function assertInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
}

/** `record[key]` when `key` is the record's own property: never `constructor`, `__proto__`, … */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A frozen lookup table without a prototype, so that indexing it with untrusted keys
 * (`table['constructor']`, `table['__proto__']`) yields `undefined`, as its type says.
 */
export function frozenTable<T>(entries: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
