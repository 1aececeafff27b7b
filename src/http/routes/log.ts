import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ENTRY_BUNDLE_LEVEL, TILE_WIDTH, parseTilePath, type TransparencyLog } from '../../ledger/index.js';
import { HttpProblem } from '../problem.js';

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface LogRouteDeps {
  readonly log: TransparencyLog;
  /** The log's verifier key (signed-note vkey). */
  readonly logVkey: string;
  /** When witnesses are configured, only checkpoints that reached the quorum are served. */
  readonly requireCosigned: boolean;
}

const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const ProofAnswer = Type.Object({
  proof: Type.Array(Type.String({ contentEncoding: 'base64' }), { description: 'RFC 6962 proof hashes, base64' }),
});
const problemRefs = { 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } } as const;

/** Read-only, public endpoints of the transparency log, as C2SP tlog-tiles and tlog-checkpoint define them. */
export function registerLogRoutes(app: TypedApp, deps: LogRouteDeps): void {
  const { log } = deps;

  app.get('/log/checkpoint', { schema: { tags: ['log'], summary: 'The newest (witnessed) checkpoint, a signed note' } }, async (_req, reply) => {
    const cp = deps.requireCosigned ? await log.cosignedCheckpoint() : await log.checkpoint();
    if (!cp) throw new HttpProblem(503, 'NOT_WITNESSED', 'no checkpoint has reached the witness quorum yet');
    const body = cp.cosignedNote ?? cp.note;
    return reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(body);
  });

  app.get('/log/vkey', { schema: { tags: ['log'], summary: "The log's verifier key (C2SP signed-note vkey)" } }, (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/plain; charset=utf-8').send(`${deps.logVkey}\n`),
  );

  app.get('/log/tile/*', { schema: { tags: ['log'], summary: 'A hash tile or entry bundle (C2SP tlog-tiles)' } }, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const tile = parseTilePath(`tile/${rest}`);
    const level = tile.kind === 'entries' ? ENTRY_BUNDLE_LEVEL : tile.level;
    const width = tile.width;
    const data = await log.readTile(level, tile.index, width);
    if (!data) throw new HttpProblem(404, 'NOT_FOUND', `the log has no ${tile.kind === 'entries' ? 'entry bundle' : 'tile'} ${rest} yet`);
    // Full tiles never change; a partial tile of a given width never changes either, but is superseded.
    reply.header('cache-control', width === TILE_WIDTH ? 'public, max-age=31536000, immutable' : 'public, max-age=60');
    return reply.type('application/octet-stream').send(data);
  });

  app.get(
    '/log/proof/inclusion',
    {
      schema: {
        tags: ['log'],
        summary: 'RFC 6962 inclusion proof of the entry at index in the tree of size',
        querystring: Type.Object({ index: Size, size: Size }),
        response: { 200: Type.Object({ index: Size, size: Size, proof: ProofAnswer.properties.proof }), ...problemRefs },
      },
    },
    async (req) => {
      const { index, size } = req.query;
      if (index >= size) throw new HttpProblem(400, 'INVALID_ARGUMENT', `index ${index} is not below size ${size}`, [{ field: 'querystring.index', reason: 'must be below size' }]);
      const proof = await log.inclusionProof(index, size);
      return { index, size, proof: proof.map((h) => h.toString('base64')) };
    },
  );

  app.get(
    '/log/proof/consistency',
    {
      schema: {
        tags: ['log'],
        summary: 'RFC 6962 consistency proof between the trees of sizes from and to',
        querystring: Type.Object({ from: Size, to: Size }),
        response: { 200: Type.Object({ from: Size, to: Size, proof: ProofAnswer.properties.proof }), ...problemRefs },
      },
    },
    async (req) => {
      const { from, to } = req.query;
      if (from > to) throw new HttpProblem(400, 'INVALID_ARGUMENT', `from ${from} is above to ${to}`, [{ field: 'querystring.from', reason: 'must not exceed to' }]);
      const proof = await log.consistencyProof(from, to);
      return { from, to, proof: proof.map((h) => h.toString('base64')) };
    },
  );
}
