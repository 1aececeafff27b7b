import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AuditState } from './audit.js';
import { CompactRange } from './compact-range.js';
import { hashLeaf } from './hash.js';
import { formatTilePath, newTiles } from './tiles.js';
import { ORIGIN, auditFake as audit, entryOffset, failure, fakeLog, flipByte, type FakeLog } from '../../test/support/fake-log.js';

// Past 65,536 entries the log has a full level-1 tile and a level-2 tile: every kind of resumed row.
const N = 70_000;
const entry = (i: number, tag = 'a'): Buffer => Buffer.from(JSON.stringify({ i, tag, type: i % 2 === 0 ? 'even' : 'odd' }));

describe('auditLog from a saved state', () => {
  let fake: FakeLog;
  let leaves: Buffer[];
  /** The state an audit of the first `size` entries saves, computed independently. */
  const stateAt = (size: number): AuditState => {
    const range = new CompactRange();
    for (let i = 0; i < size; i++) range.append(leaves[i]!);
    return { origin: ORIGIN, size, rootHash: range.root().toString('base64'), compactRange: range.hashes.map((h) => h.toString('base64')) };
  };

  beforeAll(async () => {
    fake = await fakeLog();
    const entries = Array.from({ length: N }, (_, i) => entry(i));
    leaves = entries.map(hashLeaf);
    await fake.append(entries);
  });

  it('proves consistency and downloads only the tiles the new tree adds', async () => {
    const size = fc.integer({ min: 0, max: N });
    const examples: [number, number][] = [[300, 600], [255, 256], [256, 512], [65_535, 65_537], [65_536, N], [1000, 1000], [0, N], [N - 1, N], [17, 65_536]];
    await fc.assert(
      fc.asyncProperty(size, size, async (x, y) => {
        const [from, to] = x <= y ? [x, y] : [y, x];
        const requested: string[] = [];
        const report = await audit(fake, { state: stateAt(from), serve: { size: to, requested } });
        expect(report.state).toEqual(stateAt(to));
        expect(report).toMatchObject({ previousSize: from, entriesChecked: to - from, size: to });
        const added = [...newTiles(from, to)];
        const tiles = requested.filter((p) => /^tile\/\d/.test(p));
        const bundles = requested.filter((p) => p.startsWith('tile/entries/'));
        expect(tiles.sort()).toEqual(added.map((t) => formatTilePath(t)).sort());
        expect(bundles.sort()).toEqual(added.filter((t) => t.level === 0).map((t) => formatTilePath(t, 'entries')).sort());
        expect(requested.includes(`proof/consistency?from=${from}&to=${to}`)).toBe(from > 0 && from < to);
      }),
      { numRuns: 12, examples },
    );
  });

  it('resumes from a state that has no compact range by rebuilding the tree', async () => {
    const { origin, size, rootHash } = stateAt(500);
    const bare = { origin, size, rootHash };
    const report = await audit(fake, { state: bare, serve: { size: 800 } });
    expect(report).toMatchObject({ entriesChecked: 800, state: stateAt(800) });
  });

  it('names an old entry served differently after the saved size', async () => {
    const mutate = (path: string, body: Uint8Array): Uint8Array | undefined =>
      path === 'tile/entries/001' ? flipByte(body, Buffer.from(body).indexOf('"tag":"a"', entryOffset(body, 10)) + 7, 0x62) : undefined;
    const err = await failure(audit(fake, { state: stateAt(300), serve: { size: 600, mutate } }));
    expect(err.code).toBe('TAMPERED');
    expect(err.message).toBe('entry bundle 1 (tile/entries/001) entry 10 (index 266) changed since the audit of size 300');
  });

  it('names a tile whose hashes below the saved size changed', async () => {
    const mutate = (path: string, body: Uint8Array): Uint8Array | undefined => (path === 'tile/1/000' ? flipByte(body, 3 * 32) : undefined);
    const err = await failure(audit(fake, { state: stateAt(65_000), serve: { size: N, mutate } }));
    expect(err.message).toBe('tile 1/000 hashes 0..252 (below the saved size 65000) are not those of the audited tree');
  });

  describe('forks', () => {
    let other: FakeLog;
    beforeAll(async () => {
      // Same key, same first 200 entries, then another history.
      other = await fakeLog(fake.key);
      await other.append(Array.from({ length: 800 }, (_, i) => (i < 200 ? entry(i) : entry(i, 'b'))));
    });

    it('reports a larger tree that does not extend the saved one', async () => {
      const saved = stateAt(500);
      const err = await failure(audit(other, { state: saved, serve: { size: 800 } }));
      expect(err.code).toBe('FORK');
      expect(err.message).toMatch(new RegExp(`^fork: saved size 500 root ${escape(saved.rootHash)}, new size 800 root \\S+ does not extend it: `));
    });

    it('reports another root for the saved size, and a tree that shrank', async () => {
      const sameSize = await failure(audit(other, { state: stateAt(500), serve: { size: 500 } }));
      expect(sameSize.message).toMatch(/^fork: saved size 500 root \S+, new size 500 root \S+ has another root for the same size$/);
      const shrank = await failure(audit(fake, { state: stateAt(500), serve: { size: 400 } }));
      expect(shrank.code).toBe('FORK');
      expect(shrank.message).toMatch(/new size 400 root \S+ is smaller: the log shrank$/);
    });

    it('reports a malformed consistency proof as a fork', async () => {
      const mutate = (path: string): Uint8Array | undefined => (path.startsWith('proof/') ? Buffer.from('{"proof":["AA=="]}') : undefined);
      const err = await failure(audit(fake, { state: stateAt(500), serve: { size: 800, mutate } }));
      expect(err.code).toBe('FORK');
      expect(err.message).toMatch(/does not extend it: the consistency proof is malformed \(proof\[0\] is not base64 of 32 bytes\)$/);
    });
  });

  it('refuses a saved state that is corrupt or of another log', async () => {
    const state = stateAt(500);
    const corrupt = { ...state, compactRange: [...state.compactRange!].reverse() };
    expect((await failure(audit(fake, { state: corrupt }))).message).toBe('saved audit state is invalid: compactRange does not give rootHash');
    const otherLog = await failure(audit(fake, { state: { ...state, origin: 'elsewhere' } }));
    expect(otherLog.message).toBe('the saved state is of log "elsewhere", the checkpoint of "audit.test/log"');
  });
});

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
