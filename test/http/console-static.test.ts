import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/index.js';
import { CONTENT_SECURITY_POLICY } from '../../src/http/static.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { entriesSince } from '../support/ledger-entries.js';
import { openTestStore, type TestStore } from '../support/stores.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Bx7f3a.js"></script></head><body><div id="root"></div></body></html>';
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** A built console as Vite lays it out: index.html, hashed assets, and a top-level file from public/. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'gh-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-Bx7f3a.js'), 'console.log("app")');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(root, 'openapi.json'), '{"shadow":true}'); // must never shadow the server's own route
  return root;
}

// Serving files touches no table: one store (SQLite) is enough here; the API suites run on both.
describe('the web console served by the hub', () => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    ({ log } = await openTestLedger(store, 'test.glasshub/web'));
    const deps = { log, logVkey: 'unused', requireCosigned: false, store };
    app = await buildApp(deps, { logger: false, console: { root: fakeBuild() } });
    bare = await buildApp(deps, { logger: false, console: { root: join(tmpdir(), 'gh-no-such-build', 'dist') } });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await log.close();
    await store.cleanup();
  });

  it('serves index.html at / with no-cache and the security headers, without a token', async () => {
    const res = await app.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves hashed assets as immutable, other top-level files with no-cache, and 404s unknown assets', async () => {
    const js = await app.inject({ url: '/assets/index-Bx7f3a.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log("app")');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-type']).toContain('javascript');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    const missing = await app.inject({ url: '/assets/index-nope.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('answers index.html for console paths and their sub-paths when a browser asks, 404 otherwise', async () => {
    for (const url of ['/ops', '/ops/flights/SK1234-2026-11-25', '/customs', '/audit/access', '/me', '/admin/principals', '/sign-in', '/forbidden']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    const json = await app.inject({ url: '/ops', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect(json.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps the API, the log, tracking, EPCIS and OpenAPI on their own routes and 404s, and records no denial for pages', async () => {
    const before = await log.committedSize();
    for (const url of ['/api/v1/nope', '/epcis/nope', '/log/nope', '/operations']) {
      const res = await app.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
    expect((await app.inject({ url: '/api/v1/session', headers: html })).statusCode).toBe(401); // protected, not the app
    expect((await app.inject({ url: '/openapi.json' })).json()).toHaveProperty('openapi');
    expect((await app.inject({ url: '/log/checkpoint' })).statusCode).toBe(200);
    await app.inject({ url: '/ops', headers: html });
    expect((await entriesSince(log, before)).map((e) => e['route'])).toEqual(['/api/v1/session']);
    // The console's pages are not API operations.
    const paths = Object.keys((await app.inject({ url: '/openapi.json' })).json<{ paths: object }>().paths);
    expect(paths.filter((p) => p === '/' || p.startsWith('/ops') || p.startsWith('/assets'))).toEqual([]);
  });

  it('explains how to build the console when web/dist does not exist', async () => {
    const res = await bare.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build');
    expect((await bare.inject({ url: '/ops/flights', headers: html })).body).toContain('has not been built');
    expect((await bare.inject({ url: '/assets/index.js' })).statusCode).toBe(404);
    expect((await bare.inject({ url: '/log/checkpoint' })).statusCode).toBe(200);
  });
});
