/**
 * Every package the lockfile installs declares support for the oldest Node this project supports
 * (`engines.node` of package.json): a dependency that wants a newer Node may work today and break on the
 * next patch, and `npm ci` warns every new user about it.
 */
import { readFileSync } from 'node:fs';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';

interface Lock {
  readonly packages: Readonly<Record<string, { readonly version?: string; readonly engines?: unknown }>>;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as T;

describe('the locked dependencies', () => {
  it("all run on the oldest Node that package.json's engines allow", () => {
    const range = read<{ engines: { node: string } }>('package.json').engines.node;
    const oldest = minVersion(range)?.version;
    expect(oldest, `engines.node ${range}`).toBeDefined();
    const refusing = Object.entries(read<Lock>('package-lock.json').packages).flatMap(([path, p]) => {
      // Old packages may spell engines as an array of strings; only the object form names a Node range.
      const wants = typeof p.engines === 'object' && p.engines !== null && 'node' in p.engines && typeof p.engines.node === 'string' ? p.engines.node : undefined;
      return wants !== undefined && !satisfies(oldest!, wants) ? [`${path}@${p.version ?? '?'} wants node ${wants}`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
