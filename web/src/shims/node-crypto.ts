/**
 * The part of node:crypto that src/ledger calls, for the browser build only (vite.config.ts aliases
 * node:crypto here): SHA-256 and Ed25519 from @noble (small, audited). Signing exists because note.ts and
 * cosignature.ts import it; the console only verifies. Verification is strict RFC 8032 (zip215: false),
 * like OpenSSL's, so the browser accepts exactly the signatures the server's auditor accepts.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer/index.js'; // the npm package (in Node, 'buffer' is the built-in)

type Bytes = Uint8Array;

class Sha256 {
  private readonly h = sha256.create();
  update(data: string | Bytes, encoding?: 'utf8'): this {
    if (typeof data === 'string' && encoding !== undefined && encoding !== 'utf8') throw new Error(`node:crypto shim: encoding ${String(encoding)} is not supported`);
    this.h.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    return this;
  }
  digest(): Buffer {
    return Buffer.from(this.h.digest());
  }
}

export function createHash(algorithm: string): Sha256 {
  if (algorithm !== 'sha256') throw new Error(`node:crypto shim: only sha256, not ${algorithm}`);
  return new Sha256();
}

/** One-shot SHA-256 (`crypto.hash`), as src/ledger/hash.ts calls it: the digest as a Buffer. */
export function hash(algorithm: string, data: Bytes, outputEncoding: 'buffer'): Buffer {
  if (algorithm !== 'sha256') throw new Error(`node:crypto shim: only sha256, not ${algorithm}`);
  if (outputEncoding !== 'buffer') throw new Error(`node:crypto shim: hash output ${String(outputEncoding)} is not supported`);
  return Buffer.from(sha256(data));
}

export function randomBytes(size: number): Buffer {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(size)));
}

// DER framing of Ed25519 keys (RFC 8410), as note.ts builds and reads them.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

interface Ed25519Key {
  readonly kind: 'private' | 'public';
  readonly bytes: Bytes; // the 32-byte seed or public key
  export(options: { format: 'der'; type: 'spki' }): Buffer;
}

function publicKeyObject(bytes: Bytes): Ed25519Key {
  return { kind: 'public', bytes, export: () => Buffer.concat([SPKI_PREFIX, bytes]) };
}

export function createPrivateKey(options: { key: Bytes; format: 'der'; type: 'pkcs8' }): Ed25519Key {
  const der = options.key;
  if (der.length !== PKCS8_PREFIX.length + 32 || !Buffer.from(der.subarray(0, PKCS8_PREFIX.length)).equals(PKCS8_PREFIX)) {
    throw new Error('node:crypto shim: only Ed25519 PKCS#8 keys');
  }
  const seed = der.slice(PKCS8_PREFIX.length);
  return { kind: 'private', bytes: seed, export: () => Buffer.concat([SPKI_PREFIX, ed25519.getPublicKey(seed)]) };
}

export function createPublicKey(input: Ed25519Key | { key: { kty: string; crv: string; x: string }; format: 'jwk' }): Ed25519Key {
  if ('kind' in input) return input.kind === 'public' ? input : publicKeyObject(ed25519.getPublicKey(input.bytes));
  const { kty, crv, x } = input.key;
  if (kty !== 'OKP' || crv !== 'Ed25519') throw new Error('node:crypto shim: only Ed25519 JWKs');
  const bytes = Buffer.from(x.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== 32) throw new Error('node:crypto shim: an Ed25519 public key is 32 bytes');
  return publicKeyObject(new Uint8Array(bytes));
}

export function sign(algorithm: null, message: Bytes, key: Ed25519Key): Buffer {
  if (algorithm !== null || key.kind !== 'private') throw new Error('node:crypto shim: Ed25519 signing needs a private key');
  return Buffer.from(ed25519.sign(message, key.bytes));
}

export function verify(algorithm: null, message: Bytes, key: Ed25519Key, signature: Bytes): boolean {
  if (algorithm !== null) throw new Error('node:crypto shim: Ed25519 only');
  try {
    return ed25519.verify(signature, message, key.bytes, { zip215: false });
  } catch {
    return false;
  }
}
