import { describe, expect, it } from 'vitest';
import { canOpen, homeFor, ROLES, sectionsFor } from './roles.js';

describe('navigation follows the role', () => {
  it('gives each role its own sections', () => {
    expect(sectionsFor('customs-officer')).toEqual(['customs']);
    expect(sectionsFor('auditor')).toEqual(['ops', 'audit']);
    expect(sectionsFor('administrator')).toEqual(['ops', 'admin']);
    expect(sectionsFor('carrier')).toEqual([]);
  });
  it('lands every role on a page it may open', () => {
    for (const role of ROLES) {
      const home = homeFor(role);
      const section = home.slice(1);
      if (home !== '/me') expect(canOpen(role, section as 'ops' | 'customs' | 'audit' | 'admin')).toBe(true);
    }
  });
  it('keeps customs and audit apart', () => {
    expect(canOpen('supervisor', 'customs')).toBe(false);
    expect(canOpen('customs-officer', 'audit')).toBe(false);
    expect(canOpen('dpo', 'admin')).toBe(false);
  });
});
