/**
 * RFC 6962 / RFC 9162 Merkle tree proofs: verification of hostile proofs (`bigint` sizes),
 * generation from perfect-subtree hashes (tile storage), and the in-memory right edge of a tree.
 */
export { rootFromInclusionProof, verifyInclusion, verifyConsistency } from './proof-verify.js';
export { subtreeHash, treeRoot, inclusionProof, consistencyProof, type NodeHashSource } from './proof-generate.js';
export { CompactRange, type NodeHook } from './compact-range.js';
