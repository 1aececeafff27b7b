import { describe, expect, it } from 'vitest';
import { encodeLedgerEntry, type LedgerEntry } from '../../src/domain/index.js';
import { monitorLog, type MonitorState } from '../../src/privacy/index.js';
import { URL_PREFIX, fakeLog, flipByte, serve, type FakeLog } from '../support/fake-log.js';

const T = '2026-11-25T10:00:00.000Z';
const at = (s: number): string => new Date(Date.parse(T) + s * 1000).toISOString();
const who = (role: string, country = 'BE', id = `${role}-1`, organisation = 'hub-operator') => ({ id, role, organisation, country });

function decision(over: Partial<Record<string, unknown>>): LedgerEntry {
  return {
    type: 'access-decision',
    time: T,
    requestId: 'r',
    principal: who('customs-officer'),
    action: 'read',
    purpose: 'customs-control',
    legalBasis: null,
    category: 'consignee',
    fields: ['name'],
    deniedFields: [],
    decision: 'allow',
    rules: ['customs-control'],
    policy: 'p',
    subject: 'tagA',
    count: 1,
    ...over,
  };
}

async function logOf(entries: LedgerEntry[]): Promise<FakeLog> {
  const fake = await fakeLog();
  await fake.append(entries.map((e) => encodeLedgerEntry(e)));
  return fake;
}

const run = (fake: FakeLog, state?: MonitorState, mutate?: (path: string, body: Uint8Array) => Uint8Array | undefined) =>
  monitorLog({ url: URL_PREFIX, logKey: fake.vkey, fetch: serve(fake, { mutate }), state, monitor: { burstThreshold: 10 } });

describe('privacy monitor', () => {
  it('names each anomaly, with its severity and entry, and counts authority requests by country', async () => {
    const fake = await logOf([
      { type: 'policy-published', time: T, policy: 'p', author: 'glasshub', text: '' },
      decision({}), // 1: an ordinary customs read: nothing to say
      decision({ principal: who('customs-officer', 'US') }), // 2: allowed from outside the EEA
      decision({ principal: who('carrier', 'CN'), decision: 'deny', rules: ['outside-eea-pseudonymous-only'] }), // 3: denied, outside
      decision({ count: 400, subject: undefined, subjects: { people: 400, commitment: 'x' } }), // 4: a batch
      decision({ count: 5000, subject: undefined, decision: 'deny', rules: ['no-bulk-reads'] }), // 5
      decision({ principal: who('notifier', 'BE', 'system:subject-access'), purpose: 'subject-access-verification', subject: 'tagB', time: at(10) }), // 6
      decision({ principal: who('data-subject', 'BE', 'subject:tagB', 'self'), purpose: 'subject-access', subject: 'tagB', time: at(600) }), // 7: verified
      decision({ principal: who('data-subject', 'BE', 'subject:tagC', 'self'), purpose: 'subject-access', subject: 'tagC', time: at(700) }), // 8: not
      decision({ principal: who('carrier', 'BE', 'carrier:dpd-be', 'dpd-be'), action: 'disclose', purpose: 'delivery', requestId: 'dispatch:T1:1' }), // 9
      decision({ principal: who('carrier', 'BE', 'carrier:dpd-be', 'dpd-be'), action: 'disclose', purpose: 'delivery', requestId: 'ad-hoc' }), // 10
      decision({ principal: who('dpo'), action: 'erase', purpose: 'erasure', subject: 'tagD' }), // 11
      decision({ subject: 'tagD', time: at(900) }), // 12: read after erasure
      ...Array.from({ length: 10 }, (_, i) => decision({ principal: who('sorter', 'BE', 'sorter-9'), purpose: 'marketing', decision: 'deny', rules: ['no-permit'], time: at(1200 + i) })), // 13..22
      { type: 'authority-request', id: 'a', receivedAt: T, authority: 'Parquet', country: 'BE', legalInstrument: 'x', agreement: null, channel: 'letter', scope: {}, decision: 'accepted-for-review', rule: 'r' },
      { type: 'authority-request', id: 'b', receivedAt: T, authority: 'DOJ', country: 'US', legalInstrument: 'x', agreement: null, channel: 'email', scope: {}, decision: 'refused', rule: 'r' },
      { type: 'authority-request', id: 'c', receivedAt: T, authority: 'DOJ', country: 'US', legalInstrument: 'x', agreement: 'MLA', channel: 'email', scope: {}, decision: 'accepted-for-review', rule: 'r' }, // 25
    ]);
    const report = await run(fake);
    expect(report.audit.size).toBe(26);
    expect(report.anomalies.map((a) => [a.index, a.kind, a.severity])).toEqual([
      [2, 'outside-eea-access', 'high'],
      [3, 'outside-eea-access', 'medium'],
      [4, 'bulk-read', 'low'],
      [5, 'bulk-read-denied', 'high'],
      [8, 'unverified-subject-access', 'medium'],
      [10, 'disclosure-without-dispatch', 'medium'],
      [12, 'read-after-erasure', 'high'],
      [22, 'denial-burst', 'high'],
      [25, 'authority-request-outside-eea', 'medium'],
    ]);
    expect(report.counts).toEqual({ high: 4, medium: 4, low: 1 });
    expect(report.authorityRequests).toEqual([
      { country: 'BE', decision: 'accepted-for-review', count: 1 },
      { country: 'US', decision: 'accepted-for-review', count: 1 },
      { country: 'US', decision: 'refused', count: 1 },
    ]);
  });

  it('resumes from its state: reads only new entries, and remembers erasures and verifications', async () => {
    const fake = await logOf([
      decision({ principal: who('notifier', 'BE', 'system:subject-access'), purpose: 'subject-access-verification', subject: 'tagB' }),
      decision({ principal: who('dpo'), action: 'erase', purpose: 'erasure', subject: 'tagD' }),
    ]);
    const first = await run(fake);
    expect(first.anomalies).toEqual([]);
    await fake.append([
      encodeLedgerEntry(decision({ principal: who('data-subject', 'BE', 'subject:tagB', 'self'), purpose: 'subject-access', subject: 'tagB', time: at(60) })),
      encodeLedgerEntry(decision({ subject: 'tagD', time: at(120) })),
    ]);
    const second = await run(fake, JSON.parse(JSON.stringify(first.state)) as MonitorState);
    expect(second.audit.entriesChecked).toBe(2);
    expect(second.anomalies.map((a) => [a.index, a.kind])).toEqual([[3, 'read-after-erasure']]);
  });

  it('reports nothing from a log that does not verify', async () => {
    const fake = await logOf([decision({ principal: who('customs-officer', 'US') })]);
    await expect(run(fake, undefined, (path, body) => (path.startsWith('tile/entries/') ? flipByte(body, 10) : undefined))).rejects.toThrow();
  });
});

describe('privacy monitor on statistics releases', () => {
  const aggregate = (over: Partial<Record<string, unknown>>): LedgerEntry => ({
    type: 'aggregate-decision',
    time: T,
    requestId: 'r',
    principal: who('customs-officer', 'US'),
    action: 'aggregate',
    purpose: 'risk-analysis',
    dataset: 'parcels',
    dimensions: ['destCountry'],
    filter: {},
    k: 10,
    cells: 3,
    suppressed: 1,
    decision: 'allow',
    rules: ['aggregates-for-operations-and-oversight'],
    policy: 'p',
    commitment: 'c',
    ...over,
  });

  it('lets aggregates from outside the EU/EEA pass, and raises a release the k rules had to stop', async () => {
    const fake = await logOf([
      aggregate({}), // 0: allowed, from the US: aggregates are what such a principal may have
      aggregate({ decision: 'deny', cells: 0, rules: ['aggregates-k-floor'], k: 3 }), // 1
      aggregate({ principal: who('sorter'), decision: 'deny', cells: 0, rules: ['no-permit'] }), // 2: an ordinary refusal
    ]);
    const report = await run(fake);
    expect(report.anomalies.map((a) => [a.index, a.kind, a.severity])).toEqual([[1, 'aggregate-below-k', 'high']]);
    expect(report.anomalies[0]!.detail).toContain('aggregates-k-floor');
  });
});
