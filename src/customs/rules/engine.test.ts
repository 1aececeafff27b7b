import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedDistinct } from '../../domain/index.js';
import { DEFAULT_RULES } from './document.js';
import { RuleEngine, type SameDayParcel } from './engine.js';
import { EMPTY_SANCTIONS } from './sanctions.js';

interface Part {
  readonly tracking: string;
  readonly buyer: string;
  readonly seller: string;
  readonly cents: number;
}

/** The split flags of a flight, fed as clearance feeds them, with or without the buyers known to repeat. */
function splitFlags(parts: readonly Part[], sameDay: readonly SameDayParcel[], withRepeats: boolean): Map<string, unknown> {
  const repeated = new Set<string>();
  sortedDistinct(
    parts.map((p) => p.buyer),
    repeated,
  );
  const engine = new RuleEngine({ rules: DEFAULT_RULES, medians: new Map(), sellerNames: new Map(), sanctions: EMPTY_SANCTIONS, sameDay, ...(withRepeats && { repeatedBuyers: repeated }) });
  for (const p of parts) engine.addToSplit(p.tracking, p.buyer, p.seller, p.cents);
  const flags = new Map<string, unknown>();
  engine.splitFlags((tracking, flag) => flags.set(tracking, flag.evidence));
  return flags;
}

describe('the split-consignment rule', () => {
  it('flags parts of one buyer and seller that sum past EUR 150, on this flight and with earlier flights of the day', () => {
    const parts: Part[] = [
      { tracking: 'T1', buyer: 'b1', seller: 's1', cents: 8_000 },
      { tracking: 'T2', buyer: 'b1', seller: 's1', cents: 8_000 },
      { tracking: 'T3', buyer: 'b2', seller: 's1', cents: 9_000 }, // with an earlier flight's parcel
      { tracking: 'T4', buyer: 'b3', seller: 's1', cents: 14_000 }, // alone: not flagged
    ];
    const sameDay: SameDayParcel[] = [{ trackingNumber: 'E1', consigneeRef: 'b2', sellerRef: 's1', intrinsicEurMinor: 7_000 }];
    const flags = splitFlags(parts, sameDay, true);
    expect([...flags.keys()].sort()).toEqual(['T1', 'T2', 'T3']);
    expect(flags.get('T3')).toMatchObject({ parcels: ['E1', 'T3'], totalEur: '160.00' });
  });

  it('finds the same splits whether or not the buyers with several parcels are known beforehand', () => {
    const part = fc.record({ buyer: fc.constantFrom('b1', 'b2', 'b3', 'b4'), seller: fc.constantFrom('s1', 's2'), cents: fc.integer({ min: 1, max: 20_000 }) });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), fc.array(part, { maxLength: 3 }), (flight, earlier) => {
        const parts = flight.map((p, i) => ({ ...p, tracking: `T${i}` }));
        const sameDay = earlier.map((p, i) => ({ trackingNumber: `E${i}`, consigneeRef: p.buyer, sellerRef: p.seller, intrinsicEurMinor: p.cents }));
        expect(splitFlags(parts, sameDay, true)).toEqual(splitFlags(parts, sameDay, false));
      }),
    );
  });
});
