/** Why an operation was refused; the HTTP edge maps `code` to a status (404, 409, 400, 403). */
export type OperationErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'ALREADY_DISCLOSED' | 'NO_SORT_PLAN' | 'FORBIDDEN';

/**
 * One offending item of a refused operation. `field` says where it is in the operation's input, as a dotted
 * path of its property names and list indexes (`trackingNumbers.3`, `bags.1.trackingNumbers.0`, `rules.2.lane`,
 * `truckId`; positional arguments by their parameter name: `flightId`, `scans.4.location`); the HTTP edge
 * prefixes it with the part of the request it came from (`body.`, `params.`). `value` is what was found
 * there (canonical where the operation canonicalises, as a tracking number), absent when the field as a
 * whole is refused (an empty list, a rule that repeats another).
 */
export interface OperationErrorDetail {
  readonly field: string;
  readonly value?: string;
  readonly reason: string;
}

export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(
    readonly code: OperationErrorCode,
    message: string,
    readonly details?: readonly OperationErrorDetail[],
  ) {
    super(message);
  }
}

/** At most this many offending items are named in an error. */
export const MAX_DETAILS = 20;

/** A value of the operation's input and its place there (a `field` path as in `OperationErrorDetail`). */
export interface Located {
  readonly field: string;
  readonly value: string;
}

/** Each value of the input's list `list` with its place: `list.0`, `list.1`, … */
export function located(list: string, values: readonly string[]): Located[] {
  return values.map((value, i) => ({ field: `${list}.${i}`, value }));
}

/** The first place of each distinct value, in input order (a value given twice is one item, named where it first came). */
export function distinct(items: readonly Located[]): Located[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.value)) return false;
    seen.add(item.value);
    return true;
  });
}

/** The items whose value was given before, at an earlier place (every place of a value but its first). */
export function repeated(items: readonly Located[]): Located[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (!seen.has(item.value)) {
      seen.add(item.value);
      return false;
    }
    return true;
  });
}

/** The details of the offending items, at most `MAX_DETAILS`, all for the same reason. */
export function details(items: readonly Located[], reason: string): OperationErrorDetail[] {
  return items.slice(0, MAX_DETAILS).map(({ field, value }) => ({ field, value, reason }));
}
