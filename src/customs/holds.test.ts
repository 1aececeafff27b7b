import { describe, expect, it } from 'vitest';
import { ascendingUuids } from './holds.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the ids of automatic holds', () => {
  it('are distinct UUIDv7 carrying the time, ascending as generated, past the 2^18 counter too', () => {
    const now = new Date('2026-11-25T06:00:00.000Z');
    const ids = ascendingUuids(2 ** 18 + 3, now);
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || ids[i - 1]! < id)).toBe(true);
    const ms = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms(ids[0]!)).toBe(now.getTime());
    expect(ms(ids.at(-1)!)).toBe(now.getTime() + 1);
  });

  it('differ between two calls at the same instant', () => {
    const now = new Date();
    const a = new Set(ascendingUuids(100, now));
    expect(ascendingUuids(100, now).some((id) => a.has(id))).toBe(false);
  });
});
