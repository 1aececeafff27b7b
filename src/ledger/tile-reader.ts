import { LedgerError } from './errors.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import type { LogStorage, StoredTile } from './storage.js';
import { TILE_HEIGHT, TILE_WIDTH } from './tiles.js';

interface Cached {
  readonly tile: StoredTile;
  /**
   * The tile's own subtree: rows[h][i] is the hash of the 2^h tile hashes starting at i·2^h, for every such
   * group that lies wholly within the tile's width. Built on first use: a proof then costs lookups, not the
   * ~255 hashes per tile level it would cost to recompute the siblings each time.
   */
  rows?: Buffer[][];
}

/**
 * Reads tiles from storage and answers the hash of any perfect subtree from them.
 * Tiles only ever grow (a partial tile is a prefix of its later self), so any cached copy stays correct for
 * the hashes it holds: a read re-fetches only when the cached copy is too narrow.
 */
export class TileReader {
  private readonly cache = new Map<string, Cached>();
  /** Reads under way, so that the many parallel lookups of one proof fetch a tile once. */
  private readonly reading = new Map<string, Promise<StoredTile | undefined>>();

  constructor(
    private readonly storage: LogStorage,
    private readonly maxCachedTiles = 8192,
  ) {}

  /** The stored tile holding at least `minWidth` items, or undefined when storage has fewer. */
  async tile(level: number, index: number, minWidth = 1): Promise<StoredTile | undefined> {
    return (await this.cached(level, index, minWidth))?.tile;
  }

  /** The hash of the perfect subtree of height `level` whose leftmost leaf is index·2^level. */
  async nodeHash(level: number, index: number): Promise<Buffer> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const within = level % TILE_HEIGHT;
    const first = index * 2 ** within; // position in the row of Merkle level 8·tileLevel
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const offset = first % TILE_WIDTH;
    const entry = await this.cached(tileLevel, tileIndex, offset + 2 ** within);
    if (!entry) throw new LedgerError('NOT_FOUND', `no stored hash for subtree at level ${level}, index ${index}`);
    entry.rows ??= subtreeRows(entry.tile);
    return entry.rows[within]![offset >> within]!;
  }

  private async cached(level: number, index: number, minWidth: number): Promise<Cached | undefined> {
    const key = `${level}/${index}`;
    const hit = this.cache.get(key);
    if (hit && hit.tile.width >= minWidth) {
      // Refresh recency: Map iteration order is insertion order, the oldest is evicted first.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    let read = this.reading.get(key);
    if (!read) {
      read = this.storage.readTile(level, index).finally(() => this.reading.delete(key));
      this.reading.set(key, read);
    }
    const stored = await read;
    if (!stored || stored.width < minWidth) return undefined;
    const current = this.cache.get(key);
    if (current && current.tile.width >= stored.width) return current; // a parallel lookup cached it already
    const entry: Cached = { tile: stored };
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > this.maxCachedTiles) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return entry;
  }
}

function subtreeRows(tile: StoredTile): Buffer[][] {
  const base: Buffer[] = [];
  for (let i = 0; i < tile.width; i++) base.push(tile.data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  const rows = [base];
  for (let h = 1; h < TILE_HEIGHT; h++) {
    const below = rows[h - 1]!;
    const row: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) row.push(hashChildren(below[i]!, below[i + 1]!));
    rows.push(row);
  }
  return rows;
}
