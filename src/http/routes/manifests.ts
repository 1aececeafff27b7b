/**
 * `POST /api/v1/manifests`: a manifest streamed in the request body, NDJSON (`application/x-ndjson`) or CSV
 * (`text/csv`), imported line by line as it arrives — the body is never buffered, so a 250,000-line freighter
 * in one request holds one chunk in memory. Answers the import summary: 200 when every line was accepted
 * (duplicates included), 422 with the same summary when some lines were rejected (the others are stored);
 * problem+json for anything else (400 unreadable CSV header, 401/403 auth, 415 other content types).
 */
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { PersonalDataSealer } from '../../gate/index.js';
import { importManifest, manifestJsonSchema, ManifestFormatError, readLines, type ManifestFormat } from '../../hub/intake/index.js';
import type { Store } from '../../store/index.js';
import { principalOf, PUBLIC_ROUTE, requireRole } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

export interface ManifestRouteDeps {
  readonly store: Pick<Store, 'db' | 'dialect'>;
  /** The gate: the only way the consignees' and sellers' data is stored. */
  readonly sealer: PersonalDataSealer;
  readonly now?: () => Date;
}

const FORMATS: Readonly<Record<string, ManifestFormat>> = { 'application/x-ndjson': 'ndjson', 'text/csv': 'csv' };

const Count = Type.Integer({ minimum: 0 });
const ImportSummarySchema = Type.Object({
  lines: Type.Integer({ minimum: 0, description: 'Parcel lines read (blank lines and the CSV header not counted)' }),
  accepted: Count,
  rejected: Count,
  duplicates: Type.Integer({ minimum: 0, description: 'Parcels already known (same tracking number): not stored again, not an error' }),
  errors: Type.Array(Type.Object({ line: Type.Integer({ minimum: 1 }), field: Type.String(), reason: Type.String() }), {
    description: 'The first 1,000 errors, in line order; reasons never quote personal data',
  }),
  errorsTruncated: Type.Boolean(),
  flights: Type.Array(Type.Object({ id: Type.String(), flightNumber: Type.String(), flightDate: Type.String(), accepted: Count })),
});

const body = (description: string) => ({ schema: { description } });

export function registerManifestRoutes(app: TypedApp, deps: ManifestRouteDeps): void {
  // Encapsulated: the raw-stream parsers below apply to these routes only.
  void app.register((scope, _opts, done) => {
    // The body stays the request stream: the handler pulls it line by line (no body limit applies).
    scope.addContentTypeParser(Object.keys(FORMATS), (_request, payload, parsed) => parsed(null, payload));
    // NDJSON sent as application/json would fail the JSON parser (400, "invalid JSON body") before the
    // handler could say which types a manifest may be: taken raw here, it gets that 415.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', (_request, payload, parsed) => parsed(null, payload));

    scope.post(
      '/api/v1/manifests',
      {
        config: requireRole('supervisor', 'administrator'),
        schema: {
          tags: ['manifests'],
          summary: 'Import a manifest: one parcel per line, streamed (docs/manifest.md)',
          description:
            'NDJSON, one ManifestLine per line (GET /api/v1/manifests/schema), or CSV with the same fields as dotted columns. Every good line is stored even when others are rejected; a parcel already known is a duplicate. 200: all lines accepted; 422: some rejected (the summary lists them).',
          body: {
            content: {
              'application/x-ndjson': body('One JSON object per line, as the manifest schema describes; UTF-8'),
              'text/csv': body('RFC 4180 CSV, UTF-8, a header of dotted field names (consignee.name, items.0.hsCode, …)'),
            },
          },
          response: { 200: ImportSummarySchema, 422: ImportSummarySchema, 400: { $ref: 'Problem#' }, 415: { $ref: 'Problem#' } },
        },
      },
      async (request, reply) => {
        // Auth (the plugin in auth.ts) has admitted the caller; an import reads no personal data, so nothing
        // is recorded for it. Where the importer must be remembered, `principalOf(request)` says who.
        principalOf(request);
        const format = formatOf(request.headers['content-type']);
        const stream = request.body;
        if (!(stream instanceof Readable)) throw unsupported(request.headers['content-type']);
        const lines = readLines(stream);
        try {
          const summary = await importManifest({ db: deps.store.db, dialect: deps.store.dialect, sealer: deps.sealer, now: deps.now }, lines, format);
          return await reply.status(summary.rejected > 0 ? 422 : 200).send(summary);
        } catch (err) {
          if (err instanceof ManifestFormatError) {
            throw new HttpProblem(400, 'INVALID_MANIFEST', err.message, err.errors.map((e) => ({ field: `line ${err.line}: ${e.field}`, reason: e.reason })));
          }
          throw err;
        }
      },
    );

    scope.get(
      '/api/v1/manifests/schema',
      { config: PUBLIC_ROUTE, schema: { tags: ['manifests'], summary: 'The JSON Schema of one manifest line (also docs/manifest.schema.json)' } },
      (_request, reply) => reply.type('application/schema+json').send(manifestJsonSchema()),
    );
    done();
  });
}

/** The manifest format named by a Content-Type; only UTF-8 (or ASCII) text is read. */
function formatOf(contentType: string | undefined): ManifestFormat {
  const [type = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const format = FORMATS[type];
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replaceAll('"', '');
  if (format === undefined || (charset !== undefined && charset !== 'utf-8' && charset !== 'us-ascii')) throw unsupported(contentType);
  return format;
}

function unsupported(contentType: string | undefined): HttpProblem {
  const given = contentType === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType.slice(0, 100))}`;
  return new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `a manifest is application/x-ndjson or text/csv, in UTF-8; got ${given}`);
}
