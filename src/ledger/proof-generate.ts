/**
 * Generation of RFC 6962 Merkle tree hashes and proofs from a source that only knows PERFECT
 * subtrees — the nodes stored in tiles (C2SP tlog-tiles). Any other hash the RFC 6962 recursion
 * needs (the "ephemeral" nodes on the right edge of a tree whose size is not a power of two) is
 * recomputed from the perfect subtrees of its binary decomposition.
 *
 * Sizes are `number` (a log here stays far below 2^53); every input is validated.
 */
import { LedgerError } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js';

/**
 * The hash of the perfect subtree of height `level` covering leaves [index·2^level, (index+1)·2^level).
 * Level 0 is the leaf hash. Only ever called for subtrees that lie entirely inside the tree.
 */
export type NodeHashSource = (level: number, index: number) => Promise<Buffer>;

/** A perfect subtree: `level` is its height, `index` its position among nodes of that level. */
interface PerfectNode {
  readonly level: number;
  readonly index: number;
}

function assertCount(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('INVALID_ARGUMENT', `${name} must be a non-negative safe integer, got ${String(value)}`);
  }
}

function assertSource(source: unknown): asserts source is NodeHashSource {
  if (typeof source !== 'function') throw new LedgerError('INVALID_ARGUMENT', 'source must be a function');
}

/** Largest power of two strictly below n (n >= 2): RFC 6962 §2.1's split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees whose concatenation is [start, end), left to right, largest first.
 * Requires `start` to be a multiple of the smallest power of two >= end - start, so that every
 * piece is aligned; this holds for every range the RFC 6962 recursion produces.
 */
function perfectDecomposition(start: number, end: number): PerfectNode[] {
  let size = 1;
  let level = 0;
  while (size * 2 <= end - start) {
    size *= 2;
    level++;
  }
  const nodes: PerfectNode[] = [];
  for (let pos = start; pos < end; size /= 2, level--) {
    if (pos + size <= end) {
      nodes.push({ level, index: pos / size });
      pos += size;
    }
  }
  return nodes;
}

async function fetchNode(source: NodeHashSource, node: PerfectNode): Promise<Buffer> {
  const h: unknown = await source(node.level, node.index);
  // The source is storage: check what it hands back before it ends up in a signed proof.
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new LedgerError('INVALID_ARGUMENT', `node source returned no ${HASH_SIZE}-byte hash for level ${node.level} index ${node.index}`);
  }
  return Buffer.isBuffer(h) ? h : Buffer.from(h);
}

/** MTH of a validated, aligned, non-empty range: its perfect pieces combined right to left. */
async function rangeHash(start: number, end: number, source: NodeHashSource): Promise<Buffer> {
  const hashes = await Promise.all(perfectDecomposition(start, end).map((n) => fetchNode(source, n)));
  const last = hashes.pop();
  if (last === undefined) throw new LedgerError('INVALID_ARGUMENT', `empty range [${start}, ${end})`);
  return hashes.reduceRight((right, left) => hashChildren(left, right), last);
}

/**
 * MTH(D[start:end]) (RFC 6962 §2.1) for a non-empty range whose `start` is a multiple of the
 * smallest power of two >= end - start — every range the RFC 6962 recursion produces.
 */
export async function subtreeHash(start: number, end: number, source: NodeHashSource): Promise<Buffer> {
  assertCount('start', start);
  assertCount('end', end);
  assertSource(source);
  if (end <= start) throw new LedgerError('INVALID_ARGUMENT', `empty or reversed range [${start}, ${end})`);
  let width = 1;
  while (width < end - start) width *= 2;
  if (start % width !== 0) {
    throw new LedgerError('INVALID_ARGUMENT', `range [${start}, ${end}) is not a subtree of an RFC 6962 tree`);
  }
  return rangeHash(start, end, source);
}

/** MTH(D[size]), the root of the tree of `size` leaves; MTH({}) = SHA-256() for size 0 (RFC 6962 §2.1). */
export async function treeRoot(size: number, source: NodeHashSource): Promise<Buffer> {
  assertCount('size', size);
  assertSource(source);
  return size === 0 ? Buffer.from(EMPTY_ROOT) : rangeHash(0, size, source);
}

/** Hashes of the given ranges, fetched concurrently, in order. */
function rangeHashes(ranges: readonly (readonly [number, number])[], source: NodeHashSource): Promise<Buffer[]> {
  return Promise.all(ranges.map(([start, end]) => rangeHash(start, end, source)));
}

/**
 * PATH(index, D[size]) (RFC 6962 §2.1.1): the inclusion proof of leaf `index`, leaf-most first.
 * Unrolled recursion: descend from the root towards the leaf, collecting the sibling range at each
 * split; at most one of them (the first right sibling) is not a perfect subtree.
 */
export async function inclusionProof(index: number, size: number, source: NodeHashSource): Promise<Buffer[]> {
  assertCount('index', index);
  assertCount('size', size);
  assertSource(source);
  if (index >= size) throw new LedgerError('INVALID_ARGUMENT', `leaf index ${index} >= tree size ${size}`);
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      // PATH(m, D[0:k]) : MTH(D[k:n])
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      // PATH(m - k, D[k:n]) : MTH(D[0:k])
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return rangeHashes(ranges.reverse(), source);
}

/**
 * PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) (RFC 6962 §2.1.2), deepest node first.
 * Requires 0 < size1 <= size2 (the verifier rejects a proof from the empty tree as meaningless);
 * size1 == size2 gives the empty proof.
 */
export async function consistencyProof(size1: number, size2: number, source: NodeHashSource): Promise<Buffer[]> {
  assertCount('size1', size1);
  assertCount('size2', size2);
  assertSource(source);
  if (size1 === 0 || size1 > size2) {
    throw new LedgerError('INVALID_ARGUMENT', `no consistency proof from size ${size1} to size ${size2}`);
  }
  const ranges: [number, number][] = [];
  let lo = 0;
  let hi = size2;
  let m = size1; // relative to lo
  let whole = true; // SUBPROOF's b: the old tree is still the left part of [lo, hi)
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}.
  if (!whole) ranges.push([lo, hi]);
  return rangeHashes(ranges.reverse(), source);
}
