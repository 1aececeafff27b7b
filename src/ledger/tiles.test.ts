import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LedgerError } from './errors.js';
import {
  decodeEntryBundle,
  entryBundlePrefixLength,
  encodeEntryBundle,
  formatTilePath,
  newTiles,
  parseTilePath,
  splitTileHashes,
  tileCountAtLevel,
  tileWidth,
  tilesForTree,
} from './tiles.js';
import type { TileId } from './tiles.js';

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof LedgerError) return e.code;
    throw e;
  }
  return undefined;
};
const key = (t: TileId): string => `${t.level}/${t.index}/${t.width}`;

describe('tile paths', () => {
  it('encodes the tlog-tiles example index 1234067 as x001/x234/067', () => {
    expect(formatTilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(formatTilePath({ level: 2, index: 1234067, width: 17 })).toBe('tile/2/x001/x234/067.p/17');
    expect(formatTilePath({ level: 0, index: 1234067, width: 1 }, 'entries')).toBe('tile/entries/x001/x234/067.p/1');
    expect(formatTilePath({ level: 0, index: 0, width: 256 })).toBe('tile/0/000');
    expect(formatTilePath({ level: 63, index: 1000, width: 255 })).toBe('tile/63/x001/000.p/255');
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({ kind: 'hashes', level: 0, index: 1234067, width: 256 });
    expect(parseTilePath('tile/entries/x001/x234/067.p/1')).toEqual({ kind: 'entries', level: 0, index: 1234067, width: 1 });
  });

  it('rejects malformed and non-canonical paths, naming the reason', () => {
    const cases: [string, RegExp][] = [
      ['tile/01/000', /level must be decimal/],
      ['tile/64/000', /level must be 0..63/],
      ['tile/-1/000', /level must be decimal/],
      ['tile/ 0/000', /level must be decimal/],
      ['tile/data/000', /level must be decimal/],
      ['tile/0/1234', /3-digit elements/],
      ['tile/0/67', /3-digit elements/],
      ['tile/0/001/234', /3-digit elements/],
      ['tile/0/x001/x234', /3-digit elements/],
      ['tile/0/x1/000', /3-digit elements/],
      ['tile/0/X001/000', /3-digit elements/],
      ['tile/0/٠٠٠', /3-digit elements/],
      ['tile/0/x000/123', /leading zero element/],
      ['tile/0/x000/x001/123', /leading zero element/],
      ['tile/0/000.p/0', /partial width must be decimal/],
      ['tile/0/000.p/010', /partial width must be decimal/],
      ['tile/0/000.p/256', /1..255/],
      ['tile/0/000.p/1000', /partial width must be decimal/],
      ['tile/0/000.p', /3-digit elements/],
      ['tile/0/000.p/', /partial width must be decimal/],
      ['tile/0/000.p/1/2', /3-digit elements/],
      ['tile/0/000/', /3-digit elements/],
      ['/tile/0/000', /start with tile/],
      ['tile/0', /start with tile/],
      ['tiles/0/000', /start with tile/],
      ['tile/0/x009/x007/x199/x254/x740/993', /index too large/],
      ['tile/0/x001/x001/x001/x001/x001/x001/001', /index too large/],
      [`tile/0/${'x001/'.repeat(40)}000`, /sane length/],
    ];
    for (const [path, reason] of cases) {
      expect(() => parseTilePath(path), path).toThrow(reason);
      expect(code(() => parseTilePath(path))).toBe('INVALID_TILE');
    }
    expect(parseTilePath('tile/0/x009/x007/x199/x254/x740/991').index).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('round-trips every tile (property)', () => {
    const tile = fc.record({ level: fc.integer({ min: 0, max: 63 }), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) });
    fc.assert(
      fc.property(tile, fc.constantFrom('hashes' as const, 'entries' as const), (t, kind) => {
        const id = kind === 'entries' ? { ...t, level: 0 } : t;
        expect(parseTilePath(formatTilePath(id, kind))).toEqual({ ...id, kind });
      }),
    );
  });

  it('never throws anything but INVALID_TILE on arbitrary paths (property)', () => {
    const piece = fc.constantFrom('tile', 'entries', '0', '63', 'x001', '000', '067.p', '5', '', 'x000', '.p', '256');
    const path = fc.oneof(fc.array(piece, { maxLength: 8 }).map((p) => p.join('/')), fc.string({ unit: 'binary', maxLength: 60 }));
    fc.assert(
      fc.property(path, (p) => {
        const c = code(() => parseTilePath(p));
        if (c === undefined) expect(formatTilePath(parseTilePath(p), parseTilePath(p).kind)).toBe(p);
        else expect(c).toBe('INVALID_TILE');
      }),
    );
  });

  it('asserts format inputs', () => {
    for (const bad of [
      { level: -1, index: 0, width: 1 },
      { level: 64, index: 0, width: 1 },
      { level: 0, index: -1, width: 1 },
      { level: 0, index: 2 ** 53, width: 1 },
      { level: 0, index: 0, width: 0 },
      { level: 0, index: 0, width: 257 },
      { level: 0, index: 0.5, width: 1 },
    ]) {
      expect(code(() => formatTilePath(bad))).toBe('INVALID_ARGUMENT');
    }
    expect(code(() => formatTilePath({ level: 1, index: 0, width: 1 }, 'entries'))).toBe('INVALID_ARGUMENT');
  });
});

describe('entry bundles', () => {
  it('length-prefixes entries with big-endian uint16', () => {
    const bundle = encodeEntryBundle([Uint8Array.of(0xaa), new Uint8Array(0), new Uint8Array(0x0102)]);
    expect(Buffer.from(bundle.subarray(0, 6)).toString('hex')).toBe('0001aa000001');
    expect(bundle).toHaveLength(2 + 1 + 2 + 2 + 0x0102);
  });

  it('round-trips (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }), (entries) => {
        expect(decodeEntryBundle(encodeEntryBundle(entries), entries.length)).toEqual(entries);
      }),
      { numRuns: 50 },
    );
    const big = new Uint8Array(0xffff).fill(7);
    expect(decodeEntryBundle(encodeEntryBundle([big]))).toEqual([big]);
  });

  it('rejects what it cannot encode', () => {
    expect(code(() => encodeEntryBundle([new Uint8Array(0x10000)]))).toBe('INVALID_ARGUMENT');
    expect(code(() => encodeEntryBundle([]))).toBe('INVALID_ARGUMENT');
    expect(code(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(1))))).toBe('INVALID_ARGUMENT');
  });

  it('rejects malformed bundles, naming the reason', () => {
    const cases: [Uint8Array, RegExp, number?][] = [
      [new Uint8Array(0), /empty/],
      [Uint8Array.of(0), /inside a length prefix/],
      [Uint8Array.of(0, 1, 0xaa, 0), /inside a length prefix/],
      [Uint8Array.of(0, 2, 0xaa), /inside an entry/],
      [Uint8Array.of(0xff, 0xff), /inside an entry/],
      [new Uint8Array(2 * 257), /more than 256/],
      [Uint8Array.of(0, 0, 0, 0), /holds 2 entries, expected 3/, 3],
    ];
    for (const [bundle, reason, count] of cases) {
      expect(() => decodeEntryBundle(bundle, count)).toThrow(reason);
      expect(code(() => decodeEntryBundle(bundle, count))).toBe('INVALID_TILE');
    }
    expect(decodeEntryBundle(new Uint8Array(2 * 256), 256)).toHaveLength(256);
  });

  it('never throws anything but INVALID_TILE on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        const c = code(() => decodeEntryBundle(b));
        expect(c === undefined || c === 'INVALID_TILE').toBe(true);
      }),
    );
  });
});

describe('tile arithmetic', () => {
  it('matches the tlog-tiles examples for trees of 70,000 and 256 leaves', () => {
    const tiles = [...tilesForTree(70000)];
    const at = (level: number): TileId[] => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).filter((t) => t.width < 256)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(at(1)).toEqual([{ level: 1, index: 0, width: 256 }, { level: 1, index: 1, width: 17 }]);
    expect(at(2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect(tiles).toHaveLength(273 + 1 + 2 + 1);
    expect([...tilesForTree(256)]).toEqual([{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
    expect([...tilesForTree(0)]).toEqual([]);
    expect(tileWidth(0, 273, 70000)).toBe(112);
    expect(tileWidth(0, 274, 70000)).toBe(0);
    expect(tileWidth(1, 1, 70000)).toBe(17);
    expect(tileCountAtLevel(0, 70000)).toBe(274);
    expect(tileCountAtLevel(3, 70000)).toBe(0);
  });

  it('is consistent at every level (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000_000 }), (size) => {
        const tiles = [...tilesForTree(size)];
        for (let level = 0; level < 4; level++) {
          const row = tiles.filter((t) => t.level === level);
          expect(row).toHaveLength(tileCountAtLevel(level, size));
          expect(row.reduce((sum, t) => sum + t.width, 0)).toBe(Math.floor(size / 256 ** level));
          row.forEach((t, i) => expect([t.index, t.width]).toEqual([i, tileWidth(level, i, size)]));
          expect(row.slice(0, -1).every((t) => t.width === 256)).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
    expect(tileCountAtLevel(6, Number.MAX_SAFE_INTEGER)).toBe(1);
    expect(tileWidth(6, 0, Number.MAX_SAFE_INTEGER)).toBe(31); // floor((2^53 - 1) / 2^48)
  });

  it('newTiles lists exactly the tiles of the new tree that the old tree lacked (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), (a, b) => {
        const [oldSize, newSize] = a <= b ? [a, b] : [b, a];
        const before = new Set([...tilesForTree(oldSize)].map(key));
        const expected = [...tilesForTree(newSize)].map(key).filter((k) => !before.has(k));
        expect([...newTiles(oldSize, newSize)].map(key)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('asserts inputs eagerly', () => {
    expect(code(() => newTiles(2, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => tilesForTree(-1))).toBe('INVALID_ARGUMENT');
    expect(code(() => tilesForTree(2 ** 53))).toBe('INVALID_ARGUMENT');
    expect(code(() => tileWidth(64, 0, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => tileCountAtLevel(0, 1.5))).toBe('INVALID_ARGUMENT');
  });

  it('splits tile data into hashes', () => {
    const data = new Uint8Array(64).map((_, i) => i);
    expect(splitTileHashes(data, 2).map((h) => h[0])).toEqual([0, 32]);
    expect(code(() => splitTileHashes(data, 3))).toBe('INVALID_TILE');
    expect(code(() => splitTileHashes(data, 0))).toBe('INVALID_ARGUMENT');
  });
});

describe('entryBundlePrefixLength', () => {
  it('measures the first entries with their prefixes, and refuses to count past the end', () => {
    const bundle = encodeEntryBundle([Buffer.from('a'), Buffer.from(''), Buffer.from('xyz')]);
    expect([0, 1, 2, 3].map((n) => entryBundlePrefixLength(bundle, n))).toEqual([0, 3, 5, 10]);
    expect(() => entryBundlePrefixLength(bundle, 4)).toThrow('fewer than 4');
    expect(() => entryBundlePrefixLength(bundle.subarray(0, 8), 3)).toThrow('ends inside an entry');
  });
});
