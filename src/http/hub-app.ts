import type { FastifyInstance } from 'fastify';
import type { Hub } from '../runtime/index.js';
import { buildApp, type AppOptions } from './app.js';
import type { ConsoleOptions } from './static.js';

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
      // The gate tells sorting and dispatch whose data was erased: such parcels never reach a carrier.
      operations: { hub: { db: hub.store.db, config: hub.config, erasures: hub.gate }, plans: hub.plans, disclosure: hub.disclosure },
      intake: { store: hub.store, sealer: hub.gate },
      customs: { hub: { db: hub.store.db, config: hub.config }, gate: hub.gate, declarant: process.env['GLASSHUB_CUSTOMS_DECLARANT'] ?? 'BE0000000000' },
    },
    // The hub serves its web console (web/dist) unless told otherwise; behind a TLS-terminating proxy, set
    // GLASSHUB_TRUST_PROXY (true, or the proxy's addresses) so that session cookies are marked Secure.
    // GLASSHUB_WEB_DIST points at another build of the console than the project's web/dist.
    { console: consoleFromEnv(), trustProxy: trustProxyFromEnv(), ...options },
  );
}

function trustProxyFromEnv(): boolean | string | undefined {
  const value = process.env['GLASSHUB_TRUST_PROXY']?.trim();
  if (value === undefined || value === '' || value === 'false') return undefined;
  return value === 'true' ? true : value;
}

function consoleFromEnv(): ConsoleOptions {
  const root = process.env['GLASSHUB_WEB_DIST']?.trim();
  return root ? { root } : {};
}
