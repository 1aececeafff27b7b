import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LoggerOptions } from 'pino';
import { BEARER_SCHEME_NAME, BEARER_SECURITY_SCHEME, installAuth, type AuthDeps } from './auth.js';
import { sendProblem } from './errors.js';
import { HttpProblem, ProblemSchema } from './problem.js';
import { registerLogRoutes, type LogRouteDeps } from './routes/log.js';
import { registerParcelRoutes, type ParcelRouteDeps } from './routes/parcels.js';
import { registerSubjectAccessRoutes, type SubjectAccessRouteDeps } from './routes/subject-access.js';
import { registerOperationsRoutes, type HubRouteDeps } from './routes/operations.js';
import { registerEpcisRoutes } from './routes/epcis.js';
import { registerTrackingRoutes } from './routes/tracking.js';
import { registerManifestRoutes, type ManifestRouteDeps } from './routes/manifests.js';
import { registerCustomsRoutes, type CustomsRouteDeps } from './routes/customs.js';
import { registerPrivacyRoutes, type PrivacyRouteDeps } from './routes/privacy.js';
import { registerRegisterRoutes } from './routes/registers.js';
import cookie from '@fastify/cookie';
import { registerSessionRoutes } from './session-routes.js';
import { registerConsoleRoutes } from './routes/console-routes.js';
import { installSecurityHeaders, registerConsole, type ConsoleOptions } from './static.js';
import { registerStatisticsRoutes } from './routes/statistics.js';

/** What the app serves depends on what it is given: the log alone, or a whole hub (gate, subject access…). */
export type AppDeps = LogRouteDeps & AuthDeps & Partial<ParcelRouteDeps> & Partial<SubjectAccessRouteDeps> & { readonly operations?: HubRouteDeps } & { readonly intake?: ManifestRouteDeps } & Partial<PrivacyRouteDeps> & { readonly customs?: CustomsRouteDeps };

export interface AppOptions {
  /** pino options, or false for silence (tests). */
  readonly logger?: LoggerOptions | false;
  /** Serve the web console (web/dist, or the root given) at `/` and its paths; absent: no console. */
  readonly console?: ConsoleOptions;
  /** Trust X-Forwarded-* from a TLS-terminating proxy (Fastify's trustProxy): the session cookie is then Secure. */
  readonly trustProxy?: boolean | string;
}

/** Log lines carry method, route and status, never bodies, query strings or credentials. */
export const LOGGER_DEFAULTS: LoggerOptions = {
  level: process.env['LOG_LEVEL'] ?? 'info',
  redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.password'], remove: true },
  serializers: {
    req: (req: { method: string; url: string; id: string }) => ({
      id: req.id,
      method: req.method,
      path: req.url.split('?')[0],
    }),
  },
};

export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { ...LOGGER_DEFAULTS, ...options.logger },
    // Manifests arrive as large streams; other bodies are small.
    bodyLimit: 8 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    // Request ids are written into the ledger with every refusal: unique across restarts and processes.
    genReqId: () => randomUUID(),
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // First, so that every route after it is protected unless it opts out (see auth.ts).
  // The cookie parser before auth: the auth hook reads the session cookie (see session.ts).
  await app.register(cookie);
  const authKit = installAuth(app, deps.log, deps);
  installSecurityHeaders(app);

  app.addSchema(ProblemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'glasshub',
        version: '0.1.0',
        description: 'An air-cargo hub whose every access to personal data is decided by policy and recorded in a public transparency log.',
      },
      tags: [{ name: 'log', description: 'The transparency log (C2SP tlog-tiles, tlog-checkpoint, proofs)' }],
      components: { securitySchemes: { [BEARER_SCHEME_NAME]: BEARER_SECURITY_SCHEME } },
      security: [{ [BEARER_SCHEME_NAME]: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });

  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new HttpProblem(404, 'NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register((scope, _opts, done) => {
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    registerLogRoutes(typed, deps);
    if (deps.gate && deps.store) registerParcelRoutes(typed, { gate: deps.gate, store: deps.store });
    if (deps.subjectAccess) registerSubjectAccessRoutes(typed, { subjectAccess: deps.subjectAccess, logVkey: deps.logVkey });
    if (deps.operations) {
      registerOperationsRoutes(typed, deps.operations);
      registerEpcisRoutes(typed, deps.operations);
      registerTrackingRoutes(typed, deps.operations);
    }
    if (deps.intake) registerManifestRoutes(typed, deps.intake);
    if (deps.customs) registerCustomsRoutes(typed, deps.customs);
    if (deps.erasure) registerPrivacyRoutes(typed, { erasure: deps.erasure });
    if (deps.gate && deps.store) registerRegisterRoutes(typed, { store: deps.store, log: deps.log, policy: deps.gate.policy });
    if (deps.gate && deps.store) registerStatisticsRoutes(typed, { store: deps.store, log: deps.log, policy: deps.gate.policy });
    if (deps.store) registerSessionRoutes(typed, authKit);
    if (deps.store) registerConsoleRoutes(typed, { store: deps.store, log: deps.log, policyHash: deps.gate?.policy.hash });
    done();
  });
  if (options.console) await app.register((scope) => registerConsole(scope, options.console));
  return app;
}
