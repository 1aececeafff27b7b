import { Type } from 'typebox';
import { ErasureError, type Erasure, type ErasureResult } from '../../privacy/index.js';
import { principalOf, requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface PrivacyRouteDeps {
  readonly erasure: Erasure;
}

// A customs retention is a conflict with the data's state, not a lack of right: the same request succeeds once it ends.
const STATUS: Record<ErasureError['code'], number> = { NO_SESSION: 401, NOT_FOUND: 404, ALREADY_ERASED: 410, DENIED: 403, CUSTOMS_RETENTION: 409 };
const PROBLEMS = { 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' }, 410: { $ref: 'Problem#' } } as const;

type Answer = Omit<ErasureResult, 'recipients'> & { recipients: { organisation: string; notified: boolean }[] };

function mapped(p: Promise<ErasureResult>): Promise<Answer> {
  return p.then((r) => ({ ...r, recipients: r.recipients.map((x) => ({ ...x })) })).catch((err: unknown) => {
    if (err instanceof ErasureError) {
      const until = err.refusal?.customs?.until.toISOString().slice(0, 10);
      throw new HttpProblem(STATUS[err.code], err.code, err.message, undefined, err.refusal && { ledgerIndex: err.refusal.ledgerIndex, ...(until !== undefined && { retainedUntil: until }) });
    }
    throw err;
  });
}

const ErasureAnswer = Type.Object({
  ledgerIndex: Type.Integer({ description: 'The erase decision in the transparency log: the evidence of the crypto-shredding' }),
  parcels: Type.Integer(),
  recipients: Type.Array(Type.Object({ organisation: Type.String(), notified: Type.Boolean() }), { description: 'GDPR Art. 19: who received the data and was told' }),
  notificationIndex: Type.Integer(),
});

/** GDPR Art. 17 (erasure) for the person, within a verified subject-access session, and for the DPO. */
export function registerPrivacyRoutes(app: TypedApp, deps: PrivacyRouteDeps): void {
  app.post(
    '/api/v1/subject-access/erasure',
    {
      schema: {
        tags: ['subject access'],
        summary: 'Erase all of your data (crypto-shredding); the organisations that received it are told. 409 CUSTOMS_RETENTION while customs law keeps it (retainedUntil)',
        security: [],
        headers: Type.Object({ 'x-subject-session': Type.String({ maxLength: 128 }) }),
        response: { 200: ErasureAnswer, ...PROBLEMS },
      },
    },
    async (req, reply) => {
      const result = await mapped(deps.erasure.bySession(req.headers['x-subject-session']));
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/api/v1/privacy/erasures',
    {
      config: requireRole('dpo'),
      schema: {
        tags: ['privacy'],
        summary: 'Erase the consignee of a parcel (GDPR Art. 17), handled by the data-protection officer; 409 CUSTOMS_RETENTION as for the person',
        body: Type.Object({ trackingNumber: Type.String({ pattern: '^[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}$' }) }),
        response: { 200: ErasureAnswer, ...PROBLEMS },
      },
    },
    (req) => {
      const p = principalOf(req);
      return mapped(deps.erasure.byTrackingNumber({ id: p.id, role: p.role, organisation: p.organisation, country: p.country }, req.body.trackingNumber, req.id));
    },
  );
}
