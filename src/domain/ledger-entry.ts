import { fail, ok, type Parsed } from './parsed.js';

/**
 * What glasshub writes into its transparency log: one JSON object per entry, with a `type` that says what
 * kind of record it is (an access decision, a policy version, an authority request, an operator's note…).
 * Entries are written in canonical form (keys sorted, no whitespace, RFC 8785 style) so that the same record
 * always has the same bytes, hence the same leaf hash. Entries hold no personal data: people are named by
 * pseudonymous tags only (ARCHITECTURE rule 3).
 */
export interface LedgerEntry {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Types are short lower-case words with hyphens, e.g. `access-decision`, `operator-note`. */
const TYPE_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

const NOT_UTF8 = fail('entry is not valid UTF-8');
const NOT_JSON = fail('entry is not JSON');
const NOT_OBJECT = fail('entry must be a JSON object');
const NO_TYPE = fail('entry must have a "type": a lower-case word of letters, digits and hyphens');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a ledger entry; entries are hostile input when they come from a served log. */
export function parseLedgerEntry(bytes: Uint8Array): Parsed<LedgerEntry> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_OBJECT;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) return NO_TYPE;
  return ok(value as LedgerEntry);
}

/** Canonical JSON: object keys sorted by UTF-16 code units, no insignificant whitespace, integers only. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Fractions have several spellings across implementations; records carry amounts as decimal strings.
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON holds safe integers only, got ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The bytes of an entry as the log stores them. */
export function encodeLedgerEntry(entry: LedgerEntry): Buffer {
  if (!TYPE_PATTERN.test(entry.type)) throw new TypeError(NO_TYPE.reason);
  return Buffer.from(canonicalJson(entry), 'utf8');
}
