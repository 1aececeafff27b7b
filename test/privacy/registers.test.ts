import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLedgerEntry } from '../../src/domain/index.js';
import { Policy } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import {
  authorityRequestStats,
  BreachError,
  MAX_REGISTER_COUNT,
  listBreaches,
  processingGaps,
  recordBreachNotification,
  recordsOfProcessing,
  registerAuthorityRequest,
  registerBreach,
  type AuthorityRequestInput,
} from '../../src/privacy/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const request = (over: Partial<AuthorityRequestInput>): AuthorityRequestInput => ({
  authority: 'Juge d’instruction, Tribunal de première instance de Liège',
  country: 'BE',
  legalInstrument: 'Code d’instruction criminelle, art. 46bis',
  channel: 'letter',
  categories: ['consignee-contact'],
  subjects: 1,
  description: 'Internal note that may name a person: Jean Dupont',
  ...over,
});

describe('records of processing (Art. 30)', () => {
  it('describe every permit rule of the shipped policy, and name no rule it lacks', () => {
    expect(processingGaps(Policy.load())).toEqual({ undescribed: [], unknown: [] });
  });

  it('are generated with the policy hash and its prohibitions', () => {
    const doc = recordsOfProcessing(Policy.load());
    expect(doc['policy']).toBe(Policy.load().hash);
    expect((doc['prohibitions'] as { id: string }[]).map((p) => p.id)).toEqual(expect.arrayContaining(['outside-eea-pseudonymous-only', 'no-bulk-reads']));
  });
});

describe.each(STORE_KINDS)('privacy registers on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  it('refuses a foreign request without an agreement basis, and the refusal is in the ledger', async () => {
    const foreign = await registerAuthorityRequest(store.db, log, request({ authority: 'Ministry of State Security', country: 'CN', legalInstrument: 'National Intelligence Law, art. 7' }), 'dpo-1');
    expect(foreign).toMatchObject({ decision: 'refused', rule: 'art48-no-agreement-basis' });
    const e = parseLedgerEntry(await log.readEntry(foreign.ledgerIndex));
    expect(e.ok && e.value).toMatchObject({ type: 'authority-request', country: 'CN', decision: 'refused' });
    // The internal description may name people: it never reaches the public log.
    expect((await log.readEntry(foreign.ledgerIndex)).toString()).not.toContain('Jean Dupont');
  });

  it('accepts EU/EEA requests and foreign ones on a recognised agreement for review, and counts by country and outcome', async () => {
    await registerAuthorityRequest(store.db, log, request({}), 'dpo-1');
    await registerAuthorityRequest(store.db, log, request({ country: 'US', authority: 'US Department of Justice', agreement: 'EU-US Agreement on Mutual Legal Assistance (2003)' }), 'dpo-1');
    await registerAuthorityRequest(store.db, log, request({ country: 'US', authority: 'US Customs and Border Protection' }), 'dpo-1');
    expect(await authorityRequestStats(store.db)).toEqual([
      { country: 'BE', decision: 'accepted-for-review', count: 1 },
      { country: 'US', decision: 'accepted-for-review', count: 1 },
      { country: 'US', decision: 'refused', count: 1 },
    ]);
  });

  it('names the field of a malformed request and records nothing', async () => {
    await expect(registerAuthorityRequest(store.db, log, request({ country: 'XX' }), 'dpo-1')).rejects.toThrow('country');
    expect(log.size).toBe(0);
  });

  it('runs the 72-hour clock of a breach and records the notification', async () => {
    const detected = new Date(Date.now() - 80 * 3_600_000).toISOString();
    const b = await registerBreach(store.db, log, { detectedAt: detected, nature: 'lost handheld scanner', categories: ['consignee-postcode'], approxSubjects: 40, measures: 'remote wipe' }, 'dpo-1');
    expect(b.overdue).toBe(true);
    expect((await listBreaches(store.db))[0]!.hoursLeft).toBeLessThan(0);
    const notified = await recordBreachNotification(store.db, log, b.id);
    expect(notified.authorityNotifiedAt).not.toBeNull();
    const e = parseLedgerEntry(await log.readEntry(log.size - 1));
    expect(e.ok && e.value).toMatchObject({ type: 'breach-notified', withinDeadline: false });
  });

  it('refuses a breach or request it could not store before writing its ledger entry, naming the field', async () => {
    const breach = { detectedAt: new Date().toISOString(), nature: 'lost handheld scanner', categories: [], approxSubjects: 1, measures: 'remote wipe' };
    const refusals = [
      [() => registerBreach(store.db, log, { ...breach, nature: '  ' }, 'dpo-1'), 'nature'],
      [() => registerBreach(store.db, log, { ...breach, approxSubjects: MAX_REGISTER_COUNT + 1 }, 'dpo-1'), 'approxSubjects'],
      [() => registerBreach(store.db, log, { ...breach, detectedAt: 'yesterday' }, 'dpo-1'), 'detectedAt'],
      [() => recordBreachNotification(store.db, log, '00000000-0000-4000-8000-000000000000'), undefined],
    ] as const;
    for (const [refused, field] of refusals) {
      const err: unknown = await refused().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BreachError);
      expect((err as BreachError).field).toBe(field);
    }
    await expect(registerAuthorityRequest(store.db, log, request({ subjects: MAX_REGISTER_COUNT + 1 }), 'dpo-1')).rejects.toThrow('subjects');
    expect(log.size).toBe(0);
    expect(await store.db.selectFrom('breaches').select('id').execute()).toEqual([]);
  });
});
