/**
 * Validation against the official GS1 EPCIS 2.0 JSON Schema (draft-07), read in place from the shared
 * vectors folder (`../shared/vectors/epcis/EPCIS-JSON-Schema.json`, never copied into the project) and
 * compiled once, on first use.
 *
 * Two compilations of the same schema: a fast one that stops at the first error (every valid event
 * pays only for it) and, compiled only when a document fails, one with `allErrors` that collects the
 * errors reported to the client (at most `MAX_ERRORS`).
 *
 * Formats: the schema uses exactly two, `uri` and `date-time`, both in ajv-formats ("full" mode:
 * RFC 3986 URIs; RFC 3339 date-times, which require a UTC offset, less leap seconds: see `isDateTime`). Strict mode
 * stays on, so a future schema that needs an unknown format fails to compile instead of being
 * silently accepted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** The shared vectors of github.com/gs1/EPCIS: the schema and the standard's example documents. */
export const EPCIS_VECTORS_URL = new URL('../../../../shared/vectors/epcis/', import.meta.url);

/** `$id` of the official schema; its definitions are addressed below it. */
const SCHEMA_ID = 'https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json';
export const MAX_ERRORS = 10;

export interface SchemaError {
  /** JSON Pointer into the validated value (`/epcisBody/eventList/0/bizStep`); `''` is the root. */
  readonly path: string;
  readonly message: string;
}
export type SchemaResult = { readonly ok: true } | { readonly ok: false; readonly errors: readonly SchemaError[] };

/** The vectors folder as a path, checked to exist (the tests and the validator read from it). */
export function epcisVectorsDir(): string {
  const dir = fileURLToPath(EPCIS_VECTORS_URL);
  if (!existsSync(dir)) {
    throw new Error(`EPCIS vectors not found at ${dir}: the project expects ../shared/vectors/epcis beside it`);
  }
  return dir;
}

// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, whose `default`
// property is the plugin itself.
const formatsPlugin = addFormatsModule.default;

interface Compiled {
  readonly document: ValidateFunction;
  readonly event: ValidateFunction;
}

function compile(allErrors: boolean): Compiled {
  const file = `${epcisVectorsDir()}EPCIS-JSON-Schema.json`;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as SchemaObject;
  if (schema.$id !== SCHEMA_ID) throw new Error(`${file}: expected $id ${SCHEMA_ID}`);
  const ajv = new Ajv({
    allErrors,
    strict: true,
    // The official schema itself names `required: ["transformationID"]` in a subschema that does not
    // declare that property (TransformationEvent); strictRequired would refuse to compile it.
    strictRequired: false,
  });
  formatsPlugin(ajv, { mode: 'full', formats: ['uri', 'date-time'] });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime }); // no leap second (see isDateTime)
  const document = ajv.compile(schema);
  // A single event as it appears in `eventList` (no `@context` of its own is required there).
  const event = ajv.getSchema(`${SCHEMA_ID}#/definitions/EPCIS-Document-Event`);
  if (event === undefined) throw new Error('EPCIS schema has no definition EPCIS-Document-Event');
  return { document, event };
}

let fast: Compiled | undefined;
let detailed: Compiled | undefined;

/** Compiles the validator now (a few hundred milliseconds) rather than on the first request. */
export function loadEpcisSchema(): void {
  fast ??= compile(false);
}

/** Validates an EPCISDocument or EPCISQueryDocument (or any value: the schema dispatches on `type`). */
export function validateEpcisDocument(doc: unknown): SchemaResult {
  fast ??= compile(false);
  if (fast.document(doc)) return OK;
  detailed ??= compile(true);
  detailed.document(doc);
  return { ok: false, errors: describeErrors(detailed.document.errors) };
}

/** Validates one event as found in an `eventList` (ObjectEvent, AggregationEvent, … or extension). */
export function validateEpcisEvent(event: unknown): SchemaResult {
  fast ??= compile(false);
  if (fast.event(event)) return OK;
  detailed ??= compile(true);
  detailed.event(event);
  return { ok: false, errors: describeErrors(detailed.event.errors) };
}

const OK = Object.freeze({ ok: true as const });

/** Combinators only say "a branch failed"; the errors of the branches say which and why. */
const COMBINATORS = new Set(['if', 'anyOf', 'allOf', 'oneOf']);
const NAME_CHECKS = new Set(['enum', 'format', 'pattern']);

function describeErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  const all = errors ?? [];
  // A bad property *name* yields one `propertyNames` error naming it, after the errors of the name's
  // own checks (enum, format, pattern) at the same path, some of them (behind a $ref) without
  // `propertyName` set: keep the summary only.
  const namesFailedAt = new Set(all.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  const aboutName = (e: ErrorObject): boolean =>
    e.propertyName !== undefined || (namesFailedAt.has(e.instancePath) && NAME_CHECKS.has(e.keyword));
  const specific = all.filter((e) => !COMBINATORS.has(e.keyword) && !aboutName(e));
  const chosen = specific.length > 0 ? specific : all;
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of chosen) {
    const error = { path: e.instancePath, message: explain(e) };
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(error);
    if (out.length === MAX_ERRORS) break;
  }
  if (out.length === 0) out.push({ path: '', message: 'does not match the EPCIS 2.0 schema' });
  return out;
}

function explain(e: ErrorObject): string {
  const message = e.message ?? `fails ${e.keyword}`;
  const params = e.params as Record<string, unknown>;
  // The schema forbids a field in some branches with `"not": {}` (e.g. ilmd unless action is ADD).
  if (e.keyword === 'not') return 'must not be present here';
  if (e.keyword === 'propertyNames' && typeof params.propertyName === 'string') {
    return `property name ${JSON.stringify(params.propertyName)} is not allowed here (neither a standard field nor a namespaced extension)`;
  }
  if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${message}: ${JSON.stringify(params.additionalProperty)}`;
  }
  if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    const values = params.allowedValues as unknown[];
    const shown = values.slice(0, 8).map((v) => JSON.stringify(v)).join(', ');
    return `${message} (${shown}${values.length > 8 ? ', …' : ''})`;
  }
  return message;
}

type Check = (value: string) => boolean;

function formatCheck(name: 'uri' | 'date-time'): Check {
  // A format is a function, a RegExp, or an object whose `validate` is one of those.
  const format: unknown = formatsPlugin.get(name, 'full');
  const validate: unknown = typeof format === 'object' && format !== null && 'validate' in format ? format.validate : format;
  if (typeof validate === 'function') return (value) => (validate as (s: string) => unknown)(value) === true;
  if (validate instanceof RegExp) return (value) => validate.test(value);
  throw new Error(`ajv-formats: unexpected definition for format ${name}`);
}

/** The schema's own `uri` check, so that builders refuse exactly what the schema would refuse. */
export const isUri: Check = formatCheck('uri');
const rfc3339DateTime: Check = formatCheck('date-time');
/**
 * The schema's own `date-time` check (RFC 3339, offset required), narrowed to the instants a Date can hold:
 * RFC 3339 admits a leap second (`…T23:59:60Z`) that could be neither stored nor compared.
 */
// Only a leap second holds ":60" (offset minutes stop at 59): Date.parse is asked about those alone.
export const isDateTime: Check = (value) => rfc3339DateTime(value) && (!value.includes(':60') || !Number.isNaN(Date.parse(value)));
