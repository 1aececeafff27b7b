import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatS10, makeSscc, ssccToEpcUrn } from '../../domain/index.js';
import { awbUri, canonicalId, canonicalIdOrSelf, glnLocation, gs1CheckDigit, IdentifierError, isCanonicalHubId, s10Epc, ssccEpc, uldEpc } from './ids.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

describe('hub identifiers', () => {
  it('names postal items, ULDs and air waybills under the hub domain, canonically', () => {
    expect(s10Epc('rr 473 124 829 gb')).toBe('https://id.glasshub.dev/s10/RR473124829GB');
    expect(uldEpc('ake 12345 ck')).toBe('https://id.glasshub.dev/uld/AKE12345CK');
    expect(awbUri('112-12345675')).toBe('https://id.glasshub.dev/awb/112-12345675');
  });

  it('names bags by the Digital Link of their SSCC, whatever the input form', () => {
    const dl = 'https://id.gs1.org/00/106141412345678908';
    for (const form of ['106141412345678908', '(00)106141412345678908', 'urn:epc:id:sscc:0614141.1234567890', dl]) {
      expect(ssccEpc(form)).toBe(dl);
    }
  });

  it('names locations by GLN, with an optional extension', () => {
    expect(glnLocation('4012345000115')).toBe('https://id.gs1.org/414/4012345000115');
    expect(glnLocation('4012345000115', '0')).toBe('https://id.gs1.org/414/4012345000115');
    expect(glnLocation('4012345000115', 'CHUTE-7')).toBe('https://id.gs1.org/414/4012345000115/254/CHUTE-7');
  });

  it('refuses invalid identifiers with the reason', () => {
    expect(() => s10Epc('RR473124828GB')).toThrow(/check digit/);
    expect(() => ssccEpc('106141412345678907')).toThrow(IdentifierError);
    expect(() => uldEpc('AKE1234')).toThrow(/ULD/);
    expect(() => awbUri('112-12345676')).toThrow(/air waybill/);
    expect(() => glnLocation('4012345000116')).toThrow(/check digit/);
    expect(() => glnLocation('401234500011')).toThrow(/13 digits/);
    expect(() => glnLocation('4012345000115', 'a/b')).toThrow(/extension/);
  });

  it('takes its shortcut for canonical hub identifiers only, with the general path\'s answer (properties)', () => {
    fc.assert(
      fc.property(digits(18), digits(13), fc.constantFrom('', '/254/CHUTE-7', '/254/0'), (sscc, gln, ext) => {
        const bag = `https://id.gs1.org/00/${sscc}`;
        const place = `https://id.gs1.org/414/${gln}${ext}`;
        expect(isCanonicalHubId(bag)).toBe(true);
        // The same keys on another host go the general way and come out as the shortcut's answer.
        expect(canonicalId(`https://example.com/00/${sscc}?x=1`)).toBe(canonicalId(bag));
        expect(canonicalId(bag)).toBe(bag);
        expect(canonicalId(`http://resolver.example/shop/414/${gln}${ext}`)).toBe(canonicalId(place));
      }),
    );
    for (const uri of [s10Epc('RR473124829GB'), uldEpc('AKE12345CK'), awbUri('112-12345675')]) {
      expect(isCanonicalHubId(uri)).toBe(true);
      expect(canonicalId(uri)).toBe(uri);
    }
    for (const uri of ['https://id.glasshub.dev/s10/RR4731?x', 'https://id.gs1.org/00/12345', 'http://id.gs1.org/00/106141412345678908', 'urn:epc:id:sscc:0614141.1234567890', 'https://id.glasshub.dev/s10/../x']) {
      expect(isCanonicalHubId(uri)).toBe(false);
    }
  });

  it('S10 and SSCC round trips (properties)', () => {
    fc.assert(
      fc.property(fc.constantFrom('RR', 'CP', 'EE', 'LX'), digits(8), fc.constantFrom('GB', 'DE', 'CN', 'US'), (service, serial, country) => {
        const s10 = formatS10({ serviceIndicator: service, serial, country });
        expect(s10Epc(s10)).toBe(`https://id.glasshub.dev/s10/${s10}`);
        expect(canonicalId(s10Epc(s10))).toBe(s10Epc(s10));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 6, max: 12 }), digits(16), (ext, prefixLength, data) => {
        const sscc = makeSscc(ext, data.slice(0, prefixLength), data.slice(prefixLength));
        const urn = ssccToEpcUrn(sscc, prefixLength);
        expect(ssccEpc(urn)).toBe(`https://id.gs1.org/00/${sscc}`);
        expect(canonicalId(urn)).toBe(ssccEpc(sscc));
      }),
    );
  });
});

describe('canonical identifiers (CBV 2.0 event hash rules 17–18)', () => {
  const table: [string, string | undefined][] = [
    ['urn:epc:id:sscc:4012345.0000000333', 'https://id.gs1.org/00/040123450000003338'],
    ['urn:epc:id:sgln:4012345.00011.987', 'https://id.gs1.org/414/4012345000115/254/987'],
    ['urn:epc:id:sgln:4012345.00022.0', 'https://id.gs1.org/414/4012345000221'],
    ['urn:epc:id:pgln:4012345.00000', 'https://id.gs1.org/417/4012345000009'],
    ['https://id.gs1.de/00/040123451111111110', 'https://id.gs1.org/00/040123451111111110'],
    ['https://example.com/path/414/4012345000115?linkType=all', 'https://id.gs1.org/414/4012345000115'],
    ['https://id.gs1.org/00/040123451111111110#x', 'https://id.gs1.org/00/040123451111111110'],
    ['https://id.glasshub.dev/s10/RR473124829GB', 'https://id.glasshub.dev/s10/RR473124829GB'],
    ['https://id.glasshub.dev/uld/AKE12345CK', 'https://id.glasshub.dev/uld/AKE12345CK'],
    ['geo:47.506694,11.104301', 'geo:47.506694,11.104301'],
    ['urn:epcglobal:cbv:bt:4012345000009:ASN1099', 'urn:epcglobal:cbv:bt:4012345000009:ASN1099'],
    ['urn:epc:id:sgtin:0614141.107346.2017', undefined],
    ['urn:epc:class:lgtin:4012345.012345.998877', undefined],
    ['urn:epc:id:sgln:4012345.0001.0', undefined], // 11 digits: not a GLN
  ];
  for (const [input, expected] of table) {
    it(input, () => {
      expect(canonicalId(input)).toBe(expected);
      expect(canonicalIdOrSelf(input)).toBe(expected ?? input);
    });
  }

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = canonicalIdOrSelf(url);
        expect(canonicalIdOrSelf(once)).toBe(once);
      }),
    );
  });

  it('GS1 check digits', () => {
    expect(gs1CheckDigit('401234500011')).toBe(5);
    expect(gs1CheckDigit('10614141234567890')).toBe(8);
  });
});
