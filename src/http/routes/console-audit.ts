/**
 * The console's audit views (`/api/v1/audit/…`, auditor and DPO): access statistics and the privacy
 * monitor's anomalies, both computed from this server's own ledger (see privacy/access-stats.ts).
 */
import { Type } from 'typebox';
import { LedgerViews } from '../../privacy/access-stats.js';
import { requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { ConsoleRouteDeps } from './console-deps.js';
import type { TypedApp } from './log.js';

const DAY_MS = 86_400_000;
const Str = Type.String();
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } as const;

const AccessAnswer = Type.Object({
  from: Str,
  to: Str,
  bucket: Str,
  logSize: Type.Integer(),
  rows: Type.Array(Type.Object({ period: Str, country: Str, purpose: Str, role: Str, decision: Str, decisions: Type.Integer(), records: Type.Integer() })),
});
const AnomaliesAnswer = Type.Object({
  logSize: Type.Integer(),
  total: Type.Integer({ description: 'All anomalies found; `anomalies` holds the newest `limit` of them' }),
  counts: Type.Object({ high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() }),
  anomalies: Type.Array(Type.Object({ severity: Str, kind: Str, index: Type.Integer(), detail: Str })),
  authorityRequests: Type.Array(Type.Object({ country: Str, decision: Str, count: Type.Integer() })),
});

export function registerConsoleAuditRoutes(app: TypedApp, deps: ConsoleRouteDeps): void {
  // One reader per server: it keeps what it has read and reads only new entries on each call.
  const views = new LedgerViews(deps.log);
  const now = deps.now ?? Date.now;
  const auditors = requireRole('auditor', 'dpo');

  app.get(
    '/api/v1/audit/access',
    {
      config: auditors,
      schema: {
        tags: ['console'],
        summary: "Access decisions by country, purpose, role and decision over time, from the ledger's access-decision entries",
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          bucket: Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'day' }),
        }),
        response: { 200: AccessAnswer, ...problems },
      },
    },
    (req) => {
      const to = req.query.to === undefined ? new Date(now()) : new Date(req.query.to);
      const from = req.query.from === undefined ? new Date(to.getTime() - 30 * DAY_MS) : new Date(req.query.from);
      if (!(from < to)) throw new HttpProblem(400, 'INVALID_REQUEST', 'from must be before to', [{ field: 'querystring.from', reason: 'must be before to' }]);
      return views.accessStats(from, to, req.query.bucket);
    },
  );

  app.get(
    '/api/v1/audit/anomalies',
    {
      config: auditors,
      schema: {
        tags: ['console'],
        summary: "The privacy monitor's findings over this server's own log: counts of all, the newest `limit` in full",
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }) }),
        response: { 200: AnomaliesAnswer, ...problems },
      },
    },
    async (req) => {
      const found = await views.anomalies();
      // Counts cover every anomaly; the list is bounded (a long log can hold many thousands), newest first.
      return { ...found, total: found.anomalies.length, anomalies: found.anomalies.slice(-req.query.limit).reverse() };
    },
  );
}
