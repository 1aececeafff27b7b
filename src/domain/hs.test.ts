import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatHs6, hs6, HS_CHAPTERS, isHsChapter, parseHs6, parseHsCode, parseHsCodeOrThrow } from './hs.js';
import { ParseError } from './parsed.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const validArb = fc
  .tuple(fc.constantFrom(...HS_CHAPTERS), digits(2), digits(2), fc.constantFrom(0, 2, 4))
  .filter(([, heading]) => heading !== '00')
  .chain(([chapter, heading, sub, extra]) => digits(extra).map((national) => chapter + heading + sub + national));

describe('HS chapters', () => {
  it('lists 01–97 without the reserved 77', () => {
    expect(HS_CHAPTERS).toHaveLength(96);
    expect(HS_CHAPTERS[0]).toBe('01');
    expect(HS_CHAPTERS.at(-1)).toBe('97');
    expect(HS_CHAPTERS).not.toContain('77');
  });

  it.each([
    ['01', true], ['85', true], ['97', true], ['76', true], ['78', true],
    ['00', false], ['77', false], ['98', false], ['99', false], ['1', false], ['8a', false], [85, false],
  ])('isHsChapter(%j) is %s', (chapter, expected) => {
    expect(isHsChapter(chapter)).toBe(expected);
  });
});

describe('parseHsCode', () => {
  it.each([
    ['8517.12', '851712'],
    ['851712', '851712'],
    ['8517 12', '851712'],
    ['85.17.12', '851712'],
    ['8517.12.00', '85171200'],
    ['8517120000', '8517120000'],
    ['0101.21', '010121'],
  ])('%j → %j', (raw, code) => {
    const r = parseHsCodeOrThrow(raw);
    expect(r).toEqual({ code, hs6: code.slice(0, 6), chapter: code.slice(0, 2), heading: code.slice(0, 4) });
  });

  it('truncates CN and TARIC codes to the HS subheading', () => {
    expect(hs6('8517.12.00.00')).toBe('851712');
    expect(hs6('61091000')).toBe('610910');
    expect(hs6('851712')).toBe('851712');
  });

  it.each([
    ['7701.10', 'chapter'],
    ['0001.10', 'chapter'],
    ['9801.10', 'chapter'],
    ['8500.10', 'heading'],
    ['8517.1', '6 digits'],
    ['8517.120', '6 digits'],
    ['851712000', '6 digits'],
    ['85171200000', '6 digits'],
    ['8517-12', 'only digits'],
    ['', 'empty'],
    ['..', 'empty'],
  ])('refuses %j', (raw, reason) => {
    const r = parseHsCode(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
    expect(() => hs6(raw)).toThrow(ParseError);
  });

  it('parseHs6 accepts 6 digits only', () => {
    expect(parseHs6('8517.12').ok).toBe(true);
    const r = parseHs6('85171200');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('exactly 6 digits');
  });

  it('formats the dotted form', () => {
    expect(formatHs6('851712')).toBe('8517.12');
    expect(() => formatHs6('8517.12')).toThrow(RangeError);
    expect(() => formatHs6('85171200')).toThrow(RangeError);
  });

  it('round-trips generated codes, dotted or not', () => {
    fc.assert(
      fc.property(validArb, (code) => {
        const r = parseHsCodeOrThrow(code);
        expect(r.code).toBe(code);
        expect(parseHsCodeOrThrow(`${code.slice(0, 4)}.${code.slice(4)}`).code).toBe(code);
        expect(parseHs6(formatHs6(r.hs6))).toEqual({ ok: true, value: { code: r.hs6, hs6: r.hs6, chapter: r.chapter, heading: r.heading } });
      }),
    );
  });

  it('never throws from the Parsed variants', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'0123456789. ') }), fc.anything()), (raw) => {
        expect(typeof parseHsCode(raw).ok).toBe('boolean');
        expect(typeof parseHs6(raw).ok).toBe('boolean');
      }),
    );
  });
});
