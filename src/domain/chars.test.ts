import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allDigits, allUpper, allUpperOrDigit, compact } from './chars.js';

describe('chars', () => {
  it('recognises ASCII only', () => {
    expect(allDigits('0123456789')).toBe(true);
    expect(allDigits('١٢')).toBe(false);
    expect(allUpper('ABZ')).toBe(true);
    expect(allUpper('ÄB')).toBe(false);
    expect(allUpperOrDigit('A1', 0, 2)).toBe(true);
    expect(allUpperOrDigit('a1')).toBe(false);
  });

  it('compacts separators and case, returning the input itself when already compact', () => {
    const s = 'RR473124829GB';
    expect(compact(s, 13)).toBe(s);
    expect(compact('rr 473-124\t829 gb', 13)).toBe(s);
    expect(compact('RR473124829GBX', 13)).toBeUndefined();
    expect(compact(' '.repeat(10_000) + 'A', 13)).toBeUndefined();
  });

  it('compact keeps every other character, in order', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (raw) => {
        const out = compact(raw, 30);
        const expected = raw.replace(/[ \t-]/g, '').replace(/[a-z]/g, (c) => c.toUpperCase());
        if (expected.length <= 30 && raw.length <= 68) expect(out).toBe(expected);
        else if (expected.length > 30) expect(out).toBeUndefined();
      }),
    );
  });
});
