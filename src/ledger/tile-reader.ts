import { LedgerError } from './errors.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import type { LogStorage, StoredTile } from './storage.js';
import { TILE_HEIGHT, TILE_WIDTH } from './tiles.js';


/**
 * Reads tiles from storage and answers the hash of any perfect subtree from them.
 * Tiles only ever grow (a partial tile is a prefix of its later self), so any cached copy stays correct for
 * the hashes it holds: a read re-fetches only when the cached copy is too narrow.
 */
export class TileReader {
  private readonly cache = new Map<string, StoredTile>();

  constructor(
    private readonly storage: LogStorage,
    private readonly maxCachedTiles = 8192,
  ) {}

  /** The stored tile holding at least `minWidth` items, or undefined when storage has fewer. */
  async tile(level: number, index: number, minWidth = 1): Promise<StoredTile | undefined> {
    const key = `${level}/${index}`;
    const cached = this.cache.get(key);
    if (cached && cached.width >= minWidth) {
      // Refresh recency: Map iteration order is insertion order, the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const stored = await this.storage.readTile(level, index);
    if (!stored || stored.width < minWidth) return undefined;
    this.cache.set(key, stored);
    if (this.cache.size > this.maxCachedTiles) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return stored;
  }

  /** The hash of the perfect subtree of height `level` whose leftmost leaf is index·2^level. */
  async nodeHash(level: number, index: number): Promise<Buffer> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const within = level % TILE_HEIGHT;
    const first = index * 2 ** within; // position in the row of Merkle level 8·tileLevel
    const count = 2 ** within;
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const offset = first % TILE_WIDTH;
    const tile = await this.tile(tileLevel, tileIndex, offset + count);
    if (!tile) {
      throw new LedgerError('NOT_FOUND', `no stored hash for subtree at level ${level}, index ${index}`);
    }
    let row: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const at = (offset + i) * HASH_SIZE;
      row.push(tile.data.subarray(at, at + HASH_SIZE));
    }
    while (row.length > 1) {
      const next: Buffer[] = [];
      for (let i = 0; i < row.length; i += 2) next.push(hashChildren(row[i]!, row[i + 1]!));
      row = next;
    }
    return Buffer.from(row[0]!);
  }
}
