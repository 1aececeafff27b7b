import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlightContext, type ItemRow } from '../../src/customs/compute.js';
import { CustomsData } from '../../src/customs/data/index.js';
import { computeTax } from '../../src/customs/tax.js';
import { eurString, mulDivHalfEven, rateScaled } from '../../src/customs/amounts.js';
import { divRoundHalfEven } from '../../src/domain/index.js';

const data = new CustomsData();
const unitText = (units: bigint, currency: string): string => (currency === 'JPY' ? String(units) : `${units / 100n}.${String(units % 100n).padStart(2, '0')}`);
const DATES = ['2026-06-30', '2026-07-01', '2026-11-25']; // relief, then the flat duty (sample fx rows exist for these)

const item = fc.record({
  hs: fc.constantFrom('610910', '6109.10', '930190', '300490', '851712', '12'),
  quantity: fc.integer({ min: 1, max: 50 }),
  // Mostly everyday values; sometimes past 2^53 minor units, where the hot path must switch to bigints.
  units: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 40_000 }).map(BigInt) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 17n }) }),
  currency: fc.constantFrom('EUR', 'USD', 'GBP', 'CNY', 'JPY'),
});

describe('the clearance hot path agrees with computeTax, the reference', () => {
  it('for every parcel: procedure, VAT, duty, value and tax flags', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DATES), fc.constantFrom('BE', 'DE', 'FI', 'CH', 'NO'), fc.option(fc.constantFrom('IM2760000001', 'IM12', 'XX')), fc.array(item, { minLength: 1, maxLength: 5 }), (date, dest, ioss, its) => {
        const items: ItemRow[] = its.map((i, n) => [n + 1, 'cotton T-shirt', i.hs, i.quantity, unitText(i.units, i.currency), i.currency, 'CN']);
        const ctx = new FlightContext(data, date, 'BE0123456789', true);
        const fast = ctx.compute(['RR000000001CN', '160-12345675', dest, 100, ioss, 'c', 's'], items);
        const ref = computeTax({ trackingNumber: 'RR000000001CN', destCountry: dest, iossNumber: ioss, items: items.map(([, , hsCode, quantity, unitValue, currency]) => ({ hsCode, quantity, unitValue, currency })) }, date, data);
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
    const clearance = ctx.compute(['RR000000001CN', ' ', 'BE', 0, null, 'c', null], [[1, 'Gift', '61', 1, '5.00', 'EUR', 'cn']]);
    const missing = (rule: string) => clearance.allFlags.find((f) => f.rule === rule)?.evidence['missing'];
    expect(missing('ics2-incomplete')).toEqual(['transportDocument', 'grossMass', 'goodsItems[0].descriptionOfGoods', 'goodsItems[0].commodityCodeHs6']);
    expect(missing('h7-incomplete')).toEqual(['declarant', 'transportDocument', 'grossMass', 'goodsItems[0].descriptionOfGoods', 'goodsItems[0].commodityCodeHs6', 'goodsItems[0].countryOfOrigin']);
  });

  it('formats and scales exactly', () => {
    expect([eurString(0n), eurString(5n), eurString(12345n), eurString(12345)]).toEqual(['0.00', '0.05', '123.45', '123.45']);
    expect(rateScaled('1.0842')).toBe(1_084_200_000_000_000_000n);
  });

  it('divides safe integers half-even exactly as bigints do, and refuses products past 2^52', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 12 }), fc.integer({ min: 1, max: 2 ** 40 }), (n, m, d) => {
        const fast = mulDivHalfEven(n, m, d);
        if (n * m > 2 ** 52) expect(fast).toBe(-1);
        else expect(BigInt(fast)).toBe(divRoundHalfEven(BigInt(n) * BigInt(m), BigInt(d)));
      }),
      { numRuns: 2000 },
    );
    expect([mulDivHalfEven(5, 1, 2), mulDivHalfEven(7, 1, 2), mulDivHalfEven(2 ** 52, 1, 3), mulDivHalfEven(2 ** 52, 2, 3)]).toEqual([2, 4, 1501199875790165, -1]);
  });
});
