import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLedgerEntry } from '../../src/domain/index.js';
import type { Gate, Principal } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { openTestLedger } from '../support/hub.js';

const person = (i: number) => ({ name: `Person ${i}`, street: `${i} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', email: `p${i}@example.be`, phone: '+32470000000' });
const who = (role: string, country = 'BE', id = `${role}-${country}`): Principal => ({ id, role, organisation: 'test-org', country });

async function entry(log: TransparencyLog, index: number): Promise<Record<string, unknown>> {
  const parsed = parseLedgerEntry(await log.readEntry(index));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe.each(STORE_KINDS)('the gate on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let refs: string[];

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
    refs = await gate.seal(store.db, [0, 1, 2].map((i) => ({ role: 'consignee' as const, data: person(i) })));
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  // role × purpose × country × field → decision, as the shipped policy says.
  it.each([
    ['sorter', 'sorting', 'BE', 'postcode', 'allow'],
    ['sorter', 'sorting', 'BE', 'country', 'allow'],
    ['sorter', 'sorting', 'BE', 'name', 'deny'],
    ['sorter', 'customs-control', 'BE', 'postcode', 'deny'],
    ['scanner', 'sorting', 'DE', 'postcode', 'allow'],
    ['supervisor', 'exception-handling', 'NL', 'street', 'allow'],
    ['supervisor', 'exception-handling', 'NL', 'email', 'deny'],
    ['customs-officer', 'customs-control', 'BE', 'name', 'allow'],
    ['customs-officer', 'customs-control', 'BE', 'email', 'deny'],
    ['customs-officer', 'customs-control', 'NO', 'name', 'allow'],
    ['customs-officer', 'customs-control', 'CN', 'name', 'deny'],
    ['customs-officer', 'customs-control', 'US', 'postcode', 'deny'],
    ['administrator', 'customs-control', 'BE', 'name', 'deny'],
    ['auditor', 'audit', 'BE', 'name', 'deny'],
    ['dpo', 'subject-access', 'BE', 'email', 'allow'],
    ['carrier', 'delivery', 'BE', 'name', 'deny'], // carriers get data by disclosure at dispatch, not by reading
    // The purposes that release aggregates (test/gate/aggregate.test.ts has their table) open no personal field.
    ['supervisor', 'statistics', 'BE', 'country', 'deny'],
    ['customs-officer', 'risk-analysis', 'US', 'postcode', 'deny'],
  ])('%s reading for %s from %s: %s → %s', async (role, purpose, country, field, expected) => {
    const d = await gate.access({ principal: who(role, country), action: 'read', purpose, refs: [refs[0]!], category: 'consignee', fields: [field as 'name'] });
    expect(d.decision).toBe(expected);
    const e = await entry(log, d.ledgerIndex);
    expect(e).toMatchObject({ type: 'access-decision', decision: expected, purpose, policy: gate.policy.hash, count: 1 });
    if (expected === 'allow') expect((d.records[0] as { data: Record<string, string> }).data[field]).toBeDefined();
    else expect(d.records).toEqual([]);
  });

  it('refuses a purpose the policy does not name, and records the refusal without the words the caller chose', async () => {
    const d = await gate.access({ principal: who('supervisor'), action: 'read', purpose: 'marie-dubois-rue-de-la-paix', refs: [refs[0]!], category: 'consignee', fields: ['name', 'street'] });
    expect(d).toMatchObject({ decision: 'deny', records: [], rules: ['purpose-not-in-policy'], deniedFields: ['name', 'street'] });
    const raw = (await log.readEntry(d.ledgerIndex)).toString();
    expect(raw).not.toContain('dubois');
    expect(JSON.parse(raw)).toMatchObject({ type: 'access-decision', decision: 'deny', purpose: 'purpose-not-in-policy', rules: ['purpose-not-in-policy'], count: 1 });
  });

  it('answers exactly the allowed fields and records both sets, with the person only as a tag', async () => {
    const d = await gate.access({ principal: who('sorter'), action: 'read', purpose: 'sorting', refs: [refs[1]!], category: 'consignee', fields: ['name', 'postcode', 'country'] });
    expect(d.decision).toBe('allow');
    expect((d.records[0] as { data: object }).data).toEqual({ postcode: '4000', country: 'BE' });
    const raw = (await log.readEntry(d.ledgerIndex)).toString();
    expect(raw).not.toContain('Person 1');
    expect(raw).not.toContain('p1@example.be');
    const e = await entry(log, d.ledgerIndex);
    expect(e).toMatchObject({ fields: ['postcode', 'country'], deniedFields: ['name'], rules: ['sorting-sees-routing-fields'] });
    expect(typeof e['subject']).toBe('string');
    expect(await gate.entriesFor(e['subject'] as string)).toEqual([d.ledgerIndex]);
  });

  it('records a bulk read as one entry with a count and a commitment, and denies it above the limit', async () => {
    const many = await gate.seal(store.db, Array.from({ length: 1001 }, (_, i) => ({ role: 'consignee' as const, data: person(100 + i) })));
    const before = log.size;
    const d = await gate.access({ principal: who('customs-officer'), action: 'read', purpose: 'customs-control', refs: many, category: 'consignee', fields: ['name'] });
    expect(d.decision).toBe('deny');
    expect(d.rules).toContain('no-bulk-reads');
    expect(log.size).toBe(before + 1);
    expect(await entry(log, d.ledgerIndex)).toMatchObject({ count: 1001, subjects: { people: 1001 } });
  });

  it('does not open the vault when the ledger cannot record', async () => {
    const failing = testGate(store, { append: () => Promise.reject(new Error('ledger down')) });
    const [ref] = await failing.seal(store.db, [{ role: 'consignee', data: person(9) }]);
    await expect(failing.access({ principal: who('customs-officer'), action: 'read', purpose: 'customs-control', refs: [ref!], category: 'consignee', fields: ['name'] })).rejects.toThrow('ledger down');
  });

  it('erases by crypto-shredding, with the evidence in the ledger, leaving data unreadable and entries unlinkable', async () => {
    const read = await gate.access({ principal: who('customs-officer'), action: 'read', purpose: 'customs-control', refs: [refs[2]!], category: 'consignee', fields: ['name'] });
    const tag = (await entry(log, read.ledgerIndex))['subject'] as string;
    const erased = await gate.erase({ principal: who('dpo'), purpose: 'erasure', customsRetention: false, refs: [refs[2]!], category: 'consignee' });
    expect(erased.decision).toBe('allow');
    expect(await entry(log, erased.ledgerIndex)).toMatchObject({ action: 'erase', decision: 'allow' });
    const after = await gate.access({ principal: who('customs-officer'), action: 'read', purpose: 'customs-control', refs: [refs[2]!], category: 'consignee', fields: ['name'] });
    expect(after.records).toEqual([{ recordId: refs[2], erased: true }]);
    expect(await gate.entriesFor(tag)).toEqual([]);
    expect((await entry(log, after.ledgerIndex))['subject']).toBeUndefined();
  });

  it('publishes its policy in the ledger once per version', async () => {
    const first = await gate.publishPolicy();
    expect(await gate.publishPolicy()).toBe(first);
    expect(await entry(log, first)).toMatchObject({ type: 'policy-published', policy: gate.policy.hash });
  });
});
