/**
 * What `glasshub log append` accepts: an operator's own entry. The log is public and permanent, so an
 * entry that carries personal data can never be taken back (crypto-shredding reaches the vault, not the
 * log). Names and street addresses cannot be told from other text; e-mail addresses and international
 * phone numbers can, and are refused with the field that holds them.
 */
import type { LedgerEntry } from '../../domain/index.js';

const EMAIL = /[^\s@"<>]+@[^\s@"<>]+\.[A-Za-z]{2,}/;
/**
 * E.164 as people write it: a plus, then 8–15 digits with spaces, dots, dashes or brackets between; not
 * inside a base64 word (a hash or signature may hold "+12345678").
 */
const PHONE = /(?<![A-Za-z0-9+/=])\+\d(?:[\s.()-]*\d){7,14}(?![A-Za-z0-9+/=])/;

/** Why `entry` is refused, if it is. */
export function operatorEntryReason(entry: LedgerEntry): string | undefined {
  // The types the hub writes (access decisions, principals, registers) come from the hub alone; one
  // appended by hand would be counted by auditors and `glasshub monitor` as the real thing.
  if (!entry.type.startsWith('operator-')) return `type ${JSON.stringify(entry.type)}: log append writes operator entries only (a type starting with "operator-")`;
  return personalData(entry, '');
}

function personalData(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    if (EMAIL.test(value)) return `${path}: looks like an e-mail address; the log is public and permanent, so personal data must never be written to it`;
    if (PHONE.test(value)) return `${path}: looks like a phone number; the log is public and permanent, so personal data must never be written to it`;
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    const reason = personalData(key, at) ?? personalData(v, at);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
