import { Type } from 'typebox';
import {
  customsQueue,
  CustomsWorkflowError,
  decideParcel,
  exportFlightH7,
  flightReport,
  H7ExportError,
  OFFICER_ACTIONS,
  officerView,
  PARTY_READ_FIELDS,
  PartyReadDenied,
  reportCsv,
  reportHtml,
} from '../../customs/index.js';
import { GateError, type Gate } from '../../gate/index.js';
import type { Hub } from '../../hub/operations/index.js';
import { principalOf, requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface CustomsRouteDeps {
  /** The hub's database and configuration (EPCIS events of decisions are located at the hub). */
  readonly hub: Hub;
  readonly gate: Gate;
  /** The declarant's EORI number written into H7 declarations. */
  readonly declarant?: string;
}

const OFFICER = requireRole('customs-officer');
const TN = Type.Object({ tn: Type.String({ pattern: '^[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}$' }) });
const FLIGHT = Type.Object({ flight: Type.String({ minLength: 1, maxLength: 64, description: 'Flight id, URL-encoded (CK231%2F2026-11-25)' }) });
const PROBLEMS = { 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' }, 409: { $ref: 'Problem#' } };
const ANY_OBJECT = Type.Object({}, { additionalProperties: true });
const ERASED_REASON =
  "the consignee's personal data was erased (crypto-shredded: GDPR Art. 17 on request, or the retention rules); nothing of it can be read any more, by anyone";

function asProblem(err: unknown): never {
  if (err instanceof CustomsWorkflowError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : err.code === 'CONFLICT' ? 409 : 400, err.code, err.message);
  if (err instanceof H7ExportError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : 409, err.code, err.message);
  if (err instanceof PartyReadDenied) throw new HttpProblem(403, 'POLICY_DENIED', err.message);
  if (err instanceof GateError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : 400, err.code, err.message);
  throw err;
}

/** The customs officer's desk: queue, decisions, parcel detail through the gate, reports, the H7 export. */
export function registerCustomsRoutes(app: TypedApp, deps: CustomsRouteDeps): void {
  const db = deps.hub.db;
  const declarant = deps.declarant ?? 'BE0000000000';

  // `after` is a keyset cursor: anything but a tracking number answered an empty page, silently.
  app.get('/api/v1/customs/queue', {
    config: OFFICER,
    schema: {
      tags: ['customs'],
      summary: 'Flagged parcels with their reasons, evidence and newest decision (no personal data)',
      querystring: Type.Object({ flight: Type.Optional(Type.String({ maxLength: 64 })), rule: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,64}$' })), after: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9]{9}[A-Z]{2}$', description: 'The last tracking number of the previous page' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) }),
      response: { 200: Type.Object({ parcels: Type.Array(ANY_OBJECT) }), ...PROBLEMS },
    },
  }, async (req) => ({ parcels: await customsQueue(db, req.query) }));

  app.post('/api/v1/customs/parcels/:tn/decisions', {
    config: OFFICER,
    schema: {
      tags: ['customs'],
      summary: "An officer's decision: hold, inspect, release or seize; stored, emitted as an EPCIS event, applied to the parcel's status",
      params: TN,
      body: Type.Object({ action: Type.Union(OFFICER_ACTIONS.map((a) => Type.Literal(a))), comment: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 201: ANY_OBJECT, ...PROBLEMS },
    },
  }, async (req, reply) => {
    const result = await decideParcel(deps.hub, { trackingNumber: req.params.tn.toUpperCase(), action: req.body.action, comment: req.body.comment, officer: principalOf(req) }).catch(asProblem);
    return reply.code(201).send(result);
  });

  app.get('/api/v1/customs/parcels/:tn', {
    config: OFFICER,
    schema: {
      tags: ['customs'],
      summary: "A parcel for an officer: clearance, flags, decisions, and the consignee read through the gate (customs-control) with the receipt of that read; consigneeErased when the record was erased",
      params: TN,
      response: { 200: ANY_OBJECT, ...PROBLEMS },
    },
  }, async (req, reply) => {
    const principal = principalOf(req);
    const view = await officerView(db, req.params.tn.toUpperCase());
    if (!view) throw new HttpProblem(404, 'NOT_FOUND', `no parcel ${req.params.tn.toUpperCase()}`);
    const { consignee_ref: ref, ...parcel } = view.parcel;
    const d = await deps.gate.access({ principal, action: 'read', purpose: 'customs-control', refs: [ref], category: 'consignee', fields: PARTY_READ_FIELDS, requestId: req.id }).catch(asProblem);
    reply.header('glasshub-ledger-index', String(d.ledgerIndex));
    if (d.decision === 'deny') throw new HttpProblem(403, 'POLICY_DENIED', `the policy allows ${principal.role} no consignee data for customs-control (rules: ${d.rules.join(', ')}); this refusal is ledger entry ${d.ledgerIndex}`);
    const consignee: Record<string, string> = {};
    const record = d.records[0];
    if (record && 'data' in record) for (const [k, v] of Object.entries(record.data)) if (v !== undefined) consignee[k] = v;
    // An erased record is said so, not shown as an empty consignee; `consignee` stays an object (the console lists its entries).
    const erased = record !== undefined && 'erased' in record;
    const receipt = { ledgerIndex: d.ledgerIndex, policy: d.policy, rules: [...d.rules], deniedFields: [...d.deniedFields] };
    return { ...view, parcel, consignee, consigneeErased: erased, ...(erased && { consigneeErasedReason: ERASED_REASON }), receipt };
  });

  app.get('/api/v1/customs/flights/:flight/h7', {
    config: OFFICER,
    schema: {
      tags: ['customs'],
      summary: 'The H7 declarations of a cleared flight (a disclosure: party data through the gate, one decision per ≤ 1,000 parties, receipts included)',
      params: FLIGHT,
      response: { 200: ANY_OBJECT, ...PROBLEMS },
    },
  }, async (req, reply) => {
    const out = await exportFlightH7(db, deps.gate, req.params.flight, { principal: principalOf(req), declarant, requestId: req.id }).catch(asProblem);
    reply.header('glasshub-ledger-index', [...out.receipts.consignees, ...out.receipts.sellers].join(', '));
    return out;
  });

  for (const [suffix, type] of [['', 'application/json'], ['.csv', 'text/csv; charset=utf-8'], ['.html', 'text/html; charset=utf-8']] as const) {
    app.get(`/api/v1/customs/flights/:flight/report${suffix}`, {
      config: OFFICER,
      schema: { tags: ['customs'], summary: `Per-flight customs report${suffix === '' ? '' : ` (${suffix.slice(1).toUpperCase()})`}: figures and flags, no personal data`, params: FLIGHT, response: { ...PROBLEMS } },
    }, async (req, reply) => {
      const report = await flightReport(db, req.params.flight);
      if (report.totals.parcels === 0) throw new HttpProblem(404, 'NOT_FOUND', `no clearance for flight ${req.params.flight}`);
      reply.type(type);
      return suffix === '' ? JSON.stringify(report) : suffix === '.csv' ? reportCsv(report) : reportHtml(report);
    });
  }
}
