import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LoggerOptions } from 'pino';
import { BEARER_SCHEME_NAME, BEARER_SECURITY_SCHEME, installAuth, type AuthDeps } from './auth.js';
import { sendProblem } from './errors.js';
import { HttpProblem, ProblemSchema } from './problem.js';
import { isDateTime } from '../hub/epcis/index.js';
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

/** Fastify's default, stated so that the 414 can say it. */
const MAX_PARAM_LENGTH = 100;
const NUL_REASON = 'must not contain the NUL character (U+0000)';

export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { ...LOGGER_DEFAULTS, ...options.logger },
    // Manifests arrive as large streams; other bodies are small.
    bodyLimit: 8 * 1024 * 1024,
    ajv: {
      customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true },
      // RFC 3339 admits a leap second (…T23:59:60Z) that no Date holds: refused here rather than a 500 later.
      onCreate: (ajv) => void ajv.addFormat('date-time', { type: 'string', validate: isDateTime }),
    },
    // The router's own refusals (a malformed percent-encoding, an over-long path segment) are problems too.
    frameworkErrors: (err, request, reply) => {
      sendProblem(routerProblem(err), request, reply);
    },
    // Request ids are written into the ledger with every refusal: unique across restarts and processes.
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
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

  // No route reads text/plain: Fastify's default parser handed such a body to JSON schemas as a string (coerced
  // into "body.0: must be object"); without it, the answer is a 415 naming the Content-Type.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(new HttpProblem(404, 'NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`), request, reply),
  );

  app.addHook('preHandler', (request, _reply, done) => {
    const field = nulField({ params: request.params, querystring: request.query, body: request.body });
    done(field === undefined ? undefined : new HttpProblem(400, 'INVALID_REQUEST', `${field}: ${NUL_REASON}`, [{ field, reason: NUL_REASON }]));
  });

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
    if (deps.store) registerConsoleRoutes(typed, { store: deps.store, log: deps.log, policyHash: deps.gate?.policy.hash, erasures: deps.gate });
    done();
  });
  if (options.console) await app.register((scope) => registerConsole(scope, options.console));
  return app;
}

function routerProblem(err: FastifyError): HttpProblem {
  // The router's message quotes the whole URL, query string included: it is not repeated.
  if (err.code === 'FST_ERR_BAD_URL') return new HttpProblem(400, 'BAD_URL', 'the URL path holds an invalid percent-encoding (% must be followed by two hex digits of UTF-8)');
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return new HttpProblem(414, 'PATH_PARAMETER_TOO_LONG', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`);
  return new HttpProblem(typeof err.statusCode === 'number' ? err.statusCode : 500, err.code, err.message);
}

/**
 * The first string (value or property name) holding U+0000 in the parsed request, as a field path; PostgreSQL
 * text cannot store that character, so such a request would fail part-way through its writes. Iterative:
 * a deeply nested JSON body cannot exhaust the stack. Paths are spelled only once one is found (a sorter's
 * batch is 25,000 strings: 0.45 ms to check, against 2 ms when every path was built).
 */
function nulField(parts: Record<string, unknown>): string | undefined {
  if (!holdsNul(parts)) return undefined;
  const values: unknown[] = [];
  const keys: string[] = [];
  const parents: number[] = [];
  const path = (i: number): string => (parents[i]! < 0 ? keys[i]! : `${path(parents[i]!)}.${keys[i]!}`);
  const add = (value: unknown, key: string, parent: number): void => {
    values.push(value);
    keys.push(key);
    parents.push(parent);
  };
  for (const [key, value] of Object.entries(parts)) add(value, key, -1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string' && value.includes('\u0000')) return path(i);
    if (Array.isArray(value)) value.forEach((item: unknown, n) => add(item, String(n), i));
    else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return path(i);
        add(item, key, i);
      }
    }
  }
  return undefined;
}

/** Whether any string or property name in `root` holds U+0000. */
function holdsNul(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (Array.isArray(value)) {
      for (let n = 0; n < value.length; n++) stack.push(value[n]);
    } else if (isPlainObject(value)) {
      for (const key in value) {
        if (key.includes('\u0000')) return true;
        stack.push(value[key]);
      }
    }
  }
  return false;
}

/** A JSON object or a parsed query/params object (whose prototype is a bare `Object.create(null)`), not a stream. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}
