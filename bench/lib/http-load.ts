/**
 * A bounded HTTP load generator, run as its own process so that it does not share the server's core.
 * Usage: node --import tsx bench/lib/http-load.ts '{"base":"http://127.0.0.1:PORT","kind":"inclusion","size":N,"requests":R,"concurrency":C}'
 * Prints one JSON line with the outcome. Only loopback addresses are accepted.
 */
import { Agent, request } from 'node:http';

interface Spec {
  base: string;
  kind: 'inclusion';
  size: number;
  requests: number;
  concurrency: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const host = new URL(spec.base).hostname;
if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error('load tests target loopback only');

let next = 0;
let failed = 0;
const latencies: number[] = [];
const deadline = Date.now() + 120_000; // bounded in time as well as in count

// node:http with keep-alive: the built-in fetch costs several times more CPU per request than the server does.
const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${spec.base}${path}`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function worker(): Promise<void> {
  while (next < spec.requests && Date.now() < deadline) {
    next++;
    const index = Math.floor(Math.random() * spec.size);
    const t0 = performance.now();
    const res = await get(`/log/proof/inclusion?index=${index}&size=${spec.size}`);
    const body = JSON.parse(res.body) as { proof?: unknown[] };
    if (res.status !== 200 || !Array.isArray(body.proof)) failed++;
    latencies.push(performance.now() - t0);
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: spec.concurrency }, worker));
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const p = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN;
process.stdout.write(`${JSON.stringify({ requests: latencies.length, failed, seconds, p50: p(0.5), p99: p(0.99) })}\n`);
agent.destroy();
