/**
 * The console's administration (`/api/v1/admin/…`, administrators only): the principal register (list, add,
 * issue a token, revoke — the same functions as `glasshub principals`, each a ledger entry), the policy
 * versions published in the ledger, and the current sort plan.
 */
import { Type } from 'typebox';
import { PrincipalError, ROLES, addPrincipal, expiryAfter, issueToken, listPrincipals, revokePrincipal, type Principal } from '../../auth/index.js';
import { ParseError } from '../../domain/index.js';
import { currentSortPlan } from '../../hub/operations/index.js';
import { requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { ConsoleRouteDeps } from './console-deps.js';
import type { TypedApp } from './log.js';

const Str = Type.String();
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;
const PrincipalView = Type.Object({ id: Str, name: Str, role: Str, organisation: Str, country: Str, createdAt: Str, revokedAt: Nullable(Str) });
const ExpiresIn = Type.Optional(Type.String({ pattern: '^\\d{1,6}[mhdw]$', description: 'How long the token works: 90m, 12h, 30d, 2w; absent: until revoked' }));
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const view = (p: Principal) => ({ id: p.id, name: p.name, role: p.role, organisation: p.organisation, country: p.country, createdAt: p.createdAt, revokedAt: p.revokedAt });

const EXPIRES_IN_REASON = 'must be a positive duration (90m, 12h, 30d, 2w) that ends before the year 10000';

function expiry(expiresIn: string | undefined, at: Date): Date | null {
  if (expiresIn === undefined) return null;
  try {
    return expiryAfter(expiresIn, at);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new HttpProblem(400, 'INVALID_REQUEST', `expiresIn: ${EXPIRES_IN_REASON}`, [{ field: 'body.expiresIn', reason: EXPIRES_IN_REASON }]);
  }
}

/** Register errors become problems naming the field or the principal. */
async function mapped<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ParseError) throw new HttpProblem(400, 'INVALID_REQUEST', err.message, [{ field: `body.${err.field ?? 'request'}`, reason: err.reason }]);
    if (err instanceof PrincipalError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : 409, err.code, err.message);
    throw err;
  }
}

export function registerConsoleAdminRoutes(app: TypedApp, deps: ConsoleRouteDeps): void {
  const { db } = deps.store;
  const admins = requireRole('administrator');
  const now = () => new Date(deps.now?.() ?? Date.now());

  app.get(
    '/api/v1/admin/principals',
    { config: admins, schema: { tags: ['console'], summary: 'The principal register, revoked ones included', response: { 200: Type.Object({ principals: Type.Array(PrincipalView) }), ...problems } } },
    async () => ({ principals: (await listPrincipals(db)).map(view) }),
  );

  app.post(
    '/api/v1/admin/principals',
    {
      config: admins,
      schema: {
        tags: ['console'],
        summary: 'Add a principal with its first token (shown once, in this answer)',
        body: Type.Object({ name: Str, role: Type.Union(ROLES.map((r) => Type.Literal(r))), organisation: Str, country: Str, expiresIn: ExpiresIn }, { additionalProperties: false }),
        response: { 201: Type.Object({ principal: PrincipalView, token: Str, expiresAt: Nullable(Str), ledgerIndex: Type.Integer() }), ...problems },
      },
    },
    async (req, reply) => {
      const at = now();
      const added = await mapped(() => addPrincipal(db, deps.log, req.body, { now: at, expiresAt: expiry(req.body.expiresIn, at) }));
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ principal: view(added.principal), token: added.token.token, expiresAt: added.token.expiresAt, ledgerIndex: added.index });
    },
  );

  app.post(
    '/api/v1/admin/principals/:id/tokens',
    {
      config: admins,
      schema: {
        tags: ['console'],
        summary: 'Issue a further token to a principal (shown once, in this answer)',
        params: IdParams,
        body: Type.Object({ expiresIn: ExpiresIn }, { additionalProperties: false }),
        response: { 201: Type.Object({ token: Str, expiresAt: Nullable(Str), ledgerIndex: Type.Integer() }), ...problems },
      },
    },
    async (req, reply) => {
      const at = now();
      const issued = await mapped(() => issueToken(db, deps.log, req.params.id, { now: at, expiresAt: expiry(req.body.expiresIn, at) }));
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ token: issued.token, expiresAt: issued.expiresAt, ledgerIndex: issued.index });
    },
  );

  app.post(
    '/api/v1/admin/principals/:id/revoke',
    {
      config: admins,
      schema: { tags: ['console'], summary: 'Revoke a principal, its tokens and its sessions', params: IdParams, response: { 200: Type.Object({ principal: PrincipalView, ledgerIndex: Type.Integer() }), ...problems } },
    },
    async (req) => {
      const revoked = await mapped(() => revokePrincipal(db, deps.log, req.params.id, now()));
      return { principal: view(revoked.principal), ledgerIndex: revoked.index };
    },
  );

  app.get(
    '/api/v1/admin/policies',
    {
      config: admins,
      schema: {
        tags: ['console'],
        summary: 'Every policy version published in the ledger, newest first, with its text',
        response: { 200: Type.Object({ current: Nullable(Str), policies: Type.Array(Type.Object({ hash: Str, ledgerIndex: Type.Integer(), publishedAt: Str, text: Str })) }), ...problems },
      },
    },
    async () => {
      const rows = await db.selectFrom('gate_policies').select(['hash', 'ledger_index', 'published_at', 'text']).orderBy('ledger_index', 'desc').execute();
      return { current: deps.policyHash ?? null, policies: rows.map((r) => ({ hash: r.hash, ledgerIndex: Number(r.ledger_index), publishedAt: r.published_at, text: r.text })) };
    },
  );

  app.get('/api/v1/admin/sort-plan', { config: admins, schema: { tags: ['console'], summary: 'The current sort plan (as GET /api/v1/sort-plans/current)', response: problems } }, async () => {
    const plan = await currentSortPlan(db);
    if (!plan) throw new HttpProblem(404, 'NO_SORT_PLAN', 'no sort plan has been published yet');
    return plan;
  });
}
