import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { LoggerOptions } from 'pino';
import { MAX_ADD_CHECKPOINT_BODY, type Witness } from '../ledger/index.js';
import { LOGGER_DEFAULTS } from './app.js';

export interface WitnessAppOptions {
  /** pino options, or false for silence (tests). */
  readonly logger?: LoggerOptions | false;
  /** Largest add-checkpoint body accepted (default 64 KiB); larger ones get 413. */
  readonly bodyLimit?: number;
}

const TEXT = 'text/plain; charset=utf-8';
const ORIGIN_HASH = /^[0-9a-f]{64}$/;

const plain = (reply: FastifyReply, status: number, reason: string): FastifyReply =>
  reply.status(status).type(TEXT).send(`${reason}\n`);

/**
 * A C2SP tlog-witness over HTTP: `POST /add-checkpoint` (submission prefix) and `GET /<origin hash>/checkpoint`
 * (monitoring prefix), both at the root. Errors are plain text, one short line, as tlog-witness clients expect.
 */
export function buildWitnessApp(witness: Witness, options: WitnessAppOptions = {}): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? MAX_ADD_CHECKPOINT_BODY;
  const app = Fastify({
    logger: options.logger === false ? false : { ...LOGGER_DEFAULTS, ...options.logger },
    bodyLimit,
  });

  // Bodies are the protocol's own text: taken as bytes whatever the content type says, never as JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'witness request failed');
      return plain(reply, 500, 'internal error');
    }
    return plain(reply, status, err.message);
  });
  app.setNotFoundHandler((_request, reply) => plain(reply, 404, 'not found'));

  app.post('/add-checkpoint', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const answer = await witness.addCheckpoint(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    return reply.status(answer.status).type(answer.contentType).send(answer.body);
  });

  app.get<{ Params: { originHash: string } }>('/:originHash/checkpoint', async (request, reply) => {
    const { originHash } = request.params;
    const note = ORIGIN_HASH.test(originHash) ? await witness.checkpoint(originHash) : undefined;
    if (note === undefined) return plain(reply, 404, 'no checkpoint cosigned for this log');
    return reply.header('cache-control', 'no-store').type(TEXT).send(Buffer.from(note));
  });
  return app;
}
