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
 * key) and returns opaque subject ids in input order. Writing needs no policy decision; every READ does.
 */
export interface PersonalDataSealer {
  seal(tx: Kysely<Database>, people: readonly SealRequest[]): Promise<string[]>;
}
