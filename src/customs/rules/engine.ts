/**
 * The risk rules, evaluated in memory over a whole flight (plus the hub's history where a rule needs it).
 * Each flag names its rule and its evidence; evidence holds values, HS codes, rule parameters and tracking
 * numbers — never a name or an address (the sanctions rule reads names through the gate, and reports only
 * the listed entity's id). Built for a freighter: the flags of an item depend only on its HS6 and unit
 * value, and a seller's screening only on the seller, so each is found once and shared (flags are
 * immutable); split consignments are grouped in one pass at the end. Amounts are EUR cents as safe
 * integers; comparisons that could leave the exact range fall back to bigints.
 */
import { formatMoney, parseMoneyOrThrow } from '../../domain/index.js';
import type { RulesDocument } from './document.js';
import type { SanctionsList } from './sanctions.js';

export type Evidence = Readonly<Record<string, string | number | readonly string[]>>;
export interface Flag {
  readonly rule: string;
  readonly evidence: Evidence;
}

/** A parcel of another flight the same day, already cleared (for split consignments). */
export interface SameDayParcel {
  readonly trackingNumber: string;
  readonly consigneeRef: string;
  readonly sellerRef: string | null;
  readonly intrinsicEurMinor: number;
}

export interface HsMedian {
  readonly medianMinor: number;
  readonly samples: number;
}

export interface RuleContext {
  readonly rules: RulesDocument;
  readonly medians: ReadonlyMap<string, HsMedian>;
  /** seller_ref → name, as read through the gate (purpose customs-control). */
  readonly sellerNames: ReadonlyMap<string, string>;
  readonly sanctions: SanctionsList;
  /** consignee_ref → the list entry whose name it matches, as the gate's keyed-hash screening found (nothing opened). */
  readonly buyerHits?: ReadonlyMap<string, string>;
  readonly sameDay: readonly SameDayParcel[];
  /**
   * Buyers with more than one parcel on this flight, when known: the flight's other parcels are then kept
   * for the split rule only if their buyer is here or has a same-day parcel (a map of every buyer costs more).
   */
  readonly repeatedBuyers?: ReadonlySet<string>;
}

const eur = (minor: number): string => formatMoney({ currency: 'EUR', minor: BigInt(minor) });
const NONE: readonly Flag[] = Object.freeze([]);

/** `a × b < c × d` on non-negative integers, exactly. */
function productLess(a: number, b: number, c: number, d: number): boolean {
  const l = a * b;
  const r = c * d;
  if (l <= Number.MAX_SAFE_INTEGER && r <= Number.MAX_SAFE_INTEGER) return l < r;
  return BigInt(a) * BigInt(b) < BigInt(c) * BigInt(d);
}

/**
 * Unit values (EUR cents) of the history, counted per HS6 and value: a median needs only the distinct values
 * and their counts, whatever the number of items behind them.
 */
export class HistorySamples {
  private readonly byHs6 = new Map<string, Map<number, number>>();
  add(hs6: string, unitEurMinor: number, count = 1): void {
    let m = this.byHs6.get(hs6);
    if (m === undefined) this.byHs6.set(hs6, (m = new Map<number, number>()));
    m.set(unitEurMinor, (m.get(unitEurMinor) ?? 0) + count);
  }
  /** Median per HS6 (the mean of the two middle values, rounded down, when the count is even). */
  medians(): Map<string, HsMedian> {
    const out = new Map<string, HsMedian>();
    for (const [hs6, counts] of this.byHs6) {
      const values = [...counts.keys()].sort((a, b) => a - b);
      let n = 0;
      for (const v of values) n += counts.get(v)!;
      const lo = nth(values, counts, Math.floor((n - 1) / 2));
      const hi = n % 2 === 1 ? lo : nth(values, counts, n / 2);
      out.set(hs6, { medianMinor: Math.floor((lo + hi) / 2), samples: n });
    }
    return out;
  }
}

/** The k-th (0-based) sample in sorted order, from distinct sorted values and their counts. */
function nth(values: readonly number[], counts: ReadonlyMap<number, number>, k: number): number {
  let seen = 0;
  for (const v of values) {
    seen += counts.get(v)!;
    if (k < seen) return v;
  }
  throw new RangeError('median of an empty sample');
}

/** Median per HS6 of unit values (EUR cents), from samples grouped by HS6. */
export function hs6Medians(samples: ReadonlyMap<string, readonly number[]>): Map<string, HsMedian> {
  const h = new HistorySamples();
  for (const [hs6, values] of samples) for (const v of values) h.add(hs6, v);
  return h.medians();
}

interface SplitEntry {
  readonly tracking: string;
  readonly own: boolean;
  readonly value: number;
  readonly seller: string;
}

/** The rules of one flight's clearance: fed parcel by parcel, split consignments settled at the end. */
export class RuleEngine {
  private readonly shareBp: number;
  private readonly itemCache = new Map<string, Map<number, readonly Flag[]>>();
  private readonly listCache = new Map<string, readonly Flag[]>();
  private readonly screened = new Map<string, Flag | null>();
  /** consignee → its first parcel, then all its parcels once a second one appears (split by seller at the end). */
  private readonly first = new Map<string, SplitEntry>();
  private readonly groups = new Map<string, SplitEntry[]>();

  constructor(private readonly ctx: RuleContext) {
    // The share as basis points, so the comparison stays in integers.
    this.shareBp = Math.round(ctx.rules.undervaluation.belowShareOfMedian * 10000);
    for (const p of ctx.sameDay) this.addToSplit(p.trackingNumber, p.consigneeRef, p.sellerRef, p.intrinsicEurMinor, false);
  }

  /** Flags of one item (prohibited/restricted lists, undervaluation), found once per HS6 and unit value. */
  itemFlags(hs6: string, unitEurMinor: number): readonly Flag[] {
    let byValue = this.itemCache.get(hs6);
    if (byValue === undefined) this.itemCache.set(hs6, (byValue = new Map<number, readonly Flag[]>()));
    let flags = byValue.get(unitEurMinor);
    if (flags === undefined) {
      const list = this.listHits(hs6);
      const u = this.ctx.rules.undervaluation;
      const m = u.enabled ? this.ctx.medians.get(hs6) : undefined;
      if (m && m.samples >= u.minSamples && productLess(unitEurMinor, 10000, m.medianMinor, this.shareBp)) {
        const under: Flag = { rule: 'undervaluation', evidence: { hs6, unitValueEur: eur(unitEurMinor), medianEur: eur(m.medianMinor), samples: m.samples, belowShareOfMedian: u.belowShareOfMedian } };
        flags = [...list, under];
      } else flags = list;
      byValue.set(unitEurMinor, flags);
    }
    return flags;
  }

  private listHits(hs6: string): readonly Flag[] {
    let hits = this.listCache.get(hs6);
    if (hits === undefined) {
      const found: Flag[] = [];
      const { rules } = this.ctx;
      for (const [list, rule] of [[rules.prohibited, 'prohibited-goods'], [rules.restricted, 'restricted-goods']] as const) {
        const hit = list.find((e) => hs6.startsWith(e.prefix));
        if (hit) found.push({ rule, evidence: { hs6, listPrefix: hit.prefix, label: hit.label } });
      }
      this.listCache.set(hs6, (hits = found.length === 0 ? NONE : found));
    }
    return hits;
  }

  /** The sanctions flag of a seller (screened once, by the name read through the gate), or null. */
  sellerFlag(sellerRef: string | null): Flag | null {
    if (!this.ctx.rules.sanctions.enabled || sellerRef === null) return null;
    let hit = this.screened.get(sellerRef);
    if (hit === undefined) {
      const name = this.ctx.sellerNames.get(sellerRef);
      const listed = name === undefined ? undefined : this.ctx.sanctions.match(name);
      hit = listed === undefined ? null : { rule: 'sanctions-match', evidence: { party: 'seller', listEntry: listed, list: this.ctx.sanctions.source } };
      this.screened.set(sellerRef, hit);
    }
    return hit;
  }

  /** The sanctions flag of a buyer whose name the gate's screening matched to a list entry, or null. */
  buyerFlag(consigneeRef: string): Flag | null {
    const hits = this.ctx.buyerHits;
    if (!this.ctx.rules.sanctions.enabled || hits === undefined || hits.size === 0) return null;
    const listed = hits.get(consigneeRef);
    return listed === undefined ? null : { rule: 'sanctions-match', evidence: { party: 'buyer', listEntry: listed, list: this.ctx.sanctions.source } };
  }

  /**
   * Same buyer and seller (the same vault records), same day: a candidate part of a split consignment.
   * Keyed by the buyer first (almost every buyer has one parcel): no key string is built per parcel.
   */
  addToSplit(tracking: string, consigneeRef: string, sellerRef: string | null, valueMinor: number, own = true): void {
    if (!this.ctx.rules.splitConsignment.enabled || sellerRef === null) return;
    const repeated = this.ctx.repeatedBuyers;
    if (own && repeated !== undefined && !repeated.has(consigneeRef) && !this.first.has(consigneeRef) && !this.groups.has(consigneeRef)) return;
    const entry: SplitEntry = { tracking, own, value: valueMinor, seller: sellerRef };
    const group = this.groups.get(consigneeRef);
    if (group !== undefined) group.push(entry);
    else {
      const first = this.first.get(consigneeRef);
      if (first === undefined) this.first.set(consigneeRef, entry);
      else this.groups.set(consigneeRef, [first, entry]);
    }
  }

  /** The split-consignment flags of this flight's parcels: parts each ≤ threshold summing past it. */
  splitFlags(add: (tracking: string, flag: Flag) => void): void {
    const threshold = parseMoneyOrThrow(this.ctx.rules.splitConsignment.thresholdEur, 'EUR').minor;
    const bySeller = new Map<string, SplitEntry[]>();
    for (const parts of this.groups.values()) {
      bySeller.clear();
      for (const e of parts) {
        const g = bySeller.get(e.seller);
        if (g) g.push(e);
        else bySeller.set(e.seller, [e]);
      }
      for (const g of bySeller.values()) if (g.length > 1) this.splitGroup(g, threshold, add);
    }
  }

  /** One buyer's parcels from one seller: flagged when each part is ≤ the threshold and they sum past it. */
  private splitGroup(g: readonly SplitEntry[], threshold: bigint, add: (tracking: string, flag: Flag) => void): void {
    let total = 0n;
    for (const e of g) {
      if (BigInt(e.value) > threshold) return;
      total += BigInt(e.value);
    }
    if (total <= threshold) return;
    const all = g.map((e) => e.tracking).sort();
    const flag: Flag = { rule: 'split-consignment', evidence: { parcels: all, totalEur: formatMoney({ currency: 'EUR', minor: total }), thresholdEur: this.ctx.rules.splitConsignment.thresholdEur } };
    for (const e of g) if (e.own) add(e.tracking, flag);
  }
}
