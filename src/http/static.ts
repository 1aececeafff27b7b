import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { PUBLIC_ROUTE } from './auth.js';

/**
 * Serves the web console built by Vite (`web/dist/`): hashed assets cached forever, `index.html` revalidated on
 * every load, and the console's client-side paths answered with `index.html` for browsers (an SPA fallback that
 * never shadows the API, the log, tracking or EPCIS, which keep their own routes and 404s).
 */

/** Top-level paths of the console's client-side router; each one's subtree is the console's too. */
export const CONSOLE_PATHS = ['/sign-in', '/forbidden', '/ops', '/customs', '/audit', '/me', '/admin'] as const;

/**
 * Strict enough that an injected script cannot run or phone home: scripts, styles and connections only from
 * this origin, never inline; no framing (clickjacking). Vite's production build satisfies it as it is.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** Where the built console is by default: `web/dist/` at the project's root (beside `src/` and `dist/`). */
export function defaultConsoleRoot(): string {
  return resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));
}

export interface ConsoleOptions {
  /** The Vite build output; default `web/dist/` of this project. */
  readonly root?: string;
}

const REVALIDATE = 'no-cache';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>glasshub</title></head>
<body><h1>glasshub</h1>
<p>The web console has not been built. Build it once, then restart the server:</p>
<pre>npm run build:web</pre>
<p>(at the project's root; <code>npm ci</code> runs it too).</p>
<p>The API is served all the same: see <a href="/openapi.json">/openapi.json</a>; the transparency log is at <a href="/log/checkpoint">/log/checkpoint</a>.</p>
</body></html>
`;

/** Security headers on every answer: harmless on JSON, and any HTML page gets them unless it sets its own (a page's own CSP wins). */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    done(null, payload);
  });
}

const wantsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').toLowerCase().includes('text/html');

/** Registers the console's routes: assets, top-level files, `/` and the SPA fallback paths. */
export async function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): Promise<void> {
  const root = options.root ?? defaultConsoleRoot();
  const built = existsSync(join(root, 'index.html'));
  const hidden = { schema: { hide: true }, config: PUBLIC_ROUTE };

  const sendIndex = (reply: FastifyReply): FastifyReply => {
    if (!built) return reply.status(200).header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', REVALIDATE).sendFile('index.html', root, { cacheControl: false });
  };
  // Non-browsers (fetch of JSON, curl) get a 404 for a console path: only a page load gets the app.
  const fallback = (request: FastifyRequest, reply: FastifyReply): FastifyReply | void => (wantsHtml(request) ? sendIndex(reply) : reply.callNotFound());

  if (built) {
    if (existsSync(join(root, 'assets'))) {
      // Hashed file names change with their content, so they may be cached for good. Unknown names fall to the 404 handler.
      await app.register(fastifyStatic, { root: join(root, 'assets'), prefix: '/assets/', index: false, immutable: true, maxAge: '365d', cacheControl: true });
    } else {
      await app.register(fastifyStatic, { root, serve: false });
    }
    for (const name of readdirSync(root)) {
      if (name === 'index.html' || name === 'assets' || name.startsWith('.') || !statSync(join(root, name)).isFile()) continue;
      // A file named like a server route (say `openapi.json`) never shadows it.
      if (app.hasRoute({ method: 'GET', url: `/${name}` })) continue;
      app.get(`/${name}`, hidden, (_req, reply) => reply.header('cache-control', REVALIDATE).sendFile(name, root, { cacheControl: false }));
    }
  }
  app.get('/', hidden, (_req, reply) => sendIndex(reply));
  app.get('/index.html', hidden, (_req, reply) => sendIndex(reply));
  for (const path of CONSOLE_PATHS) {
    app.get(path, hidden, fallback);
    app.get(`${path}/*`, hidden, fallback);
  }
}
