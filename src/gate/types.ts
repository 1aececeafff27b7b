import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Whose data it is, as the hub knows them. */
export type PersonRole = 'consignee' | 'seller';

/** A person's data as it arrives in a manifest; only the vault ever stores it, and only encrypted. */
export interface PersonalData {
  readonly name: string;
  readonly street?: string;
  readonly postcode?: string;
  readonly city?: string;
  readonly country: string;
  readonly email?: string;
  readonly phone?: string;
}

export interface SealRequest {
  readonly role: PersonRole;
  readonly data: PersonalData;
}

/**
 * The write side of the gate: encrypts each person's data under that person's own key (the same person,
 * recognised by a keyed blind index of their e-mail, or of name + postcode when there is none, keeps one
 * key) and returns opaque record references in input order — store them in `parcels.consignee_ref` /
 * `seller_ref`. Identical data of the same person gives the same reference. Writing needs no policy
 * decision; every READ does.
 */
export interface PersonalDataSealer {
  /** With `prepared` (from `prepare` over some of these same request objects), the work done ahead is used. */
  seal(tx: Kysely<Database>, people: readonly SealRequest[], prepared?: PreparedSeal): Promise<string[]>;
  /**
   * Optional: starts the work of sealing these people that needs no database (the cryptography), before
   * their transaction, so that a caller with more to write (the next chunk of a manifest) overlaps the two.
   */
  prepare?(people: readonly SealRequest[]): PreparedSeal;
}

/** Work done ahead by `PersonalDataSealer.prepare`; only the sealer that made it reads it. */
export interface PreparedSeal {
  readonly ready: Promise<void>;
}

/** Who is asking: a person or system with a role, an organisation and the country they act from. */
export interface Principal {
  readonly id: string;
  readonly role: string;
  readonly organisation: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
}
