/**
 * The right edge of an RFC 6962 Merkle tree ("compact range" in transparency-dev/merkle): for a tree
 * of `size` leaves, the hashes of the perfect subtrees of the binary decomposition of `size`, largest
 * (leftmost) first — one hash per set bit of `size`. That is all the state needed to append leaves
 * and compute the root (RFC 6962 §2.1: MTH(D[n]) combines those subtrees right to left).
 *
 * Appending costs one SHA-256 per completed perfect subtree: one on average, at most log2(size).
 */
import { LedgerError } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './hash.js';

/** Called for every perfect subtree completed by `append`, level >= 1 (level 0 is the appended leaf). */
export type NodeHook = (level: number, index: number, hash: Buffer) => void;

function assertHash(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new LedgerError('INVALID_ARGUMENT', `${name} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
}

function popCount(n: number): number {
  let count = 0;
  // Arithmetic, not bitwise: sizes go beyond 2^32.
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}

export class CompactRange {
  #size = 0;
  readonly #hashes: Buffer[] = [];

  /**
   * Merge hook: called synchronously for every perfect subtree that `append` completes (level >= 1),
   * e.g. to collect tile roots. Must not mutate `hash`, which is part of the range's state.
   */
  onNode?: NodeHook;

  /**
   * Restores the right edge of a tree of `size` leaves from its perfect-subtree hashes, largest
   * first (as returned by `hashes`). The hashes are copied.
   */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new LedgerError('INVALID_ARGUMENT', `size must be a non-negative safe integer, got ${String(size)}`);
    }
    if (!Array.isArray(hashes) || hashes.length !== popCount(size)) {
      throw new LedgerError('INVALID_ARGUMENT', `a range of size ${size} has ${popCount(size)} hashes`);
    }
    const range = new CompactRange();
    hashes.forEach((h, i) => {
      assertHash(`hashes[${i}]`, h);
      range.#hashes.push(Buffer.from(h));
    });
    range.#size = size;
    return range;
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** Copies of the perfect-subtree hashes of the right edge, largest (leftmost) first. */
  get hashes(): Buffer[] {
    return this.#hashes.map((h) => Buffer.from(h));
  }

  /**
   * Appends one leaf hash (MTH({d}) = hashLeaf(d)), merging every perfect subtree it completes.
   * Atomic: if `onNode` throws, the range is left as it was (the hook may have seen some nodes).
   */
  append(leafHash: Uint8Array): void {
    assertHash('leafHash', leafHash);
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new LedgerError('INVALID_ARGUMENT', 'compact range is full');
    const hashes = this.#hashes;
    let kept = hashes.length;
    let merged: Buffer | undefined;
    let level = 0;
    let index = this.#size; // position of the node being built among the nodes of its level
    // Each trailing 1-bit of the old size is a perfect subtree of that height waiting for a right sibling.
    while (index % 2 === 1) {
      const left = hashes[--kept];
      if (left === undefined) throw new LedgerError('INVALID_ARGUMENT', 'corrupt compact range');
      merged = hashChildren(left, merged ?? leafHash);
      level++;
      index = (index - 1) / 2;
      this.onNode?.(level, index, merged);
    }
    hashes.length = kept;
    // An unmerged leaf is kept: copy it, the caller owns it.
    hashes.push(merged ?? Buffer.from(leafHash));
    this.#size++;
  }

  /** MTH(D[size]) (RFC 6962 §2.1): the edge hashes combined right to left; SHA-256() when empty. */
  root(): Buffer {
    const last = this.#hashes[this.#hashes.length - 1];
    if (last === undefined) return Buffer.from(EMPTY_ROOT);
    if (this.#hashes.length === 1) return Buffer.from(last);
    return this.#hashes.slice(0, -1).reduceRight((right, left) => hashChildren(left, right), last);
  }
}
