import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import {
  PrincipalError,
  appendEntry,
  parsePrincipalInput,
  principalTag,
  toPrincipal,
  type LedgerAppender,
  type Principal,
} from './model.js';
import { storeNewToken, type IssuedToken, type TokenOptions } from './tokens.js';

/**
 * The register of principals. Adding and revoking one is itself a ledger entry (`principal-added`,
 * `principal-revoked`) naming the principal by id, role, organisation and country — never by its name, which
 * is the operator's label and may be a person's name.
 */

export interface AddedPrincipal {
  readonly principal: Principal;
  /** Its first token: show it once, then forget it. */
  readonly token: IssuedToken;
  /** Index of the `principal-added` entry. */
  readonly index: number;
}

/**
 * Adds a principal with its first token. The rows are committed first, then the entry is appended; should the
 * append fail, the rows are deleted again (the token was never shown), so no principal exists unrecorded.
 * A crash between the two leaves a principal whose token nobody ever saw: harmless, and visible in `list`.
 */
export async function addPrincipal(
  db: Kysely<Database>,
  ledger: LedgerAppender,
  input: { name?: unknown; role?: unknown; organisation?: unknown; country?: unknown },
  options: TokenOptions = {},
): Promise<AddedPrincipal> {
  const valid = parsePrincipalInput(input);
  const now = options.now ?? new Date();
  const { principal, token } = await db.transaction().execute(async (tx) => {
    const row = { id: randomUUID(), ...valid, created_at: now.toISOString(), revoked_at: null };
    await tx.insertInto('principals').values(row).execute();
    return { principal: toPrincipal(row), token: await storeNewToken(tx, row.id, { ...options, now }) };
  });
  try {
    const index = await appendEntry(ledger, {
      type: 'principal-added',
      principal: principalTag(principal),
      tokenExpiresAt: token.expiresAt ?? undefined,
      time: now.toISOString(),
    });
    return { principal, token, index };
  } catch (err) {
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('api_tokens').where('principal_id', '=', principal.id).execute();
      await tx.deleteFrom('principals').where('id', '=', principal.id).execute();
    });
    throw err;
  }
}

export async function findPrincipal(db: Kysely<Database>, id: string): Promise<Principal | undefined> {
  const row = await db.selectFrom('principals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPrincipal(row);
}

export interface ListOptions {
  /** Include revoked principals (default true: the list is the register). */
  readonly includeRevoked?: boolean;
}

/** Every principal, oldest first. */
export async function listPrincipals(db: Kysely<Database>, options: ListOptions = {}): Promise<Principal[]> {
  let q = db.selectFrom('principals').selectAll();
  if (options.includeRevoked === false) q = q.where('revoked_at', 'is', null);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toPrincipal);
}

export interface RevokedPrincipal {
  readonly principal: Principal;
  /** Index of the `principal-revoked` entry. */
  readonly index: number;
}

/**
 * Revokes the principal and every token of it (one transaction), then appends `principal-revoked`. Should the
 * append fail, the revocation stands — failing safe — and the error says the record is missing. A revoked
 * principal stays in the register (the ledger names its id) and is never revived: add a new one.
 */
export async function revokePrincipal(db: Kysely<Database>, ledger: LedgerAppender, id: string, now: Date = new Date()): Promise<RevokedPrincipal> {
  const at = now.toISOString();
  const principal = await db.transaction().execute(async (tx) => {
    const found = await findPrincipal(tx, id);
    if (!found) throw new PrincipalError('NOT_FOUND', `no principal ${JSON.stringify(id)}`);
    if (found.revokedAt !== null) throw new PrincipalError('REVOKED', `principal ${id} was already revoked at ${found.revokedAt}`);
    await tx.updateTable('principals').set({ revoked_at: at }).where('id', '=', id).execute();
    await tx.updateTable('api_tokens').set({ revoked_at: at }).where('principal_id', '=', id).where('revoked_at', 'is', null).execute();
    return { ...found, revokedAt: at };
  });
  try {
    const index = await appendEntry(ledger, { type: 'principal-revoked', principal: principalTag(principal), time: at });
    return { principal, index };
  } catch (err) {
    throw new Error(`principal ${id} is revoked, but its ledger entry could not be written`, { cause: err });
  }
}
