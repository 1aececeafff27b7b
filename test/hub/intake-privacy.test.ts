/**
 * Rule: a consignee's or seller's data never appears in clear outside the vault — not in a table, not in an
 * answer, not in a log line. A manifest with planted, unique personal data is imported (over HTTP, with
 * logging at its most verbose), then every table of the store is searched for those bytes.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { LoggerOptions } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import type { Gate } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { testGate } from '../support/gate.js';
import { manifestLine, ndjsonLines } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

describe.each(STORE_KINDS)('personal data of a manifest on %s', (kind) => {
  const tag = randomBytes(6).toString('hex');
  const planted = {
    name: `Zoë Planted-${tag}`,
    street: `${tag} Secret Lane 7`,
    city: `Hiddenville${tag}`,
    email: `zoe.${tag}@planted.example`,
    phone: `+32 470 ${tag.replace(/\D/g, '').padEnd(6, '1').slice(0, 6)}`,
    seller: `Seller ${tag} Ltd`,
    sellerStreet: `No. 8 ${tag} Road`,
    sellerPostcode: `S${tag}`,
    sellerCity: `Sellertown${tag}`,
  };
  const plantedSeller = { name: planted.seller, street: planted.sellerStreet, postcode: planted.sellerPostcode, city: planted.sellerCity, country: 'CN' };
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  const logLines: string[] = [];
  let answer = '';

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/privacy'));
    gate = testGate(store, log);
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = await buildApp(
      { log, logVkey: 'unused', requireCosigned: false, store, intake: { store, sealer: gate } },
      { logger: { level: 'trace', stream } as LoggerOptions },
    );
    const token = (await addPrincipal(store.db, log, { name: 'Intake desk', role: 'supervisor', organisation: 'hub-operator', country: 'BE' })).token.token;
    const base = manifestLine(1);
    const person = { ...base.consignee, name: planted.name, street: planted.street, city: planted.city, email: planted.email, phone: planted.phone };
    const body = [
      ...ndjsonLines(100, 110),
      JSON.stringify(manifestLine(1, { consignee: person, seller: plantedSeller })),
      // The same people in refused lines: each field wrong in turn, so that every reason is written.
      JSON.stringify(manifestLine(2, { consignee: { ...person, email: `${planted.email}@@` }, seller: { ...plantedSeller, country: 'XX', postcode: `${planted.sellerPostcode}${planted.sellerPostcode}`, city: `${planted.sellerCity}\u0007` } })),
      JSON.stringify(manifestLine(3, { consignee: { ...person, phone: `${planted.phone} ext. ${planted.name}` } })),
      JSON.stringify(manifestLine(4, { consignee: { ...person, name: `${planted.name}\u0000`, city: `${planted.city}\u0007` } })),
      JSON.stringify({ ...manifestLine(5, { consignee: person }), [planted.email]: planted.name }),
      `{"consignee": {"name": "${planted.name}", "email": "${planted.email}"`, // not even JSON
    ].join('\n');
    const res = await app.inject({ method: 'POST', url: '/api/v1/manifests', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: body });
    answer = res.body;
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ accepted: 11, rejected: 5 });
    await app.close();
  });
  afterAll(async () => {
    await log.close();
    await store.cleanup();
  });

  const needles = () => Object.values(planted).flatMap((v) => [v, v.toLowerCase()]);

  it('is stored, and only the gate gives it back', async () => {
    const parcel = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).where('tracking_number', '=', manifestLine(1).trackingNumber).executeTakeFirstOrThrow();
    const principal = { id: 'dpo-1', role: 'dpo', organisation: 'hub-operator', country: 'BE' };
    const read = await gate.access({ principal, action: 'read', purpose: 'subject-access', refs: [parcel.consignee_ref], category: 'consignee', fields: ['email'] });
    expect(read.records[0]).toMatchObject({ data: { email: planted.email } });
    const seller = await gate.access({ principal, action: 'read', purpose: 'subject-access', refs: [parcel.seller_ref!], category: 'seller', fields: ['street', 'postcode', 'city'] });
    expect(seller.records[0]).toMatchObject({ data: { street: planted.sellerStreet, postcode: planted.sellerPostcode, city: planted.sellerCity } });
  });

  it('is in no table in clear — the vault tables included — nor in the answer or a log line', async () => {
    const tables =
      kind === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(store.db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(store.db)).rows.map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['parcels', 'parcel_items', 'flights', 'awbs', 'ulds', 'vault_subjects', 'vault_records', 'log_entry_bundles']));
    const found: string[] = [];
    for (const table of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db)).rows;
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          const bytes = Buffer.isBuffer(value) ? value : value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
          for (const needle of needles()) if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${table}.${column}`);
        }
      }
    }
    expect(found).toEqual([]);
    for (const needle of needles()) expect(answer).not.toContain(needle);
    expect(logLines.length).toBeGreaterThan(0);
    for (const needle of needles()) expect(logLines.join('')).not.toContain(needle);
  });
});
