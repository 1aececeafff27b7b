import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './database.js';

const NOW = '2026-11-25T08:00:00.000Z';
const flight = (id: string) => ({ id, flight_number: 'CK231', flight_date: '2026-11-25', status: 'expected' as const, arrived_at: null, created_at: NOW });

/**
 * Another process (a CLI beside `glasshub serve`) that takes the write lock, says so on stdout, writes a
 * flight and commits `holdMs` later.
 */
function otherWriter(file: string, holdMs: number): ChildProcess {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 10000');
    db.exec('begin immediate');
    db.prepare("insert into flights (id, flight_number, flight_date, status, arrived_at, created_at) values ('XX1/2026-11-25', 'XX1', '2026-11-25', 'expected', null, '${NOW}')").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('commit'); db.close(); }, ${holdMs});`;
  return spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('a write transaction beside another process writing the same SQLite file', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'glasshub-lock-'));
    store = await openStore(join(dir, 'hub.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the other writer to commit instead of failing with "database is locked"', async () => {
    const child = otherWriter(join(dir, 'hub.db'), 300);
    await once(child.stdout!, 'data');
    // A read then a write: begun DEFERRED, the read took a snapshot that the other commit made stale, and
    // the write failed at once with SQLITE_BUSY, whatever the busy timeout.
    const seen = await store.db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('flights').select('id').execute();
      await tx.insertInto('flights').values(flight('CK231/2026-11-25')).execute();
      return before.map((r) => r.id);
    });
    await once(child, 'exit');
    expect(seen).toEqual(['XX1/2026-11-25']);
    expect((await store.db.selectFrom('flights').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual(['CK231/2026-11-25', 'XX1/2026-11-25']);
  });
});
