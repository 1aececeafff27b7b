import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './database.js';
import { ReaderError } from './reader.js';

const NOW = '2026-11-25T08:00:00.000Z';

describe('the reader of a SQLite file, in a worker thread', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'glasshub-reader-'));
    store = await openStore(join(dir, 'hub.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const flight = (id: string) => ({ id, flight_number: 'CK231', flight_date: '2026-11-25', status: 'expected' as const, arrived_at: null, created_at: NOW });

  it('answers queries built with Kysely, with what the store has committed', async () => {
    await store.db.insertInto('flights').values([flight('CK231/2026-11-25'), flight('CK232/2026-11-25')]).execute();
    const rows = await store.reader!.selectFrom('flights').select(['id', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'CK231/2026-11-25', status: 'expected' },
      { id: 'CK232/2026-11-25', status: 'expected' },
    ]);
  });

  it('does not see the main connection’s open transaction until it commits', async () => {
    await store.db.transaction().execute(async (tx) => {
      await tx.insertInto('flights').values(flight('CK231/2026-11-25')).execute();
      expect(await store.reader!.selectFrom('flights').select('id').execute()).toEqual([]);
    });
    expect(await store.reader!.selectFrom('flights').select('id').execute()).toEqual([{ id: 'CK231/2026-11-25' }]);
  });

  it('gives binary values back as Buffers and binds Buffers as blobs', async () => {
    const blob = Buffer.from([0, 1, 2, 250]);
    const [row] = (await store.reader!.executeQuery<{ b: unknown; len: number }>(CompiledQuery.raw('select ? as b, length(?) as len', [blob, blob]))).rows;
    expect(Buffer.isBuffer(row!.b)).toBe(true);
    expect(row).toEqual({ b: blob, len: 4 });
  });

  it('runs queries sent together, each with its own answer', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, k) => sql<{ n: number }>`select ${k} * 2 as n`.execute(store.reader!)));
    expect(answers.map((a) => a.rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, k) => k * 2));
  });

  it('refuses to write, even a statement that returns rows', async () => {
    await expect(store.reader!.insertInto('flights').values(flight('CK231/2026-11-25')).execute()).rejects.toThrow(/only statements that return rows/);
    await expect(store.reader!.insertInto('flights').values(flight('CK231/2026-11-25')).returning('id').execute()).rejects.toMatchObject({ name: 'ReaderError', code: 'SQLITE_READONLY' });
    await expect(store.reader!.transaction().execute(() => Promise.resolve(undefined))).rejects.toThrow(/no transactions/);
    expect(await store.db.selectFrom('flights').select('id').execute()).toEqual([]);
  });

  it('names the SQL error of a bad query and keeps answering', async () => {
    const err = await store.reader!.executeQuery(CompiledQuery.raw('select * from no_such_table', [])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect(err).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('no_such_table') });
    expect((await sql<{ one: number }>`select 1 as one`.execute(store.reader!)).rows).toEqual([{ one: 1 }]);
  });
});

describe('stores without a worker reader', () => {
  it('an in-memory database has none: no other connection could see it', async () => {
    const store = await openStore(':memory:');
    expect(store.reader).toBeUndefined();
    await store.close();
  });
});
