import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from './parsed.js';
import { formatUld, parseUld, parseUldOrThrow, ULD_BASE_SIZES, ULD_CATEGORIES, ULD_TYPES, uldKind } from './uld.js';

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const str = (alphabet: string, n: number) => fc.string({ unit: fc.constantFrom(...alphabet), minLength: n, maxLength: n });
const partsArb = fc.record({
  type: str(letters, 3),
  serial: fc.oneof(str('0123456789', 4), str('0123456789', 5)),
  owner: fc.tuple(str(letters, 1), str(letters + '0123456789', 1)).chain(([a, b]) => fc.constantFrom(a + b, b + a)),
});

describe('ULD known answers', () => {
  it.each([
    ['AKE12345CK', 'AKE', '12345', 'CK', 'container'],
    ['PMC1234LH', 'PMC', '1234', 'LH', 'pallet'],
    ['AKN 12345 DL', 'AKN', '12345', 'DL', 'container'],
    ['pag-01234-5x', 'PAG', '01234', '5X', 'pallet'],
    ['RKN00001LX', 'RKN', '00001', 'LX', 'container'],
    ['XYZ1234AB', 'XYZ', '1234', 'AB', 'airline-use'],
    ['QQQ1234AB', 'QQQ', '1234', 'AB', 'unknown'],
  ])('parses %s', (raw, type, serial, owner, kind) => {
    expect(parseUld(raw)).toEqual({ ok: true, value: { value: type + serial + owner, type, serial, owner, kind } });
  });

  it.each([
    ['AKE123CK', 'must be 9 or 10 characters'],
    ['AKE123456CK', 'must be 9 or 10 characters'],
    ['AK112345CK', 'type code'],
    ['AKE1234ACK', 'serial number'],
    ['AKE12345C!', 'owner code'],
    ['AKE1234512', 'cannot be two digits'],
  ])('refuses %s', (raw, reason) => {
    const r = parseUld(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('throws ParseError from the throwing variant', () => {
    expect(() => parseUldOrThrow('AKE12')).toThrow(ParseError);
  });

  it('describes every listed type consistently with its category letter and base size', () => {
    for (const [code, type] of Object.entries(ULD_TYPES)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      const category = ULD_CATEGORIES[code[0]!];
      expect(category?.kind, code).toBe(type.kind);
      expect(uldKind(code)).toBe(type.kind);
    }
    expect(ULD_BASE_SIZES.K).toContain('153 × 156 cm');
    expect(uldKind('constructor')).toBe('unknown');
  });
});

describe('ULD properties', () => {
  it('round-trips every generated identifier, with or without spaces', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const s = formatUld(parts);
        expect(s).toBe(parts.type + parts.serial + parts.owner);
        expect(parseUldOrThrow(s)).toMatchObject(parts);
        expect(parseUldOrThrow(formatUld(parts, { spaced: true })).value).toBe(s);
      }),
    );
  });

  it('never throws from parseUld, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ maxLength: 12, unit: fc.constantFrom(...'AKE0123 -x') }), fc.anything()), (raw) => {
        expect(typeof parseUld(raw).ok).toBe('boolean');
      }),
    );
  });
});

describe('ULD argument checks', () => {
  it('asserts formatUld parts', () => {
    expect(() => formatUld({ type: 'ake', serial: '12345', owner: 'CK' })).toThrow(RangeError);
    expect(() => formatUld({ type: 'AKE', serial: '123', owner: 'CK' })).toThrow(RangeError);
    expect(() => formatUld({ type: 'AK', serial: '12345', owner: 'CKX' })).toThrow(RangeError);
    expect(() => formatUld({ type: 'AKE', serial: 12345 as unknown as string, owner: 'CK' })).toThrow(TypeError);
    expect(() => uldKind(1 as unknown as string)).toThrow(TypeError);
  });
});
