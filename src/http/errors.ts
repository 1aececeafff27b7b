import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
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
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Turns any thrown error into an RFC 9457 problem; the one place where errors become responses. */
export function toProblem(err: unknown, instance: string): Problem {
  if (err instanceof HttpProblem) {
    return { ...problem(err.status, err.code, err.message, instance, err.errors), ...err.extensions };
  }
  if (err instanceof LedgerError) {
    return problem(LEDGER_STATUS[err.code], err.code, err.message, instance);
  }
  const fe = err as Partial<FastifyError>;
  if (fe.validation) {
    const errors = validationErrors(fe.validationContext, fe.validation);
    const detail = errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
    return problem(400, 'INVALID_REQUEST', detail, instance, errors);
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const reason = 'is not a body format this route reads (application/json, unless the route documents another in /openapi.json)';
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type ${reason}`, instance, [{ field: 'headers.content-type', reason }]);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message ?? 'bad request', instance);
  }
  // Unknown errors say nothing of their inside: the message could carry data that must not leave.
  return problem(500, 'INTERNAL', 'an internal error occurred; it has been logged with this request id', instance);
}

/**
 * One item per invalid field and reason. An unknown property is named as the field. A union of literals fails
 * once per branch ("must be equal to constant", then "must match a schema in anyOf"): those become one reason
 * that lists the values allowed.
 */
function validationErrors(context: string | undefined, list: readonly FastifySchemaValidationError[]): { field: string; reason: string }[] {
  const allowed = new Map<string, unknown[]>();
  for (const v of list) {
    if (v.keyword !== 'const') continue;
    const field = fieldName(context, v.instancePath, v.params);
    allowed.set(field, [...(allowed.get(field) ?? []), v.params['allowedValue']]);
  }
  const out: { field: string; reason: string }[] = [];
  for (const v of list) {
    const field = fieldName(context, v.instancePath, v.params);
    const values = allowed.get(field);
    let reason = v.message ?? 'is invalid';
    if (v.keyword === 'additionalProperties') reason = 'is not a known property';
    else if (values !== undefined && (v.keyword === 'const' || v.keyword === 'anyOf')) {
      reason = values.length === 1 ? `must be ${JSON.stringify(values[0])}` : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
    }
    if (!out.some((e) => e.field === field && e.reason === reason)) out.push({ field, reason });
  }
  return out;
}

function fieldName(context: string | undefined, path: string, params: unknown): string {
  const p = params as { missingProperty?: unknown; additionalProperty?: unknown } | undefined;
  const named = p?.missingProperty ?? p?.additionalProperty;
  const parts = path.split('/').filter(Boolean);
  if (typeof named === 'string') parts.push(named);
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
