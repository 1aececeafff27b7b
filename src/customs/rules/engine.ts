/**
 * The risk rules, evaluated in memory over a whole flight (plus the hub's history where a rule needs it).
 * Each flag names its rule and its evidence; evidence holds values, HS codes, rule parameters and tracking
 * numbers — never a name or an address (the sanctions rule reads names through the gate, and reports only
 * the listed entity's id).
 */
import { formatMoney, parseMoneyOrThrow } from '../../domain/index.js';
import type { RulesDocument } from './document.js';
import type { SanctionsList } from './sanctions.js';

export type Evidence = Readonly<Record<string, string | number | readonly string[]>>;
export interface Flag {
  readonly rule: string;
  readonly evidence: Evidence;
}

export interface RuleItem {
  readonly hs6: string;
  /** Unit value in EUR cents, converted at the rate of the date of import. */
  readonly unitEurMinor: bigint;
}

export interface RuleParcel {
  readonly trackingNumber: string;
  readonly consigneeRef: string;
  readonly sellerRef: string | null;
  readonly intrinsicEurMinor: bigint;
  readonly items: readonly RuleItem[];
}

/** A parcel of another flight the same day, already cleared (for split consignments). */
export interface SameDayParcel {
  readonly trackingNumber: string;
  readonly consigneeRef: string;
  readonly sellerRef: string | null;
  readonly intrinsicEurMinor: bigint;
}

export interface HsMedian {
  readonly medianMinor: bigint;
  readonly samples: number;
}

export interface RuleContext {
  readonly rules: RulesDocument;
  readonly medians: ReadonlyMap<string, HsMedian>;
  /** seller_ref → name, as read through the gate (purpose customs-control). */
  readonly sellerNames: ReadonlyMap<string, string>;
  readonly sanctions: SanctionsList;
  readonly sameDay: readonly SameDayParcel[];
}

const eur = (minor: bigint): string => formatMoney({ currency: 'EUR', minor });

/** Median per HS6 of unit values (EUR cents), from samples grouped by HS6. */
export function hs6Medians(samples: ReadonlyMap<string, bigint[]>): Map<string, HsMedian> {
  const out = new Map<string, HsMedian>();
  for (const [hs6, values] of samples) {
    values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const n = values.length;
    const median = n % 2 === 1 ? values[(n - 1) / 2]! : (values[n / 2 - 1]! + values[n / 2]!) / 2n;
    out.set(hs6, { medianMinor: median, samples: n });
  }
  return out;
}

export function evaluateRules(parcels: readonly RuleParcel[], ctx: RuleContext): Map<string, Flag[]> {
  const flags = new Map<string, Flag[]>();
  const add = (tracking: string, flag: Flag): void => {
    const list = flags.get(tracking);
    if (list) list.push(flag);
    else flags.set(tracking, [flag]);
  };
  const { rules } = ctx;
  const u = rules.undervaluation;
  // share as basis points, so the comparison stays in integers.
  const shareBp = BigInt(Math.round(u.belowShareOfMedian * 10000));
  // The list hits of each HS6, found once per distinct code (a freighter carries few distinct codes).
  const listHits = new Map<string, Flag[]>();
  const hitsOf = (hs6: string): Flag[] => {
    let hits = listHits.get(hs6);
    if (hits === undefined) {
      hits = [];
      for (const [list, rule] of [[rules.prohibited, 'prohibited-goods'], [rules.restricted, 'restricted-goods']] as const) {
        const hit = list.find((e) => hs6.startsWith(e.prefix));
        if (hit) hits.push({ rule, evidence: { hs6, listPrefix: hit.prefix, label: hit.label } });
      }
      listHits.set(hs6, hits);
    }
    return hits;
  };
  // Each seller screened once (names normalised once), whatever the number of its parcels.
  const screened = new Map<string, Flag | null>();
  for (const p of parcels) {
    for (const it of p.items) {
      for (const hit of hitsOf(it.hs6)) add(p.trackingNumber, hit);
      if (!u.enabled) continue;
      const m = ctx.medians.get(it.hs6);
      if (m && m.samples >= u.minSamples && it.unitEurMinor * 10000n < m.medianMinor * shareBp) {
        add(p.trackingNumber, {
          rule: 'undervaluation',
          evidence: { hs6: it.hs6, unitValueEur: eur(it.unitEurMinor), medianEur: eur(m.medianMinor), samples: m.samples, belowShareOfMedian: u.belowShareOfMedian },
        });
      }
    }
    if (rules.sanctions.enabled && p.sellerRef !== null) {
      let hit = screened.get(p.sellerRef);
      if (hit === undefined) {
        const name = ctx.sellerNames.get(p.sellerRef);
        const listed = name === undefined ? undefined : ctx.sanctions.match(name);
        hit = listed === undefined ? null : { rule: 'sanctions-match', evidence: { party: 'seller', listEntry: listed, list: ctx.sanctions.source } };
        screened.set(p.sellerRef, hit);
      }
      if (hit !== null) add(p.trackingNumber, hit);
    }
  }
  if (rules.splitConsignment.enabled) splitConsignments(parcels, ctx, add);
  return flags;
}

/** Same buyer and seller (the same vault records), same day: flagged when the parts sum past the threshold. */
function splitConsignments(parcels: readonly RuleParcel[], ctx: RuleContext, add: (t: string, f: Flag) => void): void {
  const threshold = parseMoneyOrThrow(ctx.rules.splitConsignment.thresholdEur, 'EUR').minor;
  const groups = new Map<string, { tracking: string; own: boolean; value: bigint }[]>();
  const put = (p: SameDayParcel, own: boolean): void => {
    if (p.sellerRef === null) return;
    const key = `${p.consigneeRef}\u0000${p.sellerRef}`;
    const g = groups.get(key);
    const entry = { tracking: p.trackingNumber, own, value: p.intrinsicEurMinor };
    if (g) g.push(entry);
    else groups.set(key, [entry]);
  };
  for (const p of parcels) put(p, true);
  for (const p of ctx.sameDay) put(p, false);
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const total = g.reduce((s, e) => s + e.value, 0n);
    if (total <= threshold || g.some((e) => e.value > threshold)) continue;
    const all = g.map((e) => e.tracking).sort();
    for (const e of g) {
      if (e.own) add(e.tracking, { rule: 'split-consignment', evidence: { parcels: all, totalEur: eur(total), thresholdEur: ctx.rules.splitConsignment.thresholdEur } });
    }
  }
}
