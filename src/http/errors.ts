import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LedgerError, type LedgerErrorCode } from '../ledger/index.js';
import { HttpProblem, type Problem } from './problem.js';

const LEDGER_STATUS: Record<LedgerErrorCode, number> = {
  INVALID_ENTRY: 400,
  INVALID_ARGUMENT: 400,
  INVALID_PROOF: 400,
  ROOT_MISMATCH: 500,
  INVALID_CHECKPOINT: 400,
  INVALID_NOTE: 400,
  INVALID_SIGNATURE: 403,
  UNKNOWN_KEY: 403,
  INVALID_TILE: 400,
  INCONSISTENT: 409,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STORAGE: 503,
  CLOSED: 503,
  FORK: 409,
  TAMPERED: 500,
  NO_QUORUM: 403,
  UNAVAILABLE: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Turns any thrown error into an RFC 9457 problem; the one place where errors become responses. */
export function toProblem(err: unknown, instance: string): Problem {
  if (err instanceof HttpProblem) {
    return problem(err.status, err.code, err.message, instance, err.errors);
  }
  if (err instanceof LedgerError) {
    return problem(LEDGER_STATUS[err.code], err.code, err.message, instance);
  }
  const fe = err as Partial<FastifyError>;
  if (fe.validation) {
    const errors = fe.validation.map((v) => ({
      field: fieldName(fe.validationContext, v.instancePath, v.params),
      reason: v.message ?? 'is invalid',
    }));
    const detail = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    return problem(400, 'INVALID_REQUEST', detail, instance, errors);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message ?? 'bad request', instance);
  }
  // Unknown errors say nothing of their inside: the message could carry data that must not leave.
  return problem(500, 'INTERNAL', 'an internal error occurred; it has been logged with this request id', instance);
}

function fieldName(context: string | undefined, path: string, params: unknown): string {
  const missing = (params as { missingProperty?: unknown } | undefined)?.missingProperty;
  const parts = path.split('/').filter(Boolean);
  if (typeof missing === 'string') parts.push(missing);
  return [context ?? 'request', ...parts].join('.');
}

function problem(
  status: number,
  code: string,
  detail: string,
  instance: string,
  errors?: { field: string; reason: string }[],
): Problem {
  return {
    type: `https://glasshub.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const p = toProblem(err, request.url.split('?')[0] ?? request.url);
  if (p.status >= 500) request.log.error({ err }, 'request failed');
  return reply.status(p.status).type('application/problem+json').send(p);
}
