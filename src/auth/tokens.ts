import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { PrincipalError, appendEntry, principalTag, toPrincipal, type LedgerAppender, type Principal } from './model.js';

/**
 * API tokens: `gh_` + 43 base64url characters (32 random bytes) + 6 base64url characters (the CRC-32 of
 * those bytes), 52 characters in all. The prefix makes a leaked token greppable (`gh_[A-Za-z0-9_-]{49}`);
 * the checksum lets a secret scanner, and this code, refuse a mistyped or made-up token without a database
 * lookup. The checksum is no secret and no protection: the 256 random bits are.
 */
export const TOKEN_PREFIX = 'gh_';
const SECRET_BYTES = 32;
const SECRET_CHARS = 43; // base64url of 32 bytes, unpadded
const TOKEN_PATTERN = /^gh_[A-Za-z0-9_-]{49}$/;

/** A fresh token: shown once to whoever asked for it, then only its hash is kept. */
export function generateToken(): string {
  const secret = randomBytes(SECRET_BYTES);
  return `${TOKEN_PREFIX}${secret.toString('base64url')}${checksum(secret)}`;
}

function checksum(secret: Buffer): string {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(secret));
  return crc.toString('base64url');
}

/** True when `token` has the shape and checksum of a glasshub token (whether or not it was ever issued). */
export function isWellFormedToken(token: unknown): token is string {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return false;
  const body = token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + SECRET_CHARS);
  const secret = Buffer.from(body, 'base64url');
  // Two spellings decode to the same bytes when the last character's spare bits differ: accept only the canonical one.
  if (secret.length !== SECRET_BYTES || secret.toString('base64url') !== body) return false;
  return token.slice(TOKEN_PREFIX.length + SECRET_CHARS) === checksum(secret);
}

/**
 * SHA-256 of the token string. A fast hash is right here: a token holds 256 random bits, so there is nothing
 * to brute-force, and a slow password hash (bcrypt, scrypt, Argon2) would only slow every request down. The
 * hash lets the table be read (backups, replicas) without handing out working tokens.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export interface TokenOptions {
  /** When the token stops working; null or absent: never (until revoked). */
  readonly expiresAt?: Date | null;
  readonly now?: Date;
}

export interface IssuedToken {
  /** The token itself: show it once, never store or log it. */
  readonly token: string;
  readonly principalId: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
}

/** Stores a new token's hash for a principal that the caller has checked exists (e.g. in the same transaction). */
export async function storeNewToken(db: Kysely<Database>, principalId: string, options: TokenOptions = {}): Promise<IssuedToken> {
  const now = options.now ?? new Date();
  const expiresAt = options.expiresAt ?? null;
  if (expiresAt !== null && !(expiresAt.getTime() > now.getTime())) throw new RangeError('expiry: must be in the future');
  const token = generateToken();
  const issued = { token, principalId, createdAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null };
  await db
    .insertInto('api_tokens')
    .values({ token_hash: hashToken(token), principal_id: principalId, created_at: issued.createdAt, expires_at: issued.expiresAt })
    .execute();
  return issued;
}

/**
 * A new token for an existing, unrevoked principal, recorded as `token-issued` (principal tag and expiry,
 * nothing of the token). Should a revocation commit between the check and the insert, the token is refused
 * all the same: `verifyToken` checks the principal's revocation as well as the token's. Should the append
 * fail, the token is revoked before the error is thrown, so no working token exists unrecorded.
 */
export async function issueToken(
  db: Kysely<Database>,
  ledger: LedgerAppender,
  principalId: string,
  options: TokenOptions = {},
): Promise<IssuedToken & { readonly principal: Principal; readonly index: number }> {
  const row = await db.selectFrom('principals').selectAll().where('id', '=', principalId).executeTakeFirst();
  if (!row) throw new PrincipalError('NOT_FOUND', `no principal ${JSON.stringify(principalId)}`);
  const principal = toPrincipal(row);
  if (principal.revokedAt !== null) throw new PrincipalError('REVOKED', `principal ${principalId} is revoked; it gets no new token`);
  const issued = await storeNewToken(db, principalId, options);
  try {
    const index = await appendEntry(ledger, {
      type: 'token-issued',
      principal: principalTag(principal),
      expiresAt: issued.expiresAt ?? undefined,
      time: issued.createdAt,
    });
    return { ...issued, principal, index };
  } catch (err) {
    await revokeToken(db, issued.token);
    throw err;
  }
}

/** Why a presented token was refused. */
export type TokenFailure = 'missing-token' | 'invalid-token' | 'revoked' | 'expired';

export type TokenCheck =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: TokenFailure; readonly principal?: Principal };

/** `last_used_at` is written at most this often per token, so that reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;

/** Checks a presented token: well-formed, issued, not revoked (nor its principal), not expired. */
export async function verifyToken(db: Kysely<Database>, token: string | undefined, now: Date = new Date()): Promise<TokenCheck> {
  if (token === undefined || token === '') return { ok: false, reason: 'missing-token' };
  if (!isWellFormedToken(token)) return { ok: false, reason: 'invalid-token' };
  const hash = hashToken(token);
  // Looking the hash up by index leaks, through timing, at most how a hash compares to stored ones; finding a
  // token whose hash starts a certain way needs SHA-256 preimages, so the lookup needs no constant time.
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('principals as p', 'p.id', 't.principal_id')
    .select(['t.token_hash', 't.expires_at', 't.revoked_at as token_revoked_at', 't.last_used_at'])
    .select(['p.id', 'p.name', 'p.role', 'p.organisation', 'p.country', 'p.created_at', 'p.revoked_at'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  // The comparison of the secret-derived bytes themselves is constant-time all the same (defence in depth,
  // should a store ever match loosely).
  const stored = row && Buffer.from(row.token_hash);
  if (!row || !stored || stored.length !== hash.length || !timingSafeEqual(stored, hash)) return { ok: false, reason: 'invalid-token' };
  const principal = toPrincipal(row);
  if (row.token_revoked_at !== null || principal.revokedAt !== null) return { ok: false, reason: 'revoked', principal };
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired', principal };
  if (row.last_used_at === null || Date.parse(row.last_used_at) + LAST_USED_RESOLUTION_MS <= now.getTime()) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('token_hash', '=', hash).execute();
  }
  return { ok: true, principal };
}

/** Revokes one token (e.g. one found leaked); true when it was issued and still live. */
export async function revokeToken(db: Kysely<Database>, token: string, now: Date = new Date()): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const DURATION = /^(\d{1,6})([mhdw])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `90m`, `2w` → milliseconds; throws a RangeError naming the accepted forms. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0) : 0;
  if (!(ms > 0)) throw new RangeError(`${JSON.stringify(text)} is not a duration like 90m, 12h, 30d or 2w`);
  return ms;
}

/** The last instant an expiry may name: expiries are stored as ISO text and compared as text, which past the year 9999 (`+010000-…`) sorts before today. */
const LAST_EXPIRY = Date.parse('9999-12-31T23:59:59.999Z');

/** The end of a lifetime (`parseDuration`) that starts `at`; throws a RangeError when it is not positive or would end after the year 9999 (a token born expired). */
export function expiryAfter(text: string, at: Date): Date {
  const end = at.getTime() + parseDuration(text);
  if (end > LAST_EXPIRY) throw new RangeError(`${JSON.stringify(text)} would end after the year 9999`);
  return new Date(end);
}
