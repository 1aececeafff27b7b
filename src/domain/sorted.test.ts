import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedDistinct } from './sorted.js';

describe('sortedDistinct', () => {
  it('is the sorted set of the values, and names those that occur more than once', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 60 }), (values) => {
        const repeated = new Set<string>();
        expect(sortedDistinct(values, repeated)).toEqual([...new Set(values)].sort());
        expect([...repeated].sort()).toEqual([...new Set(values.filter((v, i) => values.indexOf(v) !== i))].sort());
      }),
    );
  });

  it('leaves its input alone', () => {
    const values = ['b', 'a', 'b'];
    expect(sortedDistinct(values)).toEqual(['a', 'b']);
    expect(values).toEqual(['b', 'a', 'b']);
  });
});
