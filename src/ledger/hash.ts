import { createHash } from 'node:crypto';

/** RFC 6962 §2.1: leaves and interior nodes are hashed with distinct one-byte prefixes (second-preimage resistance). */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
export const HASH_SIZE = 32;

/** MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** MTH(D[n]) = SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();
