/**
 * The compiled validator's structural errors as `{line, field, reason}`, in words an integrator reads
 * ("is required", "unknown field", "not an e-mail address"). The validator's own messages never quote
 * values; these do not either. Field names are echoed only when they look like field names: a JSON key is
 * sender-controlled text and could itself be personal data.
 */
import type { LineError } from './types.js';
import type { ShapeError } from './shape.js';

/** Reasons for `pattern` and `format` refusals, by field (the raw regex would help nobody). */
const PATTERN_REASONS: Readonly<Record<string, string>> = {
  phone: 'not a telephone number: digits with an optional leading "+", spaces and ( ) . / -',
  value: 'must be a decimal number written with digits and an optional "." (e.g. 12.50)',
  iossNumber: 'must be "IM" followed by 10 digits',
};
const FORMAT_REASONS: Readonly<Record<string, string>> = {
  email: 'not an e-mail address',
  date: 'not a calendar date written YYYY-MM-DD',
};
const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  object: 'an object',
  array: 'an array',
  boolean: 'true or false',
};

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** `/items/0/hsCode` → `items.0.hsCode`; the root is `(line)`. */
export function dottedPath(pointer: string): string {
  if (pointer === '') return '(line)';
  return pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
}

function child(path: string, key: string): string {
  return path === '' ? key : `${dottedPath(path)}.${key}`;
}

export function shapeErrorsToLineErrors(errors: readonly ShapeError[], line: number, max: number): LineError[] {
  const out: LineError[] = [];
  const push = (field: string, reason: string): void => {
    if (out.length < max) out.push({ line, field, reason });
  };
  for (const e of errors) {
    if (out.length >= max) break;
    const field = dottedPath(e.instancePath);
    const leaf = field.slice(field.lastIndexOf('.') + 1);
    const params = e.params as Readonly<Record<string, unknown>>;
    const limit = typeof params['limit'] === 'number' ? params['limit'] : undefined;
    switch (e.keyword) {
      case 'boolean': // `additionalProperties: false` reports each extra key twice; the other report names it
        break;
      case 'required':
        for (const key of asStrings(params['requiredProperties'])) push(child(e.instancePath, key), 'is required');
        break;
      case 'additionalProperties':
        for (const key of asStrings(params['additionalProperties'])) {
          if (SAFE_KEY.test(key)) push(child(e.instancePath, key), 'unknown field');
          else push(field, 'has an unknown field (its name is not shown)');
        }
        break;
      case 'type': {
        const type = typeof params['type'] === 'string' ? params['type'] : '';
        push(field, `must be ${TYPE_NAMES[type] ?? type}`);
        break;
      }
      case 'format':
        push(field, FORMAT_REASONS[String(params['format'])] ?? e.message);
        break;
      case 'pattern':
        push(field, PATTERN_REASONS[leaf] ?? 'has the wrong form');
        break;
      case 'minLength':
        push(field, params['limit'] === 1 ? 'is empty' : `must have at least ${String(params['limit'])} characters`);
        break;
      case 'maxLength':
        push(field, `must have at most ${String(params['limit'])} characters`);
        break;
      case 'minimum':
        push(field, `must be at least ${String(limit)}`);
        break;
      case 'maximum':
        push(field, `must be at most ${String(limit)}`);
        break;
      case 'exclusiveMinimum':
        push(field, `must be more than ${String(limit)}`);
        break;
      case 'minItems':
        push(field, `must list at least ${String(params['limit'])} item(s)`);
        break;
      case 'maxItems':
        push(field, `must list at most ${String(params['limit'])} items`);
        break;
      default:
        push(field, e.message);
    }
  }
  return out;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
