import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paddedLength, pieces } from './sql.js';

describe('statement shapes', () => {
  it('pieces cover 0..n exactly, in order, with power-of-two sizes, largest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        const ranges = pieces(n);
        let at = 0;
        let last = Infinity;
        for (const [from, to] of ranges) {
          const size = to - from;
          expect(from).toBe(at);
          expect(size & (size - 1)).toBe(0);
          expect(size).toBeLessThanOrEqual(last);
          last = size;
          at = to;
        }
        expect(at).toBe(n);
        expect(ranges.length).toBeLessThanOrEqual(17);
      }),
    );
    expect(pieces(1024)).toEqual([[0, 1024]]);
    expect(pieces(5)).toEqual([[0, 4], [4, 5]]);
  });

  it('padded lengths are the next power of two', () => {
    expect([1, 2, 3, 5, 4096, 4097].map(paddedLength)).toEqual([1, 2, 4, 8, 4096, 8192]);
  });
});
