import { Type } from 'typebox';
import { AggregateError, type DecisionLog, type Policy } from '../../gate/index.js';
import { MAX_DIMENSIONS, STATISTICS_DIMENSIONS, StatisticsError, parcelStatistics, statisticsK, type StatisticsDimension } from '../../privacy/index.js';
import type { Store } from '../../store/index.js';
import { principalOf } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface StatisticsRouteDeps {
  readonly store: Pick<Store, 'db'>;
  readonly log: DecisionLog;
  readonly policy: Policy;
  /** k for this server; default $GLASSHUB_AGGREGATE_K or 10. */
  readonly k?: number;
}

const DIM = `(?:${STATISTICS_DIMENSIONS.join('|')})`;
// The format, not only the pattern: 2026-02-30 is no date (the pattern alone let it through).
const DATE = { pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', description: 'A flight date, inclusive (YYYY-MM-DD)' };

const StatisticsAnswer = Type.Object({
  dimensions: Type.Array(Type.String()),
  k: Type.Integer({ description: 'Every row counts at least k parcels; smaller cells are withheld' }),
  rows: Type.Array(
    Type.Object({
      key: Type.Record(Type.String(), Type.String(), { description: 'One value per dimension' }),
      parcels: Type.Integer(),
      grossMassG: Type.Integer(),
      valuedParcels: Type.Integer({ description: 'Parcels with a customs valuation' }),
      valueEur: Type.String({ description: 'Sum of their intrinsic values, EUR' }),
    }),
  ),
  suppressedCells: Type.Integer(),
  receipt: Type.Object(
    {
      ledgerIndex: Type.Integer(),
      requestId: Type.String(),
      policy: Type.String(),
      rules: Type.Array(Type.String()),
      commitment: Type.String({ description: 'SHA-256 (base64) over "glasshub aggregate v1\\n", the salt and the released table, as in the ledger entry' }),
      salt: Type.String({ contentEncoding: 'base64' }),
    },
    { description: 'Where this release is recorded in the transparency log' },
  ),
});

/** k-anonymous parcel statistics, released through the gate: every release is an `aggregate-decision` entry. */
export function registerStatisticsRoutes(app: TypedApp, deps: StatisticsRouteDeps): void {
  // Read once, at start: a bad $GLASSHUB_AGGREGATE_K stops the server rather than failing each request.
  const k = deps.k ?? statisticsK();
  app.get(
    '/api/v1/statistics/parcels',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Parcel counts, mass and declared value grouped by up to three dimensions; cells under k parcels are withheld',
        querystring: Type.Object({
          groupBy: Type.String({
            pattern: `^${DIM}(?:,${DIM}){0,${MAX_DIMENSIONS - 1}}$`,
            description: `Comma-separated, 1 to ${MAX_DIMENSIONS} of: ${STATISTICS_DIMENSIONS.join(', ')}`,
          }),
          from: Type.Optional(Type.String(DATE)),
          to: Type.Optional(Type.String(DATE)),
          purpose: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'statistics, capacity-planning, risk-analysis, audit' }),
        }),
        response: { 200: StatisticsAnswer, 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      let result;
      try {
        result = await parcelStatistics(
          { db: deps.store.db, log: deps.log, policy: deps.policy, k },
          {
            principal,
            purpose: req.query.purpose,
            groupBy: req.query.groupBy.split(',') as StatisticsDimension[],
            ...(req.query.from !== undefined ? { from: req.query.from } : {}),
            ...(req.query.to !== undefined ? { to: req.query.to } : {}),
            requestId: req.id,
          },
        );
      } catch (err) {
        if (err instanceof StatisticsError || err instanceof AggregateError) {
          throw new HttpProblem(400, 'INVALID_REQUEST', err.message, [{ field: `querystring.${err.field}`, reason: err.message }]);
        }
        throw err;
      }
      reply.header('glasshub-ledger-index', String(result.receipt.ledgerIndex));
      if (result.decision === 'deny') {
        throw new HttpProblem(
          403,
          'POLICY_DENIED',
          `the policy releases no parcel statistics to ${principal.role} for purpose ${req.query.purpose} (rules: ${result.receipt.rules.join(', ')}); this refusal is ledger entry ${result.receipt.ledgerIndex}`,
        );
      }
      return { dimensions: [...result.dimensions], k: result.k, rows: result.rows.map((r) => ({ ...r, key: { ...r.key } })), suppressedCells: result.suppressedCells, receipt: { ...result.receipt, rules: [...result.receipt.rules] } };
    },
  );
}
