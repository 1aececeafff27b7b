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
  | 'CLOSED'
  // Auditing a served log (audit.ts):
  /** The log serves a history that does not extend one it signed before (or two roots for one size). */
  | 'FORK'
  /** A served tile, entry bundle or root disagrees with what the entries and the signed checkpoint imply. */
  | 'TAMPERED'
  /** Fewer witness cosignatures verify than the quorum asks for. */
  | 'NO_QUORUM'
  /** The log did not answer, or did not serve something its checkpoint commits to (network, HTTP status). */
  | 'UNAVAILABLE';

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
