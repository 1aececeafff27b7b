/**
 * Tiled transparency logs, c2sp.org/tlog-tiles: tile paths, entry bundles and tile arithmetic.
 * Tiles have height 8: a full tile holds 256 hashes. Paths and bundles arrive from HTTP clients and
 * servers: they are hostile input, parsed strictly, and only the canonical encoding is accepted.
 */
import { LedgerError } from './errors.js';
import { HASH_SIZE } from './hash.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** §Merkle Tree: `<L>` is between 0 and 63. */
export const MAX_TILE_LEVEL = 63;
/** §Log entries: entries are uint16 length-prefixed. */
export const MAX_ENTRY_SIZE = 0xffff;
/**
 * Where each row of a tile's interior starts, in hashes: row h (1 ≤ h < 8) holds the hash of each group
 * of 2^h tile hashes wholly within `width`, rows one after another. A full tile's interior is 254 hashes
 * (128 + 64 + … + 2); its root, the one node of height 8, is a hash of the tile above.
 * The format does not serve it; the log keeps it so that a proof need not hash it again (`TileReader`).
 */
export function interiorRowStarts(width: number): number[] {
  const starts = [0];
  let count = 0;
  for (let h = 1; h <= TILE_HEIGHT; h++) {
    starts[h] = count;
    count += width >> h;
  }
  return starts; // starts[TILE_HEIGHT] is the interior's length (the tile's root is not in it)
}
/** `interiorRowStarts` of a full tile. */
export const FULL_INTERIOR_ROW_STARTS: readonly number[] = interiorRowStarts(TILE_WIDTH);
/** Hashes in the interior of a full tile. */
export const FULL_INTERIOR_HASHES = FULL_INTERIOR_ROW_STARTS[TILE_HEIGHT]!;
const MAX_PATH_LENGTH = 128; // the longest canonical path is under 60 characters

/** A tile of hashes at `level`, or (level 0) the entry bundle of the same index. `width` is 1..256, 256 = full. */
export interface TileId {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}
export type TileKind = 'hashes' | 'entries';
export interface TilePath extends TileId {
  readonly kind: TileKind;
}

const invalid = (message: string): never => {
  throw new LedgerError('INVALID_TILE', message);
};
const badArgument = (message: string): never => {
  throw new LedgerError('INVALID_ARGUMENT', message);
};

function assertTile(tile: TileId, kind: TileKind): void {
  if (typeof tile !== 'object' || tile === null) badArgument('tile must be an object');
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) badArgument('tile level must be 0..63');
  if (kind === 'entries' && tile.level !== 0) badArgument('entry bundles are at level 0');
  if (!Number.isSafeInteger(tile.index) || tile.index < 0) badArgument('tile index must be a non-negative safe integer');
  if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) badArgument('tile width must be 1..256');
}

/** §Merkle Tree: N in zero-padded 3-digit elements, all but the last prefixed by `x` (1234067 → x001/x234/067). */
function formatIndex(index: number): string {
  let path = String(index % 1000).padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    path = `x${String(rest % 1000).padStart(3, '0')}/${path}`;
  }
  return path;
}

/** `tile/<L>/<N>[.p/<W>]` or, for kind 'entries', `tile/entries/<N>[.p/<W>]` (relative to the log prefix). */
export function formatTilePath(tile: TileId, kind: TileKind = 'hashes'): string {
  if (kind !== 'hashes' && kind !== 'entries') badArgument('tile kind must be hashes or entries');
  assertTile(tile, kind);
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
  return `tile/${kind === 'entries' ? 'entries' : String(tile.level)}/${formatIndex(tile.index)}${partial}`;
}

/** Strict inverse of formatTilePath: every non-canonical spelling is rejected with the reason. */
export function parseTilePath(path: string): TilePath {
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) invalid('tile path is not a string of sane length');
  const parts = path.split('/');
  if (parts.length < 3 || parts[0] !== 'tile') invalid('tile path must start with tile/');
  const levelPart = parts[1] ?? '';
  const kind: TileKind = levelPart === 'entries' ? 'entries' : 'hashes';
  let level = 0;
  if (kind === 'hashes') {
    if (!/^(?:0|[1-9][0-9]?)$/.test(levelPart)) invalid('tile level must be decimal without leading zeroes');
    level = Number(levelPart);
    if (level > MAX_TILE_LEVEL) invalid('tile level must be 0..63');
  }
  let groups = parts.slice(2);
  let width = TILE_WIDTH;
  const last = groups.at(-1) ?? '';
  if (groups.length >= 2 && (groups.at(-2) ?? '').endsWith('.p')) {
    if (!/^[1-9][0-9]{0,2}$/.test(last)) invalid('partial width must be decimal without leading zeroes');
    width = Number(last);
    if (width > TILE_WIDTH - 1) invalid('partial width must be 1..255');
    groups = groups.slice(0, -1);
    groups[groups.length - 1] = (groups.at(-1) ?? '').slice(0, -'.p'.length);
  }
  if (groups.length > 6) invalid('tile index too large');
  let index = 0;
  groups.forEach((group, i) => {
    const isLast = i === groups.length - 1;
    if (!(isLast ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(group)) {
      invalid('tile index must be 3-digit elements, all but the last prefixed by x');
    }
    index = index * 1000 + Number(isLast ? group : group.slice(1));
  });
  if (groups.length > 1 && groups[0] === 'x000') invalid('tile index has a leading zero element');
  if (!Number.isSafeInteger(index)) invalid('tile index too large');
  const tile: TilePath = { kind, level, index, width };
  if (formatTilePath(tile, kind) !== path) invalid('tile path is not canonical');
  return tile;
}

/** §Log entries: a sequence of big-endian uint16 length-prefixed entries (1..256 of them). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > TILE_WIDTH) {
    badArgument('an entry bundle holds 1..256 entries');
  }
  let size = 0;
  for (const entry of entries) {
    if (!(entry instanceof Uint8Array)) badArgument('entries must be bytes');
    if (entry.length > MAX_ENTRY_SIZE) badArgument(`entry of ${entry.length} bytes exceeds ${MAX_ENTRY_SIZE}`);
    size += 2 + entry.length;
  }
  const out = Buffer.alloc(size);
  let offset = 0;
  for (const entry of entries) {
    offset = out.writeUInt16BE(entry.length, offset);
    out.set(entry, offset);
    offset += entry.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Decodes an entry bundle (hostile input): every length prefix is bounds-checked; entries are copies. */
export function decodeEntryBundle(bytes: Uint8Array, expectedCount?: number): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) badArgument('entry bundle must be bytes');
  if (expectedCount !== undefined && (!Number.isInteger(expectedCount) || expectedCount < 1 || expectedCount > TILE_WIDTH)) {
    badArgument('expected entry count must be 1..256');
  }
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (entries.length === TILE_WIDTH) invalid('entry bundle holds more than 256 entries');
    if (offset + 2 > bytes.length) invalid('entry bundle ends inside a length prefix');
    const length = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
    offset += 2;
    if (offset + length > bytes.length) invalid('entry bundle ends inside an entry');
    entries.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  if (entries.length === 0) invalid('entry bundle is empty');
  if (expectedCount !== undefined && entries.length !== expectedCount) {
    invalid(`entry bundle holds ${entries.length} entries, expected ${expectedCount}`);
  }
  return entries;
}

/** Splits tile data into its hashes; a tile of width W is exactly W * 32 bytes. */
/**
 * The byte length of the first `count` entries of a bundle (their length prefixes included): how a stored
 * bundle is cut to a narrower partial one, and where entry `count` starts. Throws when the bundle is shorter.
 */
export function entryBundlePrefixLength(bundle: Uint8Array, count: number): number {
  if (!Number.isInteger(count) || count < 0 || count > TILE_WIDTH) badArgument('entry count must be 0..256');
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > bundle.length) invalid(`entry bundle holds fewer than ${count} entries`);
    offset += 2 + (((bundle[offset] ?? 0) << 8) | (bundle[offset + 1] ?? 0));
  }
  if (offset > bundle.length) invalid('entry bundle ends inside an entry');
  return offset;
}

export function splitTileHashes(bytes: Uint8Array, width: number): Uint8Array[] {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) badArgument('tile width must be 1..256');
  if (!(bytes instanceof Uint8Array) || bytes.length !== width * HASH_SIZE) invalid(`tile of width ${width} must be ${width * HASH_SIZE} bytes`);
  return Array.from({ length: width }, (_, i) => bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}

function assertSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) badArgument(`${what} must be a non-negative safe integer`);
}
function assertLevel(level: number): void {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) badArgument('tile level must be 0..63');
}
/** Number of hashes at tile level `level` in a tree of `size`: floor(size / 256^level). Exact: the divisor is a power of two. */
const hashesAtLevel = (level: number, size: number): number => Math.floor(size / 2 ** (TILE_HEIGHT * level));

/** Tiles (full and partial) at `level` in a tree of `size` leaves. */
export function tileCountAtLevel(level: number, treeSize: number): number {
  assertLevel(level);
  assertSize(treeSize, 'tree size');
  return Math.ceil(hashesAtLevel(level, treeSize) / TILE_WIDTH);
}

/** §Partial Tiles: width of tile (level, index) in a tree of `treeSize`; 256 when full, 0 if it does not exist. */
export function tileWidth(level: number, index: number, treeSize: number): number {
  assertLevel(level);
  assertSize(index, 'tile index');
  assertSize(treeSize, 'tree size');
  return Math.max(0, Math.min(TILE_WIDTH, hashesAtLevel(level, treeSize) - index * TILE_WIDTH));
}

/**
 * Tiles a tree of `newSize` has that a tree of `oldSize` did not: new full tiles and the new partial tile of each
 * level (what a log writes when it grows; level-0 tiles are also the entry bundles to write). Lazy: large trees
 * have millions of tiles.
 */
export function newTiles(oldSize: number, newSize: number): Generator<TileId> {
  assertSize(oldSize, 'old size'); // checked now, not at the first next()
  assertSize(newSize, 'new size');
  if (oldSize > newSize) badArgument('old size exceeds new size');
  return generateNewTiles(oldSize, newSize);
}

function* generateNewTiles(oldSize: number, newSize: number): Generator<TileId> {
  for (let level = 0; hashesAtLevel(level, newSize) > 0; level++) {
    const oldN = hashesAtLevel(level, oldSize);
    const newN = hashesAtLevel(level, newSize);
    if (oldN === newN) continue;
    const fullTiles = Math.floor(newN / TILE_WIDTH);
    for (let index = Math.floor(oldN / TILE_WIDTH); index < fullTiles; index++) yield { level, index, width: TILE_WIDTH };
    const width = newN % TILE_WIDTH;
    if (width > 0) yield { level, index: fullTiles, width };
  }
}

/** §Partial Tiles: every tile, full and partial, at every level of a tree of `size` (none for the empty tree). */
export function tilesForTree(size: number): Generator<TileId> {
  return newTiles(0, size);
}
