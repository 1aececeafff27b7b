import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import { parseVerifierKey, verifyReceipts, type TransparencyLog } from '../../src/ledger/index.js';
import { OutboxTransport, SubjectAccess, checkReceipts, escapeHtml, pageLanguage, type SubjectReport } from '../../src/privacy/index.js';
import type { LogKey } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { openTestLedger } from '../support/hub.js';

const NASTY = 'Alice <script>alert("x")</script> & Co';
const alice = { name: NASTY, street: "12 Rue d'Harscamp", postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be', phone: '+32470000001' };
const PAGE = '/api/v1/subject-access/page';
const form = (fields: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('the page language', () => {
  it.each([
    [undefined, undefined, 'en'],
    [undefined, 'fr-BE,fr;q=0.9,en;q=0.8', 'fr'],
    [undefined, 'en;q=0.5, nl-BE', 'nl'],
    [undefined, 'es, de;q=0.3', 'de'],
    [undefined, 'ja, zh', 'en'],
    ['de', 'fr-BE', 'de'],
    ['xx', 'nl', 'nl'],
    [undefined, 'fr;q=0, de', 'de'],
  ])('?lang=%s, Accept-Language %s → %s', (query, header, expected) => {
    expect(pageLanguage(query, header)).toBe(expected);
  });

  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe.each(STORE_KINDS)('the readable subject-access page on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let key: LogKey;
  let app: FastifyInstance;
  let outbox: string;
  let customsIndex: number;
  let cookie: string;
  let sar: SubjectAccess;

  beforeAll(async () => {
    store = await openTestStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'gh-page-'));
    ({ key, log } = await openTestLedger(store));
    const gate = testGate(store, log);
    outbox = join(dir, 'outbox');
    sar = new SubjectAccess({ db: store.db, gate, log, email: new OutboxTransport(outbox) });
    app = await buildApp({ log, logVkey: key.vkey, requireCosigned: false, store, gate, subjectAccess: sar }, { logger: false });
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: alice }]);
    await insertParcel(store, 'RR473124829GB', ref!);
    customsIndex = (await gate.access({ principal: { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' }, action: 'read', purpose: 'customs-control', refs: [ref!], category: 'consignee', fields: ['name'] })).ledgerIndex;
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  it('walks a person through the forms without script, in the language their browser asks for', async () => {
    const start = await app.inject({ url: PAGE, headers: { 'accept-language': 'fr-BE,fr;q=0.9' } });
    expect(start.statusCode).toBe(200);
    expect(start.headers['content-type']).toContain('text/html');
    expect(start.body).toContain('<html lang="fr">');
    expect(start.body).toContain('Consulter vos données');
    expect(start.body).not.toContain('<script');

    const code = await app.inject({ method: 'POST', url: `${PAGE}/code`, ...form({ trackingNumber: 'RR473124829GB', postcode: '4000', lang: 'fr' }) });
    expect(code.statusCode).toBe(200);
    const requestId = /name="requestId" value="([^"]+)"/.exec(code.body)![1]!;
    const sent = /code is (\d{6})/.exec(readFileSync(join(outbox, readdirSync(outbox).sort().at(-1)!), 'utf8'))![1]!;

    const wrong = await app.inject({ method: 'POST', url: `${PAGE}/session`, ...form({ requestId, code: sent === '000000' ? '111111' : '000000', lang: 'fr' }) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('Quelque chose ne va pas');

    const ok = await app.inject({ method: 'POST', url: `${PAGE}/session`, ...form({ requestId, code: sent, lang: 'fr' }) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`${PAGE}/report?lang=fr`);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
  });

  it('shows the data (escaped), recipients, retention dates and every entry with its proof checked — and the raw proof verifies', async () => {
    const res = await app.inject({ url: `${PAGE}/report?lang=de`, headers: { cookie, 'accept-language': 'fr' } });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const page = res.body;
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Ihre Daten');
    expect(page).not.toContain('<script');
    expect(page).toContain(escapeHtml(NASTY));
    expect(page).toContain('12 Rue d&#39;Harscamp');
    expect(page).toContain('be-customs');
    expect(page).toMatch(/RR473124829GB<\/td><td>manifested<\/td><td>CK231\/2026-11-25<\/td><td>[^<]+<\/td><td>\d{4}-\d{2}-\d{2}<\/td>/);
    expect(page).toContain(`id="entry-${customsIndex}"`);
    // Links to the other languages keep the reader on the report.
    for (const l of ['en', 'fr', 'nl']) expect(page).toContain(`href="${PAGE}/report?lang=${l}"`);

    // The report behind the page: every entry is on it; those in the checkpoint are shown as verified.
    const report = (await app.inject({ url: `${PAGE}/report`, headers: { cookie } })).body;
    expect(report).toContain('<html lang="en">');
    const verifiedCount = (report.match(/class="verified">verified/g) ?? []).length;
    const pendingCount = (report.match(/class="pending">/g) ?? []).length;
    expect(verifiedCount + pendingCount).toBe((report.match(/<tr id="entry-/g) ?? []).length);
    expect(verifiedCount).toBeGreaterThan(0);
    expect(report).not.toContain('class="failed"');

    // What the page shows raw is what a person's own verifier accepts.
    const checkpoint = unescape(/<h2>Signed checkpoint<\/h2><pre>([\s\S]*?)<\/pre>/.exec(report)![1]!);
    const receipt = JSON.parse(unescape(/<summary>Entry and proof \(base64\)<\/summary><pre>([\s\S]*?)<\/pre>/.exec(report)![1]!)) as { index: number; entry: string; proof: string[] };
    expect(verifyReceipts({ checkpoint, receipts: [receipt] }, parseVerifierKey(key.vkey)).entries[0]!.index).toBe(receipt.index);
  });

  it('marks a receipt that does not verify as failed, and one without a key as not checked', () => {
    const report: SubjectReport = {
      subject: 't', data: [], parcels: [], customsRetention: null, purposes: [], recipients: [], entries: [], pending: [7],
      receipts: { checkpoint: 'not a checkpoint', receipts: [{ index: 3, entry: 'e30=', proof: [] }] },
    };
    expect([...checkReceipts(report, key.vkey)]).toEqual([[7, 'pending'], [3, 'failed']]);
    expect([...checkReceipts(report, undefined)]).toEqual([[7, 'pending'], [3, 'unchecked']]);
  });

  it('answers without a session with the start form, in Dutch when asked', async () => {
    const res = await app.inject({ url: `${PAGE}/report`, headers: { 'accept-language': 'nl-BE' } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('<html lang="nl">');
    expect(res.body).toContain('Uw gegevens inzien');
    expect(res.body).toContain(`action="${PAGE}/code"`);
  });

  it('answers a refused form with the start form and the reason as a page, escaped, never as problem+json', async () => {
    const before = await store.db.selectFrom('subject_access_requests').select('id').execute();
    const cases = [
      [{ method: 'POST' as const, url: `${PAGE}/code`, ...form({ trackingNumber: 'R'.repeat(41), postcode: '4000' }) }, 400, 'body.trackingNumber'],
      [{ method: 'POST' as const, url: `${PAGE}/code`, ...form({ trackingNumber: 'RR473124829GB', '<b>x\u0000': '1', postcode: '4000' }) }, 400, 'must not contain the NUL character'],
      [{ method: 'POST' as const, url: `${PAGE}/session`, ...form({ code: '123456' }) }, 400, 'body.requestId'],
      [{ method: 'POST' as const, url: `${PAGE}/code`, headers: { 'content-type': 'text/xml' }, payload: '<form/>' }, 415, 'Content-Type is not a body format'],
    ] as const;
    for (const [request, status, reason] of cases) {
      const res = await app.inject({ ...request, headers: { ...request.headers, 'accept-language': 'fr-BE' } });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBeDefined();
      expect(res.body).toContain('<html lang="fr">');
      expect(res.body).toContain(`action="${PAGE}/code"`);
      expect(unescape(res.body)).toContain(reason);
      expect(res.body).not.toContain('<b>');
    }
    expect(await store.db.selectFrom('subject_access_requests').select('id').execute()).toEqual(before);
  });
});
