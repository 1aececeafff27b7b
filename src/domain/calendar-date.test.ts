import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from './calendar-date.js';

/** Every day of the years 0000–9999, written as `toISOString` writes it. */
const day = fc.integer({ min: -62_167_219_200_000 / 86_400_000, max: 253_402_214_400_000 / 86_400_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

describe('isCalendarDate', () => {
  it('accepts every day that exists, in the years 0000–9999', () => {
    fc.assert(fc.property(day, (text) => isCalendarDate(text)));
  });

  it('refuses the days a month does not have, leap years included', () => {
    for (const text of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '1900-02-29', '2100-02-29']) expect(isCalendarDate(text), text).toBe(false);
    for (const text of ['2024-02-29', '2000-02-29', '0000-02-29', '0001-01-01', '9999-12-31']) expect(isCalendarDate(text), text).toBe(true);
  });

  it('refuses anything not written YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) expect(isCalendarDate(text)).toBe(false);
      }),
    );
    for (const text of ['2026-1-01', '26-01-01', '2026-01-01T00:00:00Z', ' 2026-01-01', '2026/01/01', '+02026-01-01']) expect(isCalendarDate(text), text).toBe(false);
  });
});
