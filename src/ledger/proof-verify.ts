/**
 * Verification of RFC 6962 / RFC 9162 Merkle inclusion and consistency proofs.
 *
 * Every argument here is attacker-controlled: proofs, sizes, indexes and roots arrive from a log
 * server, a witness or a client. Nothing is trusted: types are asserted, sizes are checked to be
 * uint64 (RFC 9162 §4.9/§4.12 encode tree_size and leaf_index as uint64), every hash must be exactly 32 bytes,
 * and a proof must have exactly the length its sizes imply (no leniency for trailing or preceding
 * garbage). Malformed input throws; nothing returns `false`.
 *
 * Sizes and indexes are `bigint` because a verifier must accept any uint64, including values
 * above 2^53 that `number` cannot represent.
 *
 * Error codes:
 * - `INVALID_ARGUMENT`: wrong JavaScript type (a programming error of the caller).
 * - `INVALID_PROOF`: the proof is malformed for the claimed sizes (length, hash size, bounds).
 * - `ROOT_MISMATCH`: well-formed, but the proof does not reproduce the claimed root(s).
 * - `INCONSISTENT`: two different roots claimed for the same tree size — proof of a split view.
 */
import { LedgerError } from './errors.js';
import { HASH_SIZE, hashChildren } from './hash.js';

const MAX_UINT64 = (1n << 64n) - 1n;

function isBytes(value: unknown): value is Uint8Array {
  // Also accept Uint8Arrays from another realm (noble-hashes' `isBytes`).
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
  );
}

function assertUint64(name: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint') {
    throw new LedgerError('INVALID_ARGUMENT', `${name} must be a bigint, got ${typeof value}`);
  }
  if (value < 0n || value > MAX_UINT64) {
    throw new LedgerError('INVALID_PROOF', `${name} ${value} is not a uint64`);
  }
}

function assertBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!isBytes(value)) throw new LedgerError('INVALID_ARGUMENT', `${name} must be a Uint8Array`);
}

function assertHash(name: string, value: unknown): asserts value is Uint8Array {
  assertBytes(name, value);
  if (value.length !== HASH_SIZE) {
    throw new LedgerError('INVALID_PROOF', `${name} has ${value.length} bytes, want ${HASH_SIZE}`);
  }
}

/** Asserts an array of 32-byte hashes; returns a snapshot so later mutation by the caller cannot race us. */
function assertProof(value: unknown): Uint8Array[] {
  if (!Array.isArray(value)) throw new LedgerError('INVALID_ARGUMENT', 'proof must be an array');
  if (value.length > 128) {
    // A uint64 tree needs at most 64 (inclusion) or 65 (consistency) hashes; refuse before hashing.
    throw new LedgerError('INVALID_PROOF', `proof has ${value.length} hashes`);
  }
  const proof: Uint8Array[] = [];
  for (let i = 0; i < value.length; i++) {
    const h: unknown = value[i];
    assertHash(`proof[${i}]`, h);
    proof.push(h);
  }
  return proof;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** Number of significant bits of a non-negative bigint (0 for 0). */
function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function popCount(x: bigint): number {
  let n = 0;
  for (let v = x; v !== 0n; v &= v - 1n) n++;
  return n;
}

function trailingZeros(x: bigint): number {
  let n = 0;
  for (let v = x; v !== 0n && (v & 1n) === 0n; v >>= 1n) n++;
  return n;
}

/**
 * Exact inclusion proof length for `index` in a tree of `size` (transparency-dev `decompInclProof`):
 * `inner` siblings below the level where the paths to `index` and `size - 1` diverge, then one
 * left-hand `border` sibling per set bit of `index` above it.
 */
function inclusionProofLength(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popCount(index >> BigInt(inner));
}

/**
 * Root implied by an inclusion proof: the algorithm of RFC 9162 §2.1.3.2, after checking that the
 * proof has exactly the length the index and size imply. Requires 0 <= leafIndex < treeSize.
 */
export function rootFromInclusionProof(
  leafIndex: bigint,
  treeSize: bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  assertUint64('leafIndex', leafIndex);
  assertUint64('treeSize', treeSize);
  // Step 1: "If leaf_index >= tree_size, then fail."
  if (leafIndex >= treeSize) {
    throw new LedgerError('INVALID_PROOF', `leaf index ${leafIndex} >= tree size ${treeSize}`);
  }
  assertHash('leafHash', leafHash);
  const path = assertProof(proof);
  const want = inclusionProofLength(leafIndex, treeSize);
  if (path.length !== want) {
    throw new LedgerError('INVALID_PROOF', `inclusion proof has ${path.length} hashes, want ${want}`);
  }
  // Steps 2-4.
  let fn = leafIndex;
  let sn = treeSize - 1n;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of path) {
    if (sn === 0n) throw new LedgerError('INVALID_PROOF', 'inclusion proof is too long');
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      // Skip the levels where the right edge has no sibling (border of an imperfect tree).
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 5: "Compare sn to 0."
  if (sn !== 0n) throw new LedgerError('INVALID_PROOF', 'inclusion proof is too short');
  return r;
}

/** Throws unless `proof` proves leaf `leafIndex` with hash `leafHash` is in the tree of `treeSize` with `root`. */
export function verifyInclusion(
  leafIndex: bigint,
  treeSize: bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash('root', root);
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!computed.equals(root)) {
    throw new LedgerError('ROOT_MISMATCH', `inclusion proof for leaf ${leafIndex} does not match the root of tree ${treeSize}`);
  }
}

/**
 * Exact consistency proof length for 0 < size1 < size2 (RFC 9162 §2.1.4.1 SUBPROOF, counted as in
 * transparency-dev): one seed hash unless size1 is a power of two (then the seed is root1), the
 * inner hashes from the rightmost perfect subtree of the old tree up to the fork with the new
 * tree's right edge, and the border hashes above.
 */
function consistencyProofLength(size1: bigint, size2: bigint): number {
  const last1 = size1 - 1n;
  const fork = bitLength(last1 ^ (size2 - 1n));
  const border = popCount(last1 >> BigInt(fork));
  const seed = (size1 & last1) === 0n ? 0 : 1;
  return seed + fork - trailingZeros(size1) + border;
}

/**
 * Throws unless `proof` proves that the tree of `size2` with `root2` extends the tree of `size1` with
 * `root1` (RFC 9162 §2.1.4.2). Edge cases, as the transparency-dev vectors expect:
 * - size1 > size2: INVALID_PROOF.
 * - size1 == 0: INVALID_PROOF — every tree extends the empty tree, so such a proof proves nothing
 *   and a caller asking for one has a bug.
 * - size1 == size2: the proof must be empty and the roots byte-equal, else INCONSISTENT. Nothing is
 *   hashed, so the roots are only compared (not length-checked).
 */
export function verifyConsistency(
  size1: bigint,
  size2: bigint,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertUint64('size1', size1);
  assertUint64('size2', size2);
  const path = assertProof(proof);
  if (size1 > size2) throw new LedgerError('INVALID_PROOF', `size1 ${size1} > size2 ${size2}`);
  if (size1 === 0n) throw new LedgerError('INVALID_PROOF', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (path.length !== 0) throw new LedgerError('INVALID_PROOF', 'size1 == size2 but the proof is not empty');
    assertBytes('root1', root1);
    assertBytes('root2', root2);
    if (!bytesEqual(root1, root2)) {
      throw new LedgerError('INCONSISTENT', `two different roots for tree size ${size1}`);
    }
    return;
  }
  assertHash('root1', root1);
  assertHash('root2', root2);
  const want = consistencyProofLength(size1, size2);
  if (path.length !== want) {
    throw new LedgerError('INVALID_PROOF', `consistency proof has ${path.length} hashes, want ${want}`);
  }
  // Step 1 ("if consistency_path is empty, fail") is implied: want >= 1 for 0 < size1 < size2.
  // Step 2: "If first is an exact power of 2, then prepend first_hash to the consistency_path."
  if ((size1 & (size1 - 1n)) === 0n) path.unshift(root1);
  // Steps 3-4.
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 5.
  const [seed, ...rest] = path;
  if (seed === undefined) throw new LedgerError('INVALID_PROOF', 'empty consistency proof');
  let fr: Buffer = Buffer.from(seed);
  let sr = fr;
  // Step 6.
  for (const c of rest) {
    if (sn === 0n) throw new LedgerError('INVALID_PROOF', 'consistency proof is too long');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  // Step 7.
  if (sn !== 0n) throw new LedgerError('INVALID_PROOF', 'consistency proof is too short');
  if (!fr.equals(root1)) {
    throw new LedgerError('ROOT_MISMATCH', `consistency proof does not match the root of tree ${size1}`);
  }
  if (!sr.equals(root2)) {
    throw new LedgerError('ROOT_MISMATCH', `consistency proof does not match the root of tree ${size2}`);
  }
}
