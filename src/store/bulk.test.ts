import fc from 'fast-check';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, openTestStore, type TestStore } from '../../test/support/stores.js';
import { insertCells, insertRows, insertRowsCounting, padded, paddedLength, pieces, selectIn, updateFromValues, valuesList } from './bulk.js';

describe('statement shapes', () => {
  it('pieces cover 0..n exactly, in order, with power-of-two sizes, largest first, none above the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 1 << 20 }), (n, cap) => {
        const ranges = pieces(n, cap);
        let at = 0;
        let last = Infinity;
        for (const [from, to] of ranges) {
          const size = to - from;
          expect(from).toBe(at);
          expect(size & (size - 1)).toBe(0);
          expect(size).toBeLessThanOrEqual(Math.min(last, cap));
          last = size;
          at = to;
        }
        expect(at).toBe(n);
        // Few shapes: a capped run repeats the cap's size, then at most one piece per smaller power of two.
        expect(new Set(ranges.map(([f, t]) => t - f)).size).toBeLessThanOrEqual(21);
      }),
    );
    expect(pieces(1024)).toEqual([[0, 1024]]);
    expect(pieces(5)).toEqual([[0, 4], [4, 5]]);
    expect(pieces(20, 6)).toEqual([[0, 4], [4, 8], [8, 12], [12, 16], [16, 20]]);
  });

  it('padded lengths are the next power of two, padding repeats the last item', () => {
    expect([1, 2, 3, 5, 4096, 4097].map(paddedLength)).toEqual([1, 2, 4, 8, 4096, 8192]);
    expect(padded(['a', 'b', 'c'])).toEqual(['a', 'b', 'c', 'c']);
  });
});

describe.each(STORE_KINDS)('bulk statements on %s', (kind) => {
  let store: TestStore;
  const run = async <R>(text: string, params: unknown[] = []): Promise<R[]> => (await store.db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const count = async (): Promise<number> => Number((await run<{ n: number | string }>('select count(*) as n from bulk_probe'))[0]!.n);

  beforeAll(async () => {
    store = await openTestStore(kind);
    await run(`create table bulk_probe (k text primary key, n integer not null, b ${kind === 'postgres' ? 'bytea' : 'blob'})`);
  });
  afterAll(async () => store.cleanup());

  it('inserts flat cells in capped pieces, and refuses values that are not whole rows before writing', async () => {
    const cells = Array.from({ length: 37 }, (_, i) => [`c${String(i).padStart(2, '0')}`, i, null]).flat();
    await insertCells(store.db, 'bulk_probe', ['k', 'n', 'b'], cells, 8);
    expect(await count()).toBe(37);
    await expect(insertCells(store.db, 'bulk_probe', ['k', 'n', 'b'], ['x', 1], 8)).rejects.toThrow(/2 values are not whole rows of 3 columns for bulk_probe/);
    expect(await count()).toBe(37);
  });

  it('counts the rows an on-conflict tail skipped, per statement', async () => {
    const rows = [['c00', 0, null], ['r1', 1, null], ['c01', 1, null], ['r2', 2, null], ['r3', 3, null]];
    const pieced = await insertRowsCounting(store.db, 'bulk_probe', ['k', 'n', 'b'], rows, 'on conflict (k) do nothing');
    expect(pieced.map((p) => [p.from, p.to])).toEqual([[0, 4], [4, 5]]);
    expect(pieced.map((p) => p.inserted)).toEqual([2, 1]);
    expect(await count()).toBe(40);
  });

  it('selects by long IN lists in padded chunks, each row once; updates each row with its own values', async () => {
    const keys = ['r1', 'c05', 'missing', 'c36', 'r3', 'c05'];
    const found = await selectIn<{ k: string; n: number }>(store.db, 'select k, n from bulk_probe', 'k', keys, 4);
    expect(found.map((r) => r.k).sort()).toEqual(['c05', 'c05', 'c36', 'r1', 'r3']); // a key repeated across chunks is found in each
    await updateFromValues(store.db, 'bulk_probe', 'n = cast(v.column2 as integer)', 'bulk_probe.k = v.column1', [['r1', 100], ['c36', 136], ['r3', 103]]);
    const after = await selectIn<{ k: string; n: number }>(store.db, 'select k, n from bulk_probe', 'k', ['r1', 'c36', 'r3']);
    expect(Object.fromEntries(after.map((r) => [r.k, Number(r.n)]))).toEqual({ r1: 100, c36: 136, r3: 103 });
  });

  it('compares row values with typed columns through a cast VALUES list', async () => {
    await insertRows(store.db, 'bulk_probe', ['k', 'n', 'b'], [['bin1', 1, Buffer.from([1, 2])], ['bin2', 2, Buffer.from([3])]]);
    const pairs = padded([['bin1', Buffer.from([1, 2])], ['bin2', Buffer.from([9])]]);
    const text = `select k from bulk_probe where (k, b) in (values ${valuesList(store.db, pairs.length, ['text', 'bytea'])})`;
    expect((await run<{ k: string }>(text, pairs.flat())).map((r) => r.k)).toEqual(['bin1']);
  });
});
