/**
 * The result of every parser in `domain/`: a value, or the reason it was refused.
 *
 * Bulk paths (a manifest import reads ~250,000 lines/s) report "field X: reason" per line and keep
 * going, so the parsers return a `Parsed` instead of throwing: an exception per bad line would cost
 * a stack trace each. Failure reasons are constant strings, and the failures built from them below
 * are shared objects, so a refusal allocates nothing.
 */
export type Parsed<T> = Ok<T> | Failed;
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}
export interface Failed {
  readonly ok: false;
  readonly reason: string;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** A refusal. Build constant ones once at module load (`const TOO_LONG = fail('…')`) and reuse them. */
export function fail(reason: string): Failed {
  return Object.freeze({ ok: false as const, reason });
}

/** Thrown by the `…OrThrow` variants and by `unwrap`: the caller gave a value the standard refuses. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    /** Why the value was refused, without the field name. */
    readonly reason: string,
    /** The field the value came from, when the caller named it. */
    readonly field?: string,
  ) {
    super(field === undefined ? reason : `${field}: ${reason}`);
  }
}

/** The value, or a `ParseError` that names `field` when given. */
export function unwrap<T>(parsed: Parsed<T>, field?: string): T {
  if (parsed.ok) return parsed.value;
  throw new ParseError(parsed.reason, field);
}

/** Shared by every parser: non-string input is refused, never thrown on (input is untrusted). */
export const NOT_A_STRING = fail('expected a string');
