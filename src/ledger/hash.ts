import { createHash, hash } from 'node:crypto';

// One-shot hashing of one buffer: a Hash object with an update per part cost about 1.6 µs per node, the
// buffer and `crypto.hash` about 1.0 µs (a gate decision on a truck's 5,000 recipients hashes 10,000 nodes).

/** RFC 6962 §2.1: leaves and interior nodes are hashed with distinct one-byte prefixes (second-preimage resistance). */
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
export const HASH_SIZE = 32;

/** MTH({d}) = SHA-256(0x00 || d). */
export function hashLeaf(entry: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + entry.length);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return hash('sha256', input, 'buffer');
}

/** MTH(D[n]) = SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();
