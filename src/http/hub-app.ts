import type { FastifyInstance } from 'fastify';
import type { Hub } from '../runtime/index.js';
import { buildApp, type AppOptions } from './app.js';

/** The whole hub over HTTP: the log, the gate's routes, operations, intake, tracking and subject access. */
export function buildHubApp(hub: Hub, options: AppOptions & { requireCosigned?: boolean } = {}): Promise<FastifyInstance> {
  return buildApp(
    {
      log: hub.log,
      logVkey: hub.key.vkey,
      requireCosigned: options.requireCosigned ?? false,
      store: hub.store,
      gate: hub.gate,
      subjectAccess: hub.subjectAccess,
      erasure: hub.erasure,
      operations: { hub: { db: hub.store.db, config: hub.config }, plans: hub.plans, disclosure: hub.disclosure },
      intake: { store: hub.store, sealer: hub.gate },
      customs: { hub: { db: hub.store.db, config: hub.config }, gate: hub.gate, declarant: process.env['GLASSHUB_CUSTOMS_DECLARANT'] ?? 'BE0000000000' },
    },
    options,
  );
}
