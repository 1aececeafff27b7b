import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { Policy, aggregateCommitment, releaseAggregate, type AggregateCell, type DecisionLog, type Principal } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const policy = Policy.load();
const who = (role: string, country = 'BE'): Principal => ({ id: `${role}-${country}`, role, organisation: 'test-org', country });

/** A log that keeps entries in memory: enough where the property is about suppression, not storage. */
function memoryLog(): DecisionLog & { entries: Buffer[] } {
  const entries: Buffer[] = [];
  return { entries, append: (e) => Promise.resolve(entries.push(Buffer.from(e)) - 1) };
}

describe('the policy table for aggregate', () => {
  // role × purpose × country × (cells, smallest cell, k) → decision and deciding rule.
  it.each([
    ['supervisor', 'statistics', 'BE', 3, 12, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['administrator', 'capacity-planning', 'NL', 1, 10, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['customs-officer', 'risk-analysis', 'BE', 5, 40, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['auditor', 'audit', 'DE', 2, 11, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['dpo', 'statistics', 'BE', 2, 11, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['carrier', 'capacity-planning', 'BE', 4, 20, 10, 'allow', 'aggregates-for-carriers'],
    // Outside the EU/EEA: aggregates are what such a principal may have.
    ['customs-officer', 'risk-analysis', 'US', 5, 40, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['carrier', 'capacity-planning', 'CN', 4, 20, 10, 'allow', 'aggregates-for-carriers'],
    ['supervisor', 'statistics', 'BE', 0, 0, 10, 'allow', 'aggregates-for-operations-and-oversight'],
    ['carrier', 'statistics', 'BE', 4, 20, 10, 'deny', 'no-permit'],
    ['sorter', 'statistics', 'BE', 4, 20, 10, 'deny', 'no-permit'],
    ['scanner', 'capacity-planning', 'BE', 4, 20, 10, 'deny', 'no-permit'],
    ['customs-officer', 'customs-control', 'BE', 4, 20, 10, 'deny', 'no-permit'],
    ['supervisor', 'statistics', 'BE', 3, 9, 10, 'deny', 'aggregates-k-anonymous'],
    ['supervisor', 'statistics', 'BE', 3, 4, 4, 'deny', 'aggregates-k-floor'],
    ['auditor', 'audit', 'US', 3, 1, 1, 'deny', 'aggregates-k-floor'],
  ])('%s for %s from %s, %i cells, smallest %i, k %i → %s by %s', (role, purpose, country, cells, smallestCell, k, expected, rule) => {
    const answer = policy.decideAggregate({ principal: who(role, country), purpose, dataset: 'parcels', cells, smallestCell, k, suppressed: 0 });
    expect(answer.allowed ? 'allow' : 'deny').toBe(expected);
    expect(answer.rules).toContain(rule);
  });

  it('does not let the aggregate action open a personal field, and still forbids personal fields outside the EEA', () => {
    const base = { category: 'consignee', purpose: 'statistics', legalBasis: '', recordCount: 1, ownData: false };
    expect(policy.decide({ ...base, principal: who('supervisor'), action: 'aggregate', field: 'country' }).allowed).toBe(false);
    expect(policy.decide({ ...base, principal: who('customs-officer', 'US'), action: 'read', purpose: 'customs-control', field: 'country' }).rules).toContain('outside-eea-pseudonymous-only');
  });
});

describe('suppression below k', () => {
  const cellArb = fc.record({ key: fc.tuple(fc.constantFrom('BE', 'DE', 'FR', 'NL', 'PL')), count: fc.nat({ max: 40 }), sums: fc.record({ grossMassG: fc.nat({ max: 1_000_000 }) }) });

  it('releases exactly the cells of at least k parcels, untouched, and counts the rest as suppressed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cellArb, { maxLength: 30 }), fc.integer({ min: 5, max: 25 }), async (cells: AggregateCell[], k) => {
        const log = memoryLog();
        const r = await releaseAggregate(log, policy, { principal: who('supervisor'), purpose: 'statistics', dataset: 'parcels', dimensions: ['destCountry'], cells, k });
        expect(r.decision).toBe('allow');
        expect(r.cells.every((c) => c.count >= k)).toBe(true);
        expect(r.cells).toEqual(cells.filter((c) => c.count >= k));
        expect(r.suppressed).toBe(cells.filter((c) => c.count < k).length);
        expect(log.entries).toHaveLength(1);
        const entry = JSON.parse(log.entries[0]!.toString('utf8')) as Record<string, unknown>;
        expect(entry).toMatchObject({ type: 'aggregate-decision', k, cells: r.cells.length, suppressed: r.suppressed, commitment: r.commitment });
        expect(aggregateCommitment(Buffer.from(r.salt, 'base64'), ['destCountry'], r.cells)).toBe(r.commitment);
      }),
      { numRuns: 200 },
    );
  });

  it('releases nothing when the policy refuses, and still records the refusal', async () => {
    const log = memoryLog();
    const r = await releaseAggregate(log, policy, { principal: who('sorter'), purpose: 'statistics', dataset: 'parcels', dimensions: ['day'], cells: [{ key: ['2026-11-25'], count: 50, sums: {} }] });
    expect(r).toMatchObject({ decision: 'deny', cells: [], rules: ['no-permit'] });
    expect(JSON.parse(log.entries[0]!.toString('utf8'))).toMatchObject({ decision: 'deny', rules: ['no-permit'] });
  });

  it('names the bad field of a malformed table', async () => {
    const req = { principal: who('supervisor'), purpose: 'statistics', dataset: 'parcels', dimensions: ['destCountry', 'day'] };
    await expect(releaseAggregate(memoryLog(), policy, { ...req, cells: [{ key: ['BE'], count: 12, sums: {} }] })).rejects.toThrow('cells[0].key');
    await expect(releaseAggregate(memoryLog(), policy, { ...req, cells: [{ key: ['BE', 'x'], count: 1.5, sums: {} }] })).rejects.toThrow('cells[0].count');
    await expect(releaseAggregate(memoryLog(), policy, { ...req, purpose: 'Stats!', cells: [] })).rejects.toThrow('purpose');
  });
});

describe.each(STORE_KINDS)('an aggregate release in the ledger on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/log'));
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  it('is one durable entry with principal, purpose, dimensions, counts, k and a commitment — and no figure of the table', async () => {
    const cells: AggregateCell[] = [
      { key: ['BE', '61'], count: 1234, sums: { grossMassG: 987_654 } },
      { key: ['DE', '85'], count: 17, sums: { grossMassG: 55_555 } },
      { key: ['LU', '95'], count: 3, sums: { grossMassG: 4242 } },
    ];
    const r = await releaseAggregate(log, policy, {
      principal: who('customs-officer', 'US'),
      purpose: 'risk-analysis',
      dataset: 'parcels',
      dimensions: ['destCountry', 'hsChapter'],
      filter: { from: '2026-11-01', to: '2026-11-30' },
      cells,
      k: 10,
    });
    expect(r.cells.map((c) => c.key[0])).toEqual(['BE', 'DE']);
    expect(log.size).toBe(r.ledgerIndex + 1);
    const bytes = await log.readEntry(r.ledgerIndex);
    const parsed = parseLedgerEntry(bytes);
    expect(parsed.ok && parsed.value).toEqual({
      type: 'aggregate-decision',
      time: expect.any(String),
      requestId: r.requestId,
      principal: { id: 'customs-officer-US', role: 'customs-officer', organisation: 'test-org', country: 'US' },
      action: 'aggregate',
      purpose: 'risk-analysis',
      dataset: 'parcels',
      dimensions: ['destCountry', 'hsChapter'],
      filter: { from: '2026-11-01', to: '2026-11-30' },
      k: 10,
      cells: 2,
      suppressed: 1,
      decision: 'allow',
      rules: ['aggregates-for-operations-and-oversight'],
      policy: policy.hash,
      commitment: r.commitment,
    });
    // The random and hashed fields may spell anything (a base64 commitment once held "LU"): pinned above,
    // they are taken out before looking for the table's figures and countries in the rest.
    let raw = bytes.toString('utf8');
    const time = parsed.ok ? String(parsed.value['time']) : '';
    for (const value of [r.commitment, r.requestId, policy.hash, time]) raw = raw.replace(value, '');
    for (const secret of ['1234', '987654', '55555', 'LU', '"61"', '"85"']) expect(raw).not.toContain(secret);
  });
});
