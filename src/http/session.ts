import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { CsrfFailure } from '../auth/denials.js';
import { HttpProblem } from './problem.js';
import { csrfMatches, type SessionCheck, type SessionStore } from './session-store.js';

/**
 * The browser side of console sessions: the cookie, and the synchronizer-token check that every state-changing
 * request made with the cookie must pass. A request with `Authorization: Bearer` is not a session request at
 * all: it needs no CSRF token, since a cross-site page cannot make a browser send that header.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller authenticated with the session cookie (not a bearer token). */
    consoleSession: { readonly csrfToken: string; readonly expiresAt: string } | null;
  }
}

export const SESSION_COOKIE = 'glasshub_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it), Secure over TLS. */
export function sessionCookieOptions(request: FastifyRequest): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.protocol === 'https' };
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
}

/** The session cookie's value, when the request authenticates by cookie (and not by a bearer token). */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined) return undefined;
  const id = request.cookies[SESSION_COOKIE];
  return id === undefined || id === '' ? undefined : id;
}

/** Checks the request's session cookie, if it authenticates that way; undefined when it does not. */
export async function checkSessionOf(request: FastifyRequest, sessions: SessionStore | undefined): Promise<SessionCheck | undefined> {
  const id = sessionIdOf(request);
  if (id === undefined) return undefined;
  if (sessions === undefined) return { ok: false, reason: 'invalid-token' };
  return sessions.check(id);
}

/** A state-changing request made with the session cookie must echo the session's CSRF token: why not, if not. */
export function csrfFailure(request: FastifyRequest, expected: string): CsrfFailure | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined;
  const presented = request.headers[CSRF_HEADER];
  if (presented === undefined || presented === '') return 'csrf-token-missing';
  return typeof presented === 'string' && csrfMatches(presented, expected) ? undefined : 'csrf-token-invalid';
}

/** The 403 for a CSRF failure, naming the header and where its value comes from. */
export function csrfRefusal(reason: CsrfFailure, method: string): HttpProblem {
  if (reason === 'csrf-token-missing') {
    return new HttpProblem(403, 'CSRF_TOKEN_MISSING', `a ${method} with the session cookie needs the ${CSRF_HEADER} header (the csrfToken of GET /api/v1/session)`, [
      { field: `headers.${CSRF_HEADER}`, reason: 'is required with the session cookie' },
    ]);
  }
  return new HttpProblem(403, 'CSRF_TOKEN_INVALID', `the ${CSRF_HEADER} header does not match this session's CSRF token`, [
    { field: `headers.${CSRF_HEADER}`, reason: "must equal the session's csrfToken" },
  ]);
}

const SESSION_DETAIL = {
  'missing-token': ['MISSING_SESSION', 'not signed in: POST /api/v1/session with a token first'],
  'invalid-token': ['INVALID_SESSION', 'the session is unknown or has been signed out: sign in again'],
  revoked: ['SESSION_REVOKED', "the session's token, or its principal, has been revoked"],
  expired: ['SESSION_EXPIRED', 'the session has expired (absolute lifetime or idle timeout): sign in again'],
} as const;

/** The 401 for a refused session (the cookie is cleared with it). */
export function sessionRefusal(reason: keyof typeof SESSION_DETAIL): HttpProblem {
  const [code, detail] = SESSION_DETAIL[reason];
  return new HttpProblem(401, code, detail);
}
