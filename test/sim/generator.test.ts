import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EU_MEMBER_STATES, parseAwb, parseS10, parseUld } from '../../src/domain/index.js';
import { validateLine } from '../../src/hub/intake/index.js';
import { DEFECTS, flightUlds, manifestLines, SCHEDULE, simulateLines, type FlightSpec } from '../../src/sim/index.js';

const spec = (parcels: number, seed = 42, k = 0): FlightSpec => ({ ...SCHEDULE[k]!, flightDate: '2026-11-25', parcels, seed });
const OPTIONS = { defaultFlightDate: '2026-11-25' };

describe('the manifest simulator', () => {
  it('is deterministic for a seed, and another seed or flight gives other lines', async () => {
    const a: string[] = [];
    for await (const l of manifestLines(spec(300))) a.push(l);
    const b = [...simulateLines(spec(300))].map((l) => JSON.stringify(l.line));
    expect(a).toEqual(b);
    const c = [...simulateLines(spec(300, 43))].map((l) => JSON.stringify(l.line));
    expect(c).not.toEqual(a);
    const d = [...simulateLines(spec(300, 42, 1))].map((l) => JSON.stringify(l.line));
    expect(d[0]).not.toEqual(a[0]);
  });

  it('is deterministic for any seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 40 }), (seed, n) => {
        const once = [...simulateLines(spec(n, seed))].map((l) => JSON.stringify(l.line));
        expect([...simulateLines(spec(n, seed))].map((l) => JSON.stringify(l.line))).toEqual(once);
      }),
      { numRuns: 30 },
    );
  });

  it('makes ≥ 95 % valid lines; the bad ones fail for their intended reason; every EU country appears', () => {
    const n = 30_000;
    let valid = 0;
    const countries = new Set<string>();
    const defects = new Map<string, number>();
    let i = 0;
    for (const { line, defect } of simulateLines(spec(n, 7))) {
      i++;
      const result = validateLine(JSON.stringify(line), i, OPTIONS);
      if (defect === undefined) {
        if (!result.ok) throw new Error(`line ${i} should be valid: ${JSON.stringify(result.errors)}`);
        valid++;
        countries.add(result.parcel.consignee.country);
        expect(parseS10(line.trackingNumber).ok).toBe(true);
        expect(parseAwb(line.awb).ok).toBe(true);
      } else {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(DEFECTS[defect]);
        defects.set(defect, (defects.get(defect) ?? 0) + 1);
      }
    }
    expect(valid / n).toBeGreaterThanOrEqual(0.95);
    expect(valid / n).toBeLessThan(0.995); // bad lines are there, to be reported
    expect([...countries].sort()).toEqual([...EU_MEMBER_STATES].sort());
    expect([...defects.keys()].sort()).toEqual(Object.keys(DEFECTS).sort());
  });

  it("gives each seller one address for a seed, in the seller's country, whatever the flight", () => {
    const addresses = new Map<string, string>();
    for (const k of [0, 1]) {
      for (const { line } of simulateLines(spec(3_000, 42, k))) {
        const { name, street, postcode, city, country } = line.seller;
        expect([street, postcode, city].every((f) => typeof f === 'string' && f.trim() !== '')).toBe(true);
        const address = JSON.stringify([street, postcode, city, country]);
        expect(addresses.get(name) ?? address).toBe(address);
        addresses.set(name, address);
      }
    }
    expect(addresses.size).toBeGreaterThan(10);
    const cn = [...addresses.values()].map((a) => JSON.parse(a) as string[]).filter((a) => a[3] === 'CN');
    expect(cn.length).toBeGreaterThan(0);
    for (const [street, postcode] of cn) {
      expect(street).toMatch(/^No\. \d+ /);
      expect(postcode).toMatch(/^\d{6}$/);
    }
    // Another seed, other addresses (HK's 999077 and each seller's city aside).
    const other = new Map([...simulateLines(spec(3_000, 43))].map(({ line: { seller: s } }) => [s.name, JSON.stringify([s.street, s.postcode, s.city, s.country])]));
    expect([...other].filter(([name, a]) => addresses.has(name) && addresses.get(name) !== a).length).toBeGreaterThan(5);
  });

  it('loads a 250,000-parcel freighter in 30–40 ULDs of the airline, with distinct tracking numbers', () => {
    const ulds = flightUlds(spec(250_000));
    expect(ulds.length).toBeGreaterThanOrEqual(30);
    expect(ulds.length).toBeLessThanOrEqual(40);
    for (const u of ulds) expect(parseUld(u).ok && u.endsWith('CK')).toBe(true);
    const tns = new Set([...simulateLines(spec(5_000))].map((l) => l.line.trackingNumber));
    expect(tns.size).toBe(5_000);
  });
});
