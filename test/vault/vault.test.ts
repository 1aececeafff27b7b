import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Vault, keyringFrom, type VaultKeyring } from '../../src/vault/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const keyring = (current = 'mk1', keys: Record<string, Buffer> = { mk1: randomBytes(32) }, index = randomBytes(32)): VaultKeyring =>
  keyringFrom({ current, keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, v.toString('base64')])), index: index.toString('base64') });

const alice = { name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be', phone: '+32470000001' };

describe.each(STORE_KINDS)('vault on %s', (kind) => {
  let store: TestStore;
  let vault: Vault;

  beforeEach(async () => {
    store = await openTestStore(kind);
    vault = new Vault(keyring());
  });
  afterEach(() => store.cleanup());

  it('stores only ciphertext and opens it again, field by field', async () => {
    const [ref] = await vault.seal(store.db, [{ role: 'consignee', data: alice }]);
    const rows = await store.db.selectFrom('vault_records').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.ciphertext).includes(Buffer.from('Alice'))).toBe(false);
    const [opened] = await vault.open(store.db, [ref!], ['country', 'postcode']);
    expect(opened).toMatchObject({ recordId: ref, data: { country: 'BE', postcode: '4000' } });
    expect('name' in (opened as { data: object }).data).toBe(false);
  });

  it('recognises the same person again: one key, one record for identical data, a new record for a new address', async () => {
    const refs = await vault.seal(store.db, [
      { role: 'consignee', data: alice },
      { role: 'consignee', data: { ...alice } },
      { role: 'consignee', data: { ...alice, email: ' ALICE@example.be ' } },
      { role: 'consignee', data: { ...alice, street: '1 Place du Marché' } },
    ]);
    expect(refs[0]).toBe(refs[1]);
    expect(new Set(refs).size).toBe(3);
    expect(await store.db.selectFrom('vault_subjects').selectAll().execute()).toHaveLength(1);
    const again = await vault.seal(store.db, [{ role: 'consignee', data: alice }]);
    expect(again[0]).toBe(refs[0]);
    const opened = await vault.open(store.db, refs);
    const tags = opened.map((o) => ('tag' in o ? o.tag : undefined));
    expect(new Set(tags).size).toBe(1);
  });

  it('seals a freighter-sized batch (its cryptography in a worker thread) exactly as one person at a time', async () => {
    const people = Array.from({ length: 400 }, (_, i) => ({ role: 'consignee', data: { ...alice, name: `Person ${i} Müller`, email: `p${i}@example.be` } }));
    const refs = await vault.seal(store.db, people);
    expect(new Set(refs).size).toBe(400);
    const opened = await vault.open(store.db, refs, ['name', 'email']);
    opened.forEach((o, i) => expect(o).toMatchObject({ recordId: refs[i], data: { name: `Person ${i} Müller`, email: `p${i}@example.be` } }));
    // Sealed again one by one: the same person and data are the same record (blind and content indexes agree).
    expect(await vault.seal(store.db, [people[123]!])).toEqual([refs[123]]);
    expect(await vault.seal(store.db, [{ role: 'consignee', data: { ...people[7]!.data, street: '2 Rue Basse' } }])).not.toEqual([refs[7]]);
    expect(await store.db.selectFrom('vault_subjects').selectAll().execute()).toHaveLength(400);
    // Name hashes agree with the screening's: a listed name is found among the batch.
    const screened = await vault.screenNames(store.db, refs, ['PERSON 321 MULLER']);
    expect([...screened.matches.keys()]).toEqual([refs[321]]);
     // Tags from the batch equal those of one record at a time; a changed ciphertext fails the whole batch.
    const tags = await vault.identify(store.db, refs);
    expect(await vault.identify(store.db, [refs[9]!])).toEqual([tags[9]]);
    const [victim] = await store.db.selectFrom('vault_records').select(['id', 'ciphertext']).where('id', '=', refs[200]!).execute();
    const changed = Buffer.from(victim!.ciphertext);
    changed[20]! ^= 1;
    await store.db.updateTable('vault_records').set({ ciphertext: changed }).where('id', '=', refs[200]!).execute();
    await expect(vault.open(store.db, refs, ['name'])).rejects.toThrow(/authenticate/);
  });

  it('seals a person repeated on many lines once, and the same data under another role apart', async () => {
    const seller = { name: 'Good Seller Ltd', street: '9 Nanjing Rd', postcode: '200000', city: 'Shanghai', country: 'CN' };
    const refs = await vault.seal(store.db, [
      ...Array.from({ length: 50 }, () => ({ role: 'seller' as const, data: { ...seller } })),
      { role: 'consignee', data: { ...seller } },
    ]);
    expect(new Set(refs.slice(0, 50)).size).toBe(1);
    expect(refs[50]).not.toBe(refs[0]);
    expect(await store.db.selectFrom('vault_records').select('id').execute()).toHaveLength(2);
    expect(await store.db.selectFrom('vault_subjects').select('id').execute()).toHaveLength(2);
  });

  it('crypto-shredding leaves the records unreadable and the next parcel of that person gets a new key', async () => {
    const [ref] = await vault.seal(store.db, [{ role: 'consignee', data: alice }]);
    const before = await vault.open(store.db, [ref!]);
    const subject = await vault.subjectOf(store.db, ref!);
    expect(await vault.shred(store.db, subject!)).toBe(true);
    expect(await vault.open(store.db, [ref!])).toEqual([{ recordId: ref, erased: true }]);
    const [after] = await vault.seal(store.db, [{ role: 'consignee', data: alice }]);
    expect(after).not.toBe(ref);
    const [reopened] = await vault.open(store.db, [after!]);
    expect((reopened as { tag: string }).tag).not.toBe((before[0] as { tag: string }).tag);
  });

  it('refuses ciphertext that was tampered with', async () => {
    const [ref] = await vault.seal(store.db, [{ role: 'consignee', data: alice }]);
    const row = await store.db.selectFrom('vault_records').select('ciphertext').where('id', '=', ref!).executeTakeFirstOrThrow();
    const bad = Buffer.from(row.ciphertext);
    bad[20] = bad[20]! ^ 1;
    await store.db.updateTable('vault_records').set({ ciphertext: bad }).where('id', '=', ref!).execute();
    await expect(vault.open(store.db, [ref!])).rejects.toThrow();
  });

  it('rotates the master key without losing a record, and old keys keep working until then', async () => {
    const mk1 = randomBytes(32);
    const index = randomBytes(32);
    const v1 = new Vault(keyring('mk1', { mk1 }, index));
    const refs = await v1.seal(store.db, Array.from({ length: 25 }, (_, i) => ({ role: 'consignee', data: { ...alice, email: `p${i}@example.be` } })));
    const v2 = new Vault(keyring('mk2', { mk1, mk2: randomBytes(32) }, index));
    const readable = await v2.open(store.db, refs);
    expect(readable.every((r) => 'data' in r)).toBe(true);
    expect(await v2.rotate(store.db, 10)).toBe(25);
    const ids = await store.db.selectFrom('vault_subjects').select('master_key_id').execute();
    expect(new Set(ids.map((r) => r.master_key_id))).toEqual(new Set(['mk2']));
    const afterRotation = await v2.open(store.db, refs);
    expect(afterRotation.map((r) => ('data' in r ? r.data.email : null))).toEqual(refs.map((_, i) => `p${i}@example.be`));
  });
});
