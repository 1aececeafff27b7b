/**
 * C2SP signed notes (c2sp.org/signed-note@v1.0.0) with Ed25519 keys, and the vkey / skey text
 * encodings of golang.org/x/mod/sumdb/note, so that notes and keys interoperate byte for byte.
 * Note bytes and key strings come from the network or from configuration: they are hostile input,
 * parsed strictly and never trusted before a signature from a configured key has verified.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { LedgerError } from './errors.js';

/** signed-note §Signature types. */
export const SIG_TYPE_ED25519 = 0x01;
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;
/** signed-note §Format: verifiers SHOULD limit signatures (at least 16); x/mod/sumdb/note allows 100. */
export const MAX_NOTE_SIGNATURES = 100;
export const ED25519_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

/** RFC 8410 §7: PKCS#8 OneAsymmetricKey prefix wrapping a 32-byte Ed25519 seed; SPKI prefix of a public key. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX_LENGTH = 12;
const SIG_LINE_PREFIX = '\u2014 '; // em dash U+2014, space
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTROL_EXCEPT_NEWLINE = /[\x00-\x09\x0b-\x1f]/; // eslint-disable-line no-control-regex
const LONE_SURROGATE = /\p{Cs}/u;
const KEY_NAME_FORBIDDEN = /[\p{White_Space}+\x00-\x1f]/u; // eslint-disable-line no-control-regex
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `sign` signs the note text (final newline included), returning the bytes that follow the key ID. */
export interface NoteSigner { readonly name: string; readonly keyId: number; sign(text: Uint8Array): Uint8Array }
export interface NoteVerifier { readonly name: string; readonly keyId: number; verify(text: Uint8Array, signature: Uint8Array): boolean }
export interface Ed25519NoteVerifier extends NoteVerifier { readonly publicKey: Uint8Array }
/** `signature`: the bytes after the 4-byte key ID; `base64`: base64(key ID || signature) as in the line. */
export interface NoteSignature { readonly name: string; readonly keyId: number; readonly signature: Uint8Array; readonly base64: string }
/** `signatures`: one per configured key that verified; `unverified`: distinct lines by other keys, to pass on. */
export interface OpenedNote { readonly text: string; readonly signatures: readonly NoteSignature[]; readonly unverified: readonly NoteSignature[] }
export interface DecodedKey { readonly name: string; readonly keyId: number; readonly type: number; readonly publicKey: Uint8Array }
export interface DecodedSignerKey extends DecodedKey { readonly seed: Uint8Array }
export interface Ed25519KeyPair { readonly publicKey: Uint8Array; sign(message: Uint8Array): Uint8Array }

const fail = (code: 'INVALID_NOTE' | 'INVALID_ARGUMENT', message: string): never => {
  throw new LedgerError(code, message);
};

/** signed-note §Format: key names are non-empty, without Unicode spaces or '+'; control characters can never appear in a note. */
export function isValidKeyName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && !KEY_NAME_FORBIDDEN.test(name) && !LONE_SURROGATE.test(name);
}

/** RFC 4648 §4 standard base64, canonical only (padding required, zero trailing bits); undefined otherwise. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64');
  return bytes.toString('base64') === s ? new Uint8Array(bytes) : undefined;
}

export const encodeBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** signed-note §Signatures: key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  if (!isValidKeyName(name)) fail('INVALID_ARGUMENT', 'invalid key name');
  if (!Number.isInteger(type) || type < 0 || type > 255) fail('INVALID_ARGUMENT', 'signature type must be a byte');
  if (!(publicKey instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'public key must be bytes');
  const digest = createHash('sha256').update(name, 'utf8').update(Uint8Array.of(0x0a, type)).update(publicKey).digest();
  return digest.readUInt32BE(0);
}

const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/** RFC 8032 Ed25519 key pair from a 32-byte seed; the private key never leaves the closure. */
export function ed25519FromSeed(seed: Uint8Array): Ed25519KeyPair {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_KEY_SIZE) fail('INVALID_ARGUMENT', 'Ed25519 seed must be 32 bytes');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX_LENGTH));
  return { publicKey, sign: (message) => new Uint8Array(sign(null, message, key)) };
}

/** RFC 8032 §5.1.7 verification; false (never an exception) on any malformed key or signature. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') };
    return verify(null, message, createPublicKey({ key: jwk, format: 'jwk' }), signature);
  } catch {
    return false;
  }
}

/** The two supported types, both Ed25519 with the recommended key ID (signed-note §Signatures, tlog-cosignature §Format). */
function assertKeyMaterial(type: number, key: Uint8Array): void {
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) fail('INVALID_ARGUMENT', 'only signature types 0x01 and 0x04 are supported');
  if (!(key instanceof Uint8Array) || key.length !== ED25519_KEY_SIZE) fail('INVALID_ARGUMENT', 'Ed25519 keys are 32 bytes');
}

/** signed-note §Verifier keys: `<name>+<hex key ID>+base64(type || public key)`. */
export function encodeVerifierKey(name: string, type: number, publicKey: Uint8Array): string {
  assertKeyMaterial(type, publicKey);
  return `${name}+${hex8(computeKeyId(name, type, publicKey))}+${encodeBase64(Uint8Array.of(type, ...publicKey))}`;
}

/** Splits `<name>+<8 lowercase hex>+<base64(type || key)>`; the key material is 32 bytes for both supported types. */
function splitKey(s: string, allowedTypes: readonly number[]): { name: string; keyId: number; type: number; key: Uint8Array } {
  const first = s.indexOf('+');
  const second = s.indexOf('+', first + 1);
  if (first < 0 || second < 0) return fail('INVALID_ARGUMENT', 'key must have the form name+keyid+key');
  const [name, id, b64] = [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
  if (!isValidKeyName(name)) fail('INVALID_ARGUMENT', 'invalid key name');
  if (!/^[0-9a-f]{8}$/.test(id)) fail('INVALID_ARGUMENT', 'key ID must be 8 lowercase hex digits');
  const raw = decodeBase64(b64) ?? fail('INVALID_ARGUMENT', 'key material is not canonical base64');
  const type = raw[0] ?? -1;
  if (!allowedTypes.includes(type)) fail('INVALID_ARGUMENT', `unsupported signature type 0x${type.toString(16).padStart(2, '0')}`);
  assertKeyMaterial(type, raw.subarray(1));
  return { name, keyId: Number.parseInt(id, 16), type, key: raw.subarray(1) };
}

/** Parses a vkey of one of `allowedTypes`, checking that its key ID matches the name and key. */
export function decodeVerifierKey(vkey: string, allowedTypes: readonly number[] = [SIG_TYPE_ED25519]): DecodedKey {
  if (typeof vkey !== 'string') fail('INVALID_ARGUMENT', 'verifier key must be a string');
  const { name, keyId, type, key } = splitKey(vkey, allowedTypes);
  if (computeKeyId(name, type, key) !== keyId) fail('INVALID_ARGUMENT', 'key ID does not match name and key');
  return { name, keyId, type, publicKey: key };
}

/** x/mod/sumdb/note signer key: `PRIVATE+KEY+<name>+<hex key ID>+base64(type || seed)`. */
export function encodeSignerKey(name: string, type: number, seed: Uint8Array): string {
  assertKeyMaterial(type, seed);
  const { publicKey } = ed25519FromSeed(seed);
  return `PRIVATE+KEY+${name}+${hex8(computeKeyId(name, type, publicKey))}+${encodeBase64(Uint8Array.of(type, ...seed))}`;
}

/** Parses an skey; the key ID must match the public key derived from the seed. */
export function decodeSignerKey(skey: string, allowedTypes: readonly number[] = [SIG_TYPE_ED25519]): DecodedSignerKey {
  if (typeof skey !== 'string' || !skey.startsWith('PRIVATE+KEY+')) return fail('INVALID_ARGUMENT', 'signer key must start with PRIVATE+KEY+');
  const { name, keyId, type, key } = splitKey(skey.slice('PRIVATE+KEY+'.length), allowedTypes);
  const { publicKey } = ed25519FromSeed(key);
  if (computeKeyId(name, type, publicKey) !== keyId) fail('INVALID_ARGUMENT', 'key ID does not match name and key');
  return { name, keyId, type, publicKey, seed: key };
}

/** A fresh Ed25519 (type 0x01) key pair: the skey is secret, the vkey is given to verifiers. */
export function generateSignerKey(name: string): { skey: string; vkey: string } {
  if (!isValidKeyName(name)) fail('INVALID_ARGUMENT', 'invalid key name');
  const seed = new Uint8Array(randomBytes(ED25519_KEY_SIZE));
  const skey = encodeSignerKey(name, SIG_TYPE_ED25519, seed);
  return { skey, vkey: encodeVerifierKey(name, SIG_TYPE_ED25519, ed25519FromSeed(seed).publicKey) };
}

/** signed-note §Ed25519 signatures: a verifier over the note text. */
export function parseVerifierKey(vkey: string): Ed25519NoteVerifier {
  const { name, keyId, publicKey } = decodeVerifierKey(vkey, [SIG_TYPE_ED25519]);
  return { name, keyId, publicKey, verify: (text, signature) => ed25519Verify(publicKey, text, signature) };
}

export function parseSignerKey(skey: string): NoteSigner {
  const { name, keyId, seed } = decodeSignerKey(skey, [SIG_TYPE_ED25519]);
  const pair = ed25519FromSeed(seed);
  return { name, keyId, sign: (text) => pair.sign(text) };
}

/** signed-note §Signatures: `— <key name> base64(key ID || signature)` and a newline. */
export function formatSignatureLine(name: string, keyId: number, signature: Uint8Array): string {
  if (!isValidKeyName(name)) fail('INVALID_ARGUMENT', 'invalid key name');
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) fail('INVALID_ARGUMENT', 'key ID must be a uint32');
  if (!(signature instanceof Uint8Array) || signature.length === 0) fail('INVALID_ARGUMENT', 'signature must be non-empty bytes');
  const raw = Buffer.alloc(4 + signature.length);
  raw.writeUInt32BE(keyId, 0);
  raw.set(signature, 4);
  return `${SIG_LINE_PREFIX}${name} ${raw.toString('base64')}\n`;
}

/** Parses one signature line (without its newline), hostile input: `— <valid name> <canonical base64 of ≥ 5 bytes>`. */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string' || !line.startsWith(SIG_LINE_PREFIX)) fail('INVALID_NOTE', 'signature line must start with an em dash and a space');
  const rest = line.slice(SIG_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const [name, b64] = [rest.slice(0, space), rest.slice(space + 1)];
  if (space < 0 || !isValidKeyName(name)) fail('INVALID_NOTE', 'signature line has an invalid key name');
  const raw = decodeBase64(b64);
  if (raw === undefined || raw.length < 5) return fail('INVALID_NOTE', 'signature is not canonical base64 of at least 5 bytes');
  const keyId = Buffer.from(raw.buffer, raw.byteOffset, 4).readUInt32BE(0);
  return { name, keyId, signature: raw.subarray(4), base64: b64 };
}

/** Note text: ends in a newline, is not only a newline, has no control character but newline, encodes to UTF-8. */
export function assertNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) fail('INVALID_NOTE', 'note text must end with a newline');
  if (text === '\n') fail('INVALID_NOTE', 'note text is empty');
  if (CONTROL_EXCEPT_NEWLINE.test(text)) fail('INVALID_NOTE', 'note text contains a control character');
  if (LONE_SURROGATE.test(text)) fail('INVALID_NOTE', 'note text is not valid Unicode');
}

/** signed-note §Format: text, a blank line, one signature line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): Uint8Array {
  assertNoteText(text);
  if (!Array.isArray(signers) || signers.length === 0 || signers.length > MAX_NOTE_SIGNATURES) {
    fail('INVALID_ARGUMENT', `between 1 and ${MAX_NOTE_SIGNATURES} signers are required`);
  }
  const body = Buffer.from(text, 'utf8');
  const seen = new Set<string>();
  const lines = signers.map((s) => {
    const id = `${s.name}+${s.keyId}`;
    if (seen.has(id)) fail('INVALID_ARGUMENT', `duplicate signer ${s.name}`);
    seen.add(id);
    return formatSignatureLine(s.name, s.keyId, s.sign(new Uint8Array(body)));
  });
  return new Uint8Array(Buffer.from(`${text}\n${lines.join('')}`, 'utf8'));
}

/**
 * signed-note §Format and §Signatures. Throws INVALID_NOTE on any malformed note, INVALID_SIGNATURE if a
 * signature by a configured key (same name and key ID) fails, UNKNOWN_KEY if no configured key signed it.
 * Stricter than x/mod/sumdb/note: repeated signatures by a known key are all verified, base64 must be canonical.
 */
export function openNote(note: Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  if (!(note instanceof Uint8Array)) fail('INVALID_ARGUMENT', 'note must be bytes');
  if (!Array.isArray(verifiers)) fail('INVALID_ARGUMENT', 'verifiers must be an array');
  const known = new Map<string, NoteVerifier>();
  for (const v of verifiers) {
    if (!isValidKeyName(v.name) || !Number.isInteger(v.keyId) || typeof v.verify !== 'function') fail('INVALID_ARGUMENT', 'invalid verifier');
    if (known.has(`${v.name}+${v.keyId}`)) fail('INVALID_ARGUMENT', `ambiguous verifiers for ${v.name}+${hex8(v.keyId)}`);
    known.set(`${v.name}+${v.keyId}`, v);
  }
  const bytes = Buffer.from(note.buffer, note.byteOffset, note.byteLength);
  let decoded = '';
  try {
    decoded = utf8.decode(bytes); // fatal: rejects overlong forms, surrogates and truncated sequences
  } catch {
    fail('INVALID_NOTE', 'note is not valid UTF-8');
  }
  if (CONTROL_EXCEPT_NEWLINE.test(decoded)) fail('INVALID_NOTE', 'note contains a control character');
  // The text is separated from the signatures by the last blank line.
  const split = bytes.lastIndexOf('\n\n');
  if (split < 0) fail('INVALID_NOTE', 'note has no signature block');
  const textBytes = new Uint8Array(bytes.subarray(0, split + 1));
  const text = bytes.toString('utf8', 0, split + 1);
  if (text === '\n') fail('INVALID_NOTE', 'note text is empty');
  const block = bytes.toString('utf8', split + 2);
  if (block === '' || !block.endsWith('\n')) fail('INVALID_NOTE', 'signature block must be non-empty and end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) fail('INVALID_NOTE', `more than ${MAX_NOTE_SIGNATURES} signatures`);

  const [signatures, unverified]: [NoteSignature[], NoteSignature[]] = [[], []];
  const [seenKeys, seenLines] = [new Set<string>(), new Set<string>()];
  for (const line of lines) {
    const sig = parseSignatureLine(line);
    const { name, keyId } = sig;
    const verifier = known.get(`${name}+${keyId}`);
    if (verifier === undefined) {
      if (!seenLines.has(line)) unverified.push(sig);
      seenLines.add(line);
      continue;
    }
    if (!verifier.verify(textBytes, sig.signature)) throw new LedgerError('INVALID_SIGNATURE', `invalid signature for key ${name}+${hex8(keyId)}`);
    if (!seenKeys.has(`${name}+${keyId}`)) signatures.push(sig);
    seenKeys.add(`${name}+${keyId}`);
  }
  if (signatures.length === 0) throw new LedgerError('UNKNOWN_KEY', 'note has no signature from a known key');
  return { text, signatures, unverified };
}
