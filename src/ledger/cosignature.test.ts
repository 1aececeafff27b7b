import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LedgerError } from './errors.js';
import { EMPTY_ROOT } from './hash.js';
import { formatCheckpoint } from './checkpoint.js';
import {
  cosign,
  cosignatureTimestamp,
  cosignedMessage,
  encodeWitnessVerifierKey,
  generateWitnessKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
  verifyCosignature,
  witnessNoteSigner,
} from './cosignature.js';
import { decodeBase64, generateSignerKey, openNote, parseSignerKey, parseVerifierKey, signNote } from './note.js';

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

// c2sp.org/tlog-cosignature examples.
const specText = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const specCosig = 'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
// A vector published in a public test file, said to come from transparency-dev/formats NewSignerForCosignatureV1;
// we checked independently that it verifies. Ed25519 is deterministic, so our signer must reproduce it exactly.
const vecWitSkey = 'PRIVATE+KEY+witness.example.com/vector+416f103d+BJEX3xv88eoQIKT4E+GkxZcXaJCYlQfi/GJ3NDFmZIW8';
const vecWitVkey = 'witness.example.com/vector+416f103d+BK/QmJFVP3SKJOqAMhFxBQPtylo3sjwWibyFDAlZKK8B';
const vecLogVkey = 'example.com/vector-log+4516a1da+ARGkVJ4QEa2MOOLGBO6i7NVSJ1FQ97tIX+w+Ku0RZ6Em';
const vecText = 'example.com/vector-log\n1234\nSBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=\n';
const vecLogLine = '— example.com/vector-log RRah2qlLrSlk6J8DA1HmNewppUM15Quhs5cAIb1KjBsV3otVirJTW8AFVsQtJkTW1Zny7GuoAxZpI6bUPcpM68QOIgE=\n';
const vecWitLine = '— witness.example.com/vector QW8QPQAAAABqwLUbDdj7sDNRIVjmjYgqFI6y4UJhPg/UAA8J8wAdqSd3q4PedRhkgXA4xFN/Jg5uWn7ZkBA+H/UHQs5d9hITdXmQAA==\n';
const vecTime = 1791014171;

describe('cosignature/v1 message and encoding', () => {
  it('signs exactly the message of the spec example', () => {
    const message = new TextDecoder().decode(cosignedMessage(specText, 1679315147));
    expect(message).toBe(`cosignature/v1\ntime 1679315147\n${specText}`);
  });

  it('reads key ID and timestamp of the spec example cosignature', () => {
    const raw = decodeBase64(specCosig)!;
    expect(raw).toHaveLength(4 + 8 + 64);
    expect(Buffer.from(raw.subarray(0, 4)).toString('hex')).toBe('8d66cf3f');
    expect(cosignatureTimestamp(raw.subarray(4))).toBe(1679315147);
  });

  it('computes the 0x04 key ID of a published witness vkey (transparency-dev/formats tests)', () => {
    const v = parseWitnessVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
    expect([v.name, v.keyId]).toEqual(['remora.n621.de', 0xda77ade7]);
    expect(encodeWitnessVerifierKey(v.name, v.publicKey)).toBe('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
  });
});

describe('cross-implementation vector', () => {
  const witness = parseWitnessVerifierKey(vecWitVkey);

  it('verifies the third-party cosignature and returns its timestamp', () => {
    expect(witness.keyId).toBe(0x416f103d);
    expect(verifyCosignature(vecText, vecWitLine, witness)).toBe(vecTime);
    expect(verifyCosignature(vecText, vecWitLine.slice(0, -1), witness)).toBe(vecTime);
  });

  it('reproduces it byte for byte', () => {
    expect(cosign(vecText, parseWitnessSignerKey(vecWitSkey), vecTime)).toBe(vecWitLine);
  });

  it('plugs into openNote next to the log key', () => {
    const n = openNote(bytes(`${vecText}\n${vecLogLine}${vecWitLine}`), [parseVerifierKey(vecLogVkey), witness]);
    expect(n.signatures.map((s) => s.name)).toEqual(['example.com/vector-log', 'witness.example.com/vector']);
    expect(cosignatureTimestamp(n.signatures[1]!.signature)).toBe(vecTime);
  });

  it('fails on a changed checkpoint, timestamp or signature byte', () => {
    expect(code(() => verifyCosignature(vecText.replace('1234', '1235'), vecWitLine, witness))).toBe('INVALID_SIGNATURE');
    const raw = Buffer.from(decodeBase64(vecWitLine.slice('— witness.example.com/vector '.length, -1))!);
    for (let i = 4; i < raw.length; i++) {
      const changed = Buffer.from(raw);
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      expect(code(() => verifyCosignature(vecText, `— witness.example.com/vector ${changed.toString('base64')}`, witness))).toBe('INVALID_SIGNATURE');
    }
    for (let i = 0; i < 4; i++) {
      const changed = Buffer.from(raw);
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      expect(code(() => verifyCosignature(vecText, `— witness.example.com/vector ${changed.toString('base64')}`, witness))).toBe('UNKNOWN_KEY');
    }
    expect(code(() => verifyCosignature(vecText, vecWitLine.replace('vector', 'vectors'), witness))).toBe('UNKNOWN_KEY');
  });

  it('rejects malformed lines and non-checkpoints', () => {
    for (const line of ['', 'QW8Q', `- witness.example.com/vector ${'A'.repeat(100)}==`, vecWitLine.replace('— ', '—'), vecWitLine.replace('==\n', '=\n'), `${vecWitLine}\n`]) {
      expect(code(() => verifyCosignature(vecText, line, witness))).toBe('INVALID_NOTE');
    }
    expect(code(() => verifyCosignature('hello\n', vecWitLine, witness))).toBe('INVALID_CHECKPOINT');
    expect(code(() => cosign('hello\n', parseWitnessSignerKey(vecWitSkey), 1))).toBe('INVALID_CHECKPOINT');
  });
});

describe('witness keys', () => {
  it('keeps log keys (0x01) and witness keys (0x04) apart', () => {
    expect(code(() => parseWitnessVerifierKey(vecLogVkey))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseVerifierKey(vecWitVkey))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseWitnessSignerKey(generateSignerKey('x').skey))).toBe('INVALID_ARGUMENT');
    expect(code(() => parseSignerKey(vecWitSkey))).toBe('INVALID_ARGUMENT');
    // The same public key relabelled as type 0x01: the key ID (computed over 0x04) no longer matches.
    expect(() => parseVerifierKey(vecWitVkey.replace('+BK/', '+Aa/'))).toThrow(/key ID does not match/);
  });

  it('generates keys that cosign and verify at any timestamp (property)', () => {
    const { skey, vkey } = generateWitnessKey('witness.example/w1');
    const [signer, verifier] = [parseWitnessSignerKey(skey), parseWitnessVerifierKey(vkey)];
    expect(verifier.keyId).toBe(signer.keyId);
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (size, time) => {
        const text = formatCheckpoint({ origin: 'example.com/log', size, rootHash: EMPTY_ROOT });
        expect(verifyCosignature(text, cosign(text, signer, time), verifier)).toBe(time);
      }),
      { numRuns: 50 },
    );
  });

  it('signs notes through witnessNoteSigner with the clock time', () => {
    const { skey, vkey } = generateWitnessKey('witness.example/w2');
    const note = signNote(specText, [witnessNoteSigner(parseWitnessSignerKey(skey), () => 1700000000)]);
    const n = openNote(note, [parseWitnessVerifierKey(vkey)]);
    expect(cosignatureTimestamp(n.signatures[0]!.signature)).toBe(1700000000);
  });

  it('rejects timestamps no JavaScript number can carry and malformed times', () => {
    const signer = parseWitnessSignerKey(vecWitSkey);
    for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) expect(code(() => cosign(vecText, signer, t))).toBe('INVALID_ARGUMENT');
    const raw = new Uint8Array(72);
    raw.fill(0xff, 0, 8);
    expect(code(() => cosignatureTimestamp(raw))).toBe('INVALID_SIGNATURE');
    expect(code(() => cosignatureTimestamp(new Uint8Array(71)))).toBe('INVALID_SIGNATURE');
    expect(parseWitnessVerifierKey(vecWitVkey).verify(bytes(vecText), raw)).toBe(false);
  });
});
