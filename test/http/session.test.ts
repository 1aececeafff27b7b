import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal, issueToken, revokePrincipal, revokeToken } from '../../src/auth/index.js';
import { buildApp } from '../../src/http/index.js';
import { requireRole } from '../../src/http/auth.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { entriesSince } from '../support/ledger-entries.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const MINUTE = 60_000;
const operator = { name: 'Shift lead Maes', role: 'supervisor', organisation: 'hub-operator', country: 'BE' };

interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly res: LightMyRequestResponse;
}

describe.each(STORE_KINDS)('console sessions on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let app: FastifyInstance;
  let clock = Date.parse('2026-11-25T08:00:00Z');
  let token: string;

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/session'));
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, sessions: { ttlMs: 8 * 60 * MINUTE, idleMs: 30 * MINUTE, now: () => clock } }, { logger: false });
    // A state-changing test route, as a feature would register one.
    app.post('/test/write', () => ({ written: true }));
    app.get('/test/dpo-only', { config: requireRole('dpo') }, () => ({ ok: true }));
    token = (await addPrincipal(store.db, log, operator, { now: new Date(clock) })).token.token;
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  async function signIn(with_ = token, headers: Record<string, string> = {}): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: with_ }, headers });
    const set = res.cookies.find((c) => c.name === 'glasshub_session');
    return { res, cookie: set ? `glasshub_session=${set.value}` : '', csrf: res.statusCode === 200 ? res.json<{ csrfToken: string }>().csrfToken : '' };
  }
  const get = (s: Session, url = '/api/v1/session') => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

  it('signs in into an HttpOnly, SameSite=Strict, Path=/ cookie and says who signed in', async () => {
    const s = await signIn();
    expect(s.res.statusCode).toBe(200);
    const body = s.res.json<{ principal: object; csrfToken: string; expiresAt: string; idleTimeoutSeconds: number }>();
    expect(body.principal).toEqual({ id: expect.any(String), role: 'supervisor', organisation: 'hub-operator', country: 'BE', name: 'Shift lead Maes' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe(new Date(clock + 8 * 60 * MINUTE).toISOString());
    expect(body.idleTimeoutSeconds).toBe(1800);
    const cookie = s.res.cookies.find((c) => c.name === 'glasshub_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeUndefined(); // plain HTTP here; TLS below
    expect(cookie.value).not.toBe(token);
    expect(s.res.headers['cache-control']).toBe('no-store');
    const me = await get(s);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ principal: { role: 'supervisor' }, csrfToken: body.csrfToken });
    // Only hashes are stored: neither the session id nor the CSRF token is in the table.
    const rows = await store.db.selectFrom('sessions').selectAll().execute();
    const dump = JSON.stringify(rows.map((r) => ({ ...r, id_hash: Buffer.from(r.id_hash).toString('base64url') })));
    expect(dump).not.toContain(cookie.value);
    expect(dump).not.toContain(body.csrfToken);
  });

  it('marks the cookie Secure when the request came over TLS (here: through a trusted TLS-terminating proxy)', async () => {
    const behindProxy = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, sessions: { now: () => clock } }, { logger: false, trustProxy: true });
    try {
      const viaTls = await behindProxy.inject({ method: 'POST', url: '/api/v1/session', payload: { token }, headers: { 'x-forwarded-proto': 'https' } });
      expect(viaTls.statusCode).toBe(200);
      expect(viaTls.cookies[0]).toMatchObject({ name: 'glasshub_session', secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
    } finally {
      await behindProxy.close();
    }
  });

  it('refuses a bad token at sign-in with a 401 recorded in the ledger, and sets no cookie', async () => {
    const before = await log.committedSize();
    const s = await signIn(`gh_${'A'.repeat(49)}`);
    expect(s.res.statusCode).toBe(401);
    expect(s.res.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(s.cookie).toBe('');
    const added = await entriesSince(log, before);
    expect(added).toEqual([expect.objectContaining({ type: 'access-denied', reason: 'invalid-token', route: '/api/v1/session', method: 'POST' })]);
    expect(JSON.stringify(added)).not.toContain('gh_');
    expect((await signIn('')).res.json()).toMatchObject({ code: 'MISSING_TOKEN' });
  });

  it('answers 401 to who-am-I without a session, and to an unknown session cookie', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
    const forged = await get({ cookie: `glasshub_session=${'x'.repeat(43)}`, csrf: '', res: undefined as never });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('needs the CSRF token on every state-changing request made with the cookie', async () => {
    const s = await signIn();
    const before = await log.committedSize();
    const missing = await app.inject({ method: 'POST', url: '/test/write', headers: { cookie: s.cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({ code: 'CSRF_TOKEN_MISSING', errors: [{ field: 'headers.x-csrf-token' }] });
    const wrong = await app.inject({ method: 'POST', url: '/test/write', headers: { cookie: s.cookie, 'x-csrf-token': (await signIn()).csrf } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    // Both refusals are in the ledger like any other 403, naming the session's principal (never its name).
    const refusals = (await entriesSince(log, before)).filter((e) => e['route'] === '/test/write');
    expect(refusals).toEqual([
      expect.objectContaining({ type: 'access-denied', reason: 'csrf-token-missing', method: 'POST', principal: expect.objectContaining({ role: 'supervisor' }) }),
      expect.objectContaining({ type: 'access-denied', reason: 'csrf-token-invalid' }),
    ]);
    expect(JSON.stringify(refusals)).not.toContain('Maes');
    expect(Number(wrong.headers['glasshub-ledger-index'])).toBeGreaterThanOrEqual(before);
    const right = await app.inject({ method: 'POST', url: '/test/write', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(right.statusCode).toBe(200);
    // A bearer token needs none: no browser sends that header cross-site.
    const bearer = await app.inject({ method: 'POST', url: '/test/write', headers: { authorization: `Bearer ${token}` } });
    expect(bearer.statusCode).toBe(200);
    // GET needs none either.
    expect((await get(s)).statusCode).toBe(200);
  });

  it('replaces the previous session of the browser at a new sign-in', async () => {
    const first = await signIn();
    const second = await signIn(token, { cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect((await get(first)).json()).toMatchObject({ code: 'INVALID_SESSION' });
    expect((await get(second)).statusCode).toBe(200);
  });

  it('signs out: the session ends for good and the cookie is cleared', async () => {
    const s = await signIn();
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'glasshub_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThan(clock);
    const after = await get(s);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'INVALID_SESSION' });
  });

  it('expires after the idle timeout and after its absolute lifetime, and records the refusal', async () => {
    const idle = await signIn();
    clock += 20 * MINUTE;
    expect((await get(idle)).statusCode).toBe(200); // used: the idle clock restarts
    clock += 20 * MINUTE;
    expect((await get(idle)).statusCode).toBe(200);
    clock += 31 * MINUTE;
    const before = await log.committedSize();
    const gone = await get(idle);
    expect(gone.statusCode).toBe(401);
    expect(gone.json()).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(gone.cookies.find((c) => c.name === 'glasshub_session')!.value).toBe('');
    expect(await entriesSince(log, before)).toEqual([expect.objectContaining({ type: 'access-denied', reason: 'expired', route: '/api/v1/session' })]);

    const busy = await signIn();
    for (let t = 0; t < 8 * 60; t += 20) {
      clock += 20 * MINUTE;
      const res = await get(busy);
      expect(res.statusCode, `after ${t + 20} min`).toBe(t + 20 < 8 * 60 ? 200 : 401);
    }
  });

  it('never outlives the token it was opened with', async () => {
    const p = (await addPrincipal(store.db, log, { ...operator, name: 'Temp' }, { now: new Date(clock) })).principal;
    const short = await issueToken(store.db, log, p.id, { now: new Date(clock), expiresAt: new Date(clock + 10 * MINUTE) });
    const s = await signIn(short.token);
    expect(s.res.json<{ expiresAt: string }>().expiresAt).toBe(new Date(clock + 10 * MINUTE).toISOString());
    clock += 11 * MINUTE;
    expect((await get(s)).json()).toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('ends at once when its token, or its principal, is revoked', async () => {
    const p = await addPrincipal(store.db, log, { ...operator, name: 'Leaver', role: 'auditor' }, { now: new Date(clock) });
    const byToken = await signIn(p.token.token);
    const second = await issueToken(store.db, log, p.principal.id, { now: new Date(clock) });
    const byPrincipal = await signIn(second.token);
    expect((await get(byToken)).statusCode).toBe(200);
    await revokeToken(store.db, p.token.token);
    expect((await get(byToken)).json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect((await get(byPrincipal)).statusCode).toBe(200);
    await revokePrincipal(store.db, log, p.principal.id);
    const before = await log.committedSize();
    const res = await get(byPrincipal);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect(await entriesSince(log, before)).toEqual([expect.objectContaining({ reason: 'revoked', principal: expect.objectContaining({ role: 'auditor' }) })]);
    // And a new sign-in with the revoked principal's token is refused.
    expect((await signIn(second.token)).res.json()).toMatchObject({ code: 'TOKEN_REVOKED' });
  });

  it('lets a bearer token win over a cookie, and applies roles to session callers too', async () => {
    const s = await signIn();
    const me = await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie, authorization: `Bearer ${token}` } });
    expect(me.json()).toMatchObject({ csrfToken: null, expiresAt: null });
    const before = await log.committedSize();
    const forbidden = await get(s, '/test/dpo-only');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    expect(await entriesSince(log, before)).toEqual([expect.objectContaining({ reason: 'role-not-allowed', route: '/test/dpo-only' })]);
  });
});
