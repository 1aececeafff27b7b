import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  PAGE_CSP,
  SubjectAccessError,
  checkReceipts,
  pageLanguage,
  renderCodePage,
  renderReportPage,
  renderStartPage,
  type PageLanguage,
  type SubjectAccess,
} from '../../privacy/index.js';
import { sendProblem, toProblem } from '../errors.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface SubjectAccessRouteDeps {
  readonly subjectAccess: SubjectAccess;
  /** The log's verifier key: the readable page checks every proof with it before showing it. */
  readonly logVkey?: string;
}

const STATUS: Record<SubjectAccessError['code'], number> = {
  INVALID_REQUEST: 400,
  INVALID_CODE: 403,
  EXPIRED: 410,
  TOO_MANY_ATTEMPTS: 429,
  NO_SESSION: 401,
};

function mapped<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof SubjectAccessError) throw new HttpProblem(STATUS[err.code], err.code, err.message);
    throw err;
  });
}

/** GDPR Art. 15 for parcel recipients: no account, no token — tracking number, postcode, one-time code. */
export function registerSubjectAccessRoutes(app: TypedApp, deps: SubjectAccessRouteDeps): void {
  app.post(
    '/api/v1/subject-access/requests',
    {
      schema: {
        tags: ['subject access'],
        summary: 'Ask for a one-time code, sent to the e-mail address on file for the parcel',
        security: [],
        body: Type.Object({
          trackingNumber: Type.String({ minLength: 13, maxLength: 13 }),
          postcode: Type.String({ minLength: 2, maxLength: 12 }),
        }),
        response: { 202: Type.Object({ requestId: Type.String(), message: Type.String() }) },
      },
    },
    async (req, reply) => {
      const { requestId } = await mapped(deps.subjectAccess.start(req.body));
      return reply.status(202).send({ requestId, message: 'If the tracking number and postcode match, a code has been sent to the e-mail address on file.' });
    },
  );

  app.post(
    '/api/v1/subject-access/sessions',
    {
      schema: {
        tags: ['subject access'],
        summary: 'Exchange the one-time code for a short session',
        security: [],
        body: Type.Object({ requestId: Type.String({ maxLength: 64 }), code: Type.String({ maxLength: 12 }) }),
        response: { 200: Type.Object({ sessionToken: Type.String(), expiresAt: Type.String() }) },
      },
    },
    (req) => mapped(deps.subjectAccess.verify(req.body)),
  );

  app.get(
    '/api/v1/subject-access/report',
    {
      schema: {
        tags: ['subject access'],
        summary: 'Your data, its purposes and recipients, and every ledger entry about you with proofs',
        security: [],
        headers: Type.Object({ 'x-subject-session': Type.String({ maxLength: 128 }) }),
      },
    },
    async (req, reply) => {
      const report = await mapped(deps.subjectAccess.report(req.headers['x-subject-session']));
      return reply.header('cache-control', 'no-store').send(report);
    },
  );

  registerSubjectAccessPages(app, deps);
}

const PAGE = '/api/v1/subject-access/page';
const SESSION_COOKIE = 'glasshub_subject_session';

/** The session from the page's cookie, or from the header the JSON API uses. */
function sessionOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-subject-session'];
  if (typeof header === 'string' && header !== '') return header;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length > 0) return decoded(value.join('='));
  }
  return undefined;
}

/** A cookie value that is not valid percent-encoding is no session (decodeURIComponent would throw: a 500). */
function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch (err) {
    if (err instanceof URIError) return undefined;
    throw err;
  }
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

const langHref = (path: string) => (l: PageLanguage) => `${path}?lang=${l}`;
const LangQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 12 })) });

/**
 * The same subject access as readable pages that need no script: a form for the tracking number and
 * postcode, a form for the code, then the report (the session in an HttpOnly, SameSite=Strict cookie).
 */
function registerSubjectAccessPages(app: TypedApp, deps: SubjectAccessRouteDeps): void {
  void app.register((scope, _opts, done) => {
    // Plain HTML forms post application/x-www-form-urlencoded; only these routes accept it.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, parsed) => {
      parsed(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // A person using these forms gets a page back, not problem+json: a refused form (a field too long, a body that
    // is not a form) shows the first form again with the reason; a server failure stays a problem.
    scope.setErrorHandler((err, req, reply) => {
      const problem = toProblem(err, req.url.split('?')[0] ?? req.url);
      if (problem.status >= 500) return sendProblem(err, req, reply);
      const lang = pageLanguage(undefined, req.headers['accept-language']);
      return html(reply, problem.status, renderStartPage(lang, `${PAGE}/code`, langHref(PAGE), problem.detail));
    });
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>();
    const hide = { hide: true, tags: ['subject access'] };

    typed.get(PAGE, { schema: { ...hide, querystring: LangQuery } }, (req, reply) => {
      const lang = pageLanguage(req.query.lang, req.headers['accept-language']);
      return html(reply, 200, renderStartPage(lang, `${PAGE}/code`, langHref(PAGE)));
    });

    typed.post(
      `${PAGE}/code`,
      { schema: { ...hide, body: Type.Object({ trackingNumber: Type.String({ maxLength: 40 }), postcode: Type.String({ maxLength: 40 }), lang: Type.Optional(Type.String({ maxLength: 12 })) }) } },
      async (req, reply) => {
        const lang = pageLanguage(req.body.lang, req.headers['accept-language']);
        const { requestId } = await deps.subjectAccess.start(req.body);
        return html(reply, 200, renderCodePage(lang, `${PAGE}/session`, requestId, langHref(PAGE)));
      },
    );

    typed.post(
      `${PAGE}/session`,
      { schema: { ...hide, body: Type.Object({ requestId: Type.String({ maxLength: 64 }), code: Type.String({ maxLength: 12 }), lang: Type.Optional(Type.String({ maxLength: 12 })) }) } },
      async (req, reply) => {
        const lang = pageLanguage(req.body.lang, req.headers['accept-language']);
        try {
          const { sessionToken } = await deps.subjectAccess.verify(req.body);
          const secure = req.protocol === 'https' ? '; Secure' : '';
          reply.header('set-cookie', `${SESSION_COOKIE}=${sessionToken}; Path=/api/v1/subject-access; Max-Age=1800; HttpOnly; SameSite=Strict${secure}`);
          return await reply.status(303).header('cache-control', 'no-store').redirect(`${PAGE}/report?lang=${lang}`);
        } catch (err) {
          if (!(err instanceof SubjectAccessError)) throw err;
          return html(reply, STATUS[err.code], renderCodePage(lang, `${PAGE}/session`, req.body.requestId, langHref(PAGE), err.message));
        }
      },
    );

    typed.get(`${PAGE}/report`, { schema: { ...hide, querystring: LangQuery } }, async (req, reply) => {
      const lang = pageLanguage(req.query.lang, req.headers['accept-language']);
      const token = sessionOf(req);
      try {
        if (token === undefined) throw new SubjectAccessError('NO_SESSION', 'no valid session: verify your code again');
        const report = await deps.subjectAccess.report(token);
        return html(reply, 200, renderReportPage(report, lang, checkReceipts(report, deps.logVkey), langHref(`${PAGE}/report`)));
      } catch (err) {
        if (!(err instanceof SubjectAccessError)) throw err;
        return html(reply, STATUS[err.code], renderStartPage(lang, `${PAGE}/code`, langHref(PAGE), err.message));
      }
    });
    done();
  });
}
