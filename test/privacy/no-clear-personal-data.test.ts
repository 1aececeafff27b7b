/**
 * The planted-name test: a consignee with a unique name, street, e-mail and phone, and a seller with a unique
 * address, are imported with the real
 * gate, read through the gate (allowed and denied), served over HTTP, and given back to the person by subject
 * access. Then every byte the hub keeps is searched — the raw SQLite file and its WAL, every text and bytea
 * column of every PostgreSQL table, every ledger entry — and so is the log output of the HTTP app: the
 * planted strings are never found (case-insensitive, UTF-8 and UTF-16LE).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import type { LoggerOptions } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import type { Gate } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import { importManifest } from '../../src/hub/intake/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { OutboxTransport, SubjectAccess } from '../../src/privacy/index.js';
import { testGate } from '../support/gate.js';
import { asAsync, manifestLine, ndjsonLines } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const tag = randomBytes(5).toString('hex');
const digits = [...randomBytes(6)].map((b) => String(b % 10)).join('');
const planted = {
  name: `Zoë Plantedname${tag}`,
  street: `${tag}Secretlane 7`,
  email: `zoe.${tag}@plantedmail.example`,
  phone: `+32 470 ${digits}`,
};
/** The seller's address: sealed with the seller's record, as the consignee's. */
const plantedSeller = { street: `${tag}Sellerroad 9`, postcode: `PC${tag}`, city: `${tag}Sellercity` };
/** Every planted string, and the distinctive ASCII part of each (case folding of ë is not byte-wise). */
const NEEDLES = [...Object.values(planted), ...Object.values(plantedSeller), `Plantedname${tag}`, `${tag}Secretlane`, `zoe.${tag}`, `470 ${digits}`, `470${digits}`];

/** Case-insensitive search of the bytes for the needle in UTF-8 and in UTF-16LE. */
function contains(hay: Buffer, needle: string): boolean {
  const text = hay.toString('latin1').toLowerCase();
  return (['utf8', 'utf16le'] as const).some((enc) => text.includes(Buffer.from(needle, enc).toString('latin1').toLowerCase()));
}
const found = (where: string, hay: Buffer): string[] => NEEDLES.filter((n) => contains(hay, n)).map((n) => `${where}: ${n}`);

describe('the planted-name search', () => {
  it('finds what it looks for, whatever the case and encoding', () => {
    expect(contains(Buffer.from(`xx${planted.name.toUpperCase()}yy`, 'utf16le'), `Plantedname${tag}`)).toBe(true);
    expect(contains(Buffer.from(`..${planted.email.toUpperCase()}`, 'utf8'), planted.email)).toBe(true);
  });
});

describe.each(STORE_KINDS)('no personal data in clear on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  const logOutput: string[] = [];
  const line = manifestLine(1, { consignee: { ...manifestLine(1).consignee, ...planted }, seller: { ...manifestLine(1).seller, ...plantedSeller } });
  const tn = line.trackingNumber;

  beforeAll(async () => {
    store = await openTestStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'gh-planted-'));
    ({ log } = await openTestLedger(store, 'test.glasshub/planted'));
    gate = testGate(store, log);
    const summary = await importManifest({ db: store.db, dialect: store.dialect, sealer: gate }, asAsync([...ndjsonLines(100, 120), JSON.stringify(line)]), 'ndjson');
    expect(summary).toMatchObject({ accepted: 21, rejected: 0 });
    const { consignee_ref: ref, seller_ref: sellerRef } = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).where('tracking_number', '=', tn).executeTakeFirstOrThrow();

    // Reads through the gate: allowed, and denied.
    const supervisor = { id: 'sup-1', role: 'supervisor', organisation: 'hub-operator', country: 'BE' };
    const customs = await gate.access({ principal: { id: 'off-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' }, action: 'read', purpose: 'customs-control', refs: [ref], category: 'consignee', fields: ['name', 'street'] });
    expect(customs.records[0]).toMatchObject({ data: { name: planted.name, street: planted.street } }); // the search below is not vacuous
    const sellerRead = await gate.access({ principal: { id: 'off-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' }, action: 'read', purpose: 'customs-control', refs: [sellerRef!], category: 'seller', fields: ['street', 'postcode', 'city'] });
    expect(sellerRead.records[0]).toMatchObject({ data: plantedSeller });
    await gate.access({ principal: supervisor, action: 'read', purpose: 'sorting', refs: [ref], category: 'consignee', fields: ['name', 'email', 'phone'] });
    await gate.access({ principal: { ...supervisor, country: 'US' }, action: 'read', purpose: 'exception-handling', refs: [ref], category: 'consignee', fields: ['name'] });

    // The HTTP app, logging at its most verbose: a parcel read, and the person's own subject access.
    const outbox = join(dir, 'outbox');
    const subjectAccess = new SubjectAccess({ db: store.db, gate, log, email: new OutboxTransport(outbox) });
    const stream = new Writable({
      write: (chunk: Buffer, _enc, done) => {
        logOutput.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate, subjectAccess }, { logger: { level: 'trace', stream } as LoggerOptions });
    const token = (await addPrincipal(store.db, log, { name: 'Desk', role: 'supervisor', organisation: 'hub-operator', country: 'BE' })).token.token;
    const read = await app.inject({ method: 'GET', url: `/api/v1/parcels/${tn}?purpose=exception-handling`, headers: { authorization: `Bearer ${token}` } });
    expect(read.json()).toMatchObject({ consignee: { name: planted.name } });
    const start = await app.inject({ method: 'POST', url: '/api/v1/subject-access/requests', payload: { trackingNumber: tn, postcode: line.consignee.postcode } });
    const mail = readFileSync(join(outbox, readdirSync(outbox)[0]!), 'utf8');
    const code = /code is (\d{6})/.exec(mail)![1]!;
    const session = await app.inject({ method: 'POST', url: '/api/v1/subject-access/sessions', payload: { requestId: start.json<{ requestId: string }>().requestId, code } });
    const report = await app.inject({ method: 'GET', url: '/api/v1/subject-access/report', headers: { 'x-subject-session': session.json<{ sessionToken: string }>().sessionToken } });
    expect(report.json()).toMatchObject({ data: [{ email: planted.email, phone: planted.phone }] });
    await app.close();
  });
  afterAll(async () => {
    await log.close();
    await store.cleanup();
  });

  it.runIf(kind === 'sqlite')('is not in the raw SQLite file, nor in its WAL', () => {
    const files = [store.url, `${store.url}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.flatMap((f) => found(f, readFileSync(f)))).toEqual([]);
  });

  it.runIf(kind === 'postgres')('is in no text or bytea column of any PostgreSQL table', async () => {
    const columns = (
      await sql<{ table_name: string; column_name: string }>`
        select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema = ${store.schema!} and c.data_type in ('text', 'bytea', 'character varying', 'character', 'json', 'jsonb')`.execute(store.db)
    ).rows;
    expect(columns.map((c) => c.table_name)).toEqual(expect.arrayContaining(['parcels', 'vault_records', 'log_entry_bundles', 'subject_access_requests']));
    const hits: string[] = [];
    for (const { table_name: t, column_name: c } of columns) {
      const rows = (await sql<{ v: unknown }>`select ${sql.ref(c)} as v from ${sql.table(`${store.schema!}.${t}`)}`.execute(store.db)).rows;
      for (const { v } of rows) {
        if (v === null) continue;
        const bytes = Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8');
        hits.push(...found(`${t}.${c}`, bytes));
      }
    }
    expect(hits).toEqual([]);
  });

  it('is in no ledger entry', async () => {
    const size = await log.committedSize();
    expect(size).toBeGreaterThan(5);
    const hits: string[] = [];
    for (let i = 0; i < size; i++) hits.push(...found(`entry ${i}`, await log.readEntry(i)));
    expect(hits).toEqual([]);
  });

  it('is in no log line of the app that served it', () => {
    expect(logOutput.length).toBeGreaterThan(0);
    expect(found('log output', Buffer.from(logOutput.join(''), 'utf8'))).toEqual([]);
  });
});
