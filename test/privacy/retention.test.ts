import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Gate } from '../../src/gate/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { RETENTION_BATCH, retentionEnds, runRetention, startRetentionSchedule, type RetentionResult } from '../../src/privacy/index.js';
import { entriesSince } from '../support/ledger-entries.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { trackingNumber } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const NOW = new Date('2027-06-01T00:00:00Z');
const dpo = { id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' };
const person = (name: string) => ({ name, postcode: '4000', city: 'Liège', country: 'BE', email: `${name.toLowerCase()}@example.be` });

describe('retention rules', () => {
  const base = { created_at: '2027-01-01T00:00:00.000Z', updated_at: '2027-01-01T00:00:00.000Z', dispatched_at: null, customs_at: null };
  it('90 days after dispatch, 180 after manifest if never dispatched, 3 years after a customs act', () => {
    expect(retentionEnds({ ...base, status: 'dispatched', dispatched_at: '2027-01-02T00:00:00.000Z' }).toISOString()).toBe('2027-04-02T00:00:00.000Z');
    expect(retentionEnds({ ...base, status: 'manifested' }).toISOString()).toBe('2027-06-30T00:00:00.000Z');
    expect(retentionEnds({ ...base, status: 'held' }).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(retentionEnds({ ...base, status: 'dispatched', customs_at: '2027-02-01T00:00:00.000Z' }).toISOString()).toBe('2030-02-01T00:00:00.000Z');
  });
});

describe.each(STORE_KINDS)('retention on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;

  beforeEach(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store));
    gate = testGate(store, log);
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  /** A parcel of `ref`, manifested at `created`, with a status last changed at `updated`. */
  async function parcel(tn: string, ref: string, status: 'manifested' | 'dispatched' | 'held', created: string, updated = created): Promise<void> {
    await insertParcel(store, tn, ref);
    await store.db.updateTable('parcels').set({ status, created_at: created, updated_at: updated }).where('tracking_number', '=', tn).execute();
  }
  const readable = async (refs: string[]) =>
    (await gate.access({ principal: dpo, action: 'read', purpose: 'subject-access', refs, category: 'consignee', fields: ['name'] })).records.map((r) => !('erased' in r));

  it('shreds the people all of whose parcels are past retention, and keeps the others', async () => {
    const [alice, bob, bob2, carol, dora, eve] = await gate.seal(store.db, [
      { role: 'consignee', data: person('Alice') },
      { role: 'consignee', data: person('Bob') },
      { role: 'consignee', data: { ...person('Bob'), street: 'elsewhere' } },
      { role: 'consignee', data: person('Carol') },
      { role: 'consignee', data: person('Dora') },
      { role: 'consignee', data: person('Eve') },
    ]);
    await parcel('LP000000018CN', alice!, 'dispatched', '2026-12-28T00:00:00Z', '2027-01-01T00:00:00Z'); // 151 days after dispatch
    await parcel(trackingNumber(2), bob!, 'dispatched', '2026-12-28T00:00:00Z', '2027-01-01T00:00:00Z');
    await parcel(trackingNumber(3), bob2!, 'manifested', '2027-05-20T00:00:00Z'); // Bob's recent parcel keeps him
    await parcel(trackingNumber(4), carol!, 'manifested', '2026-10-01T00:00:00Z'); // never dispatched, 243 days
    await parcel(trackingNumber(5), dora!, 'held', '2026-10-01T00:00:00Z'); // customs: 3 years
    await parcel(trackingNumber(6), eve!, 'dispatched', '2027-04-25T00:00:00Z', '2027-05-01T00:00:00Z');

    const from = await log.committedSize();
    const result = await runRetention({ db: store.db, gate, log }, NOW);
    expect(result).toMatchObject({ parcelsPastRetention: 3, subjectsErased: 2, subjectsKept: 1 });
    expect(result.decisions).toHaveLength(1);
    expect(await readable([alice!, bob!, bob2!, carol!, dora!, eve!])).toEqual([false, true, true, false, true, true]);

    const entries = await entriesSince(log, from);
    expect(entries.find((e) => e['type'] === 'access-decision' && e['action'] === 'erase')).toMatchObject({
      principal: { id: 'system:retention', role: 'dpo' },
      decision: 'allow',
      count: 2,
      subjects: { people: 2 },
    });
    expect(entries.find((e) => e['type'] === 'retention-run')).toMatchObject({ subjectsErased: 2, subjectsKept: 1, parcelsPastRetention: 3, time: NOW.toISOString() });

    // Again: nothing left to do. Later, Bob's recent parcel is past too.
    expect(await runRetention({ db: store.db, gate, log }, NOW)).toMatchObject({ subjectsErased: 0, subjectsKept: 1 });
    expect(await runRetention({ db: store.db, gate, log }, new Date('2027-12-01T00:00:00Z'))).toMatchObject({ subjectsErased: 2, subjectsKept: 0 });
    expect(await readable([bob!, dora!, eve!])).toEqual([false, true, false]);
  });

  it('erases in batches of at most 1,000 people, one decision each', async () => {
    const n = RETENTION_BATCH + 3;
    const refs = await gate.seal(store.db, Array.from({ length: n }, (_, i) => ({ role: 'consignee' as const, data: person(`P${i}`) })));
    await insertParcel(store, trackingNumber(0), refs[0]!);
    const rows = refs.slice(1).map((ref, i) => ({
      tracking_number: trackingNumber(i + 1),
      flight_id: 'CK231/2026-11-25',
      awb: '112-12345675',
      uld: null,
      seller_country: 'CN',
      dest_country: 'BE',
      dest_postcode: '4000',
      gross_mass_g: 500,
      ioss_number: null,
      item_count: 1,
      consignee_ref: ref,
      seller_ref: null,
      status: 'manifested' as const,
      lane: null,
      bag: null,
      storage_location: null,
      received_at: null,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    }));
    for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('parcels').values(rows.slice(i, i + 200)).execute();
    await store.db.updateTable('parcels').set({ created_at: '2026-01-01T00:00:00Z' }).execute();
    const result = await runRetention({ db: store.db, gate, log }, NOW);
    expect(result).toMatchObject({ subjectsErased: n, parcelsPastRetention: n });
    expect(result.decisions).toHaveLength(2);
    expect(await readable([refs[0]!, refs[n - 1]!])).toEqual([false, false]);
  });

  it.runIf(kind === 'sqlite')('runs by itself on a schedule, until stopped', async () => {
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: person('Alice') }]);
    await parcel(trackingNumber(1), ref!, 'manifested', '2026-01-01T00:00:00Z');
    const ran = new Promise<RetentionResult>((resolve, reject) => {
      const schedule = startRetentionSchedule({ db: store.db, gate, log }, 1_000, {
        now: () => NOW,
        onRun: (r) => void schedule.stop().then(() => resolve(r)),
        onError: reject,
      });
    });
    expect(await ran).toMatchObject({ subjectsErased: 1 });
    expect(await readable([ref!])).toEqual([false]);
  });
});
