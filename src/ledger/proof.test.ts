import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerError, type LedgerErrorCode } from './errors.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from './hash.js';
import {
  CompactRange,
  consistencyProof,
  inclusionProof,
  rootFromInclusionProof,
  subtreeHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
  type NodeHashSource,
} from './proof.js';

// ---------------------------------------------------------------------------------------------
// Oracles: the RFC 6962 §2.1 definitions, literally (recursion over leaf-hash lists).
// ---------------------------------------------------------------------------------------------

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** PATH(m, D[n]) (RFC 6962 §2.1.1). */
function naivePath(m: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...naivePath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...naivePath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

/** SUBPROOF(m, D[n], b) (RFC 6962 §2.1.2). */
function naiveSubproof(m: number, leaves: readonly Buffer[], b: boolean): Buffer[] {
  if (m === leaves.length) return b ? [] : [mth(leaves)];
  const k = split(leaves.length);
  return m <= k
    ? [...naiveSubproof(m, leaves.slice(0, k), b), mth(leaves.slice(k))]
    : [...naiveSubproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}

/**
 * Which side each PATH node is on, leaf first; undefined if index >= size. The root hash does not
 * bind the tree size: a proof verifies under another size exactly when that size gives the same shape.
 */
function pathShape(m: number, n: number): string | undefined {
  if (m >= n) return undefined;
  const sides: string[] = [];
  while (n > 1) {
    const k = split(n);
    if (m < k) {
      sides.unshift('R');
      n = k;
    } else {
      sides.unshift('L');
      m -= k;
      n -= k;
    }
  }
  return sides.join('');
}

/** Role of each SUBPROOF node ('S' seed, 'L' in both trees, 'R' only in the new one); undefined if invalid. */
function consistencyShape(m: number, n: number): string | undefined {
  if (m === 0 || m > n) return undefined;
  const sub = (m: number, n: number, b: boolean): string => {
    if (m === n) return b ? '' : 'S';
    const k = split(n);
    return m <= k ? sub(m, k, b) + 'R' : sub(m - k, n - k, false) + 'L';
  };
  return sub(m, n, true);
}

/** All nodes of a tree of leaf hashes; its NodeHashSource only answers for perfect subtrees inside `size`. */
class MemoryTree {
  readonly levels: Buffer[][];
  constructor(readonly leaves: readonly Buffer[]) {
    this.levels = [[...leaves]];
    for (let row = this.levels[0]!; row.length > 1; ) {
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < row.length; i += 2) up.push(hashChildren(row[i]!, row[i + 1]!));
      this.levels.push(up);
      row = up;
    }
  }
  source(size: number): NodeHashSource {
    return (level, index) => {
      const h = this.levels[level]?.[index];
      if (!Number.isInteger(index) || (index + 1) * 2 ** level > size || h === undefined) {
        return Promise.reject(new Error(`not a perfect subtree of tree ${size}: ${level}/${index}`));
      }
      return Promise.resolve(h);
    };
  }
}

const LEAVES = Array.from({ length: 2048 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
const TREE = new MemoryTree(LEAVES);

function thrown(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    return e as LedgerError;
  }
  return expect.fail('expected a LedgerError');
}

function expectCode(fn: () => unknown, code: LedgerErrorCode): void {
  expect(thrown(fn).code).toBe(code);
}

function flip(proof: readonly Buffer[], i: number, byte: number, xor: number): Buffer[] {
  return proof.map((h, j) => {
    if (j !== i) return h;
    const c = Buffer.from(h);
    c[byte] = c[byte]! ^ xor;
    return c;
  });
}

// ---------------------------------------------------------------------------------------------
// Known answers: transparency-dev/merkle testdata.
// ---------------------------------------------------------------------------------------------

const VECTORS = fileURLToPath(new URL('../../../shared/vectors/merkle/', import.meta.url));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

/** Reads a vector with its integers as bigint (some exceed 2^53) and its hashes decoded from base64. */
function readVector(file: string): Record<string, unknown> {
  const raw = readFileSync(file, 'utf8').replace(/"(leafIdx|treeSize|size1|size2)"\s*:\s*(\d+)/g, '"$1": "$2"');
  return JSON.parse(raw, (key, value: unknown) => {
    if (['leafIdx', 'treeSize', 'size1', 'size2'].includes(key) && typeof value === 'string') return BigInt(value);
    if (['root', 'leafHash', 'root1', 'root2'].includes(key) && typeof value === 'string') return Buffer.from(value, 'base64');
    if (key === 'proof') return ((value ?? []) as string[]).map((p) => Buffer.from(p, 'base64'));
    return value;
  }) as Record<string, unknown>;
}

const inclusionFiles = jsonFiles(join(VECTORS, 'inclusion'));
const consistencyFiles = jsonFiles(join(VECTORS, 'consistency'));

describe('transparency-dev/merkle vectors', () => {
  it('are read in place from ../shared/vectors/merkle beside the project', () => {
    expect(VECTORS.endsWith('/shared/vectors/merkle/')).toBe(true);
    expect(existsSync(join(VECTORS, 'LICENSE'))).toBe(true);
    expect([inclusionFiles.length, consistencyFiles.length]).toEqual([98, 98]);
  });

  for (const file of inclusionFiles) {
    it(`inclusion/${relative(join(VECTORS, 'inclusion'), file)}`, () => {
      const v = readVector(file);
      const run = () =>
        verifyInclusion(v.leafIdx as bigint, v.treeSize as bigint, v.leafHash as Buffer, v.proof as Buffer[], v.root as Buffer);
      if (v.wantErr === true) expect(run).toThrow(LedgerError);
      else expect(run).not.toThrow();
    });
  }

  for (const file of consistencyFiles) {
    it(`consistency/${relative(join(VECTORS, 'consistency'), file)}`, () => {
      const v = readVector(file);
      const run = () =>
        verifyConsistency(v.size1 as bigint, v.size2 as bigint, v.proof as Buffer[], v.root1 as Buffer, v.root2 as Buffer);
      if (v.wantErr === true) expect(run).toThrow(LedgerError);
      else expect(run).not.toThrow();
    });
  }
});

// ---------------------------------------------------------------------------------------------
// RFC 6962 §2.1.3: the 7-leaf example tree and its listed proofs.
// ---------------------------------------------------------------------------------------------

describe('RFC 6962 §2.1.3 example', () => {
  const [a, b, c, d, e, f, j] = Array.from({ length: 7 }, (_, i) => hashLeaf(Buffer.from(`d${i}`))) as [
    Buffer, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer,
  ];
  const g = hashChildren(a, b);
  const h = hashChildren(c, d);
  const i = hashChildren(e, f);
  const k = hashChildren(g, h);
  const l = hashChildren(i, j);
  const root = hashChildren(k, l);
  const tree = new MemoryTree([a, b, c, d, e, f, j]);
  const source = tree.source(7);

  it('has the drawn root', async () => {
    expect(await treeRoot(7, source)).toEqual(root);
  });

  it.each([
    [0, [b, h, l]],
    [3, [c, g, l]],
    [4, [f, j, k]],
    [6, [i, k]],
  ] as const)('audit path for d%i', async (m, want) => {
    const proof = await inclusionProof(m, 7, source);
    expect(proof).toEqual(want);
    verifyInclusion(BigInt(m), 7n, tree.leaves[m]!, proof, root);
  });

  it.each([
    [3, hashChildren(g, c), [c, d, g, l]],
    [4, k, [l]],
    [6, hashChildren(k, i), [i, j, k]],
  ] as const)('consistency proof from %i leaves', async (m, oldRoot, want) => {
    const proof = await consistencyProof(m, 7, source);
    expect(proof).toEqual(want);
    expect(await treeRoot(m, tree.source(m))).toEqual(oldRoot);
    verifyConsistency(BigInt(m), 7n, proof, oldRoot, root);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

describe('generated proofs', () => {
  it('inclusion proofs match RFC 6962 PATH, verify against treeRoot, and every tampering is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2000 }),
        fc.nat(),
        fc.record({ pick: fc.nat(), byte: fc.nat({ max: 31 }), xor: fc.integer({ min: 1, max: 255 }) }),
        fc.nat(),
        fc.integer({ min: 0, max: 4200 }),
        async (size, seed, { pick, byte, xor }, otherSeed, otherSize) => {
          const index = seed % size;
          const source = TREE.source(size);
          const proof = await inclusionProof(index, size, source);
          const root = await treeRoot(size, source);
          expect(root).toEqual(mth(LEAVES.slice(0, size)));
          expect(proof).toEqual(naivePath(index, LEAVES.slice(0, size)));
          const [I, N, leaf] = [BigInt(index), BigInt(size), LEAVES[index]!];
          expect(rootFromInclusionProof(I, N, leaf, proof)).toEqual(root);
          verifyInclusion(I, N, leaf, proof, root);

          const rejects = (fn: () => void) => expect(fn).toThrow(LedgerError);
          rejects(() => verifyInclusion(I, N, leaf, proof, flip([root], 0, byte, xor)[0]!));
          rejects(() => verifyInclusion(I, N, flip([leaf], 0, byte, xor)[0]!, proof, root));
          const at = proof.length === 0 ? 0 : pick % proof.length;
          if (proof.length > 0) {
            rejects(() => verifyInclusion(I, N, leaf, flip(proof, at, byte, xor), root));
            rejects(() => verifyInclusion(I, N, leaf, proof.toSpliced(at, 1), root));
          }
          rejects(() => verifyInclusion(I, N, leaf, proof.toSpliced(pick % (proof.length + 1), 0, LEAVES[otherSeed % 2048]!), root));
          // For a fixed size the shape of a path identifies the leaf: any other index fails.
          const other = otherSeed % (size + 3);
          if (other !== index) rejects(() => verifyInclusion(BigInt(other), N, leaf, proof, root));
          // The root does not commit to the size (checkpoints sign it): another size verifies iff the path has the same shape.
          if (otherSize !== size) {
            const run = () => verifyInclusion(I, BigInt(otherSize), leaf, proof, root);
            if (pathShape(index, otherSize) === pathShape(index, size)) expect(run).not.toThrow();
            else rejects(run);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('consistency proofs match RFC 6962 PROOF, verify, and every tampering is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2000 }),
        fc.nat(),
        fc.record({ pick: fc.nat(), byte: fc.nat({ max: 31 }), xor: fc.integer({ min: 1, max: 255 }) }),
        fc.integer({ min: 0, max: 2100 }),
        fc.integer({ min: 0, max: 4200 }),
        async (size2, seed, { pick, byte, xor }, otherSize1, otherSize2) => {
          const size1 = 1 + (seed % size2);
          const proof = await consistencyProof(size1, size2, TREE.source(size2));
          expect(proof).toEqual(naiveSubproof(size1, LEAVES.slice(0, size2), true));
          const root1 = await treeRoot(size1, TREE.source(size1));
          const root2 = await treeRoot(size2, TREE.source(size2));
          const [M, N] = [BigInt(size1), BigInt(size2)];
          verifyConsistency(M, N, proof, root1, root2);

          const rejects = (fn: () => void) => expect(fn).toThrow(LedgerError);
          rejects(() => verifyConsistency(M, N, proof, flip([root1], 0, byte, xor)[0]!, root2));
          rejects(() => verifyConsistency(M, N, proof, root1, flip([root2], 0, byte, xor)[0]!));
          if (proof.length > 0) {
            const at = pick % proof.length;
            rejects(() => verifyConsistency(M, N, flip(proof, at, byte, xor), root1, root2));
            rejects(() => verifyConsistency(M, N, proof.toSpliced(at, 1), root1, root2));
          }
          rejects(() => verifyConsistency(M, N, proof.toSpliced(pick % (proof.length + 1), 0, LEAVES[seed % 2048]!), root1, root2));
          for (const [m, n] of [[otherSize1, size2], [size1, otherSize2]] as const) {
            if (m === size1 && n === size2) continue;
            const run = () => verifyConsistency(BigInt(m), BigInt(n), proof, root1, root2);
            if (consistencyShape(m, n) !== undefined && consistencyShape(m, n) === consistencyShape(size1, size2)) {
              expect(run).not.toThrow();
            } else rejects(run);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('subtreeHash is MTH of every aligned range', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 700 }), fc.nat(), async (len, seed) => {
        let width = 1;
        while (width < len) width *= 2;
        const start = width * (seed % Math.floor(2048 / width));
        const got = await subtreeHash(start, start + len, TREE.source(2048));
        expect(got).toEqual(mth(LEAVES.slice(start, start + len)));
      }),
    );
  });

  it('sizes above 2^53 verify (a tree of identical leaves, whose every range hash depends only on its length)', () => {
    const perfect = [hashLeaf(Buffer.from('same'))];
    for (let level = 1; level < 64; level++) perfect.push(hashChildren(perfect[level - 1]!, perfect[level - 1]!));
    const rangeHash = (len: bigint): Buffer => {
      const pieces = perfect.filter((_, level) => ((len >> BigInt(level)) & 1n) === 1n);
      return pieces.reduce((right, left) => hashChildren(left, right));
    };
    const splitBig = (n: bigint): bigint => 1n << BigInt((n - 1n).toString(2).length - 1);
    const path = (m: bigint, n: bigint): Buffer[] => {
      if (n <= 1n) return [];
      const k = splitBig(n);
      return m < k ? [...path(m, k), rangeHash(n - k)] : [...path(m - k, n - k), rangeHash(k)];
    };
    const subproof = (m: bigint, n: bigint, b: boolean): Buffer[] => {
      if (m === n) return b ? [] : [rangeHash(m)];
      const k = splitBig(n);
      return m <= k ? [...subproof(m, k, b), rangeHash(n - k)] : [...subproof(m - k, n - k, false), rangeHash(k)];
    };
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n }), (n, seed) => {
        const m = seed % n;
        const inclusion = path(m, n);
        verifyInclusion(m, n, perfect[0]!, inclusion, rangeHash(n));
        expect(() => verifyInclusion(m, n, perfect[0]!, inclusion.slice(1), rangeHash(n))).toThrow(LedgerError);
        expect(() => verifyInclusion(n, n, perfect[0]!, inclusion, rangeHash(n))).toThrow(LedgerError);
        const size1 = m + 1n;
        const consistency = subproof(size1, n, true);
        verifyConsistency(size1, n, consistency, rangeHash(size1), rangeHash(n));
        if (consistency.length > 0) {
          expect(() => verifyConsistency(size1, n, consistency.slice(1), rangeHash(size1), rangeHash(n))).toThrow(LedgerError);
        }
      }),
    );
    expectCode(() => verifyInclusion(0n, 2n ** 64n, perfect[0]!, [], perfect[0]!), 'INVALID_PROOF');
  });
});

describe('CompactRange', () => {
  it('root() is MTH of every prefix (random leaves)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 150 }), (entries) => {
        const leaves = entries.map((d) => hashLeaf(d));
        const range = new CompactRange();
        expect(range.root()).toEqual(EMPTY_ROOT);
        leaves.forEach((leaf, n) => {
          range.append(leaf);
          expect(range.size).toBe(n + 1);
          expect(range.root()).toEqual(mth(leaves.slice(0, n + 1)));
        });
      }),
      { numRuns: 40 },
    );
  });

  it('root() equals treeRoot at every size up to 2048, and its hashes are the perfect decomposition', async () => {
    const range = new CompactRange();
    for (let n = 1; n <= 2048; n++) {
      range.append(LEAVES[n - 1]!);
      expect(range.root()).toEqual(await treeRoot(n, TREE.source(n)));
    }
    expect(range.hashes).toEqual([TREE.levels[11]![0]]);
  });

  it('onNode reports exactly the perfect subtrees, once each, with their hashes (one merge per leaf amortised)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2048 }), (n) => {
        const seen = new Map<string, Buffer>();
        const range = new CompactRange();
        range.onNode = (level, index, hash) => {
          const key = `${level}/${index}`;
          expect(seen.has(key)).toBe(false);
          seen.set(key, Buffer.from(hash));
        };
        for (const leaf of LEAVES.slice(0, n)) range.append(leaf);
        const missing: string[] = [];
        let want = 0;
        for (let level = 1; 2 ** level <= n; level++) {
          for (let index = 0; (index + 1) * 2 ** level <= n; index++, want++) {
            if (seen.get(`${level}/${index}`)?.equals(TREE.levels[level]![index]!) !== true) missing.push(`${level}/${index}`);
          }
        }
        expect(missing).toEqual([]);
        expect(seen.size).toBe(want);
        expect(seen.size).toBe(n - n.toString(2).replaceAll('0', '').length);
      }),
      { numRuns: 60 },
    );
  });

  it('fromHashes resumes a range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }), (k, extra) => {
        const first = new CompactRange();
        for (const leaf of LEAVES.slice(0, k)) first.append(leaf);
        const resumed = CompactRange.fromHashes(k, first.hashes);
        for (const leaf of LEAVES.slice(k, k + extra)) resumed.append(leaf);
        expect(resumed.size).toBe(k + extra);
        expect(resumed.root()).toEqual(mth(LEAVES.slice(0, k + extra)));
      }),
      { numRuns: 30 },
    );
  });

  it('validates input, and an append whose hook throws leaves the range unchanged', () => {
    const range = new CompactRange();
    expectCode(() => range.append(Buffer.alloc(31)), 'INVALID_ARGUMENT');
    expectCode(() => CompactRange.fromHashes(3, [LEAVES[0]!]), 'INVALID_ARGUMENT');
    expectCode(() => CompactRange.fromHashes(-1, []), 'INVALID_ARGUMENT');
    expectCode(() => CompactRange.fromHashes(1, [Buffer.alloc(8)]), 'INVALID_ARGUMENT');
    range.append(LEAVES[0]!);
    range.append(LEAVES[1]!);
    range.append(LEAVES[2]!);
    range.onNode = () => {
      throw new Error('hook failed');
    };
    expect(() => range.append(LEAVES[3]!)).toThrow('hook failed');
    expect([range.size, range.root()]).toEqual([3, mth(LEAVES.slice(0, 3))]);
    range.onNode = undefined;
    range.append(LEAVES[3]!);
    expect(range.root()).toEqual(mth(LEAVES.slice(0, 4)));
  });
});

describe('input validation', () => {
  const leaf = LEAVES[0]!;
  const root2 = mth(LEAVES.slice(0, 2));

  it('verification rejects wrong types, out-of-range integers and malformed hashes', () => {
    expectCode(() => verifyInclusion(0 as unknown as bigint, 2n, leaf, [LEAVES[1]!], root2), 'INVALID_ARGUMENT');
    expectCode(() => verifyInclusion(-1n, 2n, leaf, [LEAVES[1]!], root2), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(2n, 2n, leaf, [LEAVES[1]!], root2), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(0n, 2n, leaf, 'proof' as unknown as Buffer[], root2), 'INVALID_ARGUMENT');
    expectCode(() => verifyInclusion(0n, 2n, leaf, ['x' as unknown as Buffer], root2), 'INVALID_ARGUMENT');
    expectCode(() => verifyInclusion(0n, 2n, leaf, [Buffer.alloc(31)], root2), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(0n, 2n, leaf, Array<Buffer>(200).fill(leaf), root2), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(0n, 2n, Buffer.alloc(33), [LEAVES[1]!], root2), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(0n, 2n, leaf, [LEAVES[1]!], Buffer.alloc(0)), 'INVALID_PROOF');
    expectCode(() => verifyInclusion(0n, 2n, leaf, [LEAVES[2]!], root2), 'ROOT_MISMATCH');
    expect(() => verifyInclusion(0n, 2n, new Uint8Array(leaf), [new Uint8Array(LEAVES[1]!)], new Uint8Array(root2))).not.toThrow();
    expectCode(() => verifyConsistency(1n, 1n, [], leaf, LEAVES[1]!), 'INCONSISTENT');
    expectCode(() => verifyConsistency(2n, 1n, [], leaf, leaf), 'INVALID_PROOF');
    expectCode(() => verifyConsistency(0n, 1n, [], EMPTY_ROOT, leaf), 'INVALID_PROOF');
    expectCode(() => verifyConsistency(1n, 2n, [LEAVES[2]!], leaf, root2), 'ROOT_MISMATCH');
    expectCode(() => verifyConsistency(1n, 2n ** 64n, [LEAVES[1]!], leaf, root2), 'INVALID_PROOF');
  });

  it('generation rejects invalid sizes, indexes and ranges, and a bad source', async () => {
    const source = TREE.source(8);
    const rejects = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ name: 'LedgerError', code: 'INVALID_ARGUMENT' });
    await rejects(inclusionProof(8, 8, source));
    await rejects(inclusionProof(-1, 8, source));
    await rejects(inclusionProof(0.5, 8, source));
    await rejects(inclusionProof(0, 2 ** 53, source));
    await rejects(consistencyProof(0, 8, source));
    await rejects(consistencyProof(9, 8, source));
    await rejects(subtreeHash(1, 3, source));
    await rejects(subtreeHash(3, 3, source));
    await rejects(treeRoot(NaN, source));
    await rejects(treeRoot(2, () => Promise.resolve(Buffer.alloc(31))));
    expect(await treeRoot(0, source)).toEqual(EMPTY_ROOT);
    expect(await consistencyProof(8, 8, source)).toEqual([]);
    expect(await subtreeHash(4, 7, source)).toEqual(mth(LEAVES.slice(4, 7)));
  });
});
