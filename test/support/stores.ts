import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/** Every storage suite runs on both stores; PostgreSQL is not optional (ARCHITECTURE rule 4). */
export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export const TEST_PG_URL = process.env['GLASSHUB_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** What to pass as --db to a child process to reach the same data. */
  readonly url: string;
  /** The PostgreSQL schema, when kind is postgres. */
  readonly schema?: string;
  cleanup(): Promise<void>;
}

/** A fresh, empty, migrated store: a temporary SQLite file, or a new schema in the test PostgreSQL database. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'glasshub-test-'));
    const path = join(dir, 'test.db');
    const store = await openStore(path);
    return {
      ...store,
      url: path,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore(TEST_PG_URL, { schema });
  return {
    ...store,
    url: `${TEST_PG_URL}?options=-c%20search_path%3D${schema}`,
    schema,
    cleanup: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
