import { describe, expect, it } from 'vitest';
import { groupSum, layoutBars, niceMax } from './charts.js';
import { diffLines } from './diff.js';

describe('chart geometry', () => {
  it('rounds axis maxima up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(180)).toBe(200);
    expect(niceMax(2100)).toBe(2500);
    expect(niceMax(4999)).toBe(5000);
    expect(niceMax(1000)).toBe(1000);
  });
  it('scales bars to the axis and keeps them inside the plot', () => {
    const { bars, max } = layoutBars([{ label: 'a', value: 50 }, { label: 'b', value: 100 }], 200, 100);
    expect(max).toBe(100);
    expect(bars[1]!.height).toBe(100);
    expect(bars[0]!.height).toBe(50);
    expect(bars[0]!.y).toBe(50);
    expect(bars[1]!.x + bars[1]!.width).toBeLessThanOrEqual(200);
  });
  it('groups and sums, largest first', () => {
    const rows = [{ c: 'BE', n: 2 }, { c: 'FR', n: 5 }, { c: 'BE', n: 4 }];
    expect(groupSum(rows, (r) => r.c, (r) => r.n)).toEqual([{ label: 'BE', value: 6 }, { label: 'FR', value: 5 }]);
  });
});

describe('policy diff', () => {
  it('marks added and removed lines and keeps the common ones', () => {
    const d = diffLines('permit a;\npermit b;\nforbid c;', 'permit a;\nforbid c;\npermit d;');
    expect(d).toEqual([
      { kind: 'same', text: 'permit a;' },
      { kind: 'del', text: 'permit b;' },
      { kind: 'same', text: 'forbid c;' },
      { kind: 'add', text: 'permit d;' },
    ]);
  });
  it('is empty of changes for equal texts', () => {
    expect(diffLines('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(true);
  });
});
