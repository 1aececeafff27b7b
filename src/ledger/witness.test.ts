import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashChildren, hashLeaf, EMPTY_ROOT } from './hash.js';
import { signCheckpoint } from './checkpoint.js';
import { generateWitnessKey, parseWitnessSignerKey, parseWitnessVerifierKey, verifyCosignature } from './cosignature.js';
import { generateSignerKey, openNote, parseSignerKey, parseVerifierKey } from './note.js';
import { consistencyProof, treeRoot, type NodeHashSource } from './proof.js';
import {
  MAX_ADD_CHECKPOINT_BODY,
  MemoryWitnessStorage,
  Witness,
  formatAddCheckpointRequest,
  originHash,
  parseAddCheckpointRequest,
  witnessedLogs,
  type WitnessResponse,
} from './witness.js';

const ORIGIN = 'example.com/log';
const NOW = 1_700_000_000;
const logKey = generateSignerKey(ORIGIN);
const logSigner = parseSignerKey(logKey.skey);
const stranger = parseSignerKey(generateSignerKey(ORIGIN).skey);
const witnessKey = generateWitnessKey('witness.example/w1');
const witnessVerifier = parseWitnessVerifierKey(witnessKey.vkey);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const leaves = (fork = -1): Buffer[] => Array.from({ length: 64 }, (_, i) => hashLeaf(enc(i === fork ? 'forked' : `entry ${i}`)));
const source = (ls: Buffer[]): NodeHashSource => {
  const node = (level: number, index: number): Buffer =>
    level === 0 ? ls[index]! : hashChildren(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
  return (level, index) => Promise.resolve(node(level, index));
};
const MAIN = source(leaves());
const FORK = source(leaves(5));
const root = (size: number, tree = MAIN): Promise<Buffer> => treeRoot(size, tree);
const note = async (size: number, tree = MAIN, signers = [logSigner], origin = ORIGIN): Promise<Uint8Array> =>
  signCheckpoint({ origin, size, rootHash: await root(size, tree) }, signers);
const request = async (old: number, size: number, tree = MAIN): Promise<Uint8Array> =>
  formatAddCheckpointRequest(old, old > 0 && old < size ? await consistencyProof(old, size, tree) : [], await note(size, tree));
const plain = (status: number, reason: string): WitnessResponse => ({ status, contentType: 'text/plain; charset=utf-8', body: `${reason}\n` });
const sizeConflict = (size: number): WitnessResponse => ({ status: 409, contentType: 'text/x.tlog.size', body: `${size}\n` });

describe('Witness.addCheckpoint (c2sp.org/tlog-witness)', () => {
  let storage: MemoryWitnessStorage;
  let witness: Witness;
  const add = async (body: Uint8Array | Promise<Uint8Array>): Promise<WitnessResponse> => witness.addCheckpoint(await body);

  beforeEach(() => {
    storage = new MemoryWitnessStorage();
    witness = new Witness({ signer: parseWitnessSignerKey(witnessKey.skey), logs: witnessedLogs([logKey.vkey]), storage, clock: () => NOW });
  });

  it('cosigns a first checkpoint, persists it, and serves it with the log signature and its cosignature', async () => {
    expect(await witness.checkpoint(originHash(ORIGIN))).toBeUndefined();
    const res = await add(request(0, 10));
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/plain; charset=utf-8');
    expect(res.body).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/=]+\n$/);
    const cpText = `${ORIGIN}\n10\n${(await root(10)).toString('base64')}\n`;
    expect(verifyCosignature(cpText, res.body, witnessVerifier)).toBe(NOW);
    expect((await storage.read(ORIGIN))?.size).toBe(10);

    const stored = await witness.checkpoint(originHash(ORIGIN));
    const opened = openNote(stored!, [parseVerifierKey(logKey.vkey), witnessVerifier]);
    expect(opened.signatures.map((s) => s.name)).toEqual([ORIGIN, 'witness.example/w1']);
    expect(opened.unverified).toEqual([]);
    expect(Buffer.from(stored!).toString('utf8').endsWith(res.body)).toBe(true);
    expect(await witness.checkpoint(originHash('other.example/log'))).toBeUndefined();
    expect(await witness.checkpoint('not-a-hash')).toBeUndefined();
  });

  it('goes on with consistency proofs, and re-cosigns the same checkpoint', async () => {
    expect((await add(request(0, 3))).status).toBe(200);
    expect((await add(request(3, 17))).status).toBe(200);
    expect((await add(request(17, 17))).status).toBe(200);
    expect((await add(request(17, 64))).status).toBe(200);
    expect((await storage.read(ORIGIN))?.size).toBe(64);
  });

  it('answers 404 for an unknown origin', async () => {
    const body = formatAddCheckpointRequest(0, [], await note(3, MAIN, [parseSignerKey(generateSignerKey('other.example/log').skey)], 'other.example/log'));
    expect(await add(body)).toEqual(plain(404, 'unknown log origin'));
  });

  it('answers 403 without a trusted signature or with a failing one, and ignores unknown keys', async () => {
    const untrusted = formatAddCheckpointRequest(0, [], await note(3, MAIN, [stranger]));
    expect(await add(untrusted)).toEqual(plain(403, 'no signature from a trusted key of this log'));
    const good = Buffer.from(await note(3)).toString('utf8');
    const [, head = '', b64 = ''] = /^([^]*\u2014 \S+ )(\S+)\n$/.exec(good) ?? [];
    const sig = Buffer.from(b64, 'base64');
    sig[sig.length - 1]! ^= 1;
    const tampered = enc(`${head}${sig.toString('base64')}\n`);
    expect(await add(formatAddCheckpointRequest(0, [], tampered))).toEqual(plain(403, 'a signature by a trusted key of this log does not verify'));
    expect(await storage.read(ORIGIN)).toBeUndefined();

    const both = formatAddCheckpointRequest(0, [], await note(3, MAIN, [stranger, logSigner]));
    expect((await add(both)).status).toBe(200);
    const stored = Buffer.from((await witness.checkpoint(originHash(ORIGIN)))!).toString('utf8');
    expect(stored.split('\n').filter((l) => l.startsWith('\u2014'))).toHaveLength(2); // the stranger's line is not kept
  });

  it('answers 400 when the old size is above the checkpoint size', async () => {
    expect(await add(formatAddCheckpointRequest(5, [], await note(3)))).toEqual(plain(400, 'old size 5 is greater than the checkpoint size 3'));
  });

  it('answers 409 with its size to a stale or unknown old size', async () => {
    expect(await add(request(1, 3))).toEqual(sizeConflict(0));
    expect((await add(request(0, 10))).status).toBe(200);
    expect(await add(request(0, 20))).toEqual(sizeConflict(10));
    expect(await add(request(5, 20))).toEqual(sizeConflict(10));
    expect(await add(request(12, 20))).toEqual(sizeConflict(10));
    expect((await add(request(10, 20))).status).toBe(200);
  });

  it('answers 422 to every consistency failure and never moves its state for one', async () => {
    const nonEmpty = signCheckpoint({ origin: ORIGIN, size: 0, rootHash: await root(1) }, logSigner);
    expect(await add(formatAddCheckpointRequest(0, [], nonEmpty))).toEqual(plain(422, 'a checkpoint of size 0 must have the root hash of the empty tree'));
    const empty = signCheckpoint({ origin: ORIGIN, size: 0, rootHash: EMPTY_ROOT }, logSigner);
    expect((await add(formatAddCheckpointRequest(0, [], empty))).status).toBe(200);
    const withProof = formatAddCheckpointRequest(0, [await root(1)], await note(8));
    expect(await add(withProof)).toEqual(plain(422, 'the consistency proof must be empty when the old size is 0'));

    expect((await add(request(0, 10))).status).toBe(200);
    // A forked tree (entry 5 differs): its honest-looking proof does not lead from what was cosigned.
    expect(await add(request(10, 20, FORK))).toEqual(plain(422, 'the consistency proof does not verify'));
    const wrongProof = formatAddCheckpointRequest(10, await consistencyProof(9, 20, MAIN), await note(20));
    expect(await add(wrongProof)).toEqual(plain(422, 'the consistency proof does not verify'));
    expect(await add(request(10, 10, FORK))).toEqual(plain(422, 'the root hash differs from the cosigned checkpoint of the same size'));
    const sameWithProof = formatAddCheckpointRequest(10, [await root(3)], await note(10));
    expect(await add(sameWithProof)).toEqual(plain(422, 'the consistency proof must be empty when the sizes are equal'));
    expect((await storage.read(ORIGIN))?.size).toBe(10);
    expect((await add(request(10, 20))).status).toBe(200);
  });

  it('never rolls back under concurrent requests: one wins, the others learn its size', async () => {
    expect((await add(request(0, 10))).status).toBe(200);
    const [big, small] = await Promise.all([add(request(10, 40)), add(request(10, 12))]);
    expect(big.status).toBe(200);
    expect(small).toEqual(sizeConflict(40));
    expect((await storage.read(ORIGIN))?.size).toBe(40);

    const sizes = [41, 63, 50, 45, 64, 42];
    const answers = await Promise.all(sizes.map((s) => add(request(40, s))));
    const winners = sizes.filter((_, i) => answers[i]!.status === 200);
    expect(winners).toHaveLength(1);
    expect((await storage.read(ORIGIN))?.size).toBe(winners[0]);
    answers.filter((a) => a.status !== 200).forEach((a) => expect(a).toEqual(sizeConflict(winners[0]!)));
  });

  it('answers 400 (413 when too large) to malformed bodies', async () => {
    const cp = Buffer.from(await note(3));
    const hash = (await root(1)).toString('base64');
    const cases: [string | Buffer, string][] = [
      ['', 'request body must start with newline-terminated old size and proof lines'],
      ['old 3', 'request body must start with newline-terminated old size and proof lines'],
      [Buffer.concat([Buffer.from('old 01\n\n'), cp]), 'the first line must be "old <size>", a decimal without leading zeroes'],
      [Buffer.concat([Buffer.from('old -1\n\n'), cp]), 'the first line must be "old <size>", a decimal without leading zeroes'],
      [Buffer.concat([Buffer.from('old 99999999999999999\n\n'), cp]), 'the first line must be "old <size>", a decimal without leading zeroes'],
      [Buffer.concat([Buffer.from('old 1\r\n\n'), cp]), 'the first line must be "old <size>", a decimal without leading zeroes'],
      [Buffer.concat([Buffer.from(`old 1\n${`${hash}\n`.repeat(64)}\n`), cp]), 'more than 63 consistency proof lines'],
      [Buffer.concat([Buffer.from('old 1\nAAAA\n\n'), cp]), 'a consistency proof line is not a base64 SHA-256 hash'],
      [`old 1\n${hash}\n`, 'request body must start with newline-terminated old size and proof lines'],
      ['old 0\n\n', 'the checkpoint note is missing'],
      [`old 0\n\n${ORIGIN}\n3\n${hash}\n`, 'the checkpoint note has no signature block'],
      [Buffer.concat([Buffer.from('old 0\n\n'), cp.subarray(0, cp.indexOf('\n\n') + 2)]), 'signature block must be non-empty and end with a newline'],
      [Buffer.concat([Buffer.from('old 0\n\nexample.com/'), Buffer.of(0xff), cp.subarray(cp.indexOf('\n'))]), 'the checkpoint note is not valid UTF-8'],
      [`old 0\n\n${ORIGIN}\n03\n${hash}\n\n\u2014 x AAAAAAAA\n`, 'size must be decimal without leading zeroes'],
    ];
    for (const [body, reason] of cases) {
      expect(await add(typeof body === 'string' ? enc(body) : new Uint8Array(body)), JSON.stringify(body.toString())).toEqual(plain(400, reason));
    }
    const huge = new Uint8Array(MAX_ADD_CHECKPOINT_BODY + 1);
    expect(await add(huge)).toEqual(plain(413, `request body is larger than ${MAX_ADD_CHECKPOINT_BODY} bytes`));
    expect(() => parseAddCheckpointRequest(huge)).toThrow(/larger than/);
  });

  it('never throws on hostile bodies: random bytes and mutations of valid requests', async () => {
    const valid = Buffer.from(await request(0, 10));
    const statuses = new Set([200, 400, 403, 404, 409, 413, 422]);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        expect(statuses.has((await witness.addCheckpoint(bytes)).status)).toBe(true);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), fc.boolean(), async (at, byte, cut) => {
        const mutated = Buffer.from(valid);
        mutated[at] = byte;
        const body = cut ? mutated.subarray(0, at) : mutated;
        const res = await witness.addCheckpoint(new Uint8Array(body));
        expect(statuses.has(res.status)).toBe(true);
        expect((await storage.read(ORIGIN))?.size ?? 10).toBe(10);
      }),
      { numRuns: 500 },
    );
  });

  it('formats what it parses', async () => {
    const proof = await consistencyProof(3, 17, MAIN);
    const cp = await note(17);
    const parsed = parseAddCheckpointRequest(formatAddCheckpointRequest(3, proof, cp));
    expect(parsed.oldSize).toBe(3);
    expect(parsed.proof.map((h) => Buffer.from(h))).toEqual(proof);
    expect(Buffer.from(parsed.note)).toEqual(Buffer.from(cp));
    expect(() => formatAddCheckpointRequest(-1, [], cp)).toThrow();
    expect(() => formatAddCheckpointRequest(0, [new Uint8Array(3)], cp)).toThrow();
  });
});
