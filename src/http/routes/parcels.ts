import { Type } from 'typebox';
import { GateError, type Gate } from '../../gate/index.js';
import { LEGAL_BASES, legalBasisOf } from '../../privacy/index.js';
import type { Store } from '../../store/index.js';
import { principalOf } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface ParcelRouteDeps {
  readonly store: Pick<Store, 'db'>;
  readonly gate: Gate;
}

const ALL_FIELDS = ['name', 'street', 'postcode', 'city', 'country', 'email', 'phone'] as const;

const ParcelAnswer = Type.Object({
  trackingNumber: Type.String(),
  status: Type.String(),
  flight: Type.String(),
  awb: Type.String(),
  destination: Type.Object({ country: Type.String() }),
  lane: Type.Union([Type.String(), Type.Null()]),
  consignee: Type.Record(Type.String(), Type.String(), { description: 'Exactly the fields the policy allows this caller for this purpose' }),
  receipt: Type.Object(
    {
      ledgerIndex: Type.Integer(),
      policy: Type.String({ description: 'SHA-256 of the policy that decided' }),
      rules: Type.Array(Type.String()),
      deniedFields: Type.Array(Type.String()),
    },
    { description: 'Where this very read is recorded in the transparency log' },
  ),
});

/** A parcel with its consignee's data, read through the gate: every call is a decision in the ledger. */
export function registerParcelRoutes(app: TypedApp, deps: ParcelRouteDeps): void {
  app.get(
    '/api/v1/parcels/:trackingNumber',
    {
      schema: {
        tags: ['parcels'],
        summary: 'A parcel and the personal data the caller may see for the stated purpose',
        params: Type.Object({ trackingNumber: Type.String({ pattern: '^[A-Za-z]{2}[0-9]{9}[A-Za-z]{2}$' }) }),
        querystring: Type.Object({
          purpose: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$', description: 'Why: sorting, customs-control, exception-handling, …' }),
          legalBasis: Type.Optional(
            Type.Union(
              LEGAL_BASES.map((b) => Type.Literal(b)),
              { description: "One of the legal bases of the records of processing (GET /api/v1/records-of-processing); default: the record's for the purpose. Never free text: it is published in the log" },
            ),
          ),
        }),
        response: { 200: ParcelAnswer, 403: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      const tn = req.params.trackingNumber.toUpperCase();
      const parcel = await deps.store.db
        .selectFrom('parcels')
        .select(['tracking_number', 'status', 'flight_id', 'awb', 'dest_country', 'lane', 'consignee_ref'])
        .where('tracking_number', '=', tn)
        .executeTakeFirst();
      if (!parcel) throw new HttpProblem(404, 'NOT_FOUND', `no parcel ${tn}`);
      let decision;
      try {
        decision = await deps.gate.access({
          principal,
          action: 'read',
          purpose: req.query.purpose,
          legalBasis: req.query.legalBasis ?? legalBasisOf(req.query.purpose),
          refs: [parcel.consignee_ref],
          category: 'consignee',
          fields: ALL_FIELDS,
          requestId: req.id,
        });
      } catch (err) {
        if (err instanceof GateError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : 400, err.code, err.message);
        throw err;
      }
      reply.header('glasshub-ledger-index', String(decision.ledgerIndex));
      if (decision.decision === 'deny') {
        throw new HttpProblem(403, 'POLICY_DENIED', `the policy allows ${principal.role} no personal data of this parcel for purpose ${req.query.purpose} (rules: ${decision.rules.join(', ')}); this refusal is ledger entry ${decision.ledgerIndex}`);
      }
      const record = decision.records[0];
      const consignee: Record<string, string> = {};
      if (record && 'data' in record) for (const [k, v] of Object.entries(record.data)) if (v !== undefined) consignee[k] = v;
      return {
        trackingNumber: parcel.tracking_number,
        status: parcel.status,
        flight: parcel.flight_id,
        awb: parcel.awb,
        destination: { country: parcel.dest_country },
        lane: parcel.lane,
        consignee,
        receipt: { ledgerIndex: decision.ledgerIndex, policy: decision.policy, rules: [...decision.rules], deniedFields: [...decision.deniedFields] },
      };
    },
  );
}
