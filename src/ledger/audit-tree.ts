/**
 * The auditor's tree check: streams the entry bundles in order, hashes every entry, rebuilds every hash tile
 * from the entries (level 0 from the leaf hashes, each higher level from the tile roots below it, collected as
 * a compact range merges them) and compares it with the served tile, then compares the root with the
 * checkpoint. Memory stays flat: one bundle, one partial row of hashes per level, a few prefetched responses.
 *
 * Resuming from a saved tree of size N (its compact range, trusted), only the tiles the new tree adds are
 * read (`newTiles`). The rightmost tile of each level at N is read at its new width; its first hashes (those
 * below N) are checked against the saved compact range, whose hashes at Merkle levels 8L..8L+7 are exactly
 * what those hashes merge into, so nothing old has to be downloaded again.
 */
import { CompactRange } from './compact-range.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE, hashLeaf } from './hash.js';
import { encodeBase64 } from './note.js';
import { TILE_HEIGHT, TILE_WIDTH, decodeEntryBundle, formatTilePath, tileWidth, type TileId } from './tiles.js';

export interface TreeAudit {
  /** The verified right edge to start from: the saved tree, or the empty one. Consumed. */
  readonly from: CompactRange;
  /** Size and root of the verified checkpoint. */
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The bytes at a tile path; called in the order of `treeSchedule(from.size, size)`. */
  readonly take: (path: string) => Promise<Uint8Array>;
  /** The type of an entry; throws when the entry does not parse. */
  readonly classify: (entry: Uint8Array) => string;
  /** Called after each entry bundle with the number of entries checked so far. */
  readonly onBundle?: (entriesChecked: number) => void;
}

export interface TreeAuditResult {
  readonly range: CompactRange;
  readonly entriesByType: ReadonlyMap<string, number>;
}

interface Mismatch {
  readonly tile: TileId;
  readonly hash: number;
}

const hashesAt = (level: number, size: number): number => Math.floor(size / 2 ** (TILE_HEIGHT * level));
const tilePath = (tile: TileId): string => formatTilePath(tile);
const bundlePath = (tile: TileId): string => formatTilePath(tile, 'entries');
const tileName = (tile: TileId): string => `tile ${tilePath(tile).slice('tile/'.length)}`;
const bundleName = (index: number, width: number): string => `entry bundle ${index} (${bundlePath({ level: 0, index, width })})`;
const tampered = (message: string): LedgerError => new LedgerError('TAMPERED', message);
const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const at = (data: Uint8Array, i: number): Buffer => Buffer.from(data.buffer, data.byteOffset + i * HASH_SIZE, HASH_SIZE);

/** The rightmost tile of each level of the old tree that the new tree grows: its old hashes seed the rows. */
function seedTiles(from: number, to: number): TileId[] {
  const seeds: TileId[] = [];
  for (let level = 0; hashesAt(level, to) > 0; level++) {
    const [oldN, newN] = [hashesAt(level, from), hashesAt(level, to)];
    if (oldN === newN || oldN % TILE_WIDTH === 0) continue;
    const index = Math.floor(oldN / TILE_WIDTH);
    seeds.push({ level, index, width: tileWidth(level, index, to) });
  }
  return seeds;
}

/** Every path auditTree reads, in the order it reads them: each once, exactly the tiles `newTiles` lists plus their bundles. */
export function* treeSchedule(from: number, to: number): Generator<string> {
  const seeds = seedTiles(from, to);
  const seeded = new Set(seeds.map(tilePath));
  const fresh = (tile: TileId): string[] => (seeded.has(tilePath(tile)) ? [] : [tilePath(tile)]);
  yield* seeds.map(tilePath);
  for (let k = Math.floor(from / TILE_WIDTH); k * TILE_WIDTH < to; k++) {
    const width = tileWidth(0, k, to);
    yield bundlePath({ level: 0, index: k, width });
    if (width < TILE_WIDTH) continue; // a partial tile is checked at the end
    for (let level = 0; (k + 1) % TILE_WIDTH ** level === 0 && hashesAt(level, to) > 0; level++) {
      yield* fresh({ level, index: (k + 1) / TILE_WIDTH ** level - 1, width: TILE_WIDTH });
    }
  }
  for (const tile of finalPartials(from, to)) yield* fresh(tile);
}

function finalPartials(from: number, to: number): TileId[] {
  const tiles: TileId[] = [];
  for (let level = 0; hashesAt(level, to) > 0; level++) {
    const newN = hashesAt(level, to);
    if (newN === hashesAt(level, from) || newN % TILE_WIDTH === 0) continue;
    tiles.push({ level, index: Math.floor(newN / TILE_WIDTH), width: newN % TILE_WIDTH });
  }
  return tiles;
}

export async function auditTree(audit: TreeAudit): Promise<TreeAuditResult> {
  const { from: range, size: to } = audit;
  const from = range.size;
  if (to < from) throw new LedgerError('INVALID_ARGUMENT', `cannot audit a tree of ${to} from a tree of ${from}`);
  if (to === from) {
    if (!range.root().equals(audit.rootHash)) throw blame(undefined, false, range.root(), audit.rootHash);
    return { range, entriesByType: new Map() };
  }
  const rows: Buffer[][] = [];
  const completed: TileId[] = [];
  const held = new Map<string, Uint8Array>();
  const mismatches: Mismatch[] = [];
  const entriesByType = new Map<string, number>();
  const savedEdge = range.hashes;

  const hashTile = async (tile: TileId): Promise<Uint8Array> => {
    const path = tilePath(tile);
    const data = held.get(path) ?? (await audit.take(path));
    if (data.length !== tile.width * HASH_SIZE) throw tampered(`${tileName(tile)} is ${data.length} bytes, not ${tile.width} hashes`);
    return data;
  };
  /** Compares a rebuilt row with the served tile; a difference is judged at the end, against the root. */
  const check = async (tile: TileId, row: readonly Buffer[]): Promise<void> => {
    const data = await hashTile(tile);
    const hash = row.findIndex((h, i) => !h.equals(at(data, i)));
    if (hash >= 0 && !mismatches.some((m) => m.tile.level === tile.level)) mismatches.push({ tile, hash });
  };
  const push = (level: number, position: number, hash: Buffer): void => {
    while (rows.length <= level) rows.push([]);
    const row = rows[level]!;
    row.push(hash);
    if (row.length === TILE_WIDTH) completed.push({ level, index: Math.floor(position / TILE_WIDTH), width: TILE_WIDTH });
  };

  // Seed each level's row with the old hashes of its rightmost tile, checked against the saved edge.
  for (const seed of seedTiles(from, to)) {
    const data = await hashTile(seed);
    held.set(tilePath(seed), data);
    const count = hashesAt(seed.level, from) % TILE_WIDTH;
    const row = Array.from({ length: count }, (_, i) => Buffer.from(at(data, i)));
    const merged = new CompactRange();
    row.forEach((h) => merged.append(h));
    const skip = popCount(Math.floor(from / 2 ** (TILE_HEIGHT * (seed.level + 1))));
    const expected = savedEdge.slice(skip, skip + merged.hashes.length);
    if (!merged.hashes.every((h, i) => h.equals(expected[i] ?? Buffer.alloc(0)))) {
      throw tampered(`${tileName(seed)} hashes 0..${count - 1} (below the saved size ${from}) are not those of the audited tree`);
    }
    while (rows.length <= seed.level) rows.push([]);
    rows[seed.level] = row;
  }

  range.onNode = (level, index, hash) => {
    if (level % TILE_HEIGHT === 0) push(level / TILE_HEIGHT, index, hash);
  };
  for (let k = Math.floor(from / TILE_WIDTH); k * TILE_WIDTH < to; k++) {
    const width = tileWidth(0, k, to);
    const path = bundlePath({ level: 0, index: k, width });
    let entries: Uint8Array[];
    try {
      entries = decodeEntryBundle(await audit.take(path), width);
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'UNAVAILABLE') throw err;
      throw tampered(`${bundleName(k, width)} is malformed: ${describe(err)}`);
    }
    entries.forEach((entry, i) => {
      const index = k * TILE_WIDTH + i;
      const leaf = hashLeaf(entry);
      if (index < from) {
        if (!leaf.equals(rows[0]![i]!)) throw tampered(`${bundleName(k, width)} entry ${i} (index ${index}) changed since the audit of size ${from}`);
        return;
      }
      let type: string;
      try {
        type = audit.classify(entry);
      } catch (err) {
        throw new LedgerError('INVALID_ENTRY', `entry ${index} (${bundleName(k, width)} entry ${i}) does not parse: ${describe(err)}`);
      }
      entriesByType.set(type, (entriesByType.get(type) ?? 0) + 1);
      push(0, index, leaf);
      range.append(leaf);
    });
    for (const tile of completed.splice(0)) {
      await check(tile, rows[tile.level]!);
      rows[tile.level] = [];
    }
    audit.onBundle?.(Math.min(to, (k + 1) * TILE_WIDTH) - from);
  }
  range.onNode = undefined;
  for (const tile of finalPartials(from, to)) await check(tile, rows[tile.level] ?? []);

  const root = range.root();
  const rootOk = root.equals(audit.rootHash);
  const first = mismatches.sort((a, b) => a.tile.level - b.tile.level)[0];
  if (first !== undefined || !rootOk) throw blame(first, rootOk, root, audit.rootHash);
  return { range, entriesByType };
}

/**
 * Names what disagrees. A served tile that differs from the one rebuilt from the entries is wrong if the entries
 * give the checkpoint's root; if they do not, the entries are (the first leaf that differs from its tile names it).
 */
function blame(first: Mismatch | undefined, rootOk: boolean, root: Uint8Array, expected: Uint8Array): LedgerError {
  if (first === undefined) {
    return tampered(`the root computed from the entries, ${encodeBase64(root)}, is not the checkpoint's ${encodeBase64(expected)}`);
  }
  const { tile, hash } = first;
  if (tile.level === 0) {
    const index = tile.index * TILE_WIDTH + hash;
    return rootOk
      ? tampered(`${tileName(tile)} hash ${hash} does not match entry ${index} (${bundleName(tile.index, tile.width)} entry ${hash})`)
      : tampered(
          `${bundleName(tile.index, tile.width)} entry ${hash} (index ${index}) was altered: its hash is not ${tileName(tile)} hash ${hash}, and the entries do not give the checkpoint's root`,
        );
  }
  if (rootOk) return tampered(`${tileName(tile)} hash ${hash} does not match the hashes below it`);
  const span = 2 ** (TILE_HEIGHT * (tile.level - 1)); // bundles under one hash of this tile
  const firstBundle = (tile.index * TILE_WIDTH + hash) * span;
  return tampered(
    `entry bundles ${firstBundle}..${firstBundle + span - 1} were altered with their tiles: they do not give ${tileName(tile)} hash ${hash}, nor the checkpoint's root`,
  );
}

function popCount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}
