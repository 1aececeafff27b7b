/**
 * glasshub's transparency ledger: an RFC 6962 Merkle log served in the C2SP formats (tlog-tiles,
 * tlog-checkpoint, signed-note, tlog-witness, tlog-cosignature), and the code to verify one.
 * It depends on nothing else in glasshub.
 */
export { LedgerError, type LedgerErrorCode } from './errors.js';
export { hashLeaf, hashChildren, EMPTY_ROOT, HASH_SIZE } from './hash.js';
export * from './proof.js';
export { CompactRange } from './compact-range.js';
export * from './note.js';
export * from './checkpoint.js';
export * from './cosignature.js';
export * from './tiles.js';
export * from './storage.js';
export { TransparencyLog, type LogOptions } from './log.js';
export { TileReader } from './tile-reader.js';
export * from './witness.js';
export * from './witnessing.js';
export * from './audit.js';
export * from './receipt.js';
