/**
 * Public track & trace: `GET /track/<trackingNumber>` answers JSON — or a plain, accessible HTML page
 * when the client prefers `text/html` (a browser) or asks for `/track/<trackingNumber>.html` (a link
 * that works without content negotiation). No token, and no personal data (see `trackParcel`).
 * An unknown or invalid number is a 404, in the format asked for.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { trackParcel, type Hub, type TrackingView } from '../../hub/operations/index.js';
import { PUBLIC_ROUTE } from '../auth.js';
import { HttpProblem } from '../problem.js';
import type { TypedApp } from './log.js';

const Step = Type.Object({ time: Type.String(), step: Type.String(), description: Type.String(), place: Type.String() });
const TrackingAnswer = Type.Object({
  trackingNumber: Type.String(),
  status: Type.String(),
  statusText: Type.String(),
  carrier: Type.Optional(Type.String()),
  history: Type.Array(Step),
});

export function registerTrackingRoutes(app: TypedApp, deps: { readonly hub: Hub }): void {
  app.get(
    '/track/:trackingNumber',
    {
      config: PUBLIC_ROUTE,
      schema: {
        tags: ['tracking'],
        summary: 'Public tracking: status and history, no personal data (HTML with Accept: text/html or a .html suffix)',
        params: Type.Object({ trackingNumber: Type.String({ maxLength: 64 }) }),
        response: { 200: TrackingAnswer, 404: { $ref: 'Problem#' } },
      },
    },
    async (req, reply) => {
      const raw = req.params.trackingNumber;
      const html = raw.endsWith('.html') || prefersHtml(req);
      const tn = raw.endsWith('.html') ? raw.slice(0, -'.html'.length) : raw;
      const view = await trackParcel(deps.hub, tn);
      reply.header('cache-control', 'no-cache').header('vary', 'Accept');
      if (html) return sendHtml(reply, view, tn);
      if (!view) throw new HttpProblem(404, 'NOT_FOUND', 'no parcel with this tracking number');
      return view;
    },
  );
}

/** Whether `text/html` comes before any JSON type in the Accept header (browsers send it first). */
function prefersHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  if (html === -1) return false;
  const json = accept.search(/application\/(problem\+)?json/);
  return json === -1 || html < json;
}

function sendHtml(reply: FastifyReply, view: TrackingView | undefined, tn: string): FastifyReply {
  reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  if (!view) return reply.status(404).send(page('Parcel not found', `<h1>Parcel not found</h1>\n<p>No parcel with the tracking number <strong>${escape(tn.slice(0, 64))}</strong> is known to this hub. Check the number and try again.</p>`));
  const rows = view.history
    .map((s) => `<tr><td><time datetime="${escape(s.time)}">${escape(s.time.slice(0, 16).replace('T', ' '))} UTC</time></td><td>${escape(s.description)}</td><td>${escape(s.place)}</td></tr>`)
    .join('\n');
  const carrier = view.carrier === undefined ? '' : `\n<p>Delivery carrier: <strong>${escape(view.carrier)}</strong></p>`;
  const history = view.history.length === 0 ? '<p>No scans yet.</p>' : `<table>\n<caption>History, oldest first</caption>\n<thead><tr><th scope="col">Time</th><th scope="col">What happened</th><th scope="col">Where</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
  return reply.send(page(`Parcel ${view.trackingNumber}`, `<h1>Parcel <span translate="no">${escape(view.trackingNumber)}</span></h1>\n<p role="status">Status: <strong>${escape(view.statusText)}</strong></p>${carrier}\n${history}`));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — glasshub tracking</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #767676}caption{text-align:left;font-weight:bold;padding:.4rem 0}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
