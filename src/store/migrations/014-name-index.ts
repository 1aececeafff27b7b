import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * A keyed index of each sealed record's name (`vault_records.name_index`: HMAC under the vault's index key
 * of the name's screening normal form, `domain/party-name.ts`), so that customs can screen buyers against a
 * sanctions list by comparing keyed hashes, through the gate, without opening a single record. Not indexed
 * in SQL: screening goes through a flight's records. Records sealed before this migration have none and
 * are reported as not screened. Erasure clears it with the key.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema.alterTable('vault_records').addColumn('name_index', binary).execute();
}
