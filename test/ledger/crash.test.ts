import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashLeaf, openCheckpoint, parseVerifierKey, verifyConsistency, CompactRange } from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { runGlasshub, spawnGlasshub } from '../support/cli.js';

const line = (i: number): string => JSON.stringify({ type: 'operator-note', i, note: 'n'.repeat(i % 200) });

/** Streams lines into `glasshub log append` and kills it with SIGKILL once `killAfter` indexes were acknowledged. */
async function appendUntilKilled(db: string, keyFile: string, killAfter: number): Promise<number[]> {
  const child = spawnGlasshub(['log', 'append', '--db', db, '--key', keyFile]);
  const acknowledged: number[] = [];
  let buffered = '';
  let next = 0;
  const pump = (): void => {
    // Keep the pipe full so the child is mid-batch, mid-commit, whenever the kill lands.
    // write() returning false means queued but the pipe is full: count the line, wait for 'drain'.
    while (next < 1_000_000) if (!child.stdin.write(`${line(next++)}\n`)) break;
  };
  child.stdin.on('drain', pump);
  child.stdin.on('error', () => undefined); // EPIPE once the child is dead
  pump();
  await new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) acknowledged.push(Number(l));
      if (acknowledged.length >= killAfter && !child.killed) child.kill('SIGKILL');
    });
    child.on('close', () => resolve());
  });
  return acknowledged;
}

describe.each(STORE_KINDS)('crash safety on %s', (kind) => {
  let store: TestStore;
  let keyFile: string;

  beforeEach(async () => {
    store = await openTestStore(kind);
    keyFile = join(mkdtempSync(join(tmpdir(), 'glasshub-key-')), 'log.key');
  });
  afterEach(() => store.cleanup());

  it('keeps every acknowledged append through kill -9 and goes on consistently after a restart', async () => {
    const acknowledged = await appendUntilKilled(store.url, keyFile, 3000);
    expect(acknowledged.length).toBeGreaterThanOrEqual(3000);
    // Acknowledged indexes are 0, 1, 2, … in input order: nothing was printed before it was durable.
    expect(acknowledged).toEqual(acknowledged.map((_, i) => i));

    // A restart goes on from where the log was (which may be past the last acknowledged index).
    const more = Array.from({ length: 500 }, (_, i) => line(2_000_000 + i)).join('\n');
    const restarted = await runGlasshub(['log', 'append', '--db', store.url, '--key', keyFile], `${more}\n`);
    expect(restarted.code).toBe(0);
    const resumed = restarted.stdout.trim().split('\n').map(Number);
    expect(resumed).toHaveLength(500);
    expect(resumed[0]).toBeGreaterThanOrEqual(acknowledged.length);

    const key = loadOrCreateLogKey(keyFile);
    const log = await openLedger(store, key);
    const verifier = parseVerifierKey(key.vkey);
    const size = log.size;
    expect(size).toBe(resumed.at(-1)! + 1);
    // Every stored entry is the line of its index: those before the kill are lines 0.., the rest the new ones.
    const range = new CompactRange();
    for (let i = 0; i < size; i++) {
      const expected = i < resumed[0]! ? line(i) : line(2_000_000 + i - resumed[0]!);
      const got = await log.readEntry(i);
      expect(got.toString('utf8')).toBe(expected);
      range.append(hashLeaf(got));
    }
    const latest = openCheckpoint((await log.checkpoint()).note, verifier).checkpoint;
    expect(latest.size).toBe(size);
    expect(Buffer.from(latest.rootHash)).toEqual(range.root());
    // Every checkpoint ever published is consistent with the newest one.
    const sizes = (await store.db.selectFrom('log_checkpoints').select('size').orderBy('size').execute()).map((r) => Number(r.size));
    for (const s of sizes.filter((x) => x > 0)) {
      const cp = openCheckpoint((await log.checkpointAt(s))!.note, verifier).checkpoint;
      verifyConsistency(BigInt(s), BigInt(size), await log.consistencyProof(s, size), cp.rootHash, latest.rootHash);
    }
    await log.close();
  });
});
