import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Console sessions: a browser signs in with an API token and then holds only a session cookie. The session id is
 * kept as its SHA-256 (like tokens), so that a read of the table hands out no working session; the token it was
 * opened with is kept as its hash too, so that revoking the token (or its principal) ends the session at once.
 */
export async function up(db: Kysely<unknown>, { binary }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', binary, (c) => c.primaryKey())
    .addColumn('principal_id', 'text', (c) => c.notNull().references('principals.id'))
    .addColumn('token_hash', binary, (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  // Expired rows are swept by expiry; a principal's sessions are found by principal.
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('sessions_principal_idx').on('sessions').column('principal_id').execute();
}
