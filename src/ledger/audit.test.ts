import { beforeAll, describe, expect, it } from 'vitest';
import type { Fetch } from './audit-http.js';
import { generateWitnessKey, parseWitnessSignerKey, witnessNoteSigner } from './cosignature.js';
import { hashLeaf } from './hash.js';
import { generateSignerKey } from './note.js';
import { tilesForTree } from './tiles.js';
import { ORIGIN, URL_PREFIX, auditFake as audit, entryOffset, failure, fakeLog, flipByte, serve, type FakeLog } from '../../test/support/fake-log.js';

const TYPES = ['access-decision', 'policy-version', 'operator-note'] as const;
const entry = (i: number): Buffer => Buffer.from(JSON.stringify({ i, note: 'abcdefgh', type: TYPES[i % 3] }));

/** A `mutate` hook that changes one path's body. */
const at = (path: string, change: (body: Uint8Array) => Uint8Array) => (p: string, body: Uint8Array) => (p === path ? change(body) : undefined);
/** Changes one letter of the note of entry `i` of a bundle: still JSON, still the same type. */
const alterEntry = (i: number) => (bundle: Uint8Array): Uint8Array => flipByte(bundle, Buffer.from(bundle).indexOf('abcdefgh', entryOffset(bundle, i)));

describe('auditLog', () => {
  let fake: FakeLog;
  beforeAll(async () => {
    fake = await fakeLog();
    await fake.append(Array.from({ length: 1300 }, (_, i) => entry(i)));
  });

  it('verifies a log from scratch, counting entries by type and downloading every tile once', async () => {
    const requested: string[] = [];
    const report = await audit(fake, { serve: { requested } });
    expect(report).toMatchObject({ size: 1300, previousSize: null, entriesChecked: 1300, witnesses: [] });
    expect(report.entriesByType).toEqual({ 'access-decision': 434, 'operator-note': 433, 'policy-version': 433 });
    expect(report.hashTilesDownloaded).toBe([...tilesForTree(1300)].length);
    expect(report.entryBundlesDownloaded).toBe(6);
    expect(new Set(requested).size).toBe(requested.length);
    expect(report.bytesDownloaded).toBeGreaterThan(1300 * 32);
    expect(report.state).toMatchObject({ origin: ORIGIN, size: 1300, rootHash: report.rootHash });
  });

  it('verifies the empty log and a log of one entry', async () => {
    const empty = await fakeLog();
    expect((await audit(empty)).size).toBe(0);
    await empty.append([entry(0)]);
    expect((await audit(empty)).entriesByType).toEqual({ 'access-decision': 1 });
  });

  it('names an entry that was altered in its bundle', async () => {
    const err = await failure(audit(fake, { serve: { mutate: at('tile/entries/003', alterEntry(17)) } }));
    expect(err.code).toBe('TAMPERED');
    expect(err.message).toMatch(/^entry bundle 3 \(tile\/entries\/003\) entry 17 \(index 785\) was altered/);
  });

  it('names a hash tile that does not match the entries', async () => {
    const err = await failure(audit(fake, { serve: { mutate: at('tile/0/001', (b) => flipByte(b, 4 * 32 + 7)) } }));
    expect(err.code).toBe('TAMPERED');
    expect(err.message).toMatch(/^tile 0\/001 hash 4 does not match entry 260 \(entry bundle 1/);
  });

  it('names a higher tile that does not match the hashes below it', async () => {
    const err = await failure(audit(fake, { serve: { mutate: at('tile/1/000.p/5', (b) => flipByte(b, 2 * 32)) } }));
    expect(err.message).toBe('tile 1/000.p/5 hash 2 does not match the hashes below it');
  });

  it('names entries altered together with their level-0 tile', async () => {
    let altered: Uint8Array = new Uint8Array();
    const mutate = (path: string, body: Uint8Array): Uint8Array | undefined => {
      if (path === 'tile/entries/002') {
        altered = alterEntry(5)(body);
        return altered;
      }
      if (path !== 'tile/0/002') return undefined;
      const copy = new Uint8Array(body);
      const start = entryOffset(altered, 5);
      copy.set(hashLeaf(altered.subarray(start, entryOffset(altered, 6) - 2)), 5 * 32);
      return copy;
    };
    const err = await failure(audit(fake, { concurrency: 1, serve: { mutate } }));
    expect(err.message).toMatch(/^entry bundles 2\.\.2 were altered with their tiles: they do not give tile 1\/000\.p\/5 hash 2/);
  });

  it("names a tree whose root is not the checkpoint's", async () => {
    const other = await fakeLog(fake.key);
    await other.append(Array.from({ length: 1300 }, (_, i) => entry(i + 1)));
    const note = new Uint8Array(await (await serve(other)(`${URL_PREFIX}checkpoint`)).arrayBuffer());
    const err = await failure(audit(fake, { serve: { checkpoint: () => note } }));
    expect(err.code).toBe('TAMPERED');
    expect(err.message).toMatch(/^the root computed from the entries, \S+, is not the checkpoint's \S+$/);
  });

  it('names a malformed bundle and a tile the log does not serve', async () => {
    const truncated = await failure(audit(fake, { serve: { mutate: at('tile/entries/000', (b) => b.subarray(0, 100)) } }));
    expect(truncated.message).toMatch(/^entry bundle 0 \(tile\/entries\/000\) is malformed: /);
    const short = await failure(audit(fake, { serve: { mutate: at('tile/0/004', (b) => b.subarray(1)) } }));
    expect(short.message).toBe('tile 0/004 is 8191 bytes, not 256 hashes');
    const missing: (inner: Fetch) => Fetch = (inner) => (url, init) =>
      url.endsWith('tile/0/002') ? Promise.resolve(new Response('gone', { status: 404 })) : inner(url, init);
    const err = await failure(audit(fake, { wrap: missing }));
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toBe(`tile/0/002: GET ${URL_PREFIX}tile/0/002 answered HTTP 404`);
  });

  it('retries a request that failed on the network', async () => {
    let failures = 0;
    const flaky: (inner: Fetch) => Fetch = (inner) => (url, init) =>
      url.endsWith('tile/0/003') && failures++ < 2 ? Promise.reject(new Error('ECONNRESET')) : inner(url, init);
    expect((await audit(fake, { wrap: flaky })).size).toBe(1300);
    expect(failures).toBe(3);
  });

  it('names an entry that does not parse, by its index', async () => {
    const raw = await fakeLog();
    await raw.append([...Array.from({ length: 290 }, (_, i) => entry(i)), Buffer.from([0xff, 0x00]), entry(291)]);
    const err = await failure(audit(raw));
    expect(err.code).toBe('INVALID_ENTRY');
    expect(err.message).toMatch(/^entry 290 \(entry bundle 1 \(tile\/entries\/001\.p\/36\) entry 34\) does not parse: /);
  });

  it('fails on the signature with a wrong key or an altered checkpoint', async () => {
    const wrongKey = await failure(audit(fake, { logKey: generateSignerKey('audit.test/log').vkey }));
    expect(wrongKey.code).toBe('INVALID_SIGNATURE');
    expect(wrongKey.message).toMatch(/^checkpoint signature invalid: /);
    const altered = await failure(audit(fake, { serve: { checkpoint: (note) => flipByte(note, note.indexOf(0x0a) + 1, 0x39) } }));
    expect(altered.message).toMatch(/^checkpoint signature invalid: /);
  });

  it('requires a quorum of witness cosignatures', async () => {
    const [w1, w2] = [generateWitnessKey('w1.test'), generateWitnessKey('w2.test')];
    const cosigner = witnessNoteSigner(parseWitnessSignerKey(w1.skey), () => 1_750_000_000);
    const oneCosigned = { signers: [fake.signer, cosigner] };
    const witnesses = [w1.vkey, w2.vkey];
    const err = await failure(audit(fake, { witnesses, serve: oneCosigned }));
    expect(err.code).toBe('NO_QUORUM');
    expect(err.message).toBe('only 1 of 2 witness cosignatures verify (quorum 2); missing or invalid: w2.test');
    expect((await audit(fake, { witnesses, quorum: 1, serve: oneCosigned })).witnesses).toEqual(['w1.test']);
    const forge = (note: Uint8Array): Uint8Array => flipByte(note, note.length - 20, note[note.length - 20] === 0x41 ? 0x42 : 0x41);
    const forged = { checkpoint: forge };
    expect((await failure(audit(fake, { witnesses: [w1.vkey], serve: { ...oneCosigned, ...forged } }))).code).toBe('NO_QUORUM');
  });
});
