import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Principals (the people and systems that call the API, each with one role, organisation and country) and
 * their API tokens. A token is kept only as its SHA-256 hash: the token itself is shown once, at creation.
 * `name` is a label the operator chose; it never leaves this table (not into the ledger, not into logs).
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('principals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('token_hash', binary, (c) => c.primaryKey()) // SHA-256 of the whole token string
    .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_principal_idx').on('api_tokens').column('principal_id').execute();
}
