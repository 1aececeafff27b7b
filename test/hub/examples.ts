/** The 47 example documents of EPCIS 2.0, read in place from ../shared/vectors/epcis/JSON. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { epcisVectorsDir } from '../../src/hub/epcis/index.js';

export interface Example {
  readonly name: string;
  readonly doc: Record<string, unknown>;
}

export function epcisExamples(): Example[] {
  const dir = join(epcisVectorsDir(), 'JSON');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => {
      const path = join(d, e.name);
      if (e.isDirectory()) return walk(path);
      return e.name.endsWith('.jsonld') ? [path] : [];
    });
  return walk(dir)
    .sort()
    .map((file) => ({ name: relative(dir, file), doc: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> }));
}
