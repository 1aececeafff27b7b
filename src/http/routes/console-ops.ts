/**
 * The console's operations views (`/api/v1/ops/…`): flights board, throughput, lane fill, exceptions and
 * dispatch status. Read-only, no personal data (see `hub/views`); docs/console-api.md has the shapes.
 */
import { Type } from 'typebox';
import type { Role } from '../../auth/index.js';
import { dispatchStatus, flightsBoard, floorExceptions, laneFill, throughput } from '../../hub/views/index.js';
import { requireRole } from '../auth.js';
import type { ConsoleRouteDeps } from './console-deps.js';
import type { TypedApp } from './log.js';

const MANAGERS: Role[] = ['supervisor', 'administrator', 'auditor'];
const FLOOR: Role[] = [...MANAGERS, 'scanner', 'sorter'];

const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 100 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const problems = { 400: { $ref: 'Problem#' }, 401: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' } } as const;
const schema = <Q extends object, R extends object>(summary: string, querystring: Q, ok: R) => ({ tags: ['console'], summary, querystring, response: { 200: ok, ...problems } });

const FlightRow = Type.Object({
  id: Str,
  flightNumber: Str,
  flightDate: Str,
  status: Str,
  arrivedAt: Nullable(Str),
  ulds: Type.Object({ expected: Type.Integer(), received: Type.Integer() }),
  parcels: Type.Object({ manifested: Type.Integer(), inducted: Type.Integer() }),
  breakdownProgress: Type.Number({ minimum: 0, maximum: 1 }),
  shortShipped: Type.Integer(),
  overCarried: Type.Integer(),
});
const ThroughputAnswer = Type.Object({
  from: Str,
  until: Str,
  minutes: Type.Integer(),
  minuteStarts: Type.Array(Str),
  series: Type.Array(Type.Object({ bizStep: Str, counts: Type.Array(Type.Integer()) })),
  total: Type.Integer(),
});
const LaneRow = Type.Object({
  lane: Str,
  kind: Str,
  carrier: Nullable(Str),
  departure: Nullable(Str),
  sorted: Type.Integer(),
  bagged: Type.Integer(),
  openBags: Type.Integer(),
  closedBags: Type.Integer(),
});
const ExceptionsAnswer = Type.Object({
  counts: Type.Object({ shortShipped: Type.Integer(), overCarried: Type.Integer(), unknownParcel: Type.Integer(), unknownDestination: Type.Integer(), recipientErased: Type.Integer() }),
  items: Type.Array(Type.Object({ kind: Str, trackingNumber: Str, flightId: Nullable(Str), location: Nullable(Str), at: Nullable(Str) })),
});
const TruckRow = Type.Object({
  id: Str,
  lane: Str,
  carrier: Str,
  status: Str,
  bags: Type.Integer(),
  parcels: Type.Integer(),
  departureAt: Nullable(Str),
  dispatchedAt: Nullable(Str),
});

export function registerConsoleOpsRoutes(app: TypedApp, deps: ConsoleRouteDeps): void {
  const db = deps.store.db;
  app.get(
    '/api/v1/ops/flights',
    {
      config: requireRole(...FLOOR),
      schema: schema('Flights board: arrival, ULDs, parcels, breakdown progress, short-shipped and over-carried', Type.Object({ date: Type.Optional(Type.String({ format: 'date' })), limit: Limit }), Type.Object({ flights: Type.Array(FlightRow) })),
    },
    async (req) => ({ flights: await flightsBoard(db, { date: req.query.date, limit: req.query.limit }) }),
  );

  app.get(
    '/api/v1/ops/throughput',
    {
      config: requireRole(...MANAGERS, 'sorter'),
      schema: schema(
        'EPCIS events per minute by bizStep over the last N minutes',
        Type.Object({ minutes: Type.Integer({ minimum: 1, maximum: 1440, default: 60 }), until: Type.Optional(Type.String({ format: 'date-time' })) }),
        ThroughputAnswer,
      ),
    },
    (req) => throughput(db, req.query.minutes, req.query.until === undefined ? new Date(deps.now?.() ?? Date.now()) : new Date(req.query.until)),
  );

  app.get('/api/v1/ops/lanes', { config: requireRole(...FLOOR), schema: schema('Sort-lane fill: parcels sorted and bagged, open and closed bags', Type.Object({}), Type.Object({ lanes: Type.Array(LaneRow) })) }, async () => ({
    lanes: await laneFill(db),
  }));

  app.get(
    '/api/v1/ops/exceptions',
    { config: requireRole(...FLOOR), schema: schema('Short-shipped, over-carried, unknown parcels, unknown destinations and parcels whose recipient was erased', Type.Object({ limit: Limit }), ExceptionsAnswer) },
    (req) => floorExceptions(db, req.query.limit, deps.erasures),
  );

  app.get(
    '/api/v1/ops/dispatch',
    { config: requireRole(...MANAGERS, 'sorter'), schema: schema('Trucks: carrier, bags, parcels, status, departure', Type.Object({ limit: Limit }), Type.Object({ trucks: Type.Array(TruckRow) })) },
    async (req) => ({ trucks: await dispatchStatus(db, req.query.limit) }),
  );
}
