import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import { buildApp } from '../../src/http/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { testGate } from '../support/gate.js';
import { manifestLine, ndjsonLines, toCsv } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

const NOW = new Date('2026-11-25T06:30:00Z');

describe.each(STORE_KINDS)('POST /api/v1/manifests on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  let supervisor: Record<string, string>;
  let scanner: Record<string, string>;

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/manifests'));
    const gate = testGate(store, log);
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, intake: { store, sealer: gate, now: () => NOW } }, { logger: false });
    const add = async (role: string) =>
      (await addPrincipal(store.db, log, { name: `${role} desk`, role, organisation: 'hub-operator', country: 'BE' })).token.token;
    supervisor = { authorization: `Bearer ${await add('supervisor')}` };
    scanner = { authorization: `Bearer ${await add('scanner')}` };
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  const parcels = async () => Number((await store.db.selectFrom('parcels').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const post = (payload: string | Readable, contentType: string, headers = supervisor) =>
    app.inject({ method: 'POST', url: '/api/v1/manifests', headers: { ...headers, 'content-type': contentType }, payload });

  it('streams a body larger than any body limit, line by line, and answers 200 with the summary', async () => {
    const lines = Readable.from((function* () {
      for (const line of ndjsonLines(0, 20_000)) yield `${line}\n`;
    })());
    const res = await post(lines, 'application/x-ndjson');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      lines: 20_000,
      accepted: 20_000,
      rejected: 0,
      duplicates: 0,
      errors: [],
      errorsTruncated: false,
      flights: [{ id: 'CK231/2026-11-25', flightNumber: 'CK231', flightDate: '2026-11-25', accepted: 20_000 }],
    });
    expect(await parcels()).toBe(20_000);
  }, 120_000);

  it('answers 422 with the summary when some lines are rejected, and keeps the good ones', async () => {
    const body = [JSON.stringify(manifestLine(30_000)), '{"flight":"CK231"}', JSON.stringify(manifestLine(0))].join('\r\n');
    const res = await post(body, 'application/x-ndjson; charset=utf-8');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ lines: 3, accepted: 1, rejected: 1, duplicates: 1, errors: expect.arrayContaining([{ line: 2, field: 'awb', reason: 'is required' }]) });
  });

  it('reads CSV, and answers 400 problem+json for a header it cannot read', async () => {
    const ok = await post(toCsv([manifestLine(30_001), manifestLine(30_002)]), 'text/csv');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ accepted: 2 });
    const bad = await post('flight,colour\nCK231,red\n', 'text/csv; charset=UTF-8');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 400, code: 'INVALID_MANIFEST', errors: expect.arrayContaining([{ field: 'line 1: column "colour"', reason: 'unknown column' }]) });
  });

  it('refuses other content types and charsets (415), callers without a token (401) or the role (403)', async () => {
    for (const type of ['application/json', 'text/plain', 'text/csv; charset=latin1']) {
      const res = await post(JSON.stringify(manifestLine(1)), type);
      expect(res.statusCode, type).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // Two lines of NDJSON are not JSON: still the 415 that names the types, not a JSON parse error.
    const ndjsonAsJson = await post(`${JSON.stringify(manifestLine(1))}\n${JSON.stringify(manifestLine(2))}\n`, 'application/json');
    expect(ndjsonAsJson.statusCode).toBe(415);
    expect(ndjsonAsJson.json()).toMatchObject({ detail: expect.stringContaining('a manifest is application/x-ndjson or text/csv') });
    expect((await post('', 'application/x-ndjson', {})).statusCode).toBe(401);
    expect((await post('', 'application/x-ndjson', scanner)).statusCode).toBe(403);
  });

  it('publishes the manifest schema and documents the route', async () => {
    const schema = await app.inject({ method: 'GET', url: '/api/v1/manifests/schema' });
    expect(schema.statusCode).toBe(200);
    expect(schema.json()).toMatchObject({ $id: 'https://glasshub.dev/schemas/manifest-line.json', type: 'object' });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>> }>();
    expect(Object.keys(doc.paths['/api/v1/manifests']!['post']!.requestBody!.content)).toEqual(['application/x-ndjson', 'text/csv']);
  });

  it('over a real socket, imports the first chunks while the body is still being sent', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const before = await parcels();
    const req = httpRequest(`${address}/api/v1/manifests`, { method: 'POST', headers: { ...supervisor, 'content-type': 'application/x-ndjson' } });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.write(`${[...ndjsonLines(40_000, 42_500)].join('\n')}\n`);
    // The first 2,000-line chunk is committed before the rest of the body exists.
    for (let i = 0; i < 600 && (await parcels()) < before + 2_000; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await parcels()).toBe(before + 2_000);
    req.end(`${[...ndjsonLines(42_500, 44_000)].join('\n')}\n`);
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ lines: 4_000, accepted: 4_000 });
    expect(await parcels()).toBe(before + 4_000);
  }, 120_000);
});
