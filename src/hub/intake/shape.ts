/**
 * A fast structural check derived from a TypeBox schema, with the compiled validator's verdict.
 *
 * TypeBox compiles `additionalProperties: false` on an object with optional properties into a regular
 * expression run on every key, and the `date` format into a regex with captures: together about half the
 * cost of checking a manifest line. So the schema is compiled twice: as written, for the error report of a
 * refused value; and rewritten for the verdict, with `additionalProperties: false` as the equivalent
 * `propertyNames: {enum: [the declared names]}` (compiled to string comparisons) and the formats whose
 * values repeat from line to line checked here behind a cache. shape.test.ts holds the two verdicts equal.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Format } from 'typebox/format';

/** A structural error as the compiled validator reports it (JSON Pointer path, keyword, params). */
export interface ShapeError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: object;
  readonly message: string;
}

export interface ShapeChecker {
  /** The compiled validator's verdict, faster. Never throws. */
  check(value: unknown): boolean;
  /** Every structural error of `value` (slow: call it for refused values only). */
  errors(value: unknown): readonly ShapeError[];
}

/** The JSON Schema keywords read here (TypeBox schemas are plain JSON Schema objects). */
interface Node {
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: unknown;
  readonly items?: Node;
  readonly format?: unknown;
}

/** Formats whose values repeat from line to line (never personal data): their verdicts are cached. */
const CACHED_FORMATS: ReadonlySet<string> = new Set(['date']);
const CACHE_SIZE = 1024;

/** A check of one value at a path (property names) the relaxed validator has already typed. */
interface PathCheck {
  readonly path: readonly string[];
  readonly test: (value: string) => boolean;
}

export function compileShape(schema: TSchema): ShapeChecker {
  const strict = Compile(schema);
  const checks: PathCheck[] = [];
  const relaxed = Compile(relax(schema as Node, [], checks) as TSchema);
  return {
    check: (value) => relaxed.Check(value) && checks.every((c) => holds(value, c.path, 0, c.test)),
    errors: (value) => strict.Errors(value),
  };
}

/** A deep copy with `additionalProperties: false` as `propertyNames` (objects with optional properties), and cached formats moved to `checks`. */
function relax(node: Node, path: readonly string[], checks: PathCheck[]): Node {
  const out: Record<string, unknown> = { ...node };
  if (node.properties !== undefined) {
    out['properties'] = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, relax(v, [...path, k], checks)]));
    // With every property required TypeBox compares the key count, which is fast: only the others change.
    if (node.additionalProperties === false && (node.required?.length ?? 0) < Object.keys(node.properties).length) {
      delete out['additionalProperties'];
      out['propertyNames'] = { enum: Object.keys(node.properties) };
    }
  }
  if (node.items !== undefined) out['items'] = relax(node.items, [...path, '*'], checks);
  const test = typeof node.format === 'string' && CACHED_FORMATS.has(node.format) ? Format.Get(node.format) : undefined;
  if (test !== undefined) {
    delete out['format'];
    checks.push({ path, test: cached(test) });
  }
  return out;
}

/** True when every value at `path` (`*`: each array element) is absent or passes `test`. */
function holds(value: unknown, path: readonly string[], at: number, test: (v: string) => boolean): boolean {
  if (value === undefined) return true; // an optional property left out
  if (at === path.length) return test(value as string);
  const key = path[at]!;
  if (key === '*') return (value as readonly unknown[]).every((v) => holds(v, path, at + 1, test));
  return holds((value as Readonly<Record<string, unknown>>)[key], path, at + 1, test);
}

function cached(test: (v: string) => boolean): (v: string) => boolean {
  const cache = new Map<string, boolean>();
  return (v) => {
    let ok = cache.get(v);
    if (ok === undefined) {
      if (cache.size >= CACHE_SIZE) cache.clear();
      ok = test(v);
      cache.set(v, ok);
    }
    return ok;
  };
}
