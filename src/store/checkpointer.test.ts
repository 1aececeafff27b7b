import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from './database.js';

/** Frames in the WAL, and how many of them are in the database file (a passive checkpoint that copies nothing). */
function walState(path: string): { log: number; checkpointed: number } {
  const probe = new BetterSqlite3(path, { fileMustExist: true });
  try {
    const [row] = probe.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    return { log: row!.log, checkpointed: row!.checkpointed };
  } finally {
    probe.close();
  }
}

async function writeRows(store: Awaited<ReturnType<typeof openStore>>, n: number): Promise<void> {
  await store.db.executeQuery(CompiledQuery.raw('create table if not exists filler (id integer primary key, body text not null)', []));
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i += 500) {
      const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => `filler row ${i + k} `.repeat(20));
      await tx.executeQuery(CompiledQuery.raw(`insert into filler (body) values ${rows.map(() => '(?)').join(', ')}`, rows));
    }
  });
}

describe('WAL checkpoints in a worker thread', () => {
  it('copies committed pages into the database file without the writer checkpointing', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'glasshub-ckpt-')), 'hub.db');
    const store = await openStore(path);
    try {
      await writeRows(store, 5_000);
      // The writer's own automatic checkpoint is only a backstop far above this transaction's pages.
      const deadline = Date.now() + 10_000;
      let state = walState(path);
      while ((state.log === 0 || state.checkpointed < state.log) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        state = walState(path);
      }
      expect(state.log).toBeGreaterThan(0);
      expect(state.checkpointed).toBe(state.log);
    } finally {
      await store.close();
    }
    // The worker's connection closed first; the writer's, the last, removed the WAL.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = new BetterSqlite3(path, { fileMustExist: true });
    expect(reopened.prepare('select count(*) as n from filler').get()).toEqual({ n: 5_000 });
    reopened.close();
  });

  it('leaves the WAL to the writer when asked to', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'glasshub-ckpt-')), 'hub.db');
    const store = await openStore(path, { backgroundCheckpoint: false });
    try {
      await writeRows(store, 200);
      await new Promise((r) => setTimeout(r, 200));
      const state = walState(path);
      // Under SQLite's default threshold (1,000 pages) nobody has checkpointed this small transaction.
      expect(state.log).toBeGreaterThan(0);
      expect(state.checkpointed).toBe(0);
    } finally {
      await store.close();
    }
  });
});
