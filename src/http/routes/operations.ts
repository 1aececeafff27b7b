/**
 * Hub operations over HTTP (`/api/v1/…`): breakdown, sort plans, the sorter's scan batches, bagging,
 * loading, dispatch and the carrier manifest, temporary storage. Routes validate (TypeBox), authorise
 * (the roles in `config`, enforced by the auth plugin) and delegate to `hub/operations`.
 */
import { Type, type TSchema } from 'typebox';
import {
  bagParcels,
  breakdownReport,
  closeBag,
  closeFlight,
  currentSortPlan,
  dispatchManifest,
  dispatchTruck,
  induct,
  listLanes,
  loadTruck,
  manifestCsv,
  MAX_SCANS_PER_BATCH,
  OperationError,
  publishSortPlan,
  receiveUld,
  retrieveParcel,
  sortScans,
  storeParcel,
  type DeliveryDisclosure,
  type Hub,
  type OperationErrorCode,
  type SortPlanCache,
} from '../../hub/operations/index.js';
import { principalOf, requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface HubRouteDeps {
  readonly hub: Hub;
  readonly plans: SortPlanCache;
  /** The gate's disclosure for dispatch manifests; without it, manifests answer 503. */
  readonly disclosure?: DeliveryDisclosure;
}

const STATUS: Record<OperationErrorCode, number> = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 400, ALREADY_DISCLOSED: 409, NO_SORT_PLAN: 409, FORBIDDEN: 403 };

/**
 * Where an operation's input came from: the input names listed (the first part of a detail's `field`) from
 * that part of the request, all others from the body.
 */
type InputSources = Readonly<Record<string, 'params' | 'querystring'>>;

/** Runs an operation; its refusals become problems with the right status, naming the request's fields. */
async function run<T>(operation: () => Promise<T>, sources: InputSources = {}): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof OperationError) throw refusal(err, sources);
    throw err;
  }
}

/**
 * The problem of a refused operation: each detail's field becomes a request path (`trackingNumbers.3` →
 * `body.trackingNumbers.3`, `truckId` → `params.truckId`), and the detail lists those paths after the message.
 */
function refusal(err: OperationError, sources: InputSources = {}): HttpProblem {
  const errors = err.details?.map(({ field, value, reason }) => {
    const name = field.split('.', 1)[0]!;
    const part = Object.hasOwn(sources, name) ? sources[name]! : 'body';
    return { field: `${part}.${field}`, ...(value !== undefined && { value }), reason };
  });
  const fields = [...new Set(errors?.map((e) => e.field))];
  return new HttpProblem(STATUS[err.code], err.code, fields.length === 0 ? err.message : `${err.message} (${fields.join(', ')})`, errors);
}

const Point = Type.String({ pattern: '^[0-9A-Za-z-]{1,20}$', description: 'A point in the hub (a GLN extension: belt, chute, dock, cage)' });
const Tracking = Type.String({ minLength: 1, maxLength: 40, description: 'UPU S10 tracking number' });
const Time = Type.String({ format: 'date-time', description: 'RFC 3339, with offset' });
const Scanner = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
const FlightParams = Type.Object({ flightId: Type.String({ minLength: 1, maxLength: 64 }) });
const TruckParams = Type.Object({ truckId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,31}$' }) });
const Tns = Type.Array(Tracking, { minItems: 1, maxItems: MAX_SCANS_PER_BATCH });
const problems = { 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } } as const;
const time = (s: string | undefined): Date | undefined => (s === undefined ? undefined : new Date(s));

const ScanResult = Type.Object({
  trackingNumber: Type.String(),
  lane: Type.String({ description: 'The lane, or "unknown-parcel"' }),
  reason: Type.String(),
  status: Type.Optional(Type.String()),
});
// A prefix of separators only ("  ", "-") would be dropped whole, silently widening its rule to the country.
const SortRule = Type.Object({ country: Type.String({ minLength: 2, maxLength: 2 }), postcodePrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 16, pattern: '[0-9A-Za-z]', description: 'At least one letter or digit; separators are dropped' })), lane: Type.String({ maxLength: 32 }) }, { additionalProperties: false });

function schema<P extends { params?: TSchema; body?: TSchema }>(summary: string, parts: P): P & { tags: string[]; summary: string; response: typeof problems };
function schema<P extends { params?: TSchema; body?: TSchema }, R extends TSchema, S extends 200 | 201 = 200>(
  summary: string,
  parts: P,
  ok: R,
  status?: S,
): P & { tags: string[]; summary: string; response: typeof problems & { [K in S]: R } };
function schema(summary: string, parts: object, ok?: TSchema, status = 200): object {
  return { tags: ['operations'], summary, ...parts, response: { ...(ok ? { [status]: ok } : {}), ...problems } };
}
const Anything = Type.Unknown();

export function registerOperationsRoutes(app: TypedApp, deps: HubRouteDeps): void {
  const { hub, plans } = deps;
  const sorting = requireRole('scanner', 'sorter');

  app.post(
    '/api/v1/scans',
    {
      config: sorting,
      bodyLimit: 4 * 1024 * 1024,
      schema: schema(
        'A batch of sorter or handheld scans: the lane of each parcel, one event per scan',
        { body: Type.Array(Type.Object({ trackingNumber: Tracking, scanner: Scanner, location: Point, time: Time }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_SCANS_PER_BATCH }) },
        Type.Object({ planVersion: Type.Integer(), results: Type.Array(ScanResult) }),
      ),
    },
    (req) => run(() => sortScans(hub, plans, req.body.map((s) => ({ ...s, time: new Date(s.time) })))),
  );

  app.post(
    '/api/v1/flights/:flightId/ulds/:uld/receive',
    { config: requireRole('scanner', 'supervisor'), schema: schema('Receive a ULD into custody (breakdown starts)', { params: Type.Object({ ...FlightParams.properties, uld: Type.String({ maxLength: 16 }) }), body: Type.Object({ point: Type.Optional(Point), time: Type.Optional(Time) }) }) },
    (req) => run(() => receiveUld(hub, { flightId: req.params.flightId, uld: req.params.uld, point: req.body.point, time: time(req.body.time) }), { flightId: 'params', uld: 'params' }),
  );

  app.post(
    '/api/v1/flights/:flightId/induction',
    {
      config: requireRole('scanner'),
      schema: schema('Induct parcels of a flight: received, or over-carried', {
        params: FlightParams,
        body: Type.Object({ scans: Type.Array(Type.Object({ trackingNumber: Tracking, scanner: Type.Optional(Scanner), location: Type.Optional(Point), time: Type.Optional(Time) }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_SCANS_PER_BATCH }) }),
      }),
    },
    async (req) => ({ results: await run(() => induct(hub, req.params.flightId, req.body.scans.map((s) => ({ ...s, time: time(s.time) }))), { flightId: 'params' }) }),
  );

  app.post('/api/v1/flights/:flightId/close', { config: requireRole('supervisor'), schema: schema('Close a flight: unscanned parcels are short-shipped', { params: FlightParams }) }, async (req) => {
    await run(() => closeFlight(hub, req.params.flightId), { flightId: 'params' });
    return { flightId: req.params.flightId, status: 'broken-down' };
  });

  app.get('/api/v1/flights/:flightId/breakdown-report', { config: requireRole('supervisor', 'auditor'), schema: schema('Short-shipped and over-carried parcels of a flight', { params: FlightParams }) }, (req) =>
    run(() => breakdownReport(hub, req.params.flightId), { flightId: 'params' }),
  );

  app.get('/api/v1/lanes', { config: requireRole('sorter', 'supervisor'), schema: schema('Lanes: outbound (carrier, service, departure), hold, exceptions', {}) }, async () => ({ lanes: [...(await listLanes(hub.db)).values()] }));

  app.get('/api/v1/sort-plans/current', { config: requireRole('sorter', 'supervisor', 'auditor'), schema: schema('The newest sort plan', {}) }, async () => {
    const plan = await currentSortPlan(hub.db);
    if (!plan) throw new HttpProblem(404, 'NO_SORT_PLAN', 'no sort plan has been published yet');
    return plan;
  });

  app.post(
    '/api/v1/sort-plans',
    { config: requireRole('supervisor'), schema: schema('Publish the next version of the sort plan (longest postcode prefix wins)', { body: Type.Object({ rules: Type.Array(SortRule, { maxItems: 100_000 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }) }, Anything, 201) },
    async (req, reply) => reply.status(201).send(await run(() => publishSortPlan(hub.db, { rules: req.body.rules, comment: req.body.comment, author: principalOf(req).id }))),
  );

  app.post('/api/v1/bags', { config: sorting, schema: schema('Bag sorted parcels of one lane under a new SSCC', { body: Type.Object({ lane: Type.String({ minLength: 1, maxLength: 32 }), trackingNumbers: Tns, point: Type.Optional(Point) }) }, Anything, 201) }, async (req, reply) =>
    reply.status(201).send(await run(() => bagParcels(hub, req.body))),
  );

  app.post('/api/v1/bags/:sscc/close', { config: sorting, schema: schema('Close an open bag', { params: Type.Object({ sscc: Type.String({ maxLength: 64 }) }) }) }, (req) =>
    run(() => closeBag(hub, { sscc: req.params.sscc }), { sscc: 'params' }),
  );

  app.post(
    '/api/v1/trucks/:truckId/load',
    { config: requireRole('sorter', 'supervisor'), schema: schema('Load closed bags of one lane on its truck', { params: TruckParams, body: Type.Object({ bags: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 }), dock: Type.Optional(Point) }) }) },
    (req) => run(() => loadTruck(hub, { truckId: req.params.truckId, bags: req.body.bags, dock: req.body.dock }), { truckId: 'params' }),
  );

  app.post('/api/v1/trucks/:truckId/dispatch', { config: requireRole('supervisor'), schema: schema('The truck departs: its bags and parcels are dispatched', { params: TruckParams, body: Type.Object({ dock: Type.Optional(Point) }) }) }, (req) =>
    run(() => dispatchTruck(hub, { truckId: req.params.truckId, dock: req.body.dock }), { truckId: 'params' }),
  );

  app.post(
    '/api/v1/trucks/:truckId/manifest',
    {
      config: requireRole('supervisor', 'carrier'),
      schema: schema('The carrier manifest of a dispatched truck, with recipients read through the gate: once, or re-issued with a reason', {
        params: TruckParams,
        body: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])), reissueReason: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })) }),
      }),
    },
    async (req, reply) => {
      const gate = deps.disclosure;
      if (!gate) throw new HttpProblem(503, 'NO_GATE', 'this server has no gate to disclose recipients through');
      const principal = principalOf(req);
      const manifest = await run(
        () => dispatchManifest(hub, gate, { truckId: req.params.truckId, requestedBy: principal.id, reissueReason: req.body.reissueReason, ...(principal.role === 'carrier' && { carrierOnly: principal.organisation }) }),
        { truckId: 'params' },
      );
      reply.header('cache-control', 'no-store');
      if (req.body.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="manifest-${manifest.truckId}-${manifest.disclosure}.csv"`).send(manifestCsv(manifest));
      return reply.send(manifest);
    },
  );

  const StorageBody = Type.Object({ trackingNumber: Tracking, location: Point });
  app.post('/api/v1/storage/store', { config: sorting, schema: schema('Put a parcel at a storage location', { body: StorageBody }) }, (req) => run(() => storeParcel(hub, req.body)));
  app.post('/api/v1/storage/retrieve', { config: sorting, schema: schema('Take a parcel out of storage', { body: Type.Object({ trackingNumber: Tracking }) }) }, (req) => run(() => retrieveParcel(hub, req.body)));
}
