import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LedgerError } from './errors.js';
import { EMPTY_ROOT } from './hash.js';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { generateSignerKey, parseSignerKey, parseVerifierKey, signNote } from './note.js';

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof LedgerError) return e.code;
    throw e;
  }
  return undefined;
};
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

// The example of c2sp.org/tlog-checkpoint.
const specText = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
// A checkpoint published in a public test file (log signature said to be by golang.org/x/mod/sumdb/note, and a
// transparency-dev/formats cosignature); we checked independently that both signatures verify.
const vecLogVkey = 'example.com/vector-log+4516a1da+ARGkVJ4QEa2MOOLGBO6i7NVSJ1FQ97tIX+w+Ku0RZ6Em';
const vecText = 'example.com/vector-log\n1234\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n';
const vecLogLine = '— example.com/vector-log RRah2qlLrSlk6J8DA1HmNewppUM15Quhs5cAIb1KjBsV3otVirJTW8AFVsQtJkTW1Zny7GuoAxZpI6bUPcpM68QOIgE=\n';
const vecWitLine = '— witness.example.com/vector QW8QPQAAAABqwLUbDdj7sDNRIVjmjYgqFI6y4UJhPg/UAA8J8wAdqSd3q4PedRhkgXA4xFN/Jg5uWn7ZkBA+H/UHQs5d9hITdXmQAA==\n';

describe('parseCheckpoint', () => {
  it('parses the tlog-checkpoint example', () => {
    const cp = parseCheckpoint(specText);
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.size).toBe(20852163);
    expect(Buffer.from(cp.rootHash).toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(cp.extensions).toEqual([]);
    expect(formatCheckpoint(cp)).toBe(specText);
  });

  it('keeps extension lines and the empty tree', () => {
    const cp = parseCheckpoint(`${specText}ext one\n— not a signature\n`);
    expect(cp.extensions).toEqual(['ext one', '— not a signature']);
    const empty = formatCheckpoint({ origin: 'o', size: 0, rootHash: EMPTY_ROOT });
    expect(parseCheckpoint(empty).size).toBe(0);
  });

  it('rejects malformed checkpoints, naming the reason', () => {
    const root = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';
    const cases: [string, RegExp][] = [
      ['o\n1\n' + root, /newline/],
      ['o\n1\n', /origin, size and root/],
      [`\n1\n${root}\n`, /origin line is empty/],
      [`o\n01\n${root}\n`, /leading zeroes/],
      [`o\n00\n${root}\n`, /leading zeroes/],
      [`o\n-1\n${root}\n`, /decimal/],
      [`o\n+1\n${root}\n`, /decimal/],
      [`o\n 1\n${root}\n`, /decimal/],
      [`o\n1.0\n${root}\n`, /decimal/],
      [`o\n\n${root}\n`, /decimal/],
      [`o\n٣\n${root}\n`, /decimal/],
      [`o\n9007199254740992\n${root}\n`, /MAX_SAFE_INTEGER/],
      [`o\n12345678901234567890\n${root}\n`, /MAX_SAFE_INTEGER/],
      [`o\n1\n${root.slice(0, -1)}\n`, /root hash/],
      [`o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n`, /root hash/], // non-zero trailing bits
      [`o\n1\n${Buffer.alloc(31).toString('base64')}\n`, /root hash/],
      [`o\n1\n${Buffer.alloc(33).toString('base64')}\n`, /root hash/],
      [`o\n1\n${root}\n\n`, /extension lines must be non-empty/],
      [`o\n1\n${root}\n\nx\n`, /extension lines must be non-empty/],
      [`o\r\n1\n${root}\n`, /control character/],
      [`o\t\n1\n${root}\n`, /control character/],
    ];
    for (const [text, reason] of cases) {
      expect(() => parseCheckpoint(text), text).toThrow(reason);
      expect(code(() => parseCheckpoint(text))).toBe('INVALID_CHECKPOINT');
    }
  });

  it('round-trips (property)', () => {
    const line = fc.string({ unit: 'grapheme', minLength: 1 }).filter((l) => !/[\x00-\x1f]/.test(l)); // eslint-disable-line no-control-regex
    fc.assert(
      fc.property(line, fc.maxSafeNat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.array(line, { maxLength: 3 }), (origin, size, rootHash, extensions) => {
        const cp = { origin, size, rootHash, extensions };
        expect(parseCheckpoint(formatCheckpoint(cp))).toEqual(cp);
      }),
    );
  });

  it('never throws anything but a LedgerError (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
        const c = code(() => parseCheckpoint(text));
        expect(c === undefined || c === 'INVALID_CHECKPOINT').toBe(true);
      }),
    );
  });
});

describe('formatCheckpoint', () => {
  it('asserts every input', () => {
    const rootHash = EMPTY_ROOT;
    for (const bad of [
      { origin: '', size: 0, rootHash },
      { origin: 'a\nb', size: 0, rootHash },
      { origin: 'a\x00', size: 0, rootHash },
      { origin: 'o', size: -1, rootHash },
      { origin: 'o', size: 1.5, rootHash },
      { origin: 'o', size: 2 ** 53, rootHash },
      { origin: 'o', size: 0, rootHash: rootHash.subarray(1) },
      { origin: 'o', size: 0, rootHash, extensions: [''] },
      { origin: 'o', size: 0, rootHash, extensions: ['a\nb'] },
    ]) {
      expect(code(() => formatCheckpoint(bad))).toBe('INVALID_CHECKPOINT');
    }
  });
});

describe('signCheckpoint / openCheckpoint', () => {
  const { skey, vkey } = generateSignerKey('example.com/log');
  const signer = parseSignerKey(skey);
  const verifier = parseVerifierKey(vkey);
  const cp = { origin: 'example.com/log', size: 42, rootHash: new Uint8Array(EMPTY_ROOT) };

  it('round-trips and returns the parsed checkpoint', () => {
    const opened = openCheckpoint(signCheckpoint(cp, signer), verifier);
    expect(opened.checkpoint).toEqual({ ...cp, extensions: [] });
    expect(opened.signatures.map((s) => s.name)).toEqual(['example.com/log']);
  });

  it('opens a third-party checkpoint, cosignature left unverified', () => {
    const opened = openCheckpoint(bytes(`${vecText}\n${vecLogLine}${vecWitLine}`), parseVerifierKey(vecLogVkey));
    expect(opened.checkpoint.size).toBe(1234);
    expect(opened.unverified.map((s) => s.name)).toEqual(['witness.example.com/vector']);
  });

  it('rejects another origin, another key, a changed checkpoint and a non-checkpoint', () => {
    expect(code(() => openCheckpoint(signCheckpoint({ ...cp, origin: 'example.com/other' }, signer), verifier))).toBe('INVALID_CHECKPOINT');
    expect(openCheckpoint(signCheckpoint({ ...cp, origin: 'other' }, signer), verifier, 'other').checkpoint.origin).toBe('other');
    const stranger = parseVerifierKey(generateSignerKey('example.com/log').vkey);
    expect(code(() => openCheckpoint(signCheckpoint(cp, signer), stranger))).toBe('UNKNOWN_KEY');
    const note = Buffer.from(signCheckpoint(cp, signer)).toString('utf8').replace('\n42\n', '\n43\n');
    expect(code(() => openCheckpoint(bytes(note), verifier))).toBe('INVALID_SIGNATURE');
    expect(code(() => openCheckpoint(signNote('not a checkpoint\n', [signer]), verifier))).toBe('INVALID_CHECKPOINT');
    expect(code(() => openCheckpoint(bytes('x\n'), verifier))).toBe('INVALID_NOTE');
  });
});
