import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal, generateToken, issueToken, revokePrincipal, type DenialLimits } from '../../src/auth/index.js';
import { buildApp } from '../../src/http/index.js';
import { PUBLIC_ROUTE, principalOf, requireRole } from '../../src/http/auth.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { entriesSince } from '../support/ledger-entries.js';
import { STORE_KINDS, openTestStore, type StoreKind, type TestStore } from '../support/stores.js';
import { openTestLedger } from '../support/hub.js';

interface AuthHub {
  readonly store: TestStore;
  readonly log: TransparencyLog;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

async function startHub(kind: StoreKind, denialLimits?: DenialLimits): Promise<AuthHub> {
  const store = await openTestStore(kind);
  const { key, log } = await openTestLedger(store, 'test.glasshub/auth');
  const app = await buildApp({ log, logVkey: key.vkey, requireCosigned: false, store, denialLimits }, { logger: false });
  // Test routes, registered as a feature would register its own.
  app.get('/test/protected', (req) => ({ id: principalOf(req).id, role: principalOf(req).role }));
  app.get('/test/orders/:id', { config: requireRole('dpo', 'auditor') }, () => ({ ok: true }));
  app.get('/test/public', { config: PUBLIC_ROUTE }, () => ({ ok: true }));
  app.post('/log/test-write', () => ({ written: true })); // a write in a public place stays protected
  app.get('/track/:trackingNumber', (req) => ({ tracking: (req.params as { trackingNumber: string }).trackingNumber }));
  return {
    store,
    log,
    app,
    close: async () => {
      await app.close();
      await log.close();
      await store.cleanup();
    },
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const officer = { name: 'Officer Jansen', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };

describe.each(STORE_KINDS)('HTTP authentication on %s', (kind) => {
  let hub: AuthHub;
  let good: string;
  let dpo: string;
  let revoked: string;

  beforeAll(async () => {
    hub = await startHub(kind);
    good = (await addPrincipal(hub.store.db, hub.log, officer)).token.token;
    dpo = (await addPrincipal(hub.store.db, hub.log, { name: 'DPO desk', role: 'dpo', organisation: 'hub-operator', country: 'be' })).token.token;
    const gone = await addPrincipal(hub.store.db, hub.log, { ...officer, name: 'Old scanner', role: 'scanner' });
    revoked = gone.token.token;
    await revokePrincipal(hub.store.db, hub.log, gone.principal.id);
  });
  afterAll(() => hub.close());

  /** Sends the request and returns it with the ledger entries it added. */
  async function send(url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') {
    const before = await hub.log.committedSize();
    const res = await hub.app.inject({ method, url, headers });
    return { res, added: await entriesSince(hub.log, before) };
  }

  it('answers 401 without a token, with WWW-Authenticate, and records exactly one access-denied entry', async () => {
    const { res, added } = await send('/test/protected?name=Alice');
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="glasshub"');
    expect(res.json()).toMatchObject({ status: 401, code: 'MISSING_TOKEN' });
    expect(added).toHaveLength(1);
    expect(added[0]).toEqual({
      type: 'access-denied',
      reason: 'missing-token',
      route: '/test/protected',
      method: 'GET',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      time: expect.any(String),
    });
    // The entry's index is given to the caller: the attempt is in the ledger before the answer.
    expect(Number(res.headers['glasshub-ledger-index'])).toBe((await hub.log.committedSize()) - 1);
  });

  it('answers 401 for a bad, malformed or revoked token; the ledger holds no token bytes and no IP', async () => {
    const made = `gh_${'A'.repeat(49)}`;
    for (const [headers, reason] of [
      [bearer(made), 'invalid-token'],
      [bearer(generateToken()), 'invalid-token'], // well-formed, never issued
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'invalid-token'],
      [bearer(good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A')), 'invalid-token'],
      [bearer(revoked), 'revoked'],
    ] as const) {
      const { res, added } = await send('/test/protected', headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({ type: 'access-denied', reason });
      const text = JSON.stringify(added[0]);
      expect(text).not.toContain('gh_');
      expect(text).not.toContain('127.0.0.1');
    }
  });

  it('names the principal (never its name) when a revoked token is refused', async () => {
    const { added } = await send('/test/protected', bearer(revoked));
    expect(added[0]!['principal']).toEqual({ id: expect.any(String), role: 'scanner', organisation: 'be-customs', country: 'BE' });
    expect(JSON.stringify(added)).not.toContain('Old scanner');
  });

  it('answers 403 naming the rule when the role is not admitted, and records it', async () => {
    const { res, added } = await send('/test/orders/42', bearer(good));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    expect(res.json<{ detail: string }>().detail).toContain('admits the roles dpo, auditor');
    expect(added).toEqual([
      expect.objectContaining({
        type: 'access-denied',
        reason: 'role-not-allowed',
        route: '/test/orders/:id', // the pattern, not the URL
        rolesAllowed: ['dpo', 'auditor'],
        principal: expect.objectContaining({ role: 'customs-officer', organisation: 'be-customs', country: 'BE' }),
      }),
    ]);
  });

  it('answers 200 with a good token, gives the handler the principal, and records nothing', async () => {
    const { res, added } = await send('/test/protected', bearer(good));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'customs-officer' });
    expect(added).toHaveLength(0);
    expect((await send('/test/orders/7', bearer(dpo))).res.statusCode).toBe(200);
  });

  it('keeps public routes public and protects writes in public places', async () => {
    for (const url of ['/test/public', '/log/checkpoint', '/log/vkey', '/openapi.json', '/track/RR123456785DE']) {
      const { res, added } = await send(url);
      expect(res.statusCode, url).toBe(200);
      expect(added).toHaveLength(0);
    }
    expect((await send('/log/test-write', {}, 'POST')).res.statusCode).toBe(401);
    expect((await send('/log/test-write', bearer(good), 'POST')).res.statusCode).toBe(200);
    // No route: 404, not a denial.
    const missing = await send('/no/such/route');
    expect(missing.res.statusCode).toBe(404);
    expect(missing.added).toHaveLength(0);
  });

  it('refuses an expired token', async () => {
    const principal = (await addPrincipal(hub.store.db, hub.log, { ...officer, role: 'sorter' })).principal;
    const soon = await issueToken(hub.store.db, hub.log, principal.id, { expiresAt: new Date(Date.now() + 30), now: new Date() });
    await new Promise((r) => setTimeout(r, 40));
    const { res, added } = await send('/test/protected', bearer(soon.token));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(added[0]).toMatchObject({ reason: 'expired' });
  });

  it('publishes the bearer scheme in OpenAPI, with public operations marked as such', async () => {
    const doc = (await hub.app.inject('/openapi.json')).json<{
      security: unknown;
      components: { securitySchemes: Record<string, { scheme: string }> };
      paths: Record<string, Record<string, { security?: unknown; 'x-glasshub-roles'?: unknown }>>;
    }>();
    expect(doc.components.securitySchemes['bearerAuth']!.scheme).toBe('bearer');
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/log/checkpoint']!['get']!.security).toEqual([]);
    expect(doc.paths['/test/protected']!['get']!.security).toBeUndefined();
    expect(doc.paths['/test/orders/{id}']!['get']!['x-glasshub-roles']).toEqual(['dpo', 'auditor']);
  });
});

describe('route auth options', () => {
  it('are checked when the route is registered, not when it is first called', async () => {
    const hub = await startHub('sqlite');
    try {
      const bad = [
        { config: { roles: ['boss'] } },
        { config: { roles: [] } },
        { config: { public: true, roles: ['dpo'] } },
      ] as unknown as { config: { roles: [] } }[];
      bad.forEach((options, i) => expect(() => hub.app.get(`/test/bad/${i}`, options, () => 'x')).toThrow(/route GET \/test\/bad/));
      expect(() => hub.app.get('/log/roles', { config: requireRole('dpo') }, () => 'x')).toThrow(/a public route cannot require roles/);
      expect(() => requireRole()).toThrow(/non-empty/);
    } finally {
      await hub.close();
    }
  });
});

describe('the denial burst limiter', () => {
  let hub: AuthHub;
  const now = Date.parse('2026-03-01T10:00:10Z');
  beforeAll(async () => {
    hub = await startHub('sqlite', { perMinute: 2, burstFlushMs: 300, now: () => now });
  });
  afterAll(() => hub.close());

  it('records the first denials one by one, then counts the rest into one burst entry per flush', async () => {
    const before = await hub.log.committedSize();
    for (let i = 0; i < 2; i++) expect((await hub.app.inject('/test/protected')).statusCode).toBe(401);
    const flood = await Promise.all(Array.from({ length: 25 }, () => hub.app.inject({ url: '/test/protected', headers: bearer('junk') })));
    expect(flood.every((r) => r.statusCode === 401)).toBe(true);
    const added = await entriesSince(hub.log, before);
    expect(added.map((e) => e['type'])).toEqual(['access-denied', 'access-denied', 'access-denied-burst']);
    expect(added[2]).toEqual({
      type: 'access-denied-burst',
      count: 25,
      reasons: { 'invalid-token': 25 },
      principalKnown: false,
      limit: 2,
      window: '2026-03-01T10:00:00.000Z',
      from: '2026-03-01T10:00:10.000Z',
      to: '2026-03-01T10:00:10.000Z',
    });
    // Every counted request waited for the entry that counts it.
    expect(new Set(flood.map((r) => r.headers['glasshub-ledger-index']))).toEqual(new Set([String(before + 2)]));
  });

  it('keeps a known principal’s denials apart from the anonymous flood', async () => {
    const { token } = (await addPrincipal(hub.store.db, hub.log, { ...officer, role: 'carrier', organisation: 'dpd-be' })).token;
    const before = await hub.log.committedSize();
    await hub.app.inject({ url: '/test/orders/1', headers: bearer(token) });
    const added = await entriesSince(hub.log, before);
    expect(added).toEqual([expect.objectContaining({ type: 'access-denied', reason: 'role-not-allowed' })]);
  });
});
