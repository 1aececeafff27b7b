import { LedgerError } from './errors.js';
import { HASH_SIZE, hashSiblings } from './hash.js';
import type { LogStorage, StoredTile } from './storage.js';
import { FULL_INTERIOR_HASHES, FULL_INTERIOR_ROW_STARTS, TILE_HEIGHT, TILE_WIDTH, interiorRowStarts } from './tiles.js';

interface Cached {
  readonly tile: StoredTile;
  /**
   * The tile's own subtree above its hashes (`interiorRowStarts`), as stored with a full tile or else
   * hashed on first use: a proof then costs lookups, not the 254 hashes per tile level it would cost to
   * recompute the siblings each time.
   */
  interior?: Buffer;
  rowStart?: readonly number[];
  /** The reader's access count when this entry was last moved to the recent end of the cache. */
  stamp: number;
}

/**
 * Reads tiles from storage and answers the hash of any perfect subtree from them.
 * Tiles only ever grow (a partial tile is a prefix of its later self), so any cached copy stays correct for
 * the hashes it holds: a read re-fetches only when the cached copy is too narrow.
 */
export class TileReader {
  /** By `key(level, index)`; iteration order is recency, oldest first. */
  private readonly cache = new Map<number, Cached>();
  /** Reads under way, so that the many parallel lookups of one proof fetch a tile once. */
  private readonly reading = new Map<number, Promise<StoredTile | undefined>>();
  private accesses = 0;

  constructor(
    private readonly storage: Pick<LogStorage, 'readTile'>,
    private readonly maxCachedTiles = 8192,
  ) {}

  /** The stored tile holding at least `minWidth` items, or undefined when storage has fewer. */
  async tile(level: number, index: number, minWidth = 1): Promise<StoredTile | undefined> {
    return (this.hit(level, index, minWidth) ?? (await this.read(level, index, minWidth)))?.tile;
  }

  /** The hash of the perfect subtree of height `level` whose leftmost leaf is index·2^level. */
  async nodeHash(level: number, index: number): Promise<Buffer> {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const within = level % TILE_HEIGHT;
    const first = index * 2 ** within; // position in the row of Merkle level 8·tileLevel
    const tileIndex = Math.floor(first / TILE_WIDTH);
    const offset = first % TILE_WIDTH;
    const minWidth = offset + 2 ** within;
    const entry = this.hit(tileLevel, tileIndex, minWidth) ?? (await this.read(tileLevel, tileIndex, minWidth));
    if (!entry) throw new LedgerError('NOT_FOUND', `no stored hash for subtree at level ${level}, index ${index}`);
    if (within === 0) return entry.tile.data.subarray(offset * HASH_SIZE, (offset + 1) * HASH_SIZE);
    if (entry.interior === undefined) [entry.interior, entry.rowStart] = interiorOf(entry.tile);
    const at = (entry.rowStart![within]! + (offset >> within)) * HASH_SIZE;
    return entry.interior.subarray(at, at + HASH_SIZE);
  }

  /** The cached tile when it is wide enough, without waiting on anything (the common case of a proof). */
  private hit(level: number, index: number, minWidth: number): Cached | undefined {
    const k = key(level, index);
    const entry = this.cache.get(k);
    if (entry === undefined || entry.tile.width < minWidth) return undefined;
    // Recency is refreshed only for entries that drifted towards the old end: re-inserting on every hit
    // (tens of lookups per proof) cost more than the proof's own work once tiles were cached.
    if (++this.accesses - entry.stamp > this.maxCachedTiles / 4) this.touch(k, entry);
    return entry;
  }

  private async read(level: number, index: number, minWidth: number): Promise<Cached | undefined> {
    const k = key(level, index);
    let read = this.reading.get(k);
    if (!read) {
      read = this.storage.readTile(level, index).finally(() => this.reading.delete(k));
      this.reading.set(k, read);
    }
    const stored = await read;
    if (!stored || stored.width < minWidth) return undefined;
    const current = this.cache.get(k);
    if (current && current.tile.width >= stored.width) return current; // a parallel lookup cached it already
    const entry: Cached = { tile: stored, stamp: 0 };
    this.touch(k, entry);
    if (this.cache.size > this.maxCachedTiles) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return entry;
  }

  private touch(k: number, entry: Cached): void {
    entry.stamp = this.accesses;
    this.cache.delete(k);
    this.cache.set(k, entry);
  }
}

/** One number per (level, index): levels run from -1 (entry bundles) to 6, indexes stay below 2^48. */
function key(level: number, index: number): number {
  return index * 16 + (level + 1);
}

/** The tile's interior and where each row starts: as stored with a full tile, else hashed from its hashes. */
function interiorOf(tile: StoredTile): [Buffer, readonly number[]] {
  if (tile.width === TILE_WIDTH && tile.interior?.length === FULL_INTERIOR_HASHES * HASH_SIZE) return [tile.interior, FULL_INTERIOR_ROW_STARTS];
  const rowStart = interiorRowStarts(tile.width);
  const interior = Buffer.allocUnsafe(rowStart[TILE_HEIGHT]! * HASH_SIZE);
  for (let h = 1; h < TILE_HEIGHT; h++) {
    const below = h === 1 ? tile.data : interior;
    const from = h === 1 ? 0 : rowStart[h - 1]! * HASH_SIZE;
    for (let i = 0; i < tile.width >> h; i++) {
      const pair = below.subarray(from + 2 * i * HASH_SIZE, from + (2 * i + 2) * HASH_SIZE);
      hashSiblings(pair).copy(interior, (rowStart[h]! + i) * HASH_SIZE);
    }
  }
  return [interior, rowStart];
}
