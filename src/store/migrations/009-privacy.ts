import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/** Registers of GDPR duties: authority requests (Art. 48), breaches (Art. 33), subject-access requests (Art. 15). */
export async function up(db: Kysely<unknown>, { bigint }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('authority_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('legal_instrument', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull()) // JSON array
    .addColumn('subjects', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull()) // internal only: never in the ledger
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('breaches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('detected_at', 'text', (c) => c.notNull())
    .addColumn('nature', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('approx_subjects', 'integer', (c) => c.notNull())
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('authority_notified_at', 'text')
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('ledger_index', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('subject_access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('record_ref', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addColumn('session_hash', 'text')
    .addColumn('session_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
