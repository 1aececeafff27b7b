import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal } from '../../src/auth/index.js';
import type { Gate } from '../../src/gate/index.js';
import { buildApp } from '../../src/http/index.js';
import { seedDefaultSortPlan } from '../../src/hub/operations/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { openTestLedger } from '../support/hub.js';
import { entriesSince } from '../support/ledger-entries.js';
import { testGate } from '../support/gate.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

describe.each(STORE_KINDS)('console administration on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let gate: Gate;
  let app: FastifyInstance;
  let admin: string;
  let supervisor: string;
  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    store = await openTestStore(kind);
    ({ log } = await openTestLedger(store, 'test.glasshub/admin'));
    gate = testGate(store, log);
    await gate.publishPolicy('test');
    app = await buildApp({ log, logVkey: 'unused', requireCosigned: false, store, gate }, { logger: false });
    admin = (await addPrincipal(store.db, log, { name: 'Root', role: 'administrator', organisation: 'hub-operator', country: 'BE' })).token.token;
    supervisor = (await addPrincipal(store.db, log, { name: 'Lead', role: 'supervisor', organisation: 'hub-operator', country: 'BE' })).token.token;
  });
  afterAll(async () => {
    await app.close();
    await log.close();
    await store.cleanup();
  });

  it('adds a principal with a token shown once, recorded in the ledger without its name', async () => {
    const before = await log.committedSize();
    const res = await call(admin, 'POST', '/api/v1/admin/principals', { name: 'Gate 3 scanner', role: 'scanner', organisation: 'Hub-Operator', country: 'be', expiresIn: '12h' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ principal: { id: string; organisation: string; country: string; revokedAt: null }; token: string; expiresAt: string; ledgerIndex: number }>();
    expect(body.principal).toMatchObject({ name: 'Gate 3 scanner', role: 'scanner', organisation: 'hub-operator', country: 'BE', revokedAt: null });
    expect(body.token).toMatch(/^gh_[A-Za-z0-9_-]{49}$/);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    const added = await entriesSince(log, before);
    expect(added).toEqual([expect.objectContaining({ type: 'principal-added', principal: { id: body.principal.id, role: 'scanner', organisation: 'hub-operator', country: 'BE' } })]);
    expect(body.ledgerIndex).toBe(before);
    expect(JSON.stringify(added)).not.toContain('Gate 3');
    // The new token works.
    expect((await call(body.token, 'GET', '/api/v1/session')).json()).toMatchObject({ principal: { role: 'scanner' } });
    const list = (await call(admin, 'GET', '/api/v1/admin/principals')).json<{ principals: { name: string }[] }>();
    expect(list.principals.map((p) => p.name)).toEqual(['Root', 'Lead', 'Gate 3 scanner']);
  });

  it('names the bad field of a new principal', async () => {
    const bad = await call(admin, 'POST', '/api/v1/admin/principals', { name: 'x', role: 'scanner', organisation: 'hub operator', country: 'BE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ field: 'body.organisation' }] });
    const role = await call(admin, 'POST', '/api/v1/admin/principals', { name: 'x', role: 'boss', organisation: 'hub', country: 'BE' });
    expect(role.statusCode).toBe(400);
    const country = await call(admin, 'POST', '/api/v1/admin/principals', { name: 'x', role: 'dpo', organisation: 'hub', country: 'XX' });
    expect(country.json()).toMatchObject({ errors: [{ field: 'body.country' }] });
    expect((await call(admin, 'POST', '/api/v1/admin/principals', { name: 'x', role: 'dpo', organisation: 'hub', country: 'BE', expiresIn: 'forever' })).statusCode).toBe(400);
  });

  it('issues a further token and revokes a principal, which ends its tokens', async () => {
    const { principal, token } = (await call(admin, 'POST', '/api/v1/admin/principals', { name: 'Temp', role: 'auditor', organisation: 'audit-org', country: 'NL' })).json<{ principal: { id: string }; token: string }>();
    const more = await call(admin, 'POST', `/api/v1/admin/principals/${principal.id}/tokens`, { expiresIn: '90m' });
    expect(more.statusCode).toBe(201);
    const second = more.json<{ token: string; expiresAt: string }>().token;
    expect((await call(second, 'GET', '/api/v1/session')).statusCode).toBe(200);
    const revoked = await call(admin, 'POST', `/api/v1/admin/principals/${principal.id}/revoke`, {});
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ principal: { id: principal.id, revokedAt: expect.any(String) }, ledgerIndex: expect.any(Number) });
    expect((await call(token, 'GET', '/api/v1/session')).statusCode).toBe(401);
    expect((await call(second, 'GET', '/api/v1/session')).statusCode).toBe(401);
    const again = await call(admin, 'POST', `/api/v1/admin/principals/${principal.id}/revoke`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'REVOKED' });
    expect((await call(admin, 'POST', `/api/v1/admin/principals/${principal.id}/tokens`, {})).statusCode).toBe(409);
    expect((await call(admin, 'POST', '/api/v1/admin/principals/no-such-id/revoke', {})).statusCode).toBe(404);
  });

  it('lists the policy versions published in the ledger, with their text, and which one runs', async () => {
    const res = await call(admin, 'GET', '/api/v1/admin/policies');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ current: string; policies: { hash: string; ledgerIndex: number; publishedAt: string; text: string }[] }>();
    expect(body.current).toBe(gate.policy.hash);
    expect(body.policies).toEqual([{ hash: gate.policy.hash, ledgerIndex: expect.any(Number), publishedAt: expect.any(String), text: gate.policy.text }]);
    const [entry] = await entriesSince(log, body.policies[0]!.ledgerIndex);
    expect(entry).toMatchObject({ type: 'policy-published', policy: gate.policy.hash });
  });

  it('shows the current sort plan, or says there is none', async () => {
    const none = await call(admin, 'GET', '/api/v1/admin/sort-plan');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'NO_SORT_PLAN' });
    await seedDefaultSortPlan(store.db);
    const plan = await call(admin, 'GET', '/api/v1/admin/sort-plan');
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({ version: 1, rules: expect.any(Array) });
  });

  it('works from the console: a session cookie, and the CSRF token on every write', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { token: admin } });
    const cookie = `glasshub_session=${signIn.cookies.find((c) => c.name === 'glasshub_session')!.value}`;
    const { csrfToken } = signIn.json<{ csrfToken: string }>();
    expect((await app.inject({ url: '/api/v1/admin/principals', headers: { cookie } })).statusCode).toBe(200);
    const body = { name: 'Console-made', role: 'sorter', organisation: 'hub-operator', country: 'BE' };
    const forged = await app.inject({ method: 'POST', url: '/api/v1/admin/principals', headers: { cookie }, payload: body });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toMatchObject({ code: 'CSRF_TOKEN_MISSING' });
    const list = async () => (await call(admin, 'GET', '/api/v1/admin/principals')).json<{ principals: { name: string }[] }>().principals.map((p) => p.name);
    expect(await list()).not.toContain('Console-made');
    const made = await app.inject({ method: 'POST', url: '/api/v1/admin/principals', headers: { cookie, 'x-csrf-token': csrfToken }, payload: body });
    expect(made.statusCode).toBe(201);
    expect(await list()).toContain('Console-made');
  });

  it('admits administrators only', async () => {
    for (const [method, url] of [['GET', '/api/v1/admin/principals'], ['GET', '/api/v1/admin/policies'], ['GET', '/api/v1/admin/sort-plan'], ['POST', '/api/v1/admin/principals']] as const) {
      const res = await call(supervisor, method, url, method === 'POST' ? { name: 'x', role: 'administrator', organisation: 'hub', country: 'BE' } : undefined);
      expect(res.statusCode, url).toBe(403);
    }
  });
});
