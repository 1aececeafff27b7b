import { CompactRange } from './compact-range.js';
import { HASH_SIZE, hashLeaf } from './hash.js';
import { ENTRY_BUNDLE_LEVEL, type StoredTile } from './storage.js';
import type { TileReader } from './tile-reader.js';
import { FULL_INTERIOR_HASHES, FULL_INTERIOR_ROW_STARTS, TILE_HEIGHT, TILE_WIDTH, decodeEntryBundle, entryBundlePrefixLength, splitTileHashes } from './tiles.js';

/**
 * The right edge of the log: the compact range of the tree, and the rightmost (partial) tile of every
 * level and of the entry bundles. Integrating a batch extends it and yields exactly the tiles that changed,
 * so a batch costs one leaf hash per entry plus the merges, and writes a handful of rows. The merges made
 * inside a tile are its interior: a full tile is written with it, so that proofs need not hash it again.
 */
export class LogEdge {
  private constructor(
    private range: CompactRange,
    /** rows[L]: hashes of the rightmost partial tile of tile level L (fewer than 256). */
    private readonly rows: Buffer[][],
    /** Length-prefixed entries of the rightmost partial entry bundle. */
    private bundle: Buffer[],
    /**
     * interiors[L]: the interior of the rightmost tile of level L as its merges are made, or null when this
     * edge was loaded with that tile partial (its first merges were made elsewhere): it is then written
     * without one, and readers hash it themselves.
     */
    private readonly interiors: (Buffer | null)[],
  ) {}

  get size(): number {
    return this.range.size;
  }

  root(): Buffer {
    return this.range.root();
  }

  /** Rebuilds the edge of a committed tree of `size` from its stored tiles. */
  static async load(size: number, tiles: TileReader): Promise<LogEdge> {
    // The compact range is the perfect subtrees of size's binary decomposition, largest first.
    const hashes: Buffer[] = [];
    let start = 0;
    for (let level = 52; level >= 0; level--) {
      if (Math.floor(size / 2 ** level) % 2 === 1) {
        hashes.push(await tiles.nodeHash(level, start / 2 ** level));
        start += 2 ** level;
      }
    }
    const rows: Buffer[][] = [];
    for (let L = 0; TILE_WIDTH ** L <= size; L++) {
      const count = Math.floor(size / TILE_WIDTH ** L); // hashes at Merkle level 8·L
      rows.push(await readPartial(tiles, L, count));
    }
    const entryRow = await readPartialBundle(tiles, size);
    return new LogEdge(CompactRange.fromHashes(size, hashes), rows, entryRow, rows.map(() => null));
  }

  static empty(): LogEdge {
    return new LogEdge(new CompactRange(), [], [], []);
  }

  /** Appends the entries and returns every tile (hash tiles and entry bundles) that changed. */
  integrate(entries: readonly Uint8Array[]): StoredTile[] {
    const out: StoredTile[] = [];
    const range = this.range;
    const full: [level: number, index: number][] = [];
    range.onNode = (level, index, hash) => {
      const within = level % TILE_HEIGHT;
      if (within === 0) this.pushHash(level / TILE_HEIGHT, index, hash, full);
      else this.interiors[Math.floor(level / TILE_HEIGHT)]?.set(hash, (FULL_INTERIOR_ROW_STARTS[within]! + (index % (TILE_WIDTH >> within))) * HASH_SIZE);
    };
    try {
      for (const entry of entries) {
        const index = range.size;
        this.bundle.push(lengthPrefixed(entry));
        if (this.bundle.length === TILE_WIDTH) {
          out.push(bundleTile(Math.floor(index / TILE_WIDTH), this.bundle));
          this.bundle = [];
        }
        const leaf = hashLeaf(entry);
        this.pushHash(0, index, leaf, full);
        range.append(leaf);
        // A tile that filled is written once the merges it caused are made: they complete its interior.
        for (const [level, tileIndex] of full) {
          out.push(hashTile(level, tileIndex, this.rows[level]!, this.interiors[level] ?? undefined));
          this.rows[level] = [];
          this.interiors[level] = null;
        }
        full.length = 0;
      }
    } finally {
      range.onNode = undefined;
    }
    // The partial tiles as they stand after the batch (full ones were emitted as they filled).
    const size = range.size;
    for (let L = 0; L < this.rows.length; L++) {
      const row = this.rows[L]!;
      if (row.length > 0) out.push(hashTile(L, Math.floor(size / TILE_WIDTH ** L / TILE_WIDTH), row));
    }
    if (this.bundle.length > 0) out.push(bundleTile(Math.floor(size / TILE_WIDTH), this.bundle));
    return dedupe(out);
  }

  private pushHash(tileLevel: number, positionInLevel: number, hash: Buffer, full: [number, number][]): void {
    while (this.rows.length <= tileLevel) {
      this.rows.push([]);
      this.interiors.push(null);
    }
    const row = this.rows[tileLevel]!;
    // A tile begun here: every merge inside it will be made here too.
    if (row.length === 0) this.interiors[tileLevel] = Buffer.alloc(FULL_INTERIOR_HASHES * HASH_SIZE);
    row.push(hash);
    if (row.length === TILE_WIDTH) full.push([tileLevel, Math.floor(positionInLevel / TILE_WIDTH)]);
  }
}

/** tlog-tiles entry bundles: each entry after its big-endian uint16 length. */
function lengthPrefixed(entry: Uint8Array): Buffer {
  const prefixed = Buffer.allocUnsafe(2 + entry.length);
  prefixed.writeUInt16BE(entry.length, 0);
  prefixed.set(entry, 2);
  return prefixed;
}

function hashTile(level: number, index: number, hashes: readonly Buffer[], interior?: Buffer): StoredTile {
  const data = Buffer.concat(hashes, hashes.length * HASH_SIZE);
  return interior === undefined ? { level, index, width: hashes.length, data } : { level, index, width: hashes.length, data, interior };
}

function bundleTile(index: number, prefixed: readonly Buffer[]): StoredTile {
  return { level: ENTRY_BUNDLE_LEVEL, index, width: prefixed.length, data: Buffer.concat(prefixed) };
}

/** A tile emitted full and then again partial cannot happen, but a later copy of the same tile supersedes an earlier one. */
function dedupe(tiles: StoredTile[]): StoredTile[] {
  const byKey = new Map<string, StoredTile>();
  for (const t of tiles) byKey.set(`${t.level}/${t.index}`, t);
  return [...byKey.values()];
}

async function readPartial(tiles: TileReader, level: number, count: number): Promise<Buffer[]> {
  const width = count % TILE_WIDTH;
  if (width === 0) return [];
  const tile = await tiles.tile(level, Math.floor(count / TILE_WIDTH), width);
  if (!tile) throw new Error(`tile ${level}/${Math.floor(count / TILE_WIDTH)} is missing from storage`);
  return splitTileHashes(tile.data.subarray(0, width * HASH_SIZE), width).map((h) => Buffer.from(h));
}

async function readPartialBundle(tiles: TileReader, size: number): Promise<Buffer[]> {
  const width = size % TILE_WIDTH;
  if (width === 0) return [];
  const tile = await tiles.tile(ENTRY_BUNDLE_LEVEL, Math.floor(size / TILE_WIDTH), width);
  if (!tile) throw new Error(`entry bundle ${Math.floor(size / TILE_WIDTH)} is missing from storage`);
  // The edge keeps each entry with its length prefix, as the bundle is written.
  return decodeEntryBundle(tile.data.subarray(0, entryBundlePrefixLength(tile.data, width)), width).map(lengthPrefixed);
}
