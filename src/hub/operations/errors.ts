/** Why an operation was refused; the HTTP edge maps `code` to a status (404, 409, 400, 403). */
export type OperationErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'ALREADY_DISCLOSED' | 'NO_SORT_PLAN' | 'FORBIDDEN';

export interface OperationErrorDetail {
  readonly field: string;
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

export function details(items: readonly string[], reason: string): OperationErrorDetail[] {
  return items.slice(0, MAX_DETAILS).map((field) => ({ field, reason }));
}
