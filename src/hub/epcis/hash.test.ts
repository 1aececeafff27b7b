import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTime, EventHashError, eventHashId, eventPreHash } from './hash.js';

/**
 * Known answers from the reference implementation of the CBV 2.0 event hash,
 * github.com/RalphTro/epcis-event-hash-generator (MIT licence), tests/examples/: the events below are
 * those of its vectors that stay within what the hub hashes (no SGTINs, sensors or quantities).
 */
const EXAMPLE = { example: 'https://ns.example.com/epcis/' };
const VECTORS: { name: string; event: Record<string, unknown>; preHash: string; hash: string }[] = [
  {
    name: 'ReferenceEventHashAlgorithm.jsonld (SSCC and SGLN URNs, nested extensions, recordTime)',
    event: {
      type: 'ObjectEvent', eventTime: '2020-03-04T11:00:30.000+01:00', eventTimeZoneOffset: '+01:00', recordTime: '2020-03-04T11:00:30.999+01:00',
      epcList: ['urn:epc:id:sscc:4012345.0000000333', 'urn:epc:id:sscc:4012345.0000000111', 'urn:epc:id:sscc:4012345.0000000222'],
      action: 'OBSERVE', bizStep: 'departing', readPoint: { id: 'urn:epc:id:sgln:4012345.00011.987' },
      'example:myField1': { 'example:mySubField1': '2', 'example:mySubField2': '5' },
      'example:myField2': '0',
      'example:myField3': { 'example:mySubField3': ['3', '1'] },
    },
    preHash:
      'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/040123450000002225epc=https://id.gs1.org/00/040123450000003338action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/4012345000115/254/987{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2{https://ns.example.com/epcis/}mySubField2=5{https://ns.example.com/epcis/}myField2=0{https://ns.example.com/epcis/}myField3{https://ns.example.com/epcis/}mySubField3=1{https://ns.example.com/epcis/}mySubField3=3',
    hash: 'ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0',
  },
  {
    name: 'epcisDocWithShippingAndTransportingEvent.jsonld #1 (bizTransaction, source and destination PGLNs)',
    event: {
      type: 'ObjectEvent', eventTime: '2022-02-16T12:50:00.000+01:00', eventTimeZoneOffset: '+01:00', epcList: ['urn:epc:id:sscc:4012345.1112223334'],
      action: 'OBSERVE', bizStep: 'departing', readPoint: { id: 'urn:epc:id:sgln:4012345.00022.0' },
      bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:epcglobal:cbv:bt:4012345000009:ASN1099' }],
      sourceList: [{ type: 'possessing_party', source: 'urn:epc:id:pgln:4012345.00000' }],
      destinationList: [{ type: 'possessing_party', destination: 'urn:epc:id:pgln:4023333.00000' }],
    },
    preHash:
      'eventType=ObjectEventeventTime=2022-02-16T11:50:00.000ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/140123451122233341action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/4012345000221bizTransactionListtype=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=urn:epcglobal:cbv:bt:4012345000009:ASN1099destinationListtype=https://ref.gs1.org/cbv/SDT-possessing_partydestination=https://id.gs1.org/417/4023333000000sourceListtype=https://ref.gs1.org/cbv/SDT-possessing_partysource=https://id.gs1.org/417/4012345000009',
    hash: 'ni:///sha-256;7a82a68b0f9c78bebb1c729d950edbf1fd40c56f3351906020d2d67d5dffbc72?ver=CBV2.0',
  },
  {
    name: 'epcisDocWithShippingAndTransportingEvent.jsonld #2 (geo: read point)',
    event: {
      type: 'ObjectEvent', eventTime: '2022-02-16T16:50:00.000+01:00', eventTimeZoneOffset: '+01:00', epcList: ['urn:epc:id:sscc:4012345.1112223334'],
      action: 'OBSERVE', bizStep: 'transporting', readPoint: { id: 'geo:47.506694,11.104301' },
    },
    preHash:
      'eventType=ObjectEventeventTime=2022-02-16T15:50:00.000ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/140123451122233341action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-transportingreadPointid=geo:47.506694,11.104301',
    hash: 'ni:///sha-256;1d2ec4174d8f0b5988a44795b31a636e8bc7f88ebc4bdc0d35c14f215a842e80?ver=CBV2.0',
  },
  {
    name: 'TimeStampRoundOff.jsonld #1 (4 decimals rounded up, custom Digital Link domain)',
    event: {
      type: 'ObjectEvent', eventTime: '2023-02-02T11:04:03.1415Z', eventTimeZoneOffset: '+01:00', epcList: ['https://id.gs1.de/00/040123451111111110'],
      action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit', readPoint: { id: 'https://id.gs1.de/414/4012345000115' },
    },
    preHash:
      'eventType=ObjectEventeventTime=2023-02-02T11:04:03.142ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123451111111110action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transitreadPointid=https://id.gs1.org/414/4012345000115',
    hash: 'ni:///sha-256;af7658e711574363633f20b3dadc7bc4c13c6f612cf96d95e03c421c0e58f3c6?ver=CBV2.0',
  },
  {
    name: 'TimeStampRoundOff.jsonld #2 (4 decimals rounded down)',
    event: {
      type: 'ObjectEvent', eventTime: '2023-02-02T11:04:03.1414Z', eventTimeZoneOffset: '+01:00', epcList: ['https://id.gs1.de/00/040123451111111110'],
      action: 'OBSERVE', bizStep: 'transporting', readPoint: { id: 'geo:50.947573340894124,6.922120147375441' },
    },
    preHash:
      'eventType=ObjectEventeventTime=2023-02-02T11:04:03.141ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123451111111110action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-transportingreadPointid=geo:50.947573340894124,6.922120147375441',
    hash: 'ni:///sha-256;0550df44527332c1fe417c5837fe61b9e71eaa93307b88519dac549bf2d4dcf9?ver=CBV2.0',
  },
];

describe('CBV 2.0 event hash: known answers of the reference implementation', () => {
  for (const v of VECTORS) {
    it(v.name, () => {
      expect(eventPreHash(v.event, EXAMPLE)).toBe(v.preHash);
      expect(eventHashId(v.event, EXAMPLE)).toBe(v.hash);
    });
  }
});

const base = VECTORS[1]!.event;

describe('what the hash ignores and what it does not', () => {
  it('ignores eventID, recordTime, key order and list order', () => {
    const h = eventHashId(base, EXAMPLE);
    expect(eventHashId({ ...base, eventID: 'urn:uuid:00000000-0000-4000-8000-000000000000', recordTime: '2030-01-01T00:00:00Z' }, EXAMPLE)).toBe(h);
    expect(eventHashId(Object.fromEntries(Object.entries(base).reverse()), EXAMPLE)).toBe(h);
    const first = VECTORS[0]!;
    const reordered = { ...first.event, epcList: [...(first.event.epcList as string[])].reverse() };
    expect(eventHashId(reordered, EXAMPLE)).toBe(first.hash);
  });

  it('ignores the spelling: URN or Digital Link, bare word or CBV URI, offset of eventTime', () => {
    const h = eventHashId(base, EXAMPLE);
    const respelled = {
      ...base,
      eventTime: '2022-02-16T11:50:00Z',
      epcList: ['https://id.gs1.org/00/140123451122233341'],
      bizStep: 'https://ref.gs1.org/cbv/BizStep-departing',
      readPoint: { id: 'https://id.gs1.org/414/4012345000221' },
    };
    expect(eventHashId(respelled, EXAMPLE)).toBe(h);
  });

  it('changes with any value (property)', () => {
    const h = eventHashId(base, EXAMPLE);
    const field = fc.constantFrom('eventTimeZoneOffset', 'action', 'bizStep', 'example:note');
    fc.assert(
      fc.property(field, fc.stringMatching(/^[a-z]{1,12}$/), (key, value) => {
        fc.pre(base[key] !== value);
        expect(eventHashId({ ...base, [key]: value }, EXAMPLE)).not.toBe(h);
      }),
    );
  });

  it('refuses what it does not cover rather than hash it differently from others', () => {
    expect(() => eventHashId({ ...base, quantityList: [] }, EXAMPLE)).toThrow(EventHashError);
    expect(() => eventHashId({ ...base, epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }, EXAMPLE)).toThrow(/Digital Link/);
    expect(() => eventHashId({ ...base, 'other:x': '1' }, EXAMPLE)).toThrow(/namespace/);
    expect(() => eventHashId({ ...base, readPoint: { id: 'geo:1,2', 'example:x': '1' } }, EXAMPLE)).toThrow(/"id" only/);
  });
});

describe('canonical timestamps (CBV 2.0 rules 8–9)', () => {
  const table: [string, string][] = [
    ['2020-03-04T11:00:30+01:00', '2020-03-04T10:00:30.000Z'],
    ['2022-02-16T20:33:31.116000-06:00', '2022-02-17T02:33:31.116Z'],
    ['2023-01-18T11:04:03.1415Z', '2023-01-18T11:04:03.142Z'],
    ['2023-01-18T11:04:03.9995Z', '2023-01-18T11:04:04.000Z'],
    ['2023-01-18T11:04:03.1z', '2023-01-18T11:04:03.100Z'],
  ];
  for (const [input, expected] of table) it(input, () => expect(canonicalTime(input)).toBe(expected));
  it('refuses times without offset', () => expect(() => canonicalTime('2023-01-18T11:04:03')).toThrow(EventHashError));
  it('agrees with Date for millisecond times (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
        expect(canonicalTime(d.toISOString())).toBe(d.toISOString());
      }),
    );
  });
});
