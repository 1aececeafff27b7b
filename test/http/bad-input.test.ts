/**
 * Bad input over HTTP: every malformed request gets a 4xx problem+json naming the field and the reason —
 * never a 500, a stack trace, SQL or personal data — and leaves the store as it was.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrincipal, ROLES, type Role } from '../../src/auth/index.js';
import { makeSscc } from '../../src/domain/index.js';
import { buildHubApp } from '../../src/http/index.js';
import { defineStorageLocations, seedDefaultSortPlan, SortPlanCache } from '../../src/hub/operations/index.js';
import type { TransparencyLog } from '../../src/ledger/index.js';
import { Erasure, OutboxTransport, recipientDirectory, SubjectAccess } from '../../src/privacy/index.js';
import { gateDeliveryDisclosure } from '../../src/runtime/delivery.js';
import type { Hub } from '../../src/runtime/index.js';
import { testGate } from '../support/gate.js';
import { openTestLedger } from '../support/hub.js';
import { insertParcel } from '../support/parcels.js';
import { openTestStore, STORE_KINDS, type StoreKind, type TestStore } from '../support/stores.js';
import { CONFIG, seedFlight, tracking } from '../hub/fixtures.js';

const TN = 'RR473124829GB';
const FLIGHT = encodeURIComponent('CK231/2026-11-25');
const LEAP = '2026-06-30T23:59:60Z'; // valid RFC 3339, but no Date can hold it
const alice = { name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be' };

/** Tables a rejected request could write to. */
const TABLES = ['parcels', 'breaches', 'authority_requests', 'customs_decisions', 'sort_plans', 'principals', 'api_tokens', 'epcis_events', 'bags', 'subject_access_requests', 'sessions'] as const;

interface Problem {
  status: number;
  title: string;
  detail: string;
  code: string;
  errors?: { field: string; value?: string; reason: string }[];
}

interface BadInputHub {
  readonly app: FastifyInstance;
  readonly store: TestStore;
  readonly log: TransparencyLog;
  readonly tokens: Readonly<Record<Role, string>>;
  close(): Promise<void>;
}

/** The whole hub app (buildHubApp) on a fresh store: a parcel with a sealed consignee, a flight, a sort plan, one principal per role. */
async function openBadInputHub(kind: StoreKind): Promise<BadInputHub> {
  const store = await openTestStore(kind);
  const { key, log } = await openTestLedger(store);
  const gate = testGate(store, log);
  await gate.publishPolicy();
  const email = new OutboxTransport(join(mkdtempSync(join(tmpdir(), 'gh-bad-input-')), 'outbox'));
  const hub: Hub = {
    store,
    key,
    log,
    gate,
    config: CONFIG,
    plans: new SortPlanCache(store.db),
    disclosure: gateDeliveryDisclosure(gate, 'BE'),
    subjectAccess: new SubjectAccess({ db: store.db, gate, log, email }),
    erasure: new Erasure({ db: store.db, gate, log, email, recipients: recipientDirectory(undefined) }),
    close: () => Promise.resolve(),
  };
  const app = await buildHubApp(hub, { logger: false, console: undefined });
  await seedDefaultSortPlan(store.db);
  await seedFlight(store.db, { flightId: 'CK232/2026-11-25', parcels: [{ country: 'BE', postcode: '4000' }] });
  const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: alice }]);
  await insertParcel(store, TN, ref!);
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = (await addPrincipal(store.db, log, { name: role, role, organisation: role === 'carrier' ? 'bpost' : 'hub-operator', country: 'BE' })).token.token;
  return {
    app,
    store,
    log,
    tokens,
    close: async () => {
      await app.close();
      await log.close();
      await store.cleanup();
    },
  };
}

/** Row counts of every table a request could write, and the ledger's size. */
async function snapshot(hub: BadInputHub): Promise<Record<string, number>> {
  const counts: Record<string, number> = { ledger: hub.log.size };
  for (const table of TABLES) {
    const row = await hub.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/**
 * A refusal as the rule wants it: the status, problem+json, a body that leaks no stack or SQL, and (when
 * given) the field named both in `errors` and in `detail`.
 */
function expectProblem(res: LightMyRequestResponse, status: number, field?: string): Problem {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  const body = res.json<Problem>();
  expect(body.status).toBe(status);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(res.body).not.toMatch(/\b(select|insert into|update|sqlite|postgres|syntax error|violates|relation)\b/i);
  if (field !== undefined) {
    expect(body.errors?.map((e) => e.field)).toContain(field);
    // The detail names it too (its last named part: `comment` of `body.comment`, `eventTime` of `body.….0.eventTime`).
    const name = field.split('.').filter((part) => !/^\d+$/.test(part)).at(-1)!;
    if (name !== 'body') expect(body.detail.toLowerCase()).toContain(name.toLowerCase());
  }
  return body;
}

const reasonOf = (body: Problem, field: string): string => body.errors?.find((e) => e.field === field)?.reason ?? '';

describe('bad input over HTTP (SQLite)', () => {
  let hub: BadInputHub;
  let before: Record<string, number>;

  beforeAll(async () => {
    hub = await openBadInputHub('sqlite');
    before = await snapshot(hub);
  });
  afterAll(async () => {
    await hub.close();
  });

  const call = (who: Role | undefined, options: InjectOptions) =>
    hub.app.inject({ ...options, headers: { ...options.headers, ...(who ? { authorization: `Bearer ${hub.tokens[who]}` } : {}) } });
  const post = (who: Role, url: string, payload: unknown) => call(who, { method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
  const get = (who: Role | undefined, url: string) => call(who, { url });

  describe('bodies', () => {
    it('refuses a body that is not JSON, or empty, with 400 and says so', async () => {
      const res = await call('sorter', { method: 'POST', url: '/api/v1/scans', payload: '{not json', headers: { 'content-type': 'application/json' } });
      expect(expectProblem(res, 400).detail).toMatch(/not valid JSON/i);
      const empty = await call('sorter', { method: 'POST', url: '/api/v1/scans', payload: '', headers: { 'content-type': 'application/json' } });
      expect(expectProblem(empty, 400).detail).toMatch(/empty/i);
      const ld = await call('scanner', { method: 'POST', url: '/epcis/capture', payload: '{"type":', headers: { 'content-type': 'application/ld+json' } });
      expect(expectProblem(ld, 400).code).toBe('INVALID_JSON');
    });

    it('refuses a content type the route does not read with 415, naming the header', async () => {
      const scan = JSON.stringify([{ trackingNumber: tracking(0), scanner: 'HHT-1', location: 'SORTER-1', time: '2026-11-25T04:00:00Z' }]);
      expectProblem(await call('sorter', { method: 'POST', url: '/api/v1/scans', payload: scan, headers: { 'content-type': 'text/plain' } }), 415, 'headers.content-type');
      expectProblem(await call(undefined, { method: 'POST', url: '/api/v1/session', payload: '{"token":"gh_x"}', headers: { 'content-type': 'text/plain' } }), 415, 'headers.content-type');
      expectProblem(await call('scanner', { method: 'POST', url: '/epcis/capture', payload: '<epcis/>', headers: { 'content-type': 'application/xml' } }), 415, 'headers.content-type');
      const manifest = expectProblem(await call('supervisor', { method: 'POST', url: '/api/v1/manifests', payload: 'x', headers: { 'content-type': 'text/csv; charset=latin1' } }), 415);
      expect(manifest.detail).toContain('UTF-8');
    });

    it('names the field when the body has the wrong type, array for object and string for number', async () => {
      expect(reasonOf(expectProblem(await post('sorter', '/api/v1/scans', { trackingNumber: tracking(0) }), 400, 'body'), 'body')).toBe('must be array');
      expect(reasonOf(expectProblem(await post('scanner', `/api/v1/flights/${FLIGHT}/ulds/AKE12345CK/receive`, []), 400, 'body'), 'body')).toBe('must be object');
      const count = await post('dpo', '/api/v1/breaches', { detectedAt: '2026-11-25T04:00:00Z', nature: 'lost tablet', categories: [], approxSubjects: 'many', measures: 'wiped' });
      expect(reasonOf(expectProblem(count, 400, 'body.approxSubjects'), 'body.approxSubjects')).toBe('must be integer');
      const doc = await call('scanner', { method: 'POST', url: '/epcis/capture', payload: '[]', headers: { 'content-type': 'application/json' } });
      expect(expectProblem(doc, 400, 'body').code).toBe('INVALID_EPCIS_DOCUMENT');
    });

    it('names every missing required field', async () => {
      const body = expectProblem(await post('dpo', '/api/v1/authority-requests', {}), 400, 'body.authority');
      expect(body.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['body.country', 'body.legalInstrument', 'body.channel', 'body.categories', 'body.subjects', 'body.description']));
      expectProblem(await post('customs-officer', `/api/v1/customs/parcels/${TN}/decisions`, { action: 'hold' }), 400, 'body.comment');
    });

    it('names an unknown property as the field', async () => {
      const scan = { trackingNumber: tracking(0), scanner: 'HHT-1', location: 'SORTER-1', time: '2026-11-25T04:00:00Z', colour: 'red' };
      expect(reasonOf(expectProblem(await post('sorter', '/api/v1/scans', [scan]), 400, 'body.0.colour'), 'body.0.colour')).toBe('is not a known property');
      expectProblem(await post('administrator', '/api/v1/admin/principals', { name: 'n', role: 'sorter', organisation: 'o', country: 'BE', admin: true }), 400, 'body.admin');
    });

    it('lists the values allowed for an enumerated field, once', async () => {
      const body = expectProblem(await post('customs-officer', `/api/v1/customs/parcels/${TN}/decisions`, { action: 'shred', comment: 'why not' }), 400, 'body.action');
      expect(body.errors).toEqual([{ field: 'body.action', reason: 'must be one of "hold", "inspect", "release", "seize"' }]);
      const role = expectProblem(await post('administrator', '/api/v1/admin/principals', { name: 'n', role: 'root', organisation: 'o', country: 'BE' }), 400, 'body.role');
      expect(reasonOf(role, 'body.role')).toContain('"administrator"');
      expect(reasonOf(expectProblem(await get('auditor', '/api/v1/audit/access?bucket=week'), 400, 'querystring.bucket'), 'querystring.bucket')).toBe('must be one of "hour", "day"');
    });

    it('refuses empty, blank and over-long strings', async () => {
      expectProblem(await post('customs-officer', `/api/v1/customs/parcels/${TN}/decisions`, { action: 'hold', comment: '' }), 400, 'body.comment');
      expectProblem(await post('dpo', '/api/v1/breaches', { detectedAt: '2026-11-25T04:00:00Z', nature: '   ', categories: [], approxSubjects: 1, measures: 'none' }), 400, 'body.nature');
      expectProblem(await post('supervisor', '/api/v1/sort-plans', { rules: [], comment: 'x'.repeat(501) }), 400, 'body.comment');
      expectProblem(await post('sorter', '/api/v1/scans', [{ trackingNumber: 'X'.repeat(41), scanner: 'HHT-1', location: 'SORTER-1', time: '2026-11-25T04:00:00Z' }]), 400, 'body.0.trackingNumber');
      expectProblem(await call(undefined, { method: 'POST', url: '/api/v1/session', payload: { token: 'x'.repeat(201) } }), 400, 'body.token');
    });

    it('refuses a sort-plan prefix of separators only instead of widening the rule to the whole country', async () => {
      const current = (await get('sorter', '/api/v1/sort-plans/current')).json<{ version: number }>().version;
      expectProblem(await post('supervisor', '/api/v1/sort-plans', { rules: [{ country: 'BE', postcodePrefix: ' - ', lane: 'BE-BPOST' }] }), 400, 'body.rules.0.postcodePrefix');
      expect((await get('sorter', '/api/v1/sort-plans/current')).json<{ version: number }>().version).toBe(current);
    });

    it('refuses negative, fractional and out-of-range numbers', async () => {
      const breach = { detectedAt: '2026-11-25T04:00:00Z', nature: 'lost tablet', categories: [], measures: 'wiped' };
      expectProblem(await post('dpo', '/api/v1/breaches', { ...breach, approxSubjects: -1 }), 400, 'body.approxSubjects');
      expectProblem(await post('dpo', '/api/v1/breaches', { ...breach, approxSubjects: 1.5 }), 400, 'body.approxSubjects');
      expectProblem(await post('dpo', '/api/v1/breaches', { ...breach, approxSubjects: 1e300 }), 400, 'body.approxSubjects');
      expectProblem(await get('supervisor', '/api/v1/ops/exceptions?limit=0'), 400, 'querystring.limit');
      expectProblem(await get('customs-officer', '/api/v1/customs/queue?limit=1.5'), 400, 'querystring.limit');
      expectProblem(await get(undefined, '/log/proof/inclusion?index=-1&size=1'), 400, 'querystring.index');
      expectProblem(await get(undefined, '/log/proof/inclusion?index=0&size=9007199254740993'), 400, 'querystring.size');
    });

    it('refuses a zero or endless token lifetime instead of a 500 or a token that is born expired', async () => {
      const principal = { name: 'temp', role: 'sorter', organisation: 'hub-operator', country: 'BE' };
      for (const expiresIn of ['0m', '999999w']) {
        const res = await post('administrator', '/api/v1/admin/principals', { ...principal, expiresIn });
        expect(reasonOf(expectProblem(res, 400, 'body.expiresIn'), 'body.expiresIn')).toMatch(/positive duration/);
      }
      const id = (await get('administrator', '/api/v1/admin/principals')).json<{ principals: { id: string }[] }>().principals[0]!.id;
      expectProblem(await post('administrator', `/api/v1/admin/principals/${id}/tokens`, { expiresIn: '0h' }), 400, 'body.expiresIn');
      // A lifetime within bounds gives a token that works (the one row this file adds, removed again).
      const issued = await post('administrator', `/api/v1/admin/principals/${id}/tokens`, { expiresIn: '30d' });
      expect(issued.statusCode).toBe(201);
      expect((await call(undefined, { url: '/api/v1/session', headers: { authorization: `Bearer ${issued.json<{ token: string }>().token}` } })).statusCode).toBe(200);
      await hub.store.db.deleteFrom('api_tokens').where('expires_at', 'is not', null).execute();
    });
  });

  describe('path parameters', () => {
    it('refuses malformed tracking numbers, SSCCs, ULDs and truck ids, naming the parameter', async () => {
      expectProblem(await get('sorter', '/api/v1/parcels/12345?purpose=sorting'), 400, 'params.trackingNumber');
      expectProblem(await get('customs-officer', '/api/v1/customs/parcels/RR47312482XGB'), 400, 'params.tn');
      expectProblem(await post('scanner', `/api/v1/flights/${FLIGHT}/ulds/${'X'.repeat(17)}/receive`, {}), 400, 'params.uld');
      expectProblem(await post('sorter', '/api/v1/trucks/bad%20truck/load', { bags: ['000000000000000000'] }), 400, 'params.truckId');
      expectProblem(await post('sorter', `/api/v1/bags/${'9'.repeat(65)}/close`, {}), 400, 'params.sscc');
      expectProblem(await post('dpo', '/api/v1/breaches/not-a-uuid/notification', {}), 400, 'params.id');
      const unknown = expectProblem(await post('dpo', '/api/v1/breaches/00000000-0000-4000-8000-000000000000/notification', {}), 404);
      expect(unknown.detail).toBe('no breach 00000000-0000-4000-8000-000000000000');
      const sscc = expectProblem(await post('sorter', '/api/v1/bags/NOTANSSCC/close', {}), 400);
      expect(sscc.detail).toMatch(/bag "NOTANSSCC": must be 18 digits/);
    });

    it('answers unknown but well-formed ids with 404', async () => {
      expectProblem(await get('sorter', '/api/v1/parcels/RR000000000GB?purpose=sorting'), 404);
      expectProblem(await post('sorter', '/api/v1/bags/000000000000000000/close', {}), 404);
      expectProblem(await post('supervisor', '/api/v1/trucks/NOPE/dispatch', {}), 404);
      expectProblem(await get('customs-officer', '/api/v1/customs/flights/NOPE/report'), 404);
    });

    it('answers a broken percent-encoding with a problem that does not repeat the URL', async () => {
      for (const url of ['/api/v1/parcels/%E0%A4%A?purpose=sorting&legalBasis=Alice%20Martin', '/track/%ZZ']) {
        const body = expectProblem(await get('sorter', url), 400);
        expect(body.code).toBe('BAD_URL');
        expect(body.detail).toMatch(/percent-encoding/);
        expect(JSON.stringify(body)).not.toContain('Alice');
      }
    });

    it('answers an over-long path parameter with 414 as a problem', async () => {
      const body = expectProblem(await get('sorter', `/api/v1/parcels/${'A'.repeat(5000)}?purpose=sorting`), 414);
      expect(body).toMatchObject({ code: 'PATH_PARAMETER_TOO_LONG', title: 'URI Too Long' });
      expect(body.detail).toContain('100 characters');
    });

    it('keeps public tracking to 404 for odd numbers, and escapes them in HTML', async () => {
      expectProblem(await get(undefined, '/track/..%2F..%2Fetc'), 404);
      expectProblem(await get(undefined, `/track/${'X'.repeat(70)}`), 400, 'params.trackingNumber');
      const html = await get(undefined, '/track/%3Cscript%3E.html');
      expect(html.statusCode).toBe(404);
      expect(html.body).not.toContain('<script>');
    });
  });

  describe('query parameters', () => {
    it('refuses impossible dates, not only malformed ones', async () => {
      expectProblem(await get('auditor', '/api/v1/statistics/parcels?groupBy=destCountry&purpose=statistics&from=2026-02-30'), 400, 'querystring.from');
      expectProblem(await get('auditor', '/api/v1/statistics/parcels?groupBy=destCountry&purpose=statistics&to=2026-13-01'), 400, 'querystring.to');
      expectProblem(await get('supervisor', '/api/v1/ops/flights?date=2026-02-30'), 400, 'querystring.date');
      expectProblem(await get('auditor', '/api/v1/audit/access?from=yesterday'), 400, 'querystring.from');
      expectProblem(await get('auditor', '/epcis/events?GE_eventTime=yesterday'), 400, 'querystring.GE_eventTime');
    });

    it('refuses EPCIS paging tokens it never issued, unknown and repeated parameters', async () => {
      expect(expectProblem(await get('auditor', '/epcis/events?nextPageToken=garbage'), 400, 'querystring.nextPageToken').code).toBe('INVALID_QUERY');
      expectProblem(await get('auditor', '/epcis/events?nextPageToken='), 400, 'querystring.nextPageToken');
      expect(reasonOf(expectProblem(await get('auditor', '/epcis/events?GE_recordTime=2026-01-01T00:00:00Z'), 400, 'querystring.GE_recordTime'), 'querystring.GE_recordTime')).toMatch(/not supported/);
      expect(reasonOf(expectProblem(await get('auditor', '/epcis/events?perPage=1&perPage=2'), 400, 'querystring.perPage'), 'querystring.perPage')).toMatch(/more than once/);
      expectProblem(await get('auditor', '/epcis/events?perPage=-1'), 400, 'querystring.perPage');
    });

    it('refuses a repeated single-valued parameter', async () => {
      expectProblem(await get('sorter', `/api/v1/parcels/${TN}?purpose=sorting&purpose=customs-control`), 400, 'querystring.purpose');
      expectProblem(await get('customs-officer', '/api/v1/customs/queue?limit=1&limit=2'), 400, 'querystring.limit');
    });

    it('refuses a customs-queue cursor that is no tracking number instead of answering an empty page', async () => {
      expectProblem(await get('customs-officer', '/api/v1/customs/queue?after=garbage'), 400, 'querystring.after');
      expect((await get('customs-officer', `/api/v1/customs/queue?after=${TN}`)).statusCode).toBe(200);
    });
  });

  describe('times a Date cannot hold (a leap second)', () => {
    it('refuses them where a body carries a date-time', async () => {
      expectProblem(await post('sorter', '/api/v1/scans', [{ trackingNumber: tracking(0), scanner: 'HHT-1', location: 'SORTER-1', time: LEAP }]), 400, 'body.0.time');
      expectProblem(await post('scanner', `/api/v1/flights/${FLIGHT}/ulds/AKE12345CK/receive`, { time: LEAP }), 400, 'body.time');
      expectProblem(await post('scanner', `/api/v1/flights/${FLIGHT}/induction`, { scans: [{ trackingNumber: tracking(0), time: LEAP }] }), 400, 'body.scans.0.time');
      expectProblem(await post('dpo', '/api/v1/breaches', { detectedAt: LEAP, nature: 'lost tablet', categories: [], approxSubjects: 1, measures: 'wiped' }), 400, 'body.detectedAt');
    });

    it('refuses them in query parameters', async () => {
      expectProblem(await get('supervisor', `/api/v1/ops/throughput?until=${LEAP}`), 400, 'querystring.until');
      expectProblem(await get('auditor', `/api/v1/audit/access?to=${LEAP}`), 400, 'querystring.to');
      expectProblem(await get('auditor', `/epcis/events?GE_eventTime=${LEAP}`), 400, 'querystring.GE_eventTime');
    });

    it('refuses them in a captured EPCIS event, naming the event field', async () => {
      const doc = {
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: '2026-11-25T04:00:00Z',
        epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: LEAP, eventTimeZoneOffset: '+00:00', action: 'OBSERVE', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }] },
      };
      const body = expectProblem(await post('scanner', '/epcis/capture', doc), 400, 'body.epcisBody.eventList.0.eventTime');
      expect(body.code).toBe('INVALID_EPCIS_DOCUMENT');
    });
  });

  describe('authentication', () => {
    it('answers a missing, malformed or unknown token with 401 problems', async () => {
      const url = `/api/v1/parcels/${TN}?purpose=sorting`;
      expect(expectProblem(await get(undefined, url), 401).code).toBe('MISSING_TOKEN');
      for (const authorization of ['Basic Zm9vOmJhcg==', 'Bearer garbage', `Bearer gh_${'x'.repeat(3000)}`]) {
        expect(expectProblem(await call(undefined, { url, headers: { authorization } }), 401).code).toBe('INVALID_TOKEN');
      }
      expect(expectProblem(await call(undefined, { url: '/api/v1/session', headers: { cookie: 'glasshub_session=%ZZ' } }), 401).code).toBe('INVALID_SESSION');
    });

    it('answers a role the route does not admit with 403 naming the roles, and checks it before the body', async () => {
      const body = expectProblem(await post('auditor', '/api/v1/breaches', { nature: 'x'.repeat(5000) }), 403, 'principal.role');
      expect(body.detail).toContain('dpo');
    });

    it('shows the subject-access page again, not a 500, for a session cookie that is not percent-encoding', async () => {
      for (const cookie of ['glasshub_subject_session=%ZZ', 'glasshub_subject_session=%E0%A4%A']) {
        const res = await call(undefined, { url: '/api/v1/subject-access/page/report', headers: { cookie } });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('text/html');
      }
    });
  });

  describe('personal data', () => {
    it('echoes none of a refused request, and no consignee data in a refusal', async () => {
      const res = await post('sorter', '/api/v1/subject-access/requests', { trackingNumber: TN, postcode: 'Alice Martin, 12 Rue Haute 4000 Liège' });
      const body = expectProblem(res, 400, 'body.postcode');
      expect(JSON.stringify(body)).not.toMatch(/Alice|Rue Haute/);
      const denied = await get('sorter', `/api/v1/parcels/${TN}?purpose=marketing`);
      expectProblem(denied, 403);
      expect(denied.body).not.toMatch(/Alice|Rue Haute|alice@/);
    });
  });

  it('left every table as it was: no refused request wrote a row', async () => {
    // Refusals of authentication and of the policy are recorded in the ledger by design: rows only here.
    expect({ ...(await snapshot(hub)), ledger: 0 }).toEqual({ ...before, ledger: 0 });
  });
});

/**
 * Refusals of hub operations (an unknown parcel, a bag not closed, a truck gone): each offending item named by
 * its place in the request and its value. A hub of its own: these need bags and trucks, which the hub above
 * must not get (it checks that no refused request wrote a row).
 */
describe('operation refusals over HTTP name the request field (SQLite)', () => {
  const FLIGHT_ID = 'CK233/2026-11-25';
  const flightUrl = `/api/v1/flights/${encodeURIComponent(FLIGHT_ID)}`;
  // tracking(10) … (12) go to Belgium (bpost), tracking(13) to the Netherlands; 98 and 99 are no parcel of the hub.
  const [BE1, BE2, BE3, NL1, NOBODY, NOBODY2] = [10, 11, 12, 13, 98, 99].map((i) => tracking(i)) as [string, string, string, string, string, string];
  const UNKNOWN_BAG = makeSscc(CONFIG.ssccExtension, CONFIG.companyPrefix, 999_999);
  let hub: BadInputHub;
  let nlLane: string;
  let closedBe: string;
  let openBe: string;
  let closedNl: string;

  const post = (who: Role, url: string, payload: unknown) =>
    hub.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens[who]}` } });
  const get = (who: Role, url: string) => hub.app.inject({ url, headers: { authorization: `Bearer ${hub.tokens[who]}` } });
  const created = async (res: Promise<LightMyRequestResponse>): Promise<string> => {
    const done = await res;
    expect(done.statusCode, done.body).toBeLessThan(300);
    return done.json<{ sscc: string }>().sscc;
  };

  /** The refusal, with exactly these `errors` (request paths, values, reasons), each field also named in the detail. */
  function refused(res: LightMyRequestResponse, status: number, code: string, errors: { field: string; value?: string; reason: string }[]): Problem {
    const body = expectProblem(res, status, errors[0]?.field);
    expect(body.code).toBe(code);
    expect(body.errors).toEqual(errors);
    for (const e of errors) {
      expect(e.field).toMatch(/^(body|params|querystring)\./);
      expect(body.detail).toContain(e.field);
    }
    return body;
  }

  beforeAll(async () => {
    hub = await openBadInputHub('sqlite');
    await defineStorageLocations(hub.store.db, [{ id: 'RACK-01', description: 'Rack 1' }], CONFIG);
    await seedFlight(hub.store.db, { flightId: FLIGHT_ID, first: 10, parcels: [{ country: 'BE', postcode: '4000' }, { country: 'BE', postcode: '5000' }, { country: 'BE', postcode: '6000' }, { country: 'NL' }] });
    const scans = [BE1, BE2, BE3, NL1].map((trackingNumber) => ({ trackingNumber, scanner: 'HHT-1', location: 'SORTER-1', time: '2026-11-25T04:00:00Z' }));
    const sorted = await post('sorter', '/api/v1/scans', scans);
    expect(sorted.statusCode).toBe(200);
    const lanes = sorted.json<{ results: { lane: string }[] }>().results.map((r) => r.lane);
    expect(lanes.slice(0, 3)).toEqual(['BE-BPOST', 'BE-BPOST', 'BE-BPOST']);
    nlLane = lanes[3]!;
    closedBe = await created(post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE1] }));
    expect((await post('sorter', `/api/v1/bags/${closedBe}/close`, {})).statusCode).toBe(200);
    openBe = await created(post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE2] }));
    closedNl = await created(post('sorter', '/api/v1/bags', { lane: nlLane, trackingNumbers: [NL1] }));
    expect((await post('sorter', `/api/v1/bags/${closedNl}/close`, {})).statusCode).toBe(200);
  });
  afterAll(async () => {
    await hub.close();
  });

  describe('bagging', () => {
    it('names unknown parcels by their index in body.trackingNumbers, once each, with the canonical number', async () => {
      const res = await post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE3, NOBODY, NOBODY.toLowerCase(), NOBODY2] });
      const body = refused(res, 404, 'NOT_FOUND', [
        { field: 'body.trackingNumbers.1', value: NOBODY, reason: 'unknown parcel' },
        { field: 'body.trackingNumbers.3', value: NOBODY2, reason: 'unknown parcel' },
      ]);
      expect(body.detail).toBe('2 parcel(s) are not known to the hub (body.trackingNumbers.1, body.trackingNumbers.3)');
    });

    it('names numbers that are not S10 numbers, as given', async () => {
      const res = await post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE3, 'RR47312482XGB'] });
      refused(res, 400, 'INVALID', [{ field: 'body.trackingNumbers.1', value: 'RR47312482XGB', reason: 'not an S10 number' }]);
    });

    it('names parcels sorted to another lane, and parcels no longer sorted with their status', async () => {
      refused(await post('sorter', '/api/v1/bags', { lane: nlLane, trackingNumbers: [BE3] }), 409, 'CONFLICT', [{ field: 'body.trackingNumbers.0', value: BE3, reason: 'sorted to another lane' }]);
      refused(await post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE3, BE1] }), 409, 'CONFLICT', [{ field: 'body.trackingNumbers.1', value: BE1, reason: 'status bagged' }]);
    });

    it('names an unknown lane, a lane that takes no bags, and refuses an empty lane name as a field', async () => {
      const unknown = refused(await post('sorter', '/api/v1/bags', { lane: 'NOPE', trackingNumbers: [BE3] }), 404, 'NOT_FOUND', [{ field: 'body.lane', value: 'NOPE', reason: 'unknown lane' }]);
      expect(unknown.detail).toBe('lane "NOPE" does not exist (body.lane)');
      refused(await post('sorter', '/api/v1/bags', { lane: 'HOLD', trackingNumbers: [BE3] }), 409, 'CONFLICT', [{ field: 'body.lane', value: 'HOLD', reason: 'hold lane, not outbound' }]);
      expect(expectProblem(await post('sorter', '/api/v1/bags', { lane: '', trackingNumbers: [BE3] }), 400, 'body.lane').code).toBe('INVALID_REQUEST');
    });

    it('names the bag of the path when it is unknown, not an SSCC or not open', async () => {
      refused(await post('sorter', `/api/v1/bags/${UNKNOWN_BAG}/close`, {}), 404, 'NOT_FOUND', [{ field: 'params.sscc', value: UNKNOWN_BAG, reason: 'unknown bag' }]);
      refused(await post('sorter', `/api/v1/bags/${closedBe}/close`, {}), 409, 'CONFLICT', [{ field: 'params.sscc', value: closedBe, reason: 'closed, not open' }]);
      const bad = refused(await post('sorter', '/api/v1/bags/NOTANSSCC/close', {}), 400, 'INVALID', [{ field: 'params.sscc', value: 'NOTANSSCC', reason: expect.stringMatching(/18 digits/) as string }]);
      expect(bad.detail).toMatch(/^bag "NOTANSSCC": must be 18 digits/);
    });
  });

  describe('loading and dispatch', () => {
    it('names unknown bags, bags not closed and bags of another lane by their index in body.bags', async () => {
      refused(await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [closedBe, UNKNOWN_BAG] }), 404, 'NOT_FOUND', [{ field: 'body.bags.1', value: UNKNOWN_BAG, reason: 'unknown bag' }]);
      refused(await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [closedBe, openBe] }), 409, 'CONFLICT', [{ field: 'body.bags.1', value: openBe, reason: 'not closed' }]);
      const lane = refused(await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [closedBe, closedNl] }), 409, 'CONFLICT', [{ field: 'body.bags.1', value: closedNl, reason: 'bag of another lane' }]);
      expect(lane.detail).toBe('a truck serves one lane (BE-BPOST) (body.bags.1)');
      refused(await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: ['123'] }), 400, 'INVALID', [{ field: 'body.bags.0', value: '123', reason: expect.any(String) as string }]);
    });

    it('names the truck of the path when it is unknown, has departed, or is not dispatched for a manifest', async () => {
      refused(await post('supervisor', '/api/v1/trucks/NOPE/dispatch', {}), 404, 'NOT_FOUND', [{ field: 'params.truckId', value: 'NOPE', reason: 'unknown truck' }]);
      refused(await post('supervisor', '/api/v1/trucks/NOPE/manifest', {}), 404, 'NOT_FOUND', [{ field: 'params.truckId', value: 'NOPE', reason: 'unknown truck' }]);
      expect((await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [closedBe] })).statusCode).toBe(200);
      refused(await post('supervisor', '/api/v1/trucks/TRK-1/manifest', {}), 409, 'CONFLICT', [{ field: 'params.truckId', value: 'TRK-1', reason: 'not dispatched' }]);
      expect((await post('supervisor', '/api/v1/trucks/TRK-1/dispatch', {})).statusCode).toBe(200);
      refused(await post('supervisor', '/api/v1/trucks/TRK-1/dispatch', {}), 409, 'CONFLICT', [{ field: 'params.truckId', value: 'TRK-1', reason: 'departed' }]);
      // A truck that exists and has gone takes no more bags: the path's truck is named.
      const late = await created(post('sorter', '/api/v1/bags', { lane: 'BE-BPOST', trackingNumbers: [BE3] }));
      expect((await post('sorter', `/api/v1/bags/${late}/close`, {})).statusCode).toBe(200);
      refused(await post('sorter', '/api/v1/trucks/TRK-1/load', { bags: [late] }), 409, 'CONFLICT', [{ field: 'params.truckId', value: 'TRK-1', reason: 'departed' }]);
    });
  });

  describe('breakdown, sort plans and storage', () => {
    it('names the flight and the ULD of the path', async () => {
      const nope = `/api/v1/flights/${encodeURIComponent('XX1/2026-11-25')}`;
      refused(await post('supervisor', `${nope}/close`, {}), 404, 'NOT_FOUND', [{ field: 'params.flightId', value: 'XX1/2026-11-25', reason: 'unknown flight' }]);
      refused(await get('supervisor', `${nope}/breakdown-report`), 404, 'NOT_FOUND', [{ field: 'params.flightId', value: 'XX1/2026-11-25', reason: 'unknown flight' }]);
      refused(await post('scanner', `${nope}/induction`, { scans: [{ trackingNumber: BE1 }] }), 404, 'NOT_FOUND', [{ field: 'params.flightId', value: 'XX1/2026-11-25', reason: 'unknown flight' }]);
      refused(await post('scanner', `${flightUrl}/ulds/AKE99999CK/receive`, {}), 404, 'NOT_FOUND', [{ field: 'params.uld', value: 'AKE99999CK', reason: 'not on the manifest of the flight' }]);
      expect((await post('scanner', `${flightUrl}/ulds/AKE12345CK/receive`, {})).statusCode).toBe(200);
      refused(await post('scanner', `${flightUrl}/ulds/AKE12345CK/receive`, {}), 409, 'CONFLICT', [{ field: 'params.uld', value: 'AKE12345CK', reason: 'already received' }]);
      expect((await post('supervisor', `${flightUrl}/close`, {})).statusCode).toBe(200);
      refused(await post('supervisor', `${flightUrl}/close`, {}), 409, 'CONFLICT', [{ field: 'params.flightId', value: FLIGHT_ID, reason: 'already closed' }]);
    });

    it('names each refused rule of a sort plan by its index in body.rules', async () => {
      const rules = [{ country: 'BE', lane: 'BE-BPOST' }, { country: 'NL', lane: 'NO-SUCH-LANE' }, { country: 'be', lane: 'BE-BPOST' }];
      refused(await post('supervisor', '/api/v1/sort-plans', { rules }), 400, 'INVALID', [
        { field: 'body.rules.1.lane', value: 'NO-SUCH-LANE', reason: 'lane "NO-SUCH-LANE" does not exist' },
        { field: 'body.rules.2', reason: 'same destination as rule 0 (BE): ambiguous' },
      ]);
    });

    it('names the parcel or the location of a storage request', async () => {
      refused(await post('sorter', '/api/v1/storage/store', { trackingNumber: BE3, location: 'NOWHERE' }), 404, 'NOT_FOUND', [{ field: 'body.location', value: 'NOWHERE', reason: 'unknown storage location' }]);
      refused(await post('sorter', '/api/v1/storage/store', { trackingNumber: NOBODY, location: 'RACK-01' }), 404, 'NOT_FOUND', [{ field: 'body.trackingNumber', value: NOBODY, reason: 'unknown parcel' }]);
      refused(await post('sorter', '/api/v1/storage/store', { trackingNumber: BE1, location: 'RACK-01' }), 409, 'CONFLICT', [{ field: 'body.trackingNumber', value: BE1, reason: 'status dispatched' }]);
      refused(await post('sorter', '/api/v1/storage/retrieve', { trackingNumber: NL1 }), 409, 'CONFLICT', [{ field: 'body.trackingNumber', value: NL1, reason: 'not in storage' }]);
    });
  });
});

describe.each(STORE_KINDS)('bad input refused before any row or ledger entry on %s', (kind) => {
  let hub: BadInputHub;

  beforeAll(async () => {
    hub = await openBadInputHub(kind);
  });
  afterAll(async () => {
    await hub.close();
  });

  const post = (who: Role, url: string, payload: unknown) =>
    hub.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', authorization: `Bearer ${hub.tokens[who]}` } });
  const refusedUnchanged = async (res: () => Promise<LightMyRequestResponse>, status: number, field: string) => {
    const before = await snapshot(hub);
    expectProblem(await res(), status, field);
    expect(await snapshot(hub)).toEqual(before);
  };

  it('refuses counts past what the registers store (PostgreSQL integer) before the ledger entry', async () => {
    const breach = { detectedAt: '2026-11-25T04:00:00Z', nature: 'lost tablet', categories: ['consignee'], measures: 'wiped' };
    await refusedUnchanged(() => post('dpo', '/api/v1/breaches', { ...breach, approxSubjects: 3_000_000_000 }), 400, 'body.approxSubjects');
    const request = { authority: 'Some authority', country: 'US', legalInstrument: 'Act', channel: 'email', categories: ['consignee'], description: 'asked for recipients' };
    await refusedUnchanged(() => post('dpo', '/api/v1/authority-requests', { ...request, subjects: 3_000_000_000 }), 400, 'body.subjects');
    // The largest count stored is accepted, with its row and its ledger entry.
    const ok = await post('dpo', '/api/v1/breaches', { ...breach, approxSubjects: 2_147_483_647 });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses the NUL character, which PostgreSQL text cannot hold, naming the field', async () => {
    const NUL = 'a\u0000b';
    await refusedUnchanged(() => post('dpo', '/api/v1/breaches', { detectedAt: '2026-11-25T04:00:00Z', nature: NUL, categories: [], approxSubjects: 1, measures: 'none' }), 400, 'body.nature');
    await refusedUnchanged(
      () => post('dpo', '/api/v1/authority-requests', { authority: NUL, country: 'US', legalInstrument: 'Act', channel: 'email', categories: [], subjects: 1, description: 'd' }),
      400,
      'body.authority',
    );
    await refusedUnchanged(() => post('customs-officer', `/api/v1/customs/parcels/${TN}/decisions`, { action: 'hold', comment: NUL }), 400, 'body.comment');
    await refusedUnchanged(() => post('supervisor', '/api/v1/sort-plans', { rules: [{ country: 'BE', lane: 'BE-BPOST' }], comment: NUL }), 400, 'body.comment');
    await refusedUnchanged(() => post('sorter', '/api/v1/scans', [{ trackingNumber: NUL, scanner: 'HHT-1', location: 'SORTER-1', time: '2026-11-25T04:00:00Z' }]), 400, 'body.0.trackingNumber');
    await refusedUnchanged(() => post('sorter', '/api/v1/subject-access/requests', { trackingNumber: TN, postcode: '40\u000000' }), 400, 'body.postcode');
    await refusedUnchanged(() => post('supervisor', '/api/v1/flights/a%00b/close', {}), 400, 'params.flightId');
    await refusedUnchanged(() => post('administrator', '/api/v1/admin/principals/a%00b/revoke', {}), 400, 'params.id');
    const query = await hub.app.inject({ url: '/api/v1/customs/queue?flight=a%00b', headers: { authorization: `Bearer ${hub.tokens['customs-officer']}` } });
    expectProblem(query, 400, 'querystring.flight');
  });

  it('still answers the valid request after the refusals, on the same data', async () => {
    const res = await post('customs-officer', `/api/v1/customs/parcels/${TN}/decisions`, { action: 'hold', comment: 'documents missing' });
    expect(res.statusCode).toBe(201);
    const count = await hub.store.db.selectFrom('customs_decisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
