import type { Selectable } from 'kysely';
import { ParseError, encodeLedgerEntry, parseCountry, type LedgerEntry } from '../domain/index.js';
import type { Database } from '../store/index.js';

/** Where auth writes its records: the transparency log (`TransparencyLog` fits). */
export interface LedgerAppender {
  append(entry: Uint8Array): Promise<number>;
}

/** What a principal may be; a route names the roles it admits. */
export const ROLES = ['scanner', 'sorter', 'supervisor', 'customs-officer', 'carrier', 'auditor', 'dpo', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ROLE_SET.has(value);
}

/** A person or system acting on the hub: one role, for one organisation, from one country. */
export interface Principal {
  readonly id: string;
  /** The operator's label for it. Never written to the ledger or to log lines: it may be a person's name. */
  readonly name: string;
  readonly role: Role;
  /** A lower-case slug, e.g. `hub-operator`, `be-customs`, `dpd-be`. */
  readonly organisation: string;
  /** ISO 3166-1 alpha-2 code of the country the principal acts from. */
  readonly country: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** What the ledger may say about a principal: everything but its name. */
export interface PrincipalTag {
  readonly id: string;
  readonly role: Role;
  readonly organisation: string;
  readonly country: string;
}

export function principalTag(p: PrincipalTag): PrincipalTag {
  return { id: p.id, role: p.role, organisation: p.organisation, country: p.country };
}

export interface PrincipalInput {
  readonly name: string;
  readonly role: Role;
  readonly organisation: string;
  readonly country: string;
}

const ORGANISATION = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const MAX_NAME = 200;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Validates what an operator typed; throws a `ParseError` whose `field` names the bad input. Country and
 * organisation are normalised (trimmed; `be` → `BE`; `DPD-BE` → `dpd-be`).
 */
export function parsePrincipalInput(raw: { name?: unknown; role?: unknown; organisation?: unknown; country?: unknown }): PrincipalInput {
  const name = typeof raw.name === 'string' ? raw.name.trim() : undefined;
  if (name === undefined || name === '') throw new ParseError('must be a non-empty label', 'name');
  if (name.length > MAX_NAME) throw new ParseError(`must be at most ${MAX_NAME} characters`, 'name');
  if (CONTROL.test(name)) throw new ParseError('must not contain control characters', 'name');
  const role = typeof raw.role === 'string' ? raw.role.trim() : raw.role;
  if (!isRole(role)) throw new ParseError(`must be one of ${ROLES.join(', ')}`, 'role');
  const organisation = typeof raw.organisation === 'string' ? raw.organisation.trim().toLowerCase() : '';
  if (!ORGANISATION.test(organisation)) {
    throw new ParseError('must be a slug of 1–64 lower-case letters, digits and inner hyphens, e.g. "be-customs"', 'organisation');
  }
  const country = parseCountry(raw.country);
  if (!country.ok) throw new ParseError(country.reason, 'country');
  return { name, role, organisation, country: country.value };
}

export function toPrincipal(row: Selectable<Database['principals']>): Principal {
  // A row with an unknown role (written by a newer version, or by hand) is refused, never guessed at.
  if (!isRole(row.role)) throw new Error(`principal ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    organisation: row.organisation,
    country: row.country,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Thrown when a principal is unknown or cannot change as asked; the CLI prints the message. */
export class PrincipalError extends Error {
  override readonly name = 'PrincipalError';
  constructor(
    readonly code: 'NOT_FOUND' | 'REVOKED',
    message: string,
  ) {
    super(message);
  }
}


/** Appends an auth record (`principal-added`, `access-denied`, …) and resolves once it is durable. */
export function appendEntry(ledger: LedgerAppender, entry: LedgerEntry): Promise<number> {
  return ledger.append(encodeLedgerEntry(entry));
}
