/** What the console's first page costs to load: the JavaScript index.html pulls in before any lazy chunk. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const MAIN_ROUTE_BUDGET_BYTES = 300 * 1024;

export interface ChunkSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

const sizeOf = (file: string): ChunkSize => {
  const data = readFileSync(join(DIST, file));
  return { file, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
};

/** The entry script and every module it preloads (what the browser fetches for any first page). */
export function mainRouteChunks(): ChunkSize[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  if (files.length === 0) throw new Error('web/dist/index.html names no script');
  return [...new Set(files)].map(sizeOf);
}

/** Every other chunk: loaded when a section is opened. */
export function lazyChunks(): ChunkSize[] {
  const main = new Set(mainRouteChunks().map((c) => c.file));
  return readdirSync(join(DIST, 'assets'))
    .filter((f) => f.endsWith('.js') && !main.has(`assets/${f}`))
    .map((f) => sizeOf(`assets/${f}`));
}
