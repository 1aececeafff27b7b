import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Vault, keyringFrom, type KeyWrapper, type PersonToSeal, type VaultKeyring } from '../../src/vault/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const keyFile = { mk1: randomBytes(32).toString('base64'), mk2: randomBytes(32).toString('base64') };
const index = randomBytes(32).toString('base64');
const ring = (current: 'mk1' | 'mk2'): VaultKeyring => keyringFrom({ current, keys: keyFile, index });

/** A keyring whose current master key can be switched between two reads, as one that follows its file. */
function switchable(): { keys: VaultKeyring; use: (id: 'mk1' | 'mk2') => void } {
  let now = ring('mk1');
  const both = ring('mk2');
  return {
    keys: {
      get current(): KeyWrapper {
        return now.current;
      },
      wrapper: (id) => both.wrapper(id),
      indexKey: both.indexKey,
    },
    use: (id) => (now = ring(id)),
  };
}

/** Enough people that the preparation's cryptography runs in the worker thread (≥ 256 per batch). */
const people = (n: number, from = 0): PersonToSeal[] =>
  Array.from({ length: n }, (_, i) => ({ role: 'consignee', data: { name: `Person ${from + i}`, street: `${i} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE', email: `p${from + i}@example.be` } }));
const seller: PersonToSeal['data'] = { name: 'Shenzhen Gadgets Co', street: '1 Futian Rd', postcode: '518000', city: 'Shenzhen', country: 'CN' };

describe.each(STORE_KINDS)('sealing prepared ahead of its transaction on %s', (kind) => {
  let store: TestStore;

  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(() => store.cleanup());

  it('stores the same subjects and records as sealing unprepared, and opens them', async () => {
    const { keys } = switchable();
    const vault = new Vault(keys);
    const batch = [...people(300), ...Array.from({ length: 300 }, () => ({ role: 'seller', data: { ...seller } }))];
    const prepared = vault.prepareSeal(batch);
    const refs = await store.db.transaction().execute((tx) => vault.seal(tx, batch, prepared));
    expect(new Set(refs.slice(0, 300)).size).toBe(300);
    expect(new Set(refs.slice(300)).size).toBe(1); // one seller, one record
    expect(await store.db.selectFrom('vault_subjects').select('id').execute()).toHaveLength(301);
    expect(await store.db.selectFrom('vault_records').select('id').execute()).toHaveLength(301);
    const opened = await vault.open(store.db, [refs[0]!, refs[299]!, refs[599]!], ['name']);
    expect(opened.map((o) => ('data' in o ? o.data.name : undefined))).toEqual(['Person 0', 'Person 299', 'Shenzhen Gadgets Co']);
    // The blind, name and content indexes are those of sealing unprepared: the same people again are the same records.
    expect(await vault.seal(store.db, [batch[5]!, batch[450]!])).toEqual([refs[5], refs[450]]);
    const screened = await vault.screenNames(store.db, refs, ['PERSON 123']);
    expect([...screened.matches.keys()]).toEqual([refs[123]]);
  });

  it('uses for people already in the vault their own subject, not the one prepared: one key per person', async () => {
    const { keys } = switchable();
    const vault = new Vault(keys);
    const known = await vault.seal(store.db, [...people(2), { role: 'seller', data: seller }]);
    // The same people again (one with a new address) among new ones, prepared as if all were new.
    const batch = [...people(300), { role: 'consignee', data: { ...people(1)[0]!.data, street: '9 Place du Marché' } }, { role: 'seller', data: { ...seller } }];
    const prepared = vault.prepareSeal(batch);
    const refs = await store.db.transaction().execute((tx) => vault.seal(tx, batch, prepared));
    expect(refs[0]).toBe(known[0]);
    expect(refs[1]).toBe(known[1]);
    expect(refs[301]).toBe(known[2]);
    expect(refs[300]).not.toBe(known[0]); // a new record…
    const [a, b] = await vault.open(store.db, [refs[0]!, refs[300]!], ['street']);
    expect(a && 'tag' in a && b && 'tag' in b && a.tag === b.tag).toBe(true); // …of the same person (same key, same tag)
    expect(b && 'data' in b ? b.data.street : undefined).toBe('9 Place du Marché');
    expect(await store.db.selectFrom('vault_subjects').select('id').execute()).toHaveLength(301);
  });

  it('seals only the prepared people it is given, and those it was not given the preparation of', async () => {
    const vault = new Vault(switchable().keys);
    const batch = people(400);
    const prepared = vault.prepareSeal(batch);
    // Half of them (as a manifest chunk whose other parcels were duplicates), and one never prepared.
    const some = [...batch.filter((_, i) => i % 2 === 0), ...people(1, 1000)];
    const refs = await store.db.transaction().execute((tx) => vault.seal(tx, some, prepared));
    expect(await store.db.selectFrom('vault_records').select('id').execute()).toHaveLength(201);
    const opened = await vault.open(store.db, refs, ['name']);
    expect(opened.map((o) => ('data' in o ? o.data.name : undefined))).toEqual(some.map((p) => p.data.name));
  });

  it('wraps again, under the new key, what was prepared before the master key changed', async () => {
    const { keys, use } = switchable();
    const vault = new Vault(keys);
    const batch = people(300);
    const prepared = vault.prepareSeal(batch);
    await prepared.ready;
    use('mk2');
    const refs = await store.db.transaction().execute((tx) => vault.seal(tx, batch, prepared));
    const wrappedWith = await store.db.selectFrom('vault_subjects').select('master_key_id').distinct().execute();
    expect(wrappedWith.map((r) => r.master_key_id)).toEqual(['mk2']);
    // Opened through a keyring that knows only mk2: every key was wrapped by it.
    const opened = await new Vault(ring('mk2')).open(store.db, refs, ['email']);
    expect(opened.every((o, i) => 'data' in o && o.data.email === `p${i}@example.be`)).toBe(true);
  });
});

// Two writers at once exist only on PostgreSQL (SQLite has one writer at a time): the second one's inserts
// wait on the first's unique keys, find them taken once it commits, and must then read back what it stored.
describe('two transactions sealing the same people at once on postgres', () => {
  let store: TestStore;
  const vault = new Vault(ring('mk1'));

  beforeEach(async () => {
    store = await openTestStore('postgres');
  });
  afterEach(() => store.cleanup());

  /** Seals `batch` in two transactions, the second started while the first holds its rows uncommitted. */
  async function sealTwiceAtOnce(batch: readonly PersonToSeal[]): Promise<[string[], string[]]> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let sealedFirst!: () => void;
    const firstSealed = new Promise<void>((resolve) => (sealedFirst = resolve));
    const first = store.db.transaction().execute(async (tx) => {
      const refs = await vault.seal(tx, batch);
      sealedFirst();
      await held;
      return refs;
    });
    await firstSealed;
    const second = store.db.transaction().execute((tx) => vault.seal(tx, batch));
    // The second waits on the first's keys; let it get there, then commit the first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    return Promise.all([first, second]);
  }

  const count = async (table: 'vault_subjects' | 'vault_records'): Promise<number> => (await store.db.selectFrom(table).select('id').execute()).length;

  it('give both the one subject and record per person that the first one stored', async () => {
    const batch = [...people(5), { role: 'seller', data: seller }];
    const [a, b] = await sealTwiceAtOnce(batch);
    expect(b).toEqual(a);
    expect([await count('vault_subjects'), await count('vault_records')]).toEqual([6, 6]);
    const opened = await vault.open(store.db, b, ['name']);
    expect(opened.map((o) => ('data' in o ? o.data.name : undefined))).toEqual(batch.map((p) => p.data.name));
  });

  it('give both the one new record per person already in the vault', async () => {
    await vault.seal(store.db, people(4));
    const moved = people(4).map((p) => ({ ...p, data: { ...p.data, street: '9 Place Saint-Lambert' } }));
    const [a, b] = await sealTwiceAtOnce(moved);
    expect(b).toEqual(a);
    expect([await count('vault_subjects'), await count('vault_records')]).toEqual([4, 8]);
    const opened = await vault.open(store.db, b, ['street']);
    expect(opened.map((o) => ('data' in o ? o.data.street : undefined))).toEqual(moved.map(() => '9 Place Saint-Lambert'));
  });
});
