import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { policyPurposes } from './purposes.js';
import { isEea } from '../domain/index.js';
import type { Principal } from './types.js';

export const GATE_ACTIONS = ['read', 'export', 'disclose', 'erase', 'aggregate'] as const;
export type GateAction = (typeof GATE_ACTIONS)[number];

export interface FieldQuestion {
  readonly principal: Principal;
  /** `screen`: comparing names with a list by keyed hash, asked by `Gate.screen` only (never opens data). */
  readonly action: GateAction | 'screen';
  readonly category: string;
  readonly field: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly recordCount: number;
  readonly ownData: boolean;
  /**
   * `erase` only: whether customs law still keeps the person's data (GDPR Art. 17(3)(b)). Absent for the other
   * actions; an erase without it is refused by the policy.
   */
  readonly customsRetention?: boolean;
}

export interface FieldAnswer {
  readonly allowed: boolean;
  /** The @id of every policy that decided (permits when allowed, forbids when denied by one). */
  readonly rules: readonly string[];
}

/** A release of statistics (no personal field): who asks, why, and how small the smallest cell would be. */
export interface AggregateQuestion {
  readonly principal: Principal;
  readonly purpose: string;
  /** The dataset the statistics are computed over, e.g. `parcels`. */
  readonly dataset: string;
  /** Cells to be released (after suppression), the smallest of their counts (0 when none), and k. */
  readonly cells: number;
  readonly smallestCell: number;
  readonly k: number;
  readonly suppressed: number;
}

/** One policy of the set, as its annotations describe it. */
export interface PolicyRule {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  readonly description: string | null;
}

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../policy/glasshub.cedar', import.meta.url));

/**
 * The published policy, compiled once. A decision depends only on the question's fields, so it is
 * computed once per distinct question and reused (LIMITS.md: a Cedar call costs ~75 µs).
 */
export class Policy {
  readonly hash: string;
  /** Every policy with its @id, effect and @description, in file order. */
  readonly rules: readonly PolicyRule[];
  /** The purposes its rules name (`purposes.ts`): a request for another is malformed, not a decision. */
  readonly purposes: ReadonlySet<string>;
  private readonly cache = new Map<string, FieldAnswer>();
  private readonly setId: string;

  constructor(readonly text: string) {
    this.hash = createHash('sha256').update(text).digest('hex');
    this.setId = `glasshub-${this.hash}`;
    const parts = policyParts(text);
    // Registered under their @id, so that a decision's reasons are the rules' own names.
    const byId: Record<string, string> = {};
    for (const p of parts) {
      if (byId[p.id] !== undefined) throw new Error(`policy: @id("${p.id}") is used twice`);
      byId[p.id] = p.text;
    }
    const parsed = cedar.preparsePolicySet(this.setId, { staticPolicies: byId });
    if (parsed.type === 'failure') throw new Error(`policy does not parse: ${parsed.errors.map((e) => e.message).join('; ')}`);
    this.rules = parts.map(({ id, effect, description }) => ({ id, effect, description }));
    this.purposes = policyPurposes(parts.map((p) => p.text));
  }

  static load(file = DEFAULT_POLICY_FILE): Policy {
    return new Policy(readFileSync(file, 'utf8'));
  }

  /** Why `purpose` cannot be asked about, if it cannot: whatever is asked stands in the public log. */
  purposeReason(purpose: string): string | undefined {
    if (this.purposes.has(purpose)) return undefined;
    return `${JSON.stringify(purpose.slice(0, 64))} is not a purpose of the published policy (${[...this.purposes].sort().join(', ')})`;
  }

  decide(q: FieldQuestion): FieldAnswer {
    const key = [q.principal.id, q.principal.role, q.principal.organisation, q.principal.country, q.action, q.category, q.field, q.purpose, q.legalBasis, q.recordCount, q.ownData, q.customsRetention ?? ''].join('\u0000');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const answer = this.ask(q);
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(key, answer);
    return answer;
  }

  /** The action `aggregate` on a dataset (never personal): asked once per release, so not cached. */
  decideAggregate(q: AggregateQuestion): FieldAnswer {
    const principal = { type: 'Glasshub::Principal', id: q.principal.id };
    const resource = { type: 'Glasshub::Dataset', id: q.dataset };
    const res = cedar.statefulIsAuthorized({
      principal,
      action: { type: 'Glasshub::Action', id: 'aggregate' },
      resource,
      context: { purpose: q.purpose, cells: q.cells, smallestCell: q.smallestCell, k: q.k, suppressed: q.suppressed },
      preparsedPolicySetId: this.setId,
      entities: [
        {
          uid: principal,
          attrs: { role: q.principal.role, organisation: q.principal.organisation, country: q.principal.country, inEea: isEea(q.principal.country) },
          parents: [],
        },
        { uid: resource, attrs: { dataset: q.dataset, personal: false }, parents: [] },
      ],
    });
    if (res.type === 'failure') return { allowed: false, rules: ['policy-error'] };
    const reasons = res.response.diagnostics.reason;
    return { allowed: res.response.decision === 'allow', rules: reasons.length > 0 ? reasons : ['no-permit'] };
  }

  private ask(q: FieldQuestion): FieldAnswer {
    const principal = { type: 'Glasshub::Principal', id: q.principal.id };
    const resource = { type: 'Glasshub::Field', id: `${q.category}/${q.field}` };
    const res = cedar.statefulIsAuthorized({
      principal,
      action: { type: 'Glasshub::Action', id: q.action },
      resource,
      context: { purpose: q.purpose, legalBasis: q.legalBasis, recordCount: q.recordCount, ownData: q.ownData, ...(q.customsRetention !== undefined && { customsRetention: q.customsRetention }) },
      preparsedPolicySetId: this.setId,
      entities: [
        {
          uid: principal,
          attrs: { role: q.principal.role, organisation: q.principal.organisation, country: q.principal.country, inEea: isEea(q.principal.country) },
          parents: [],
        },
        { uid: resource, attrs: { category: q.category, field: q.field, personal: true }, parents: [] },
      ],
    });
    // A policy that fails to evaluate is a deny, never an allow.
    if (res.type === 'failure') return { allowed: false, rules: ['policy-error'] };
    const reasons = res.response.diagnostics.reason;
    return { allowed: res.response.decision === 'allow', rules: reasons.length > 0 ? reasons : ['no-permit'] };
  }
}

/**
 * The policies of the set, each with its own text and annotations. Every policy of the shipped set
 * should carry an @id: decisions name the rules that made them.
 */
function policyParts(text: string): (PolicyRule & { text: string })[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') throw new Error(`policy does not parse: ${parts.errors.map((e) => e.message).join('; ')}`);
  return parts.policies.map((p, i) => {
    const id = /@id\("([^"]+)"\)/.exec(p)?.[1] ?? `policy${i}`;
    const description = /@description\("((?:[^"\\]|\\.)*)"\)/.exec(p)?.[1] ?? null;
    const effect = /^\s*(?:@[^\n]*\n\s*)*(permit|forbid)\b/m.exec(p)?.[1] === 'forbid' ? 'forbid' : 'permit';
    return { id, effect, description, text: p };
  });
}
