/**
 * The EPCIS 2.0 REST interface, as far as the hub serves it: `POST /epcis/capture` (an EPCISDocument, or
 * an EPCISQueryDocument's events, validated against the official schema and stored synchronously) and
 * `GET /epcis/events` (the query parameters of `parseEventQuery`, answered with an EPCISQueryDocument;
 * the next page's URL in `Link: <…>; rel="next"`, its token opaque).
 *
 * Departure from the standard: capture answers `201 Created` with what was stored, instead of `202
 * Accepted` and a capture job to poll — the capture is done when the answer comes.
 */
import { Type } from 'typebox';
import { filterToQuery, parseEventQuery, type QueryInput } from '../../hub/epcis/index.js';
import { CaptureRefused, CaptureTooLarge, captureDocument, EventStoreError, queryDocument, queryEvents } from '../../hub/events/index.js';
import type { Hub } from '../../hub/operations/index.js';
import { requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

/** Events per capture (advertised in `GS1-EPCIS-Capture-Limit`). */
export const CAPTURE_LIMIT = 10_000;
const problems = { 400: { $ref: 'Problem#' }, 403: { $ref: 'Problem#' }, 413: { $ref: 'Problem#' } } as const;

export function registerEpcisRoutes(app: TypedApp, deps: { readonly hub: Hub }): void {
  const { db } = deps.hub;
  // EPCIS documents are JSON-LD; a scope of their own keeps this parser from other routes.
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser('application/ld+json', { parseAs: 'string' }, (_req, body, next) => {
      try {
        next(null, JSON.parse(body as string));
      } catch {
        next(new HttpProblem(400, 'INVALID_JSON', 'the body is not JSON'));
      }
    });

    scope.post(
      '/epcis/capture',
      {
        config: requireRole('scanner', 'supervisor', 'administrator'),
        schema: {
          tags: ['epcis'],
          summary: 'Capture an EPCIS 2.0 document: validated against the official schema, stored, idempotent on eventID',
          body: Type.Unknown({ description: 'EPCISDocument (application/json or application/ld+json)' }),
          response: { 201: Type.Object({ captured: Type.Integer(), duplicates: Type.Integer(), minted: Type.Integer(), eventIDs: Type.Array(Type.String()) }), ...problems },
        },
      },
      async (req, reply) => {
        reply.header('gs1-epcis-capture-limit', String(CAPTURE_LIMIT));
        try {
          const result = await captureDocument(db, req.body, { maxEvents: CAPTURE_LIMIT });
          return reply.status(201).send({ captured: result.recorded.length, duplicates: result.duplicates.length, minted: result.minted, eventIDs: result.recorded });
        } catch (err) {
          if (err instanceof CaptureRefused) throw new HttpProblem(400, 'INVALID_EPCIS_DOCUMENT', err.message, err.errors.map((e) => ({ field: `body${e.path.replaceAll('/', '.')}`, reason: e.message })));
          if (err instanceof CaptureTooLarge) throw new HttpProblem(413, 'CAPTURE_LIMIT_EXCEEDED', err.message);
          if (err instanceof EventStoreError) throw new HttpProblem(400, 'INVALID_EPCIS_DOCUMENT', err.message);
          throw err;
        }
      },
    );

    scope.get(
      '/epcis/events',
      {
        config: requireRole('sorter', 'supervisor', 'customs-officer', 'carrier', 'auditor'),
        schema: { tags: ['epcis'], summary: 'Query events (EQ_bizStep, MATCH_epc, GE_eventTime, LT_eventTime, EQ_bizLocation, eventType, EQ_action; perPage, nextPageToken)', response: { 200: Type.Unknown({ description: 'EPCISQueryDocument' }), ...problems } },
      },
      async (req, reply) => {
        const parsed = parseEventQuery(req.query as QueryInput);
        if (!parsed.ok) throw new HttpProblem(400, 'INVALID_QUERY', parsed.errors.map((e) => `${e.parameter}: ${e.message}`).join('; '), parsed.errors.map((e) => ({ field: `querystring.${e.parameter}`, reason: e.message })));
        let page;
        try {
          page = await queryEvents(db, parsed.filter);
        } catch (err) {
          if (err instanceof CaptureTooLarge) throw new HttpProblem(413, 'CAPTURE_LIMIT_EXCEEDED', err.message);
          if (err instanceof EventStoreError) throw new HttpProblem(400, 'INVALID_QUERY', err.message, [{ field: 'querystring.nextPageToken', reason: err.message }]);
          throw err;
        }
        if (page.nextPageToken !== undefined) {
          const next = filterToQuery({ ...parsed.filter, nextPageToken: page.nextPageToken });
          reply.header('link', `</epcis/events?${next.toString()}>; rel="next"`);
        }
        return reply.type('application/ld+json').send(queryDocument(page.events));
      },
    );
    done();
  });
}
