import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, EEA_STATES } from './country.js';
import { ParseError } from './parsed.js';
import {
  normalisePostcode,
  normalisePostcodeOrThrow,
  POSTCODE_COUNTRIES,
  postcodeExample,
  postcodePrefix,
} from './postcode.js';

// [country, input, canonical]: national formats, separators and prefixes as they arrive in manifests.
const VALID: readonly (readonly [string, string, string])[] = [
  ['AT', '1010', '1010'], ['AT', 'A-6020', '6020'],
  ['BE', '4000', '4000'], ['BE', 'B-1000', '1000'], ['BE', 'BE 4460', '4460'],
  ['BG', '1700', '1700'],
  ['CH', '8001', '8001'], ['CH', 'CH-1211', '1211'],
  ['CY', '3304', '3304'],
  ['CZ', '100 00', '100 00'], ['CZ', '25166', '251 66'],
  ['DE', '01067', '01067'], ['DE', 'D-53225', '53225'], ['DE', ' 26133 ', '26133'],
  ['DK', '1566', '1566'], ['DK', '0800', '0800'],
  ['EE', '69501', '69501'],
  ['ES', '28039', '28039'], ['ES', '01001', '01001'], ['ES', '52001', '52001'],
  ['FI', '00550', '00550'], ['FI', 'FI-00011', '00011'],
  ['FR', '33380', '33380'], ['FR', '75 008', '75008'], ['FR', '97400', '97400'],
  ['GR', '151 24', '151 24'], ['GR', '10188', '101 88'],
  ['HR', '21001', '21001'], ['HR', 'HR-10000', '10000'],
  ['HU', '1037', '1037'],
  ['IE', 'A65 F4E2', 'A65 F4E2'], ['IE', 'd02x285', 'D02 X285'], ['IE', 'D6W 1A2C', 'D6W 1A2C'],
  ['IS', '101', '101'],
  ['IT', '00144', '00144'], ['IT', 'I-39049', '39049'],
  ['LI', '9490', '9490'], ['LI', 'FL-9485', '9485'],
  ['LT', '04340', '04340'], ['LT', 'LT-03500', '03500'],
  ['LU', '2998', '2998'], ['LU', 'L-4750', '4750'],
  ['LV', 'LV-1073', 'LV-1073'], ['LV', '1000', 'LV-1000'], ['LV', 'lv 1050', 'LV-1050'],
  ['MT', 'VLT 1117', 'VLT 1117'], ['MT', 'bzn1130', 'BZN 1130'],
  ['NL', '1234 AB', '1234 AB'], ['NL', '1234ab', '1234 AB'], ['NL', 'NL-2490 AA', '2490 AA'],
  ['NO', '0025', '0025'], ['NO', '6631', '6631'],
  ['PL', '00-950', '00-950'], ['PL', '48300', '48-300'],
  ['PT', '2725-079', '2725-079'], ['PT', '1250 096', '1250-096'],
  ['RO', '060274', '060274'],
  ['SE', '114 55', '114 55'], ['SE', '11455', '114 55'], ['SE', 'SE-105 00', '105 00'],
  ['SI', '1000', '1000'], ['SI', 'SI-4000', '4000'],
  ['SK', '010 01', '010 01'], ['SK', '97248', '972 48'],
  ['GB', 'SW1A 1AA', 'SW1A 1AA'], ['GB', 'sw1a1aa', 'SW1A 1AA'], ['GB', 'EC1Y 8SY', 'EC1Y 8SY'],
  ['GB', 'M2 5BQ', 'M2 5BQ'], ['GB', 'M34 4AB', 'M34 4AB'], ['GB', 'CR0 2YR', 'CR0 2YR'],
  ['GB', 'DN16 9AA', 'DN16 9AA'], ['GB', 'W1A 4ZZ', 'W1A 4ZZ'], ['GB', 'GIR 0AA', 'GIR 0AA'],
  ['GB', 'BFPO 61', 'BFPO 61'],
  // generic form for countries without a specific format
  ['US', '10001', '10001'], ['US', '10001-1234', '10001-1234'], ['CA', 'k1a  0b1', 'K1A 0B1'],
  ['JP', '100-0001', '100-0001'],
];

// [country, input, part of the reason]
const INVALID: readonly (readonly [string, string, string])[] = [
  ['AT', '0100', 'cannot start with 0'], ['AT', '10100', 'form 9999'],
  ['BE', '100', 'form 9999'], ['BE', '1000A', 'form 9999'],
  ['CH', '80010', 'form 9999'],
  ['CZ', '1000', 'form 999 99'],
  ['DE', '00123', 'cannot start with 00'], ['DE', '1234', 'form 99999'], ['DE', 'DE-1234', 'form 99999'],
  ['ES', '53001', 'province'], ['ES', '00001', 'province'],
  ['FR', '00100', 'cannot start with 00'],
  ['GR', '051 24', 'cannot start with 0'],
  ['IE', 'B65 F4E2', 'routing key'], ['IE', 'A65 F4B2', 'unique identifier'], ['IE', 'A6 F4E2', 'form XXX XXXX'],
  ['IS', '1010', 'form 999'],
  ['LI', '9484', '9485 to 9498'], ['LI', '9499', '9485 to 9498'],
  ['LV', 'LV-107', 'form LV-9999'],
  ['MT', 'VLT 11', 'form AAA 9999'], ['MT', '1117 VLT', 'form AAA 9999'],
  ['NL', '0123 AB', 'cannot start with 0'], ['NL', '1234 SS', 'SA, SD and SS'], ['NL', '1234 A', 'form 9999 AA'],
  ['PL', '00-95', 'form 99-999'],
  ['PT', '0250-096', 'cannot start with 0'],
  ['RO', '06027', 'form 999999'],
  ['SE', '014 55', 'cannot start with 0'],
  ['GB', 'SW1A 1AAA', 'outward code'], ['GB', 'QA1 1AA', 'Royal Mail postcode area'],
  ['GB', 'SW1A 1CA', 'inward code'], ['GB', 'W1 AAA', 'inward code'], ['GB', 'BFPO 12345', 'BFPO'],
  ['GB', 'A', 'outward code'], ['GB', 'EC1I 8SY', 'outward code'],
  ['US', '1', '2 to 10'], ['US', '12345678901', '2 to 10'], ['US', '10001--1234', '2 to 10'],
  ['US', '-10001', '2 to 10'], ['US', '10001-', '2 to 10'], ['US', '1000#', '2 to 10'],
  ['BE', '', 'is empty'], ['US', '   ', 'is empty'],
  ['UK', 'SW1A 1AA', 'country'], ['be', '1000', 'country'],
];

describe('normalisePostcode', () => {
  it.each(VALID)('%s %j → %j', (country, raw, canonical) => {
    expect(normalisePostcode(country, raw)).toEqual({ ok: true, value: canonical });
    expect(normalisePostcode(country, canonical)).toEqual({ ok: true, value: canonical }); // idempotent
  });

  it.each(INVALID)('%s %j refused: %s', (country, raw, reason) => {
    const r = normalisePostcode(country, raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
    expect(() => normalisePostcodeOrThrow(country, raw)).toThrow(ParseError);
  });

  it('covers every EEA state, Switzerland and the United Kingdom, each with a valid example', () => {
    expect(POSTCODE_COUNTRIES).toEqual([...EEA_STATES, 'CH', 'GB'].sort());
    for (const country of POSTCODE_COUNTRIES) {
      const example = postcodeExample(country)!;
      expect(normalisePostcode(country, example), country).toEqual({ ok: true, value: example });
      expect(VALID.some(([c]) => c === country), `table test for ${country}`).toBe(true);
    }
    expect(postcodeExample('US')).toBeUndefined();
  });

  it('never throws, and its output is a fixed point', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...COUNTRY_CODES, 'UK', ''),
        fc.oneof(fc.string({ maxLength: 14 }), fc.string({ maxLength: 10, unit: fc.constantFrom(...'0123456789 -ABSLV') }), fc.anything()),
        (country, raw) => {
          const r = normalisePostcode(country, raw);
          if (r.ok) expect(normalisePostcode(country, r.value)).toEqual(r);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('postcodePrefix', () => {
  it.each([
    ['NL', '1234 ab', 2, '12'],
    ['GB', 'SW1A 1AA', 2, 'SW'],
    ['GB', 'SW1A 1AA', 5, 'SW1A1'],
    ['LV', 'LV-1073', 2, '10'],
    ['PL', '00-950', 3, '009'],
    ['IS', '101', 4, '101'],
    ['US', '10001-1234', 7, '1000112'],
  ])('%s %j, %d → %j', (country, postcode, n, prefix) => {
    expect(postcodePrefix(country, postcode, n)).toBe(prefix);
  });

  it('asserts its arguments', () => {
    expect(() => postcodePrefix('NL', '1234 SS', 2)).toThrow(ParseError);
    expect(() => postcodePrefix('NL', '1234 AB', 0)).toThrow(RangeError);
    expect(() => postcodePrefix('NL', '1234 AB', 1.5)).toThrow(RangeError);
    expect(() => postcodePrefix('NL', '1234 AB', '2' as unknown as number)).toThrow(TypeError);
  });

  it('is a prefix of the significant characters', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POSTCODE_COUNTRIES), fc.integer({ min: 1, max: 10 }), (country, n) => {
        const example = postcodeExample(country)!;
        const significant = example.replace(/^LV-/, '').replace(/[ -]/g, '');
        expect(postcodePrefix(country, example, n)).toBe(significant.slice(0, n));
      }),
    );
  });
});
