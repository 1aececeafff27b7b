import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashChildren, hashLeaf } from './hash.js';
import type { LogStorage, StoredTile } from './storage.js';
import { TileReader } from './tile-reader.js';
import { FULL_INTERIOR_HASHES, interiorRowStarts } from './tiles.js';

/** RFC 6962's MTH of leaf hashes, by its recursive definition. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const half = leaves.length / 2; // only perfect subtrees are asked for here
  return hashChildren(mth(leaves.slice(0, half)), mth(leaves.slice(half)));
}

/** A log's hash tiles as C2SP tlog-tiles stores them, for a tree of `leaves`, read as storage would. */
class Tiles implements Pick<LogStorage, 'readTile'> {
  reads = 0;
  constructor(
    public leaves: Buffer[],
    /** Whether full tiles come with their interior, as the log writes them now. */
    private readonly interiors = false,
  ) {}
  readTile(level: number, index: number): Promise<StoredTile | undefined> {
    this.reads++;
    // Row of Merkle level 8·level: the hashes of every complete group of 256^level leaves.
    const group = 256 ** level;
    const row: Buffer[] = [];
    for (let i = 0; (i + 1) * group <= this.leaves.length; i++) row.push(mth(this.leaves.slice(i * group, (i + 1) * group)));
    const hashes = row.slice(index * 256, index * 256 + 256);
    if (hashes.length === 0) return Promise.resolve(undefined);
    const tile: StoredTile = { level, index, width: hashes.length, data: Buffer.concat(hashes) };
    return Promise.resolve(this.interiors && hashes.length === 256 ? { ...tile, interior: interior(hashes) } : tile);
  }
}

/** A full tile's interior by MTH: row h holds the subtrees of 2^h of its hashes. */
function interior(hashes: readonly Buffer[]): Buffer {
  const out: Buffer[] = [];
  for (let h = 1; h < 8; h++) for (let i = 0; i < 256 >> h; i++) out.push(mth(hashes.slice(i * 2 ** h, (i + 1) * 2 ** h)));
  return Buffer.concat(out);
}

const leaf = (i: number): Buffer => hashLeaf(createHash('sha256').update(`entry ${i}`).digest());

describe('TileReader', () => {
  it('answers every perfect subtree of the tree exactly as MTH defines it, whatever the size and cache', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1300 }), fc.integer({ min: 1, max: 4 }), fc.nat(), fc.boolean(), async (size, cached, pick, interiors) => {
        const leaves = Array.from({ length: size }, (_, i) => leaf(i));
        const reader = new TileReader(new Tiles(leaves, interiors), cached);
        // Every level, a few nodes each (the first, the last, and one more), in an order that evicts.
        for (let level = 0; 2 ** level <= size; level++) {
          const count = Math.floor(size / 2 ** level);
          for (const index of new Set([0, count - 1, pick % count])) {
            const want = mth(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
            expect(await reader.nodeHash(level, index)).toEqual(want);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("takes a full tile's interior from storage instead of hashing it", async () => {
    const leaves = Array.from({ length: 256 }, (_, i) => leaf(i));
    const stored = interior(leaves);
    expect(stored.length).toBe(FULL_INTERIOR_HASHES * 32);
    expect(interiorRowStarts(256)).toEqual([0, 0, 128, 192, 224, 240, 248, 252, 254]);
    stored.fill(7, 0, 32); // not what hashing would give: only a reader that uses the stored copy answers it
    const reader = new TileReader({ readTile: (level, index) => Promise.resolve(level === 0 && index === 0 ? { level, index, width: 256, data: Buffer.concat(leaves), interior: stored } : undefined) });
    expect(await reader.nodeHash(1, 0)).toEqual(Buffer.alloc(32, 7));
    expect(await reader.nodeHash(7, 1)).toEqual(mth(leaves.slice(128)));
  });

  it('reads a partial tile again once the tree has grown past it, and a full one only once', async () => {
    const tiles = new Tiles(Array.from({ length: 300 }, (_, i) => leaf(i)));
    const reader = new TileReader(tiles);
    expect(await reader.nodeHash(1, 20)).toEqual(mth(tiles.leaves.slice(40, 42)));
    expect(await reader.nodeHash(2, 70)).toBeDefined(); // leaves 280–283 of the partial tile 1
    const before = tiles.reads;
    await expect(reader.nodeHash(0, 300)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    tiles.leaves = Array.from({ length: 600 }, (_, i) => leaf(i));
    expect(await reader.nodeHash(5, 9)).toEqual(mth(tiles.leaves.slice(288, 320)));
    expect(await reader.nodeHash(7, 0)).toEqual(mth(tiles.leaves.slice(0, 128)));
    expect(await reader.nodeHash(7, 1)).toEqual(mth(tiles.leaves.slice(128, 256)));
    // Tile 0 was full from the start: read once. Tile 1: on the first lookup, then on 0/300 and 5/9.
    expect(tiles.reads - before).toBe(2);
  });
});
