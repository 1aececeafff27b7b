import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EU_MEMBER_STATES } from '../../src/domain/index.js';
import { CustomsData, CustomsDataError, DUTY_RULES, STANDARD_VAT_RATES, parseEcbCsv } from '../../src/customs/data/index.js';
import { computeTax, percentOf, type TaxItem } from '../../src/customs/tax.js';

const data = new CustomsData();
const IOSS = 'IM2760000001';
const items = (...rows: [hs: string, qty: number, value: string, currency?: string][]): TaxItem[] =>
  rows.map(([hsCode, quantity, unitValue, currency = 'EUR']) => ({ hsCode, quantity, unitValue, currency }));
const parcel = (dest: string, its: TaxItem[], ioss: string | null = null) => ({ trackingNumber: 'RR123456785CN', destCountry: dest, iossNumber: ioss, items: its });

// Standard rates in force on 2026-11-25, written out independently of the data file.
const RATES_2026_11: Record<string, string> = {
  AT: '20', BE: '21', BG: '20', CY: '19', CZ: '21', DE: '19', DK: '25', EE: '24', ES: '21', FI: '25.5', FR: '20', GR: '24', HR: '25', HU: '27',
  IE: '23', IT: '22', LT: '21', LU: '17', LV: '21', MT: '18', NL: '21', PL: '23', PT: '23', RO: '21', SE: '25', SI: '22', SK: '23',
};

describe('VAT and duty for every member state', () => {
  it('covers the 27', () => expect(Object.keys(RATES_2026_11).sort()).toEqual([...EU_MEMBER_STATES].sort()));

  it.each(EU_MEMBER_STATES.map((c) => [c, RATES_2026_11[c]!]))('%s at %s%%: IOSS, special arrangements, before and after 1 July 2026', (country, rate) => {
    const two = items(['610910', 1, '60.00'], ['640411', 2, '20.00']); // EUR 100.00, 2 distinct HS6
    const withIoss = computeTax(parcel(country, two, IOSS), '2026-11-25', data);
    expect(withIoss).toMatchObject({ procedure: 'H7', destination: country, vatRate: rate, duty: '6.00', vatCollection: 'ioss-at-sale', vatDueAtImport: '0.00' });
    expect(withIoss.vat).toBe(fmt(percentOf(10000n, rate)));
    const without = computeTax(parcel(country, two), '2026-11-25', data);
    expect(without).toMatchObject({ procedure: 'H7', vatCollection: 'special-arrangements', duty: '6.00' });
    expect(without.vat).toBe(fmt(percentOf(10600n, rate))); // duty is part of the import VAT base
    expect(without.vatDueAtImport).toBe(without.vat);
    const before = computeTax(parcel(country, two), '2026-06-30', data);
    expect(before.duty).toBe('0.00');
    expect(before.basis.dutyRule).toBe('relief-negligible-value');
  });
});

const fmt = (minor: bigint): string => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

describe('the EUR 150 threshold after conversion at the dated rate', () => {
  it.each([
    ['2026-11-25', '174.63', 'H7', '150.00'], // 174.63 / 1.1642 = 150.0000
    ['2026-11-25', '174.64', 'H1', '150.01'], // 150.0086 → 150.01
    ['2026-06-30', '172.50', 'H7', '150.00'], // 1.1500
    ['2026-06-30', '172.51', 'H1', '150.01'],
    ['2026-07-01', '172.80', 'H7', '150.00'], // 1.1520
    ['2026-07-01', '172.81', 'H1', '150.01'],
  ])('on %s, USD %s → %s (EUR %s)', (date, usd, procedure, value) => {
    const r = computeTax(parcel('BE', items(['851712', 1, usd, 'USD'])), date, data);
    expect(r.procedure).toBe(procedure);
    expect(r.intrinsicValueEur).toBe(value);
    if (procedure === 'H1') {
      expect(r.flags).toContain('h1-declaration-required');
      expect(r.duty).toBeNull();
    }
  });

  it('EUR 150.00 is H7, EUR 150.01 is H1, with or without IOSS', () => {
    for (const ioss of [IOSS, null]) {
      expect(computeTax(parcel('DE', items(['851712', 3, '50.00'])), '2026-11-25', data).procedure).toBe('H7');
      expect(computeTax(parcel('DE', items(['851712', 1, '150.01']), ioss), '2026-11-25', data).procedure).toBe('H1');
    }
  });

  it('same HS6 twice counts once; CN/TARIC digits beyond 6 do not count', () => {
    const r = computeTax(parcel('FR', items(['6109100010', 1, '5.00'], ['61091000', 4, '5.00'], ['610990', 1, '5.00'])), '2026-11-25', data);
    expect(r.distinctHs6).toBe(2);
    expect(r.duty).toBe('6.00');
  });

  it('dated VAT: Finland 24 before September 2024, 25.5 after; Romania 19 → 21 on 1 August 2025', () => {
    const one = items(['851712', 1, '100.00']);
    expect(computeTax(parcel('FI', one), '2024-08-31', data).vatRate).toBe('24');
    expect(computeTax(parcel('FI', one), '2024-09-01', data).vatRate).toBe('25.5');
    expect(computeTax(parcel('RO', one), '2025-07-31', data).vatRate).toBe('19');
    expect(computeTax(parcel('RO', one), '2025-08-01', data).vatRate).toBe('21');
  });

  it('flags a malformed IOSS number and treats the parcel as without IOSS', () => {
    const r = computeTax(parcel('NL', items(['851712', 1, '10.00']), 'IM12'), '2026-11-25', data);
    expect(r.flags).toContain('ioss-number-invalid');
    expect(r.vatCollection).toBe('special-arrangements');
  });

  it('outside the EU: no VAT rate', () => {
    expect(computeTax(parcel('CH', items(['851712', 1, '10.00'])), '2026-11-25', data)).toMatchObject({ vatRate: null, vatCollection: 'none' });
  });

  it('refuses a stale or missing exchange rate', () => {
    expect(() => computeTax(parcel('BE', items(['851712', 1, '10', 'USD'])), '2026-12-20', data)).toThrow(CustomsDataError);
    expect(() => computeTax(parcel('BE', items(['851712', 1, '10', 'CHF'])), '2026-11-25', data)).toThrow(/no CHF/);
  });

  it('the intrinsic value is exact: a sum of EUR items never drifts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 9999 })), { minLength: 1, maxLength: 8 }), (rows) => {
        const its = rows.map(([q, cents]) => ({ hsCode: '851712', quantity: q, unitValue: fmt(BigInt(cents)), currency: 'EUR' }));
        const want = rows.reduce((s, [q, c]) => s + BigInt(q * c), 0n);
        expect(computeTax(parcel('BE', its), '2026-11-25', data).intrinsicValueEur).toBe(fmt(want));
      }),
    );
  });
});

describe('the dated data', () => {
  it('validates: every member state, no gap, no overlap', () => {
    expect(() => new CustomsData({ vat: STANDARD_VAT_RATES.filter((r) => r.country !== 'MT') })).toThrow(/MT/);
    expect(() => new CustomsData({ vat: STANDARD_VAT_RATES.filter((r) => !(r.country === 'EE' && r.rate === '22')) })).toThrow(/EE/);
  });

  it('reads the ECB CSV (daily and history formats)', () => {
    const daily = parseEcbCsv('Date, USD, JPY, CYP, \n24 November 2026, 1.1600, 170.00, N/A, \n');
    expect(daily).toEqual([
      { date: '2026-11-24', currency: 'USD', perEur: '1.1600', source: 'ECB euro foreign exchange reference rates' },
      { date: '2026-11-24', currency: 'JPY', perEur: '170.00', source: 'ECB euro foreign exchange reference rates' },
    ]);
    const hist = parseEcbCsv('Date,USD,GBP\n2026-11-25,1.1642,0.8720\n2026-11-24,1.1600,N/A\n');
    expect(new CustomsData({ fx: hist }).fxRate('USD', '2026-11-25').rate).toBe('1.1642');
    expect(() => parseEcbCsv('Date,USD\n2026-11-25,-1\n')).toThrow(/line 2/);
  });

  it('refuses days that do not exist, naming the row or line', () => {
    expect(() => parseEcbCsv('Date,USD\n2026-11-25,1.16\n2026-02-30,1.17\n')).toThrow(/line 3: date "2026-02-30" is not a calendar date/);
    expect(() => parseEcbCsv('Date,USD\n31 February 2026,1.17\n')).toThrow(/line 2: date "31 February 2026"/);
    expect(() => new CustomsData({ fx: [{ date: '2026-04-31', currency: 'USD', perEur: '1.16', source: 'test' }] })).toThrow(/fx USD: date 2026-04-31 is not a calendar date/);
    const vat = STANDARD_VAT_RATES.map((r) => (r.country === 'BE' ? { ...r, validFrom: '1996-02-30' } : r));
    expect(() => new CustomsData({ vat })).toThrow(/VAT BE: validFrom "1996-02-30" is not a calendar date/);
    const duty = [{ ...DUTY_RULES[0]!, id: 'x', validFrom: '2026-07-01', validTo: '2026-06-30' }];
    expect(() => new CustomsData({ duty })).toThrow(/duty rule x: validTo 2026-06-30 is before validFrom 2026-07-01/);
  });
});
