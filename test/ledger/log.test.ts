import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompactRange,
  ENTRY_BUNDLE_LEVEL,
  LedgerError,
  decodeEntryBundle,
  hashChildren,
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  type TransparencyLog,
} from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger, type LogKey } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const entry = (i: number): Buffer => Buffer.from(JSON.stringify({ type: 'test', i, pad: 'x'.repeat(i % 300) }));

/**
 * Every interior stored with a tile is the tile's own subtree (row h: each group of 2^h of its hashes),
 * and only full tiles have one. Answers the levels and indexes of the tiles that have one.
 */
async function storedInteriors(store: TestStore): Promise<string[]> {
  const rows = await store.db.selectFrom('log_tiles').select(['level', 'idx', 'width', 'data', 'interior']).orderBy('level').orderBy('idx').execute();
  const kept: string[] = [];
  for (const row of rows) {
    if (row.interior === null) continue;
    expect(row.width, `tile ${row.level}/${row.idx}`).toBe(256);
    let below: Buffer[] = Array.from({ length: 256 }, (_, i) => Buffer.from(row.data).subarray(i * 32, (i + 1) * 32));
    const want: Buffer[] = [];
    for (let h = 1; h < 8; h++) {
      below = Array.from({ length: below.length / 2 }, (_, i) => hashChildren(below[2 * i]!, below[2 * i + 1]!));
      want.push(...below);
    }
    expect(Buffer.from(row.interior).equals(Buffer.concat(want)), `interior of tile ${row.level}/${row.idx}`).toBe(true);
    kept.push(`${row.level}/${row.idx}`);
  }
  return kept;
}

function naiveRoot(entries: readonly Uint8Array[]): Buffer {
  const range = new CompactRange();
  for (const e of entries) range.append(hashLeaf(e));
  return range.root();
}

describe.each(STORE_KINDS)('transparency log on %s', (kind) => {
  let store: TestStore;
  let key: LogKey;
  let log: TransparencyLog;

  beforeEach(async () => {
    store = await openTestStore(kind);
    key = loadOrCreateLogKey(join(mkdtempSync(join(tmpdir(), 'glasshub-key-')), 'log.key'), 'test.glasshub/log');
    log = await openLedger(store, key, { maxBatchSize: 300, maxDelayMs: 2 });
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  it('starts with a signed checkpoint of the empty tree', async () => {
    const cp = await log.checkpoint();
    const opened = openCheckpoint(cp.note, parseVerifierKey(key.vkey));
    expect(opened.checkpoint.size).toBe(0);
    expect(opened.checkpoint.origin).toBe('test.glasshub/log');
  });

  it('gives concurrent appends consecutive indexes and a root that matches the entries', async () => {
    const entries = Array.from({ length: 1500 }, (_, i) => entry(i));
    const indexes = await Promise.all(entries.map((e) => log.append(e)));
    expect(indexes).toEqual(entries.map((_, i) => i));
    const cp = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    expect(cp.size).toBe(1500);
    expect(Buffer.from(cp.rootHash)).toEqual(naiveRoot(entries));
    for (const i of [0, 255, 256, 1023, 1499]) expect(await log.readEntry(i)).toEqual(entries[i]);
  });

  it('stores tiles and entry bundles exactly as C2SP tlog-tiles defines them', async () => {
    const entries = Array.from({ length: 600 }, (_, i) => entry(i));
    await Promise.all(entries.map((e) => log.append(e)));
    const leaves = entries.map(hashLeaf);
    expect(await log.readTile(0, 0, 256)).toEqual(Buffer.concat(leaves.slice(0, 256)));
    expect(await log.readTile(0, 2, 88)).toEqual(Buffer.concat(leaves.slice(512, 600)));
    // A partial tile of a smaller width is a prefix of the stored one.
    expect(await log.readTile(0, 2, 10)).toEqual(Buffer.concat(leaves.slice(512, 522)));
    expect(await log.readTile(0, 2, 89)).toBeUndefined();
    const level1 = await log.readTile(1, 0, 2);
    expect(level1?.subarray(0, 32)).toEqual(naiveRoot(entries.slice(0, 256)));
    expect(level1?.subarray(32, 64)).toEqual(naiveRoot(entries.slice(256, 512)));
    const bundle = await log.readTile(ENTRY_BUNDLE_LEVEL, 1, 256);
    expect(decodeEntryBundle(bundle!, 256).map((b) => Buffer.from(b))).toEqual(entries.slice(256, 512));
  });

  it('serves inclusion and consistency proofs that verify against its checkpoints', async () => {
    const entries = Array.from({ length: 700 }, (_, i) => entry(i));
    await Promise.all(entries.slice(0, 333).map((e) => log.append(e)));
    const first = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    await Promise.all(entries.slice(333).map((e) => log.append(e)));
    const second = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    for (const i of [0, 1, 255, 256, 332, 500, 699]) {
      const proof = await log.inclusionProof(i, second.size);
      verifyInclusion(BigInt(i), BigInt(second.size), hashLeaf(entries[i]!), proof, second.rootHash);
    }
    const proof = await log.consistencyProof(first.size, second.size);
    verifyConsistency(BigInt(first.size), BigInt(second.size), proof, first.rootHash, second.rootHash);
    await expect(log.inclusionProof(0, 701)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an entry over 65,535 bytes and stores nothing for it', async () => {
    await expect(log.append(Buffer.alloc(65_536))).rejects.toBeInstanceOf(LedgerError);
    expect(await log.append(entry(0))).toBe(0);
  });

  it('goes on from where it was after a reopen', async () => {
    const entries = Array.from({ length: 520 }, (_, i) => entry(i));
    await Promise.all(entries.slice(0, 300).map((e) => log.append(e)));
    await log.close();
    log = await openLedger(store, key, { maxBatchSize: 64, maxDelayMs: 1 });
    const rest = await Promise.all(entries.slice(300).map((e) => log.append(e)));
    expect(rest[0]).toBe(300);
    const cp = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    expect(Buffer.from(cp.rootHash)).toEqual(naiveRoot(entries));
    // Tile 0 filled before the reopen, with its interior; tile 1 was begun before it and filled after, by
    // an edge that never saw its first merges: stored without one (proofs hash it themselves).
    expect(await storedInteriors(store)).toEqual(['0/0']);
    for (const i of [3, 300, 511]) verifyInclusion(BigInt(i), 520n, hashLeaf(entries[i]!), await log.inclusionProof(i, 520), cp.rootHash);
  });

  it('stores each tile it fills with the interior its merges made, for proofs to read', async () => {
    const entries = Array.from({ length: 1300 }, (_, i) => entry(i));
    await Promise.all(entries.map((e) => log.append(e)));
    expect(await storedInteriors(store)).toEqual(['0/0', '0/1', '0/2', '0/3', '0/4']);
    const cp = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    for (const i of [0, 255, 700, 1299]) verifyInclusion(BigInt(i), 1300n, hashLeaf(entries[i]!), await log.inclusionProof(i, 1300), cp.rootHash);
  });

  it('keeps indexes unique when two writers share the store', async () => {
    const other = await openLedger(store, key, { maxBatchSize: 50, maxDelayMs: 1 });
    const a = Array.from({ length: 400 }, (_, i) => entry(i));
    const b = Array.from({ length: 400 }, (_, i) => entry(10_000 + i));
    const [ia, ib] = await Promise.all([Promise.all(a.map((e) => log.append(e))), Promise.all(b.map((e) => other.append(e)))]);
    const all = [...ia, ...ib].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 800 }, (_, i) => i));
    const byIndex = new Map<number, Buffer>();
    ia.forEach((idx, i) => byIndex.set(idx, a[i]!));
    ib.forEach((idx, i) => byIndex.set(idx, b[i]!));
    const ordered = all.map((i) => byIndex.get(i)!);
    const cp = openCheckpoint((await log.checkpoint()).note, parseVerifierKey(key.vkey)).checkpoint;
    expect(cp.size).toBe(800);
    expect(Buffer.from(cp.rootHash)).toEqual(naiveRoot(ordered));
    await storedInteriors(store); // whichever writer filled a tile, what it stored is right
    await other.close();
  });

  it('closes while another task keeps appending: what was appended before lands, later appends are refused', async () => {
    const writer = await openLedger(store, key, { maxDelayMs: 1 });
    const results: Promise<number>[] = [];
    let refused: unknown;
    const busy = (async () => {
      for (let i = 0; ; i++) {
        const p = writer.append(entry(70_000 + i));
        results.push(p);
        try {
          await p;
        } catch (err) {
          refused = err;
          return;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writer.close();
    await busy;
    expect(refused).toMatchObject({ code: 'CLOSED' });
    const landed = (await Promise.allSettled(results)).filter((r) => r.status === 'fulfilled');
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBe(results.length - 1);
  });

  it("lands a second writer's entries while the first commits back to back", async () => {
    // A CLI beside the hub: each of its commits finds the head moved by the hub's last commit and retries.
    const cli = await openLedger(store, key, { maxDelayMs: 1 });
    let stop = false;
    let hub = 0;
    // Bounded: the hub stops by itself well before the test's timeout, so a starved CLI fails the test
    // instead of leaving the loop to append forever.
    const deadline = Date.now() + 20_000;
    const busy = (async () => {
      while (!stop && Date.now() < deadline) await log.append(entry(hub++));
    })();
    const landed: number[] = [];
    try {
      for (let i = 0; i < 10; i++) landed.push(await cli.append(entry(50_000 + i)));
    } finally {
      stop = true;
      await busy;
      await cli.close();
    }
    expect(Date.now() < deadline, 'the CLI landed its entries while the hub was still committing').toBe(true);
    expect(new Set(landed).size).toBe(10);
    expect(hub).toBeGreaterThan(0);
  });
});
