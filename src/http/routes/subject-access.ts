import { Type } from 'typebox';
import { SubjectAccessError, type SubjectAccess } from '../../privacy/index.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface SubjectAccessRouteDeps {
  readonly subjectAccess: SubjectAccess;
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
}
