import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashChildren, hashLeaf } from './hash.js';
import type { LogStorage, StoredTile } from './storage.js';
import { TileReader } from './tile-reader.js';

/** RFC 6962's MTH of leaf hashes, by its recursive definition. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0]!;
  const half = leaves.length / 2; // only perfect subtrees are asked for here
  return hashChildren(mth(leaves.slice(0, half)), mth(leaves.slice(half)));
}

/** A log's hash tiles as C2SP tlog-tiles stores them, for a tree of `leaves`, read as storage would. */
class Tiles implements Pick<LogStorage, 'readTile'> {
  reads = 0;
  constructor(public leaves: Buffer[]) {}
  readTile(level: number, index: number): Promise<StoredTile | undefined> {
    this.reads++;
    // Row of Merkle level 8·level: the hashes of every complete group of 256^level leaves.
    const group = 256 ** level;
    const row: Buffer[] = [];
    for (let i = 0; (i + 1) * group <= this.leaves.length; i++) row.push(mth(this.leaves.slice(i * group, (i + 1) * group)));
    const hashes = row.slice(index * 256, index * 256 + 256);
    return Promise.resolve(hashes.length === 0 ? undefined : { level, index, width: hashes.length, data: Buffer.concat(hashes) });
  }
}

const leaf = (i: number): Buffer => hashLeaf(createHash('sha256').update(`entry ${i}`).digest());

describe('TileReader', () => {
  it('answers every perfect subtree of the tree exactly as MTH defines it, whatever the size and cache', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1300 }), fc.integer({ min: 1, max: 4 }), fc.nat(), async (size, cached, pick) => {
        const leaves = Array.from({ length: size }, (_, i) => leaf(i));
        const reader = new TileReader(new Tiles(leaves), cached);
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
