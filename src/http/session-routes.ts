import { Type } from 'typebox';
import { principalTag, verifyToken, type Principal } from '../auth/index.js';
import { PUBLIC_ROUTE, principalOf, type AuthKit } from './auth.js';
import { HttpProblem } from './problem.js';
import { SESSION_COOKIE, clearSessionCookie, sessionCookieOptions, sessionIdOf } from './session.js';
import type { TypedApp } from './routes/log.js';

/** What the console knows of who signed in: the principal's register row, minus dates. */
export const SessionPrincipalSchema = Type.Object({
  id: Type.String(),
  role: Type.String(),
  organisation: Type.String(),
  country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
  name: Type.Optional(Type.String({ description: "The operator's label for the principal" })),
});

export const SessionSchema = Type.Object(
  {
    principal: SessionPrincipalSchema,
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Send as x-csrf-token on every non-GET request; null when called with a bearer token' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the session ends at the latest' }),
    idleTimeoutSeconds: Type.Integer({ description: 'The session ends after this long without a request' }),
  },
  { $id: 'Session' },
);

const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } as const;
const MAX_TOKEN = 200;

const principalView = (p: Principal) => ({ id: p.id, role: p.role, organisation: p.organisation, country: p.country, name: p.name });

/** Sign-in with a token into a session cookie, who-am-I, and sign-out (see docs/console-api.md). */
export function registerSessionRoutes(app: TypedApp, kit: AuthKit): void {
  const { sessions } = kit;
  const idleTimeoutSeconds = Math.floor((sessions?.idleMs ?? 0) / 1000);

  app.post(
    '/api/v1/session',
    {
      config: PUBLIC_ROUTE,
      schema: {
        tags: ['session'],
        summary: 'Sign in with an API token: sets an HttpOnly, SameSite=Strict session cookie and returns the CSRF token',
        body: Type.Object({ token: Type.String({ maxLength: MAX_TOKEN, description: 'A glasshub API token (gh_…)' }) }, { additionalProperties: false }),
        response: { 200: SessionSchema, ...problems },
      },
    },
    async (req, reply) => {
      if (!sessions) throw new HttpProblem(503, 'NO_SESSIONS', 'this server has no principal register: it cannot open sessions');
      const token = req.body.token.trim();
      const check = await verifyToken(sessions.db, token, new Date(sessions.now()));
      // A failed sign-in is refused, and recorded, exactly like a bad bearer token on any protected route.
      if (!check.ok) return kit.deny(req, reply, { reason: check.reason, route: '/api/v1/session', method: 'POST', requestId: req.id, principal: check.principal && principalTag(check.principal) });
      // A sign-in replaces the browser's previous session (never reuses its id: no session fixation).
      const previous = sessionIdOf(req);
      if (previous !== undefined) await sessions.end(previous);
      const opened = await sessions.open(check.principal.id, token);
      reply.setCookie(SESSION_COOKIE, opened.id, { ...sessionCookieOptions(req), expires: new Date(opened.expiresAt) });
      reply.header('cache-control', 'no-store');
      return { principal: principalView(check.principal), csrfToken: opened.csrfToken, expiresAt: opened.expiresAt, idleTimeoutSeconds };
    },
  );

  app.get(
    '/api/v1/session',
    { schema: { tags: ['session'], summary: 'Who is signed in (a session or a bearer token); 401 when nobody', response: { 200: SessionSchema, ...problems } } },
    (req, reply) => {
      reply.header('cache-control', 'no-store');
      return {
        principal: principalView(principalOf(req)),
        csrfToken: req.consoleSession?.csrfToken ?? null,
        expiresAt: req.consoleSession?.expiresAt ?? null,
        idleTimeoutSeconds,
      };
    },
  );

  app.delete(
    '/api/v1/session',
    { schema: { tags: ['session'], summary: 'Sign out: ends the session and clears its cookie (needs x-csrf-token)', response: { 204: Type.Null(), ...problems } } },
    async (req, reply) => {
      const id = sessionIdOf(req);
      if (id !== undefined && sessions) await sessions.end(id);
      clearSessionCookie(req, reply);
      return reply.status(204).send(null);
    },
  );
}

