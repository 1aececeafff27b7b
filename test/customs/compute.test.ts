import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlightContext, type ItemRow } from '../../src/customs/compute.js';
import { CustomsData } from '../../src/customs/data/index.js';
import { computeTax } from '../../src/customs/tax.js';
import { eurString, rateScaled } from '../../src/customs/amounts.js';

const data = new CustomsData();
const DATES = ['2026-06-30', '2026-07-01', '2026-11-25']; // relief, then the flat duty (sample fx rows exist for these)

const item = fc.record({
  hs: fc.constantFrom('610910', '6109.10', '930190', '300490', '851712', '12'),
  quantity: fc.integer({ min: 1, max: 50 }),
  units: fc.integer({ min: 0, max: 40_000 }),
  currency: fc.constantFrom('EUR', 'USD', 'GBP', 'CNY', 'JPY'),
});

describe('the clearance hot path agrees with computeTax, the reference', () => {
  it('for every parcel: procedure, VAT, duty, value and tax flags', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATES), fc.constantFrom('BE', 'DE', 'FI', 'CH', 'NO'), fc.option(fc.constantFrom('IM2760000001', 'IM12', 'XX')), fc.array(item, { minLength: 1, maxLength: 5 }), (date, dest, ioss, its) => {
        const items: ItemRow[] = its.map((i, n) => ({ tracking_number: 'RR000000001CN', line_no: n + 1, description: 'cotton T-shirt', hs_code: i.hs, quantity: i.quantity, unit_value: i.currency === 'JPY' ? String(i.units) : (i.units / 100).toFixed(2), currency: i.currency, origin_country: 'CN' }));
        const ctx = new FlightContext(data, date, 'BE0123456789', true);
        const fast = ctx.compute({ tracking_number: 'RR000000001CN', awb: '160-12345675', dest_country: dest, gross_mass_g: 100, ioss_number: ioss, consignee_ref: 'c', seller_ref: 's' }, items).clearance;
        const ref = computeTax({ trackingNumber: 'RR000000001CN', destCountry: dest, iossNumber: ioss, items: items.map((i) => ({ hsCode: i.hs_code, quantity: i.quantity, unitValue: i.unit_value, currency: i.currency })) }, date, data);
        expect({ ...fast, allFlags: fast.allFlags.map((f) => f.rule).filter((r) => r !== 'ics2-incomplete' && r !== 'h7-incomplete') }).toEqual({
          trackingNumber: ref.trackingNumber, procedure: ref.procedure, destination: ref.destination, vatRate: ref.vatRate, vatCollection: ref.vatCollection,
          vat: ref.vat, vatDueAtImport: ref.vatDueAtImport, duty: ref.duty, intrinsicValueEur: ref.intrinsicValueEur, allFlags: ref.flags,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('names each missing non-personal element', () => {
    const ctx = new FlightContext(data, '2026-11-25', '', true);
    const { clearance } = ctx.compute({ tracking_number: 'RR000000001CN', awb: ' ', dest_country: 'BE', gross_mass_g: 0, ioss_number: null, consignee_ref: 'c', seller_ref: null }, [
      { tracking_number: 'RR000000001CN', line_no: 1, description: 'Gift', hs_code: '61', quantity: 1, unit_value: '5.00', currency: 'EUR', origin_country: 'cn' },
    ]);
    const missing = (rule: string) => clearance.allFlags.find((f) => f.rule === rule)?.evidence['missing'];
    expect(missing('ics2-incomplete')).toEqual(['transportDocument', 'grossMass', 'goodsItems[0].descriptionOfGoods', 'goodsItems[0].commodityCodeHs6']);
    expect(missing('h7-incomplete')).toEqual(['declarant', 'transportDocument', 'grossMass', 'goodsItems[0].descriptionOfGoods', 'goodsItems[0].commodityCodeHs6', 'goodsItems[0].countryOfOrigin']);
  });

  it('formats and scales exactly', () => {
    expect([eurString(0n), eurString(5n), eurString(12345n)]).toEqual(['0.00', '0.05', '123.45']);
    expect(rateScaled('1.0842')).toBe(1_084_200_000_000_000_000n);
  });
});
