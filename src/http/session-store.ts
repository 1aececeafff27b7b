import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, type Principal } from '../auth/index.js';
import { toPrincipal } from '../auth/model.js';
import type { Database } from '../store/index.js';

/**
 * Console sessions, kept server-side (table `sessions`, migration 012). The browser holds a random session id
 * in an HttpOnly cookie; the table holds its SHA-256 only. The CSRF token is derived from the id (a keyed
 * hash), so the server need not store it and a reloaded app can ask for it again; a read of the table yields
 * neither a session id nor a CSRF token.
 */

export interface SessionOptions {
  /** Absolute lifetime (default 12 h); never past the expiry of the token the session was opened with. */
  readonly ttlMs?: number;
  /** A session unused this long ends (default 30 min). */
  readonly idleMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

export const SESSION_DEFAULTS = { ttlMs: 12 * 3_600_000, idleMs: 30 * 60_000 } as const;

/** `last_seen_at` is written at most this often per session, so that reads stay reads. */
const TOUCH_RESOLUTION_MS = 60_000;

export interface OpenedSession {
  /** The cookie value: shown to the browser once, stored only hashed. */
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export type SessionCheck =
  | { readonly ok: true; readonly principal: Principal; readonly csrfToken: string; readonly expiresAt: string }
  | { readonly ok: false; readonly reason: 'invalid-token' | 'revoked' | 'expired'; readonly principal?: Principal };

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashId = (id: string): Buffer => createHash('sha256').update(id, 'utf8').digest();
export const csrfTokenOf = (id: string): string => createHash('sha256').update('glasshub csrf\u0000', 'utf8').update(id, 'utf8').digest('base64url');

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SessionStore {
  readonly ttlMs: number;
  readonly idleMs: number;
  readonly now: () => number;

  constructor(
    readonly db: Kysely<Database>,
    options: SessionOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? SESSION_DEFAULTS.ttlMs;
    this.idleMs = options.idleMs ?? SESSION_DEFAULTS.idleMs;
    this.now = options.now ?? Date.now;
    if (!(this.ttlMs > 0) || !(this.idleMs > 0)) throw new RangeError('session ttlMs and idleMs must be positive');
  }

  /** Opens a session for a principal whose token the caller has just verified. */
  async open(principalId: string, token: string): Promise<OpenedSession> {
    const now = this.now();
    const row = await this.db.selectFrom('api_tokens').select('expires_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    const end = Math.min(now + this.ttlMs, row.expires_at === null ? Infinity : Date.parse(row.expires_at));
    const id = randomBytes(32).toString('base64url');
    const at = new Date(now).toISOString();
    const expiresAt = new Date(end).toISOString();
    // Sweep sessions that ended long ago while here: sign-ins are rare, so this costs nothing noticeable.
    await this.db.deleteFrom('sessions').where('expires_at', '<', new Date(now - this.ttlMs).toISOString()).execute();
    await this.db
      .insertInto('sessions')
      .values({ id_hash: hashId(id), principal_id: principalId, token_hash: hashToken(token), created_at: at, expires_at: expiresAt, last_seen_at: at })
      .execute();
    return { id, csrfToken: csrfTokenOf(id), expiresAt };
  }

  /** Checks a presented session id: known, not ended, not expired or idle, its token and principal not revoked. */
  async check(id: string): Promise<SessionCheck> {
    if (!ID_PATTERN.test(id)) return { ok: false, reason: 'invalid-token' };
    const hash = hashId(id);
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('principals as p', 'p.id', 's.principal_id')
      // Inner joins: a session whose token or principal row is gone is no session at all.
      .innerJoin('api_tokens as t', 't.token_hash', 's.token_hash')
      .select(['s.expires_at as session_expires_at', 's.last_seen_at', 's.ended_at', 't.revoked_at as token_revoked_at', 't.expires_at as token_expires_at'])
      .select(['p.id', 'p.name', 'p.role', 'p.organisation', 'p.country', 'p.created_at', 'p.revoked_at'])
      .where('s.id_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.ended_at !== null) return { ok: false, reason: 'invalid-token' };
    const principal = toPrincipal(row);
    if (principal.revokedAt !== null || row.token_revoked_at !== null) return { ok: false, reason: 'revoked', principal };
    const now = this.now();
    const at = new Date(now).toISOString();
    const idleSince = Date.parse(row.last_seen_at);
    if (row.session_expires_at <= at || (row.token_expires_at !== null && row.token_expires_at <= at) || idleSince + this.idleMs <= now) {
      return { ok: false, reason: 'expired', principal };
    }
    if (idleSince + TOUCH_RESOLUTION_MS <= now) await this.db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', hash).execute();
    return { ok: true, principal, csrfToken: csrfTokenOf(id), expiresAt: row.session_expires_at };
  }

  /** Ends a session (sign-out); true when it was live. */
  async end(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    const at = new Date(this.now()).toISOString();
    const result = await this.db.updateTable('sessions').set({ ended_at: at }).where('id_hash', '=', hashId(id)).where('ended_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
