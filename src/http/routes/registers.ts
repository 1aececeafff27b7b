import { Type } from 'typebox';
import type { Policy } from '../../gate/index.js';
import {
  AuthorityRequestError,
  BreachError,
  MAX_REGISTER_COUNT,
  REQUEST_CHANNELS,
  authorityRequestStats,
  listBreaches,
  recordBreachNotification,
  recordsOfProcessing,
  registerAuthorityRequest,
  registerBreach,
  type LedgerAppender,
} from '../../privacy/index.js';
import type { Store } from '../../store/index.js';
import { principalOf, requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface RegisterRouteDeps {
  readonly store: Pick<Store, 'db'>;
  readonly log: LedgerAppender;
  readonly policy: Policy;
}

const RegisteredAnswer = Type.Object({
  id: Type.String(),
  decision: Type.String(),
  rule: Type.String(),
  ledgerIndex: Type.Integer({ description: 'The request and its decision in the transparency log' }),
});

/** The authority-request register (Art. 48), the breach register (Art. 33) and the records of processing (Art. 30). */
export function registerRegisterRoutes(app: TypedApp, deps: RegisterRouteDeps): void {
  app.post(
    '/api/v1/authority-requests',
    {
      config: requireRole('dpo'),
      schema: {
        tags: ['privacy'],
        summary: 'Register a request from an authority; the default rule decides, and both are in the ledger',
        body: Type.Object({
          authority: Type.String({ minLength: 1, maxLength: 300 }),
          country: Type.String({ pattern: '^[A-Z]{2}$' }),
          legalInstrument: Type.String({ minLength: 1, maxLength: 300 }),
          agreement: Type.Optional(Type.String({ maxLength: 300 })),
          channel: Type.Union(REQUEST_CHANNELS.map((c) => Type.Literal(c))),
          categories: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]{0,40}$' }), { maxItems: 20 }),
          subjects: Type.Integer({ minimum: 0, maximum: MAX_REGISTER_COUNT }),
          description: Type.String({ minLength: 1, maxLength: 5000, description: 'Internal only: never written to the public log' }),
          receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 201: RegisteredAnswer },
      },
    },
    async (req, reply) => reply.status(201).send(await registerAnswer(() => registerAuthorityRequest(deps.store.db, deps.log, req.body, principalOf(req).id))),
  );

  app.get(
    '/api/v1/authority-requests/stats',
    {
      config: requireRole('dpo', 'auditor'),
      schema: {
        tags: ['privacy'],
        summary: 'Requests by country and outcome (anyone can recompute these from the log)',
        response: { 200: Type.Array(Type.Object({ country: Type.String(), decision: Type.String(), count: Type.Integer() })) },
      },
    },
    () => authorityRequestStats(deps.store.db),
  );

  app.post(
    '/api/v1/breaches',
    {
      config: requireRole('dpo'),
      schema: {
        tags: ['privacy'],
        summary: 'Register a personal-data breach; the 72-hour clock of Art. 33 starts at detection',
        body: Type.Object({
          detectedAt: Type.String({ format: 'date-time' }),
          nature: Type.String({ minLength: 1, maxLength: 2000 }),
          categories: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 }),
          approxSubjects: Type.Integer({ minimum: 0, maximum: MAX_REGISTER_COUNT }),
          measures: Type.String({ maxLength: 2000 }),
        }),
      },
    },
    async (req, reply) => reply.status(201).send(await registerAnswer(() => registerBreach(deps.store.db, deps.log, req.body, principalOf(req).id))),
  );

  app.post(
    '/api/v1/breaches/:id/notification',
    { config: requireRole('dpo'), schema: { tags: ['privacy'], summary: 'Record that the supervisory authority was notified', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (req) => registerAnswer(() => recordBreachNotification(deps.store.db, deps.log, req.params.id)),
  );

  app.get(
    '/api/v1/breaches',
    { config: requireRole('dpo', 'auditor'), schema: { tags: ['privacy'], summary: 'Breaches with their 72-hour deadlines' } },
    () => listBreaches(deps.store.db),
  );

  app.get(
    '/api/v1/records-of-processing',
    { config: requireRole('dpo', 'auditor', 'administrator'), schema: { tags: ['privacy'], summary: 'The Art. 30 records, generated from the live policy' } },
    () => recordsOfProcessing(deps.policy),
  );
}

/** The registers' refusals as problems: 400 naming the field, 404 for an unknown breach; anything else stays a 500. */
async function registerAnswer<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (!(err instanceof BreachError || err instanceof AuthorityRequestError)) throw err;
    if (err.field === undefined) throw new HttpProblem(404, 'NOT_FOUND', err.message);
    throw new HttpProblem(400, 'INVALID_REQUEST', err.message, [{ field: `body.${err.field}`, reason: err.message }]);
  }
}
