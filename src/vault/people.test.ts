import { describe, expect, it } from 'vitest';
import { SequentialIds } from './people.js';

describe('SequentialIds', () => {
  it('sort in creation order, as text, within a millisecond and across milliseconds', () => {
    const ids = new SequentialIds();
    const made = [...Array.from({ length: 1000 }, () => ids.next(1_700_000_000_000)), ...Array.from({ length: 1000 }, (_, i) => ids.next(1_700_000_000_001 + (i >> 4)))];
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    for (const id of made) expect(id).toMatch(/^[0-9a-v]{26}$/);
  });

  it('start each millisecond at a random point, so two processes do not make the same ids', () => {
    const a = new SequentialIds().next(1_700_000_000_000);
    const b = new SequentialIds().next(1_700_000_000_000);
    expect(a.slice(0, 10)).toBe(b.slice(0, 10)); // the same millisecond…
    expect(a).not.toBe(b); // …but not the same id
  });

  it('never go backwards when the clock does', () => {
    const ids = new SequentialIds();
    const first = ids.next(1_700_000_000_500);
    const second = ids.next(1_700_000_000_000);
    expect(second > first).toBe(true);
  });
});
