/**
 * Sort plans, pure: a plan is a list of rules from a destination (country, and optionally the leading
 * characters of the postcode) to an outbound lane. Matching, and why it is never ambiguous:
 *
 * - the rule with the LONGEST matching postcode prefix wins (`BE 10` beats `BE 1`, which beats `BE`);
 * - a rule without prefix is the country's default;
 * - two rules with the same country and the same prefix are refused at publication, even when they name
 *   the same lane, so that at most one rule matches at each length: the longest match is unique.
 *
 * Prefixes compare on the postcode's significant characters (`postcodePrefix` in domain/: separators
 * dropped, letters upper-case, Latvia's `LV-` left out): `NL 1234 AB` has prefixes `1`, `12`, … `1234AB`.
 *
 * Before any rule: a parcel on customs hold (`held`, `seized`) goes to the hold lane. A parcel no rule
 * matches goes to the exceptions lane.
 *
 * `compilePlan` turns the rules into one hash map per country; `sortLane` then does at most one map
 * lookup per prefix length used in that country (a few million decisions per second on one core).
 */
import { isCountryCode } from '../../domain/index.js';
import type { LaneKind, ParcelStatus } from '../../store/schema.js';
import type { OperationErrorDetail } from './errors.js';

export interface SortRule {
  /** ISO 3166-1 alpha-2 destination country. */
  readonly country: string;
  /** Leading significant characters of the postcode (1–10 letters or digits); none: the whole country. */
  readonly postcodePrefix?: string;
  readonly lane: string;
}

export interface Lane {
  readonly id: string;
  readonly kind: LaneKind;
  readonly carrier: string | null;
  readonly service: string | null;
  /** Truck departure, `HH:MM` hub local time. */
  readonly departure: string | null;
}

export interface SortPlanVersion {
  readonly version: number;
  readonly rules: readonly SortRule[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly comment: string | null;
}

export type SortReason = 'rule' | 'customs-hold' | 'no-rule';
export interface SortDecision {
  readonly lane: string;
  readonly reason: SortReason;
}

export interface SortableParcel {
  readonly status: ParcelStatus;
  readonly dest_country: string;
  readonly dest_postcode: string;
}

interface CountryTable {
  readonly byPrefix: ReadonlyMap<string, string>;
  /** Prefix lengths that occur, longest first. */
  readonly lengths: readonly number[];
  readonly fallback: string | undefined;
}

export interface CompiledPlan {
  readonly version: number;
  readonly lanes: ReadonlyMap<string, Lane>;
  readonly holdLane: string;
  readonly exceptionsLane: string;
  readonly countries: ReadonlyMap<string, CountryTable>;
}

const PREFIX = /^[0-9A-Z]{1,10}$/;
export const MAX_RULES = 100_000;

/** Significant characters of a postcode: separators dropped, upper case; `LV-1050` → `1050`. */
export function significantPostcode(country: string, postcode: string): string {
  let out = '';
  for (let i = 0; i < postcode.length; i++) {
    const c = postcode.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    out += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : postcode[i];
  }
  return country === 'LV' && out.startsWith('LV') ? out.slice(2) : out;
}

/** Every reason the rules cannot be published with these lanes (empty: they can). */
export function checkRules(rules: readonly SortRule[], lanes: ReadonlyMap<string, Lane>): OperationErrorDetail[] {
  const errors: OperationErrorDetail[] = [];
  if (rules.length > MAX_RULES) return [{ field: 'rules', reason: `at most ${MAX_RULES} rules` }];
  // The lanes are the hub's, not the plan's: a missing one refuses the rules as a whole.
  const kinds = [...lanes.values()].map((l) => l.kind);
  if (!kinds.includes('hold')) errors.push({ field: 'rules', reason: 'no hold lane is defined' });
  if (!kinds.includes('exceptions')) errors.push({ field: 'rules', reason: 'no exceptions lane is defined' });
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = `rules.${i}`;
    if (!isCountryCode(rule.country)) errors.push({ field: `${at}.country`, value: rule.country, reason: `${JSON.stringify(rule.country)} is not an ISO 3166-1 alpha-2 code` });
    if (rule.postcodePrefix !== undefined && !PREFIX.test(rule.postcodePrefix)) {
      errors.push({ field: `${at}.postcodePrefix`, value: rule.postcodePrefix, reason: 'must be 1 to 10 upper-case letters or digits, without separators' });
    }
    const lane = lanes.get(rule.lane);
    if (lane === undefined) errors.push({ field: `${at}.lane`, value: rule.lane, reason: `lane ${JSON.stringify(rule.lane)} does not exist` });
    else if (lane.kind !== 'outbound') errors.push({ field: `${at}.lane`, value: rule.lane, reason: `lane ${rule.lane} is a ${lane.kind} lane, not an outbound one` });
    const key = `${rule.country} ${rule.postcodePrefix ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ field: at, reason: `same destination as rule ${first} (${key.trim()}): ambiguous` });
    else seen.set(key, i);
  });
  return errors;
}

/** The lookup tables of a plan whose rules passed `checkRules`. */
export function compilePlan(version: number, rules: readonly SortRule[], lanes: ReadonlyMap<string, Lane>): CompiledPlan {
  const laneOfKind = (kind: LaneKind): string => {
    const lane = [...lanes.values()].find((l) => l.kind === kind);
    if (lane === undefined) throw new Error(`sort plan ${version}: no ${kind} lane`);
    return lane.id;
  };
  const building = new Map<string, { byPrefix: Map<string, string>; lengths: Set<number>; fallback?: string }>();
  for (const rule of rules) {
    let table = building.get(rule.country);
    if (table === undefined) building.set(rule.country, (table = { byPrefix: new Map(), lengths: new Set() }));
    if (rule.postcodePrefix === undefined) table.fallback = rule.lane;
    else {
      table.byPrefix.set(rule.postcodePrefix, rule.lane);
      table.lengths.add(rule.postcodePrefix.length);
    }
  }
  const countries = new Map<string, CountryTable>();
  for (const [country, t] of building) {
    countries.set(country, { byPrefix: t.byPrefix, lengths: [...t.lengths].sort((a, b) => b - a), fallback: t.fallback });
  }
  return { version, lanes, holdLane: laneOfKind('hold'), exceptionsLane: laneOfKind('exceptions'), countries };
}

const HOLD: SortReason = 'customs-hold';

/** The lane of one parcel under a compiled plan. Pure; no I/O. */
export function sortLane(plan: CompiledPlan, parcel: SortableParcel): SortDecision {
  if (parcel.status === 'held' || parcel.status === 'seized') return { lane: plan.holdLane, reason: HOLD };
  const table = plan.countries.get(parcel.dest_country);
  if (table !== undefined) {
    if (table.lengths.length > 0) {
      const sig = significantPostcode(parcel.dest_country, parcel.dest_postcode);
      for (const n of table.lengths) {
        if (n > sig.length) continue;
        const lane = table.byPrefix.get(sig.slice(0, n));
        if (lane !== undefined) return { lane, reason: 'rule' };
      }
    }
    if (table.fallback !== undefined) return { lane: table.fallback, reason: 'rule' };
  }
  return { lane: plan.exceptionsLane, reason: 'no-rule' };
}
