import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import {
  DenialRecorder,
  ROLES,
  isRole,
  principalTag,
  verifyToken,
  type Denial,
  type DenialLimits,
  type DenialReason,
  type LedgerAppender,
  type Principal,
  type Role,
  type TokenCheck,
} from '../auth/index.js';
import type { Store } from '../store/index.js';
import { HttpProblem } from './problem.js';
import type { CsrfFailure } from '../auth/denials.js';
import { checkSessionOf, clearSessionCookie, csrfFailure, csrfRefusal, sessionRefusal } from './session.js';
import { SessionStore, type SessionOptions } from './session-store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route needs no token. Routes are protected unless they say so (or live in a public place, below). */
    public?: boolean;
    /** The roles this route admits (any authenticated principal when absent). See `requireRole`. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    /** Who is calling, once authenticated; null on public routes. See `principalOf`. */
    principal: Principal | null;
  }
}

/** OpenAPI: the scheme every protected operation needs (public ones say `security: []`). */
export const BEARER_SCHEME_NAME = 'bearerAuth';
export const BEARER_SECURITY_SCHEME = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'glasshub API token (gh_…)',
  description: 'A token from `glasshub principals add` or `glasshub principals token`, bound to one principal.',
} as const;

/** `config: requireRole('dpo', 'auditor')`: only principals with one of these roles; others get 403. */
export function requireRole(...roles: Role[]): { roles: readonly Role[] } {
  return { roles: Object.freeze(checkRoles(roles, 'requireRole')) };
}

/** `config: PUBLIC_ROUTE`: the explicit opt-out from authentication. */
export const PUBLIC_ROUTE = Object.freeze({ public: true as const });

/** The calling principal on a protected route; a programming error on a public one. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error(`${request.method} ${request.routeOptions.url ?? ''} is public: it has no principal`);
  return request.principal;
}

interface PublicPlace {
  readonly path: string;
  /** The path's subtree too (`/log` → `/log/checkpoint`), not only the path itself. */
  readonly subtree: boolean;
  readonly methods: readonly string[];
}
const READ = ['GET', 'HEAD'];
/**
 * Places that are public by where they are, so that their routes need not say so: matched on the route's
 * pattern (never the raw URL) and only for the methods listed, so that a new write route in one of them is
 * still protected. Anything else must opt out with `config: PUBLIC_ROUTE`.
 */
export const PUBLIC_PLACES: readonly PublicPlace[] = [
  { path: '/log', subtree: true, methods: READ }, // the transparency log is read by anyone
  { path: '/track', subtree: true, methods: READ }, // public parcel tracking
  { path: '/openapi.json', subtree: false, methods: READ },
  { path: '/api/v1/subject-access', subtree: true, methods: [...READ, 'POST'] }, // data subjects hold no token
  { path: '/', subtree: false, methods: READ }, // static pages: the shell and its assets
  { path: '/assets', subtree: true, methods: READ },
];

export function isPublicRoute(method: string, url: string, config: { public?: boolean } | undefined): boolean {
  if (config?.public === true) return true;
  return PUBLIC_PLACES.some(
    (p) => p.methods.includes(method) && (url === p.path || (p.subtree && url.startsWith(`${p.path}/`))),
  );
}

function checkRoles(roles: unknown, where: string): Role[] {
  if (!Array.isArray(roles) || roles.length === 0) throw new TypeError(`${where}: roles must be a non-empty list of ${ROLES.join(', ')}`);
  const list: readonly unknown[] = roles;
  const bad = list.find((r) => !isRole(r));
  if (bad !== undefined) throw new TypeError(`${where}: ${JSON.stringify(bad)} is not a role (${ROLES.join(', ')})`);
  return list.filter(isRole);
}

export interface AuthDeps {
  /** The principal register. Without it no token is valid: every protected route answers 401 (fail closed). */
  readonly store?: Pick<Store, 'db'>;
  /** How denials are rate-limited in the ledger (see `DenialRecorder`). */
  readonly denialLimits?: DenialLimits;
  /** Console sessions' lifetimes (see session-store.ts); sessions need `store`. */
  readonly sessions?: SessionOptions;
}

/** What the session routes need from the auth plugin: the session store, and the one way to refuse (recorded). */
export interface AuthKit {
  readonly sessions: SessionStore | undefined;
  deny(request: FastifyRequest, reply: FastifyReply, denial: Denial): Promise<never>;
}

/**
 * Puts authentication in front of every route registered after it (call it first): `Authorization: Bearer`,
 * or else the console's session cookie (whose non-GET requests must carry `x-csrf-token`: see session.ts)
 * → `request.principal`; 401 or 403 as problem+json otherwise, each recorded in the ledger before it is sent.
 */
export function installAuth(app: FastifyInstance, ledger: LedgerAppender, deps: AuthDeps): AuthKit {
  const now = deps.denialLimits?.now ?? Date.now;
  const denials = new DenialRecorder(ledger, deps.denialLimits);
  const sessions = deps.store && new SessionStore(deps.store.db, deps.sessions);
  app.decorateRequest('principal', null);
  app.decorateRequest('consoleSession', null);
  app.addHook('onRoute', (route) => classify(route));
  app.addHook('onClose', () => denials.close());
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return; // no route, nothing to protect: the answer is 404
    const url = request.routeOptions.url ?? '';
    const config = request.routeOptions.config;
    if (isPublicRoute(request.method, url, config)) return;
    // The session cookie counts only without an Authorization header (a bearer token always wins).
    const session = await checkSessionOf(request, sessions);
    const check = session ?? (await authenticate(request.headers.authorization, deps.store, new Date(now())));
    const denial = { route: url, method: request.method, requestId: request.id };
    if (!check.ok) {
      if (session) clearSessionCookie(request, reply);
      return deny(request, reply, { ...denial, reason: check.reason, principal: check.principal && principalTag(check.principal) }, session !== undefined);
    }
    if (session?.ok) {
      // Before the role check: a forged cross-site request learns nothing, not even whether the role fits.
      const csrf = csrfFailure(request, session.csrfToken);
      if (csrf) return deny(request, reply, { ...denial, reason: csrf, principal: principalTag(check.principal) }, true);
      request.consoleSession = { csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    }
    const roles = config.roles;
    if (roles !== undefined && !roles.includes(check.principal.role)) {
      return deny(request, reply, { ...denial, reason: 'role-not-allowed', principal: principalTag(check.principal), rolesAllowed: roles });
    }
    request.principal = check.principal;
  });

  async function deny(request: FastifyRequest, reply: FastifyReply, denial: Denial, bySession = false): Promise<never> {
    // Waits until the refusal is durable: the attempt is in the ledger before the caller hears "no". The entry
    // holds no token bytes and no IP address — an IP address is personal data, and the log is public forever.
    const record = await denials.record(denial);
    reply.header('glasshub-ledger-index', String(record.index));
    if (denial.reason === 'csrf-token-missing' || denial.reason === 'csrf-token-invalid') throw csrfRefusal(denial.reason, request.method);
    if (bySession && denial.reason !== 'role-not-allowed') throw sessionRefusal(denial.reason);
    throw refusal(request, reply, denial.reason, denial.rolesAllowed, denial.principal?.role);
  }
  return { sessions, deny: (request, reply, denial) => deny(request, reply, denial) };
}

const BEARER = /^Bearer +([^\s]+) *$/i;

async function authenticate(header: string | undefined, store: Pick<Store, 'db'> | undefined, now: Date): Promise<TokenCheck> {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing-token' };
  const token = BEARER.exec(header)?.[1];
  if (token === undefined || store === undefined) return { ok: false, reason: 'invalid-token' };
  return verifyToken(store.db, token, now);
}

const DETAIL: Record<Exclude<DenialReason, 'role-not-allowed' | CsrfFailure>, [code: string, detail: string]> = {
  'missing-token': ['MISSING_TOKEN', 'this route needs a bearer token: Authorization: Bearer gh_…'],
  'invalid-token': ['INVALID_TOKEN', 'the bearer token is not a valid glasshub token'],
  revoked: ['TOKEN_REVOKED', 'the bearer token, or its principal, has been revoked'],
  expired: ['TOKEN_EXPIRED', 'the bearer token has expired'],
};

function refusal(request: FastifyRequest, reply: FastifyReply, reason: Exclude<DenialReason, CsrfFailure>, allowed?: readonly Role[], role?: Role): HttpProblem {
  if (reason === 'role-not-allowed') {
    reply.header('www-authenticate', 'Bearer realm="glasshub", error="insufficient_scope"');
    const rule = `${request.method} ${request.routeOptions.url ?? ''} admits the roles ${(allowed ?? []).join(', ')}`;
    return new HttpProblem(403, 'ROLE_NOT_ALLOWED', `${rule}; this principal's role is ${role ?? 'unknown'}`, [
      { field: 'principal.role', reason: `must be one of ${(allowed ?? []).join(', ')}` },
    ]);
  }
  // RFC 6750 §3: no error code when no credentials were sent, invalid_token otherwise.
  reply.header('www-authenticate', reason === 'missing-token' ? 'Bearer realm="glasshub"' : 'Bearer realm="glasshub", error="invalid_token"');
  const [code, detail] = DETAIL[reason];
  return new HttpProblem(401, code, detail);
}

/** At registration: refuses contradictory or unknown auth options, and documents the route's security in OpenAPI. */
function classify(route: RouteOptions): void {
  const config = route.config as { public?: unknown; roles?: unknown } | undefined;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const where = `route ${methods.join(',')} ${route.url}`;
  if (config?.public !== undefined && typeof config.public !== 'boolean') throw new TypeError(`${where}: config.public must be a boolean`);
  const publicFor = methods.map((m) => isPublicRoute(m, route.url, config as { public?: boolean } | undefined));
  if (config?.roles !== undefined) {
    checkRoles(config.roles, where);
    if (publicFor.includes(true)) throw new TypeError(`${where}: a public route cannot require roles`);
  }
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  if (publicFor.every(Boolean)) route.schema = { ...schema, security: [] };
  // OpenAPI extensions (`x-…`) pass through to the document: the roles a client needs are published too.
  else if (config?.roles !== undefined) route.schema = { ...schema, ['x-glasshub-roles']: config.roles } as typeof route.schema;
}
