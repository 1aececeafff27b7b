import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPrincipal,
  findPrincipal,
  hashToken,
  issueToken,
  listPrincipals,
  PrincipalError,
  revokePrincipal,
  revokeToken,
  verifyToken,
  type LedgerAppender,
} from '../../src/auth/index.js';
import { ParseError } from '../../src/domain/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

/** An in-memory ledger: these tests look at the register; the HTTP tests use the real log. */
class MemoryLedger implements LedgerAppender {
  readonly entries: Record<string, unknown>[] = [];
  failing = false;
  append(entry: Uint8Array): Promise<number> {
    if (this.failing) return Promise.reject(new Error('ledger down'));
    this.entries.push(JSON.parse(Buffer.from(entry).toString('utf8')) as Record<string, unknown>);
    return Promise.resolve(this.entries.length - 1);
  }
}

const input = { name: 'Gate 3 scanner', role: 'scanner', organisation: 'hub-operator', country: 'BE' };

describe.each(STORE_KINDS)('principals and tokens on %s', (kind) => {
  let store: TestStore;
  let ledger: MemoryLedger;
  beforeAll(async () => {
    store = await openTestStore(kind);
    ledger = new MemoryLedger();
  });
  afterAll(() => store.cleanup());

  it('adds a principal with a first token, stores only its hash, and records principal-added without the name', async () => {
    const added = await addPrincipal(store.db, ledger, { ...input, organisation: ' Hub-Operator ', country: 'be' });
    expect(added.principal).toMatchObject({ name: 'Gate 3 scanner', role: 'scanner', organisation: 'hub-operator', country: 'BE', revokedAt: null });
    expect(await findPrincipal(store.db, added.principal.id)).toEqual(added.principal);
    const rows = await store.db.selectFrom('api_tokens').selectAll().where('principal_id', '=', added.principal.id).execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.token_hash)).toEqual(hashToken(added.token.token));
    expect(JSON.stringify(rows)).not.toContain(added.token.token.slice(3, 20));
    expect(ledger.entries[added.index]).toEqual({
      type: 'principal-added',
      principal: { id: added.principal.id, role: 'scanner', organisation: 'hub-operator', country: 'BE' },
      time: added.principal.createdAt,
    });
    expect(JSON.stringify(ledger.entries)).not.toContain('Gate 3');
  });

  it('refuses bad input, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...input, role: 'admin' }, 'role'],
      [{ ...input, country: 'UK' }, 'country'],
      [{ ...input, country: 'Belgium' }, 'country'],
      [{ ...input, organisation: 'Hub Operator' }, 'organisation'],
      [{ ...input, organisation: '' }, 'organisation'],
      [{ ...input, name: '  ' }, 'name'],
      [{ ...input, name: 'a\nb' }, 'name'],
    ];
    for (const [bad, field] of cases) {
      const err = await addPrincipal(store.db, ledger, bad).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ParseError);
      expect((err as ParseError).field).toBe(field);
      expect((err as ParseError).message).toMatch(new RegExp(`^${field}: `));
    }
    expect((await addPrincipal(store.db, ledger, { ...input, country: 'UK' }).catch((e: Error) => e.message))).toContain("uses 'GB'");
  });

  it('verifies a live token, and refuses unknown, revoked and expired ones', async () => {
    const { principal, token } = await addPrincipal(store.db, ledger, { ...input, role: 'sorter' });
    const ok = await verifyToken(store.db, token.token);
    expect(ok).toEqual({ ok: true, principal });
    const used = await store.db.selectFrom('api_tokens').select('last_used_at').where('principal_id', '=', principal.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    expect(await verifyToken(store.db, undefined)).toEqual({ ok: false, reason: 'missing-token' });
    expect(await verifyToken(store.db, 'gh_nope')).toEqual({ ok: false, reason: 'invalid-token' });

    const now = new Date('2026-01-01T00:00:00Z');
    const expiring = await issueToken(store.db, ledger, principal.id, { expiresAt: new Date('2026-01-31T00:00:00Z'), now });
    expect(ledger.entries[expiring.index]).toMatchObject({ type: 'token-issued', expiresAt: '2026-01-31T00:00:00.000Z' });
    expect((await verifyToken(store.db, expiring.token, new Date('2026-01-30T23:59:59Z'))).ok).toBe(true);
    expect(await verifyToken(store.db, expiring.token, new Date('2026-01-31T00:00:00Z'))).toMatchObject({ ok: false, reason: 'expired', principal: { id: principal.id } });
    await expect(issueToken(store.db, ledger, principal.id, { expiresAt: now, now })).rejects.toThrow(/must be in the future/);

    expect(await revokeToken(store.db, token.token)).toBe(true);
    expect(await revokeToken(store.db, token.token)).toBe(false);
    expect(await verifyToken(store.db, token.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('revokes a principal with all its tokens, records it, and keeps it in the register', async () => {
    const { principal, token } = await addPrincipal(store.db, ledger, { ...input, role: 'carrier', organisation: 'dpd-be' });
    const second = await issueToken(store.db, ledger, principal.id);
    const revoked = await revokePrincipal(store.db, ledger, principal.id);
    expect(revoked.principal.revokedAt).not.toBeNull();
    expect(ledger.entries[revoked.index]).toEqual({
      type: 'principal-revoked',
      principal: { id: principal.id, role: 'carrier', organisation: 'dpd-be', country: 'BE' },
      time: revoked.principal.revokedAt,
    });
    for (const t of [token.token, second.token]) expect(await verifyToken(store.db, t)).toMatchObject({ ok: false, reason: 'revoked' });
    await expect(revokePrincipal(store.db, ledger, principal.id)).rejects.toThrow(/already revoked/);
    await expect(issueToken(store.db, ledger, principal.id)).rejects.toBeInstanceOf(PrincipalError);
    await expect(revokePrincipal(store.db, ledger, 'nobody')).rejects.toThrow(/no principal "nobody"/);

    const all = await listPrincipals(store.db);
    expect(all.map((p) => p.id)).toContain(principal.id);
    expect((await listPrincipals(store.db, { includeRevoked: false })).map((p) => p.id)).not.toContain(principal.id);
  });

  it('leaves no principal and no working token unrecorded when the ledger fails', async () => {
    const before = (await listPrincipals(store.db)).length;
    ledger.failing = true;
    try {
      await expect(addPrincipal(store.db, ledger, { ...input, role: 'auditor' })).rejects.toThrow('ledger down');
      expect(await listPrincipals(store.db)).toHaveLength(before);
    } finally {
      ledger.failing = false;
    }
    const { principal } = await addPrincipal(store.db, ledger, { ...input, role: 'auditor' });
    ledger.failing = true;
    try {
      const tokens = await store.db.selectFrom('api_tokens').select('token_hash').where('principal_id', '=', principal.id).execute();
      await expect(issueToken(store.db, ledger, principal.id)).rejects.toThrow('ledger down');
      const live = await store.db.selectFrom('api_tokens').select('token_hash').where('principal_id', '=', principal.id).where('revoked_at', 'is', null).execute();
      expect(live).toHaveLength(tokens.length);
    } finally {
      ledger.failing = false;
    }
  });
});
