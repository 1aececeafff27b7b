import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { arbManifestLine } from '../../../test/support/manifests.js';
import { checkManifestShape, ManifestLineSchema } from './manifest-schema.js';

const strict = Compile(ManifestLineSchema);

/** A valid line with values replaced, keys added and keys removed at random places. */
const mutated = fc
  .tuple(
    arbManifestLine,
    fc.array(
      fc.tuple(
        fc.constantFrom('', 'seller', 'consignee', 'items.0', 'items'),
        fc.constantFrom('flight', 'flightDate', 'uld', 'email', 'phone', 'name', 'value', 'extra', '__proto__', 'constructor', '0'),
        fc.option(fc.oneof(fc.anything(), fc.constantFrom('2026-02-29', '2024-02-29', '2026-13-01', 'a@b.c', 'not mail')), { nil: undefined }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([line, edits]) => {
    const value = structuredClone(line) as unknown as Record<string, unknown>;
    for (const [path, key, v] of edits) {
      let at: unknown = value;
      for (const k of path.split('.').filter(Boolean)) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[k] : undefined;
      if (typeof at !== 'object' || at === null) continue;
      if (v === undefined) delete (at as Record<string, unknown>)[key];
      else Object.defineProperty(at, key, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return value;
  });

describe('checkManifestShape', () => {
  it('gives the verdict of the validator compiled from the schema as written', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything(), arbManifestLine), (value) => {
        expect(checkManifestShape(value)).toBe(strict.Check(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses unknown keys, wherever they are, and bad dates', () => {
    const line = fc.sample(arbManifestLine, { numRuns: 1, seed: 1 })[0]!;
    expect(checkManifestShape(line)).toBe(true);
    expect(checkManifestShape({ ...line, extra: 1 })).toBe(false);
    expect(checkManifestShape({ ...line, consignee: { ...line.consignee, extra: 1 } })).toBe(false);
    expect(checkManifestShape({ ...line, items: [{ ...line.items[0]!, extra: 1 }] })).toBe(false);
    expect(checkManifestShape({ ...line, flightDate: '2026-02-29' })).toBe(false);
    expect(checkManifestShape({ ...line, flightDate: '2028-02-29' })).toBe(true);
  });
});
