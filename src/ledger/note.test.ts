import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LedgerError } from './errors.js';
import {
  MAX_NOTE_SIGNATURES,
  SIG_TYPE_ED25519,
  computeKeyId,
  decodeBase64,
  decodeSignerKey,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from './note.js';

// Test vectors of golang.org/x/mod/sumdb/note (note.go doc comment and note_test.go).
const peterSkey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterVkey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const enochVkey = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterB64 = 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
const enochB64 = 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';
const peterSig = `— PeterNeumann ${peterB64}\n`;
const enochSig = `— EnochRoot ${enochB64}\n`;

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof LedgerError) return e.code;
    throw e;
  }
  return undefined;
};

describe('keys', () => {
  it('parses the x/mod/sumdb/note keys and computes the same key IDs', () => {
    const v = parseVerifierKey(peterVkey);
    expect([v.name, v.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
    expect(computeKeyId('PeterNeumann', SIG_TYPE_ED25519, v.publicKey)).toBe(0xc74f20a3);
    const s = parseSignerKey(peterSkey);
    expect([s.name, s.keyId]).toEqual(['PeterNeumann', 0xc74f20a3]);
    expect(decodeSignerKey(peterSkey).publicKey).toEqual(v.publicKey);
  });

  it('rejects every substring and every one-byte mangling of a vkey and an skey (as note_test.go)', () => {
    for (const [key, parse] of [
      [peterVkey, parseVerifierKey],
      [peterSkey, parseSignerKey],
    ] as const) {
      for (let i = 0; i <= key.length; i++) {
        for (let j = i + 1; j <= key.length; j++) {
          if (i !== 0 || j !== key.length) expect(code(() => parse(key.slice(i, j)))).toBe('INVALID_ARGUMENT');
        }
      }
      for (let i = 0; i < key.length; i++) {
        const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
        expect(code(() => parse(mangled))).toBe('INVALID_ARGUMENT');
      }
    }
  });

  it('rejects a wrong-length key and an unknown algorithm even with a matching key ID (note_test.go)', () => {
    // note_test.go's wrong-length key ends in non-canonical base64 (Go tolerates trailing bits; we do not).
    expect(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toThrow(/canonical base64/);
    expect(() => parseVerifierKey('PeterNeumann+709c299f+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWQkFES0U=')).toThrow(/32 bytes/); // a canonical 38-byte key, key ID adjusted
    expect(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/type 0x65/);
  });

  it('generates key pairs that round-trip and sign', () => {
    const { skey, vkey } = generateSignerKey('example.com/log');
    expect(skey).toMatch(/^PRIVATE\+KEY\+example\.com\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    const note = signNote('hello\n', [parseSignerKey(skey)]);
    expect(openNote(note, [parseVerifierKey(vkey)]).text).toBe('hello\n');
    for (const name of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u2003b', 'a\x01b']) {
      expect(code(() => generateSignerKey(name))).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('signNote', () => {
  it('reproduces the x/mod/sumdb/note signed note byte for byte', () => {
    expect(new TextDecoder().decode(signNote(text, [parseSignerKey(peterSkey)]))).toBe(`${text}\n${peterSig}`);
  });

  it('rejects malformed text and signer lists', () => {
    const s = parseSignerKey(peterSkey);
    for (const bad of ['abc', '', '\n', 'a\rb\n', 'tab\there\n', 'lone \ud800\n']) expect(code(() => signNote(bad, [s]))).toBe('INVALID_NOTE');
    expect(code(() => signNote(text, []))).toBe('INVALID_ARGUMENT');
    expect(code(() => signNote(text, [s, s]))).toBe('INVALID_ARGUMENT');
    expect(code(() => signNote(text, [{ ...s, name: 'bad name' }]))).toBe('INVALID_ARGUMENT');
  });
});

describe('openNote', () => {
  const peter = parseVerifierKey(peterVkey);
  const enoch = parseVerifierKey(enochVkey);

  it('verifies the C2SP signed-note example', () => {
    const v = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
    expect(openNote(bytes(note), [v]).text).toBe('This is an example message.\n');
  });

  it('reports known keys as verified and unknown keys as unverified (note_test.go)', () => {
    const one = openNote(bytes(`${text}\n${peterSig}${enochSig}`), [peter]);
    expect(one.text).toBe(text);
    expect(one.signatures.map((s) => [s.name, s.keyId, s.base64])).toEqual([['PeterNeumann', 0xc74f20a3, peterB64]]);
    expect(one.unverified.map((s) => [s.name, s.keyId, s.base64])).toEqual([['EnochRoot', 0xaf0cfe78, enochB64]]);
    const both = openNote(bytes(`${text}\n${peterSig}${enochSig}`), [peter, enoch]);
    expect(both.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(both.unverified).toEqual([]);
    expect(code(() => openNote(bytes(`${text}\n${peterSig}${enochSig}`), []))).toBe('UNKNOWN_KEY');
  });

  it('ignores a key sharing only the name or only the ID of a known key', () => {
    const other = { name: 'PeterNeumann', keyId: 0xc74f20a4, verify: () => true };
    expect(code(() => openNote(bytes(`${text}\n${peterSig}`), [other]))).toBe('UNKNOWN_KEY');
    const renamed = { name: 'PeterNeuman', keyId: 0xc74f20a3, verify: () => true };
    expect(code(() => openNote(bytes(`${text}\n${peterSig}`), [renamed]))).toBe('UNKNOWN_KEY');
  });

  it('rejects ambiguous verifier lists', () => {
    expect(code(() => openNote(bytes(`${text}\n${peterSig}`), [enoch, peter, enoch]))).toBe('INVALID_ARGUMENT');
  });

  it('limits the number of signatures to 100', () => {
    expect(openNote(bytes(`${text}\n${peterSig.repeat(MAX_NOTE_SIGNATURES)}`), [peter]).signatures).toHaveLength(1);
    expect(code(() => openNote(bytes(`${text}\n${peterSig.repeat(101)}`), [peter]))).toBe('INVALID_NOTE');
    expect(code(() => openNote(bytes(`${text}\n${peterSig.repeat(101)}`), []))).toBe('INVALID_NOTE');
  });

  it('rejects an invalid signature by a known key, and deduplicates repeated lines', () => {
    const corrupt = (sig: string): string => `${sig.slice(0, 60)}ABCD${sig.slice(60)}`;
    expect(code(() => openNote(bytes(`${text}\n${corrupt(peterSig)}`), [peter]))).toBe('INVALID_SIGNATURE');
    // Stricter than x/mod/sumdb/note: a bad repeat of a known key's signature is not skipped.
    expect(code(() => openNote(bytes(`${text}\n${peterSig}${corrupt(peterSig)}`), [peter]))).toBe('INVALID_SIGNATURE');
    const n = openNote(bytes(`${text}\n${peterSig}${peterSig}${enochSig}${enochSig}${corrupt(enochSig)}`), [peter]);
    expect(n.signatures).toHaveLength(1);
    expect(n.unverified.map((s) => s.base64)).toEqual([enochB64, corrupt(enochSig).slice('— EnochRoot '.length, -1)]);
  });

  it('rejects malformed notes (note_test.go and more)', () => {
    const bad = [
      text,
      `${text}\n`,
      `${text}\n${peterSig.slice(0, -1)}`,
      `\x01${text}\n${peterSig}`,
      `${text}\n— Bad Name ${peterB64}`,
      `${text}\n${peterSig}Unexpected line.\n`,
      `${text}\n- PeterNeumann ${peterB64}\n`, // hyphen, not em dash
      `${text}\n—PeterNeumann ${peterB64}\n`,
      `${text}\n— PeterNeumann  ${peterB64}\n`,
      `${text}\n— PeterNeumann ${peterB64.slice(0, -1)}\n`, // unpadded
      `${text}\n— PeterNeumann ${peterB64.slice(0, -2)}N=\n`, // non-zero trailing bits
      `${text}\n— PeterNeumann AAAAAA==\n`, // 4 bytes: key ID without signature
      `${text}\n${peterSig}\n`,
      `\n\n${peterSig}`, // empty text
      `${text}\r\n${peterSig}`,
    ];
    for (const note of bad) expect([note, code(() => openNote(bytes(note), [peter]))]).toEqual([note, 'INVALID_NOTE']);
    for (const raw of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80]]) {
      const note = new Uint8Array([...raw, ...bytes(`${text}\n${peterSig}`)]);
      expect(code(() => openNote(note, [peter]))).toBe('INVALID_NOTE');
    }
  });

  it('fails on any changed byte', () => {
    const note = bytes(`${text}\n${peterSig}`);
    for (let i = 0; i < note.length; i++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const changed = note.slice();
        changed[i] = (changed[i] ?? 0) ^ mask;
        expect(code(() => openNote(changed, [peter]))).toMatch(/^(INVALID_NOTE|INVALID_SIGNATURE|UNKNOWN_KEY)$/);
      }
    }
  });

  it('keeps a leading byte order mark in the signed text', () => {
    const s = parseSignerKey(peterSkey);
    expect(openNote(signNote('\ufeffbom\n', [s]), [peter]).text).toBe('\ufeffbom\n');
  });

  it('round-trips any valid text (property)', () => {
    const { skey, vkey } = generateSignerKey('prop.example/log');
    const [s, v] = [parseSignerKey(skey), parseVerifierKey(vkey)];
    const line = fc.string({ unit: 'grapheme' }).map((l) => l.replace(/[\x00-\x1f]/g, '')); // eslint-disable-line no-control-regex
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const t = `${lines.join('\n')}\n`;
        fc.pre(t !== '\n');
        expect(openNote(signNote(t, [s]), [v]).text).toBe(t);
      }),
    );
  });

  it('never throws anything but a LedgerError on arbitrary input (property)', () => {
    const tail = fc.constantFrom('', `\n\n${peterSig}`, `\n${peterSig}`);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), tail, (junk, suffix) => {
        const note = new Uint8Array([...junk, ...bytes(suffix)]);
        expect(code(() => openNote(note, [peter]))).toBeDefined();
      }),
    );
  });
});

describe('decodeBase64', () => {
  it('accepts only canonical standard base64', () => {
    expect(decodeBase64('AQID')).toEqual(Uint8Array.of(1, 2, 3));
    for (const bad of ['AQI', 'AQJ=', 'AQ==AQ==', 'A-_=', ' AQID', 'AQID\n', 'AQ=']) expect(decodeBase64(bad)).toBeUndefined();
  });
});
