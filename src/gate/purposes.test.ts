import { describe, expect, it } from 'vitest';
import { Policy } from './policy.js';
import { policyPurposes } from './purposes.js';

describe('policyPurposes', () => {
  it('names every purpose a rule compares context.purpose with, and nothing else', () => {
    const rules = [
      'permit (principal, action, resource) when { context.purpose == "sorting" && context.legalBasis == "not-a-purpose" };',
      'permit (principal, action, resource) when { "delivery" == context.purpose || ["audit", "statistics"].contains(context.purpose) };',
      'forbid (principal, action, resource) when { principal.role == "carrier" && context.recordCount > 1000 };',
    ];
    expect([...policyPurposes(rules)].sort()).toEqual(['audit', 'delivery', 'sorting', 'statistics']);
  });

  it('finds the purposes of the shipped policy, and refuses any other', () => {
    const policy = Policy.load();
    expect(policy.purposeReason('customs-control')).toBeUndefined();
    expect(policy.purposeReason('marie-dubois-rue-de-la-paix')).toMatch(/^"marie-dubois-rue-de-la-paix" is not a purpose of the published policy \(audit, capacity-planning, /);
    expect([...policy.purposes].sort()).toEqual(
      ['audit', 'capacity-planning', 'customs-control', 'delivery', 'erasure', 'exception-handling', 'risk-analysis', 'sorting', 'statistics', 'subject-access', 'subject-access-verification'].sort(),
    );
  });
});
