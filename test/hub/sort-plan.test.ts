import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EU_MEMBER_STATES, POSTCODE_COUNTRIES, postcodeExample, postcodePrefix } from '../../src/domain/index.js';
import {
  checkRules,
  compilePlan,
  defaultLanes,
  defaultRules,
  significantPostcode,
  sortLane,
  type Lane,
  type SortableParcel,
  type SortRule,
} from '../../src/hub/operations/index.js';
import type { ParcelStatus } from '../../src/store/schema.js';

const lane = (id: string, kind: Lane['kind'] = 'outbound'): Lane => ({ id, kind, carrier: kind === 'outbound' ? id.toLowerCase() : null, service: null, departure: null });
const LANES = new Map(['BE-BPOST', 'BE-DPD', 'BE-DPD-BXL', 'NL-POSTNL', 'NL-DHL', 'LV-PASTS', 'FR-GLS'].map((id) => [id, lane(id)]));
LANES.set('HOLD', lane('HOLD', 'hold'));
LANES.set('EXC', lane('EXC', 'exceptions'));

const RULES: SortRule[] = [
  { country: 'BE', lane: 'BE-BPOST' },
  { country: 'BE', postcodePrefix: '1', lane: 'BE-DPD' },
  { country: 'BE', postcodePrefix: '10', lane: 'BE-DPD-BXL' },
  { country: 'NL', postcodePrefix: '1', lane: 'NL-POSTNL' },
  { country: 'NL', postcodePrefix: '1234AB', lane: 'NL-DHL' },
  { country: 'LV', postcodePrefix: '10', lane: 'LV-PASTS' },
  { country: 'FR', postcodePrefix: '75', lane: 'FR-GLS' },
];
const plan = compilePlan(1, RULES, LANES);
const parcel = (dest_country: string, dest_postcode: string, status: ParcelStatus = 'received'): SortableParcel => ({ dest_country, dest_postcode, status });

describe('sortLane: the longest matching prefix wins', () => {
  const table: [string, SortableParcel, string, string][] = [
    ['country default', parcel('BE', '4000'), 'BE-BPOST', 'rule'],
    ['one-character prefix beats the default', parcel('BE', '1300'), 'BE-DPD', 'rule'],
    ['two characters beat one', parcel('BE', '1000'), 'BE-DPD-BXL', 'rule'],
    ['a six-character prefix with letters', parcel('NL', '1234 AB'), 'NL-DHL', 'rule'],
    ['the same postcode spelled in lower case without space', parcel('NL', '1234ab'), 'NL-DHL', 'rule'],
    ['a shorter prefix when the long one does not match', parcel('NL', '1234 AC'), 'NL-POSTNL', 'rule'],
    ['no country default and no prefix match: exceptions', parcel('NL', '2490 AA'), 'EXC', 'no-rule'],
    ['country without any rule: exceptions', parcel('DE', '53225'), 'EXC', 'no-rule'],
    ["Latvia's LV- is not part of the prefix", parcel('LV', 'LV-1073'), 'LV-PASTS', 'rule'],
    ['held by customs: hold lane before any rule', parcel('BE', '1000', 'held'), 'HOLD', 'customs-hold'],
    ['seized: hold lane', parcel('FR', '75001', 'seized'), 'HOLD', 'customs-hold'],
    ['held, destination unknown: still hold', parcel('DE', '53225', 'held'), 'HOLD', 'customs-hold'],
    ['postcode shorter than a prefix', parcel('FR', '7'), 'EXC', 'no-rule'],
  ];
  for (const [name, p, expectedLane, reason] of table) {
    it(name, () => {
      expect(sortLane(plan, p)).toEqual({ lane: expectedLane, reason });
    });
  }

  it('agrees with a naive reading of the rules for any postcode (property)', () => {
    const chars = fc.constantFrom(...'0123456789AB -');
    fc.assert(
      fc.property(fc.constantFrom('BE', 'NL', 'FR', 'LV', 'DE'), fc.string({ unit: chars, maxLength: 8 }), (country, postcode) => {
        const sig = significantPostcode(country, postcode);
        const matching = RULES.filter((r) => r.country === country && sig.startsWith(r.postcodePrefix ?? ''));
        const best = matching.sort((a, b) => (b.postcodePrefix ?? '').length - (a.postcodePrefix ?? '').length)[0];
        expect(sortLane(plan, parcel(country, postcode)).lane).toBe(best?.lane ?? 'EXC');
      }),
    );
  });
});

describe('checkRules: what a plan may not be', () => {
  const table: [string, SortRule[], Map<string, Lane>, RegExp][] = [
    ['the same destination twice, even to the same lane', [RULES[1]!, { ...RULES[1]! }], LANES, /same destination as rule 0 /],
    ['two country defaults', [RULES[0]!, { country: 'BE', lane: 'BE-DPD' }], LANES, /ambiguous/],
    ['a lane that does not exist', [{ country: 'BE', lane: 'BE-NOPE' }], LANES, /does not exist/],
    ['the hold lane as a destination', [{ country: 'BE', lane: 'HOLD' }], LANES, /hold lane, not an outbound one/],
    ['a country that is not ISO 3166', [{ country: 'XX', lane: 'BE-BPOST' }], LANES, /not an ISO 3166-1/],
    ['a prefix with separators left in', [{ country: 'NL', postcodePrefix: '1234 AB', lane: 'NL-DHL' }], LANES, /without separators/],
    ['no hold lane', [RULES[0]!], new Map([['BE-BPOST', lane('BE-BPOST')], ['EXC', lane('EXC', 'exceptions')]]), /no hold lane/],
    ['no exceptions lane', [RULES[0]!], new Map([['BE-BPOST', lane('BE-BPOST')], ['HOLD', lane('HOLD', 'hold')]]), /no exceptions lane/],
  ];
  for (const [name, rules, lanes, reason] of table) {
    it(`refuses ${name}`, () => {
      const errors = checkRules(rules, lanes);
      expect(errors.map((e) => e.reason).join('\n')).toMatch(reason);
    });
  }

  it('names each refused rule by its place in the rules, with the value refused', () => {
    const rules = [RULES[0]!, { country: 'XX', lane: 'BE-BPOST' }, { country: 'FR', lane: 'HOLD' }, { country: 'NL', postcodePrefix: '1234 AB', lane: 'BE-NOPE' }, { ...RULES[0]! }];
    expect(checkRules(rules, LANES)).toEqual([
      { field: 'rules.1.country', value: 'XX', reason: '"XX" is not an ISO 3166-1 alpha-2 code' },
      { field: 'rules.2.lane', value: 'HOLD', reason: 'lane HOLD is a hold lane, not an outbound one' },
      { field: 'rules.3.postcodePrefix', value: '1234 AB', reason: 'must be 1 to 10 upper-case letters or digits, without separators' },
      { field: 'rules.3.lane', value: 'BE-NOPE', reason: 'lane "BE-NOPE" does not exist' },
      { field: 'rules.4', reason: 'same destination as rule 0 (BE): ambiguous' },
    ]);
    expect(checkRules([RULES[0]!], new Map([['BE-BPOST', lane('BE-BPOST')]]))).toEqual([
      { field: 'rules', reason: 'no hold lane is defined' },
      { field: 'rules', reason: 'no exceptions lane is defined' },
    ]);
  });

  it('accepts nested prefixes: they are not ambiguous', () => {
    expect(checkRules(RULES, LANES)).toEqual([]);
  });
});

describe('the default plan', () => {
  const lanes = new Map(defaultLanes().map((l) => [l.id, l]));
  const rules = defaultRules();

  it('is valid', () => {
    expect(checkRules(rules, lanes)).toEqual([]);
  });

  it('has a country-wide rule for every EU member state', () => {
    const countryWide = new Set(rules.filter((r) => r.postcodePrefix === undefined).map((r) => r.country));
    expect([...EU_MEMBER_STATES].filter((c) => !countryWide.has(c))).toEqual([]);
  });

  it('sorts an example postcode of every EU member state to an outbound lane of that country', () => {
    const compiled = compilePlan(1, rules, lanes);
    for (const country of EU_MEMBER_STATES) {
      const decision = sortLane(compiled, parcel(country, postcodeExample(country)!));
      expect(decision.reason).toBe('rule');
      expect(decision.lane.startsWith(`${country}-`)).toBe(true);
    }
  });

  it('decides at least a million parcels a second on one core', () => {
    const compiled = compilePlan(1, rules, lanes);
    const parcels = EU_MEMBER_STATES.flatMap((c) => ['', '1', '2'].map((s) => parcel(c, s === '' ? postcodeExample(c)! : postcodeExample(c)!.replace(/^\d/, s))));
    const n = 1_000_000;
    let best = 0;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      let sink = 0;
      for (let i = 0; i < n; i++) sink += sortLane(compiled, parcels[i % parcels.length]!).lane.length;
      const perSecond = n / ((performance.now() - start) / 1000);
      best = Math.max(best, perSecond);
      expect(sink).toBeGreaterThan(0);
    }
    expect(best).toBeGreaterThan(1_000_000);
  });
});

describe('significantPostcode', () => {
  it('equals domain postcodePrefix (all characters) for the example postcode of every country with a format', () => {
    for (const country of POSTCODE_COUNTRIES) {
      const example = postcodeExample(country)!;
      expect(significantPostcode(country, example), country).toBe(postcodePrefix(country, example, 10));
    }
  });
});
