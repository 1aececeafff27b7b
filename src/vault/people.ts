/**
 * What sealing a person means, shared by sealing (`seal.ts`) and its preparation ahead of the transaction
 * (`prepare-seal.ts`): who the same person is, their record's canonical content, and the vault's ids.
 */
import { normalisePartyName } from '../domain/index.js';
import { random } from './crypto.js';

/** A person's fields as `Vault` passes them (this file stands below `vault.ts`, which imports it). */
export type Fields = Readonly<Partial<Record<string, string>>>;
export interface Person {
  readonly role: string;
  readonly data: Fields;
}

/**
 * Ids that sort in creation order: 48 bits of milliseconds, then 80 bits that start random each
 * millisecond and count up within it (as ULID's monotonic mode), in base32hex (0-9a-v, 26 characters,
 * which sorts the same as bytes, in C and in natural-language collations). Unique across processes by
 * the random start; in order within one. They tell no more than the row's own `created_at`.
 */
export class SequentialIds {
  private lastMs = -1;
  private counter = 0n;

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      // The top bit clear leaves room to count 2^79 ids within the millisecond.
      this.counter = BigInt(`0x${random(10).toString('hex')}`) >> 1n;
    } else {
      this.counter++;
    }
    return ((BigInt(this.lastMs) << 80n) | this.counter).toString(32).padStart(26, '0');
  }
}

export const ids = new SequentialIds();

export function screeningForm(name: string | undefined): string {
  return name === undefined ? '' : normalisePartyName(name);
}

/** What a name's keyed index hashes (its screening form, `screeningForm`). */
export function nameMessage(name: string): string {
  return `name\n${name}`;
}

/** What a record's content index hashes: its subject and its canonical content. */
export function recordMessage(subjectId: string, content: string): string {
  return `record\n${subjectId}\n${content}`;
}

/** What the blind index keys: the role and `identity`. */
export function identityMessage(p: Person): string {
  return `subject\n${p.role}\n${identity(p.data)}`;
}

/** The same person again: by e-mail when there is one, else by name, postcode and country. */
function identity(d: Fields): string {
  return d.email ? `email:${norm(d.email)}` : `name:${norm(d.name)}|${norm(d.postcode)}|${norm(d.country)}`;
}

// Declared once, not per call: half a million calls a freighter, and a closure each is measurable.
function norm(s: string | undefined): string {
  return (s ?? '').normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

export function canonical(d: Fields, fields: readonly string[]): string {
  const out: Record<string, string> = {};
  for (const f of fields) if (d[f] !== undefined && d[f] !== '') out[f] = d[f];
  return JSON.stringify(out);
}
