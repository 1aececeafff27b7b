import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES,
  COUNTRY_NAMES,
  countryName,
  EEA_STATES,
  EU_MEMBER_STATES,
  isCountryCode,
  isEea,
  isEu,
  parseCountry,
  parseCountryOrThrow,
} from './country.js';
import { ParseError } from './parsed.js';

describe('ISO 3166-1 alpha-2', () => {
  it('lists the 249 officially assigned codes, sorted, each with a name', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect([...COUNTRY_CODES].sort()).toEqual(COUNTRY_CODES);
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(countryName(code).length).toBeGreaterThan(2);
    }
    expect(Object.keys(COUNTRY_NAMES)).toHaveLength(249);
  });

  it('agrees with the assigned regions of the runtime ICU data', () => {
    // ICU also knows reserved and user-assigned regions; everything else it names must be ours.
    const notAssigned = new Set('AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB XK YD YU ZR ZZ'.split(' '));
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    const icu: string[] = [];
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        if (names.of(code) !== code && !notAssigned.has(code)) icu.push(code);
      }
    }
    expect(icu).toEqual(COUNTRY_CODES);
  });

  it('names countries in English', () => {
    expect(countryName('BE')).toBe('Belgium');
    expect(countryName('GB')).toBe('United Kingdom of Great Britain and Northern Ireland');
    expect(countryName('CI')).toBe("Côte d'Ivoire");
    expect(() => countryName('UK')).toThrow(RangeError);
    expect(() => countryName('constructor')).toThrow(RangeError);
    expect(() => countryName(1 as unknown as string)).toThrow(TypeError);
  });

  it.each([
    ['BE', 'BE'],
    [' be ', 'BE'],
    ['gB', 'GB'],
  ])('parses %j', (raw, code) => {
    expect(parseCountry(raw)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['EL', "'GR'"],
    ['uk', "'GB'"],
    ['XK', 'user-assigned'],
    ['ZZ', 'not an assigned'],
    ['B', 'must be 2 letters'],
    ['BEL', 'must be 2 letters'],
    ['B1', '2 ASCII letters'],
    ['ÄB', '2 ASCII letters'],
  ])('refuses %j', (raw, reason) => {
    const r = parseCountry(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
    expect(() => parseCountryOrThrow(raw)).toThrow(ParseError);
  });

  it('never throws from parseCountry, and accepts exactly the assigned codes up to case and spaces', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.anything()), (raw) => {
        const r = parseCountry(raw);
        if (r.ok) expect(isCountryCode(r.value)).toBe(true);
        if (typeof raw === 'string' && r.ok) expect(raw.trim().toUpperCase()).toBe(r.value);
      }),
    );
  });
});

describe('EU and EEA', () => {
  it('has 27 EU member states and 30 EEA states', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(new Set(EU_MEMBER_STATES).size).toBe(27);
    expect(EEA_STATES).toHaveLength(30);
    for (const c of EU_MEMBER_STATES) {
      expect(isCountryCode(c)).toBe(true);
      expect(isEu(c)).toBe(true);
      expect(isEea(c)).toBe(true);
    }
  });

  it.each([
    ['IS', false, true],
    ['LI', false, true],
    ['NO', false, true],
    ['CH', false, false],
    ['GB', false, false],
    ['AX', false, false], // Åland: part of Finland, but its own ISO code
    ['EL', false, false],
    ['be', false, false],
  ])('%s: EU %s, EEA %s', (code, eu, eea) => {
    expect(isEu(code)).toBe(eu);
    expect(isEea(code)).toBe(eea);
  });

  it('never throws from the predicates', () => {
    for (const v of [undefined, null, 1, {}, 'constructor']) {
      expect(isEu(v)).toBe(false);
      expect(isEea(v)).toBe(false);
      expect(isCountryCode(v)).toBe(false);
    }
  });
});
