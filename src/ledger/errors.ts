/** Every failure the ledger reports has a stable machine-readable code. */
export type LedgerErrorCode =
  | 'INVALID_ENTRY'
  | 'INVALID_ARGUMENT'
  | 'INVALID_PROOF'
  | 'ROOT_MISMATCH'
  | 'INVALID_CHECKPOINT'
  | 'INVALID_NOTE'
  | 'INVALID_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'INVALID_TILE'
  | 'INCONSISTENT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORAGE'
  | 'CLOSED';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
