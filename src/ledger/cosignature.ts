/**
 * Ed25519 checkpoint cosignatures, c2sp.org/tlog-cosignature (cosignature/v1, signature type 0x04).
 * A cosignature is a signed-note signature line whose bytes are
 *   key ID (4) || timestamp (8, big-endian POSIX seconds) || Ed25519 signature (64)
 * over the message `cosignature/v1\ntime <timestamp>\n` || checkpoint note text (§Ed25519 signed message).
 * Signature lines come from witnesses over the network: they are parsed strictly.
 */
import { randomBytes } from 'node:crypto';
import { LedgerError } from './errors.js';
import { parseCheckpoint } from './checkpoint.js';
import {
  ED25519_KEY_SIZE,
  ED25519_SIGNATURE_SIZE,
  SIG_TYPE_COSIGNATURE_V1,
  assertNoteText,
  decodeSignerKey,
  decodeVerifierKey,
  ed25519FromSeed,
  ed25519Verify,
  encodeSignerKey,
  encodeVerifierKey,
  formatSignatureLine,
  isValidKeyName,
  parseSignatureLine,
} from './note.js';
import type { NoteSigner, NoteVerifier } from './note.js';

/** §Format: timestamped_signature = u64 timestamp || ed25519_signature[64]. */
export const COSIGNATURE_SIZE = 8 + ED25519_SIGNATURE_SIZE;

export interface WitnessSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** Returns timestamp (8 bytes, big-endian) || Ed25519 signature of the cosigned message. */
  signAt(checkpointText: Uint8Array, timeSeconds: number): Uint8Array;
}

/** A note verifier for cosignature/v1: usable with openNote as well as verifyCosignature. */
export interface WitnessVerifier extends NoteVerifier {
  readonly publicKey: Uint8Array;
}

const encoder = new TextEncoder();

function assertTime(timeSeconds: number): void {
  if (!Number.isSafeInteger(timeSeconds) || timeSeconds < 0) {
    throw new LedgerError('INVALID_ARGUMENT', 'timestamp must be a non-negative safe integer of seconds');
  }
}

/**
 * §Ed25519 signed message: `cosignature/v1\n`, `time <decimal, no leading zeroes>\n`, then the whole checkpoint
 * note text including its final newline (extension lines too), without the signature lines.
 */
export function cosignedMessage(checkpointText: string | Uint8Array, timeSeconds: number): Uint8Array {
  assertTime(timeSeconds);
  const text = typeof checkpointText === 'string' ? encoder.encode(checkpointText) : checkpointText;
  if (!(text instanceof Uint8Array)) throw new LedgerError('INVALID_ARGUMENT', 'checkpoint text must be a string or bytes');
  const header = encoder.encode(`cosignature/v1\ntime ${timeSeconds}\n`);
  const message = new Uint8Array(header.length + text.length);
  message.set(header);
  message.set(text, header.length);
  return message;
}

/** Reads the timestamp of a cosignature (the signature bytes after the key ID); rejects what no signer may produce. */
export function cosignatureTimestamp(signature: Uint8Array): number {
  if (!(signature instanceof Uint8Array) || signature.length !== COSIGNATURE_SIZE) {
    throw new LedgerError('INVALID_SIGNATURE', `a cosignature/v1 signature is ${COSIGNATURE_SIZE} bytes after the key ID`);
  }
  const time = Buffer.from(signature.buffer, signature.byteOffset, 8).readBigUInt64BE(0);
  // §Format: MUST NOT exceed 2^63 - 1; beyond 2^53 - 1 seconds (year 285 million) it is a future timestamp,
  // which verifiers MAY reject, and which a JavaScript number could not carry exactly.
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) throw new LedgerError('INVALID_SIGNATURE', 'cosignature timestamp out of range');
  return Number(time);
}

function witnessVerifier(name: string, keyId: number, publicKey: Uint8Array): WitnessVerifier {
  const verify = (text: Uint8Array, signature: Uint8Array): boolean => {
    let time: number;
    try {
      time = cosignatureTimestamp(signature);
    } catch {
      return false;
    }
    return ed25519Verify(publicKey, cosignedMessage(text, time), signature.subarray(8));
  };
  return { name, keyId, publicKey, verify };
}

/** §Format: Ed25519 cosigner keys MAY be vkeys of type 0x04 (key ID over 0x04 || public key). */
export function encodeWitnessVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ED25519_KEY_SIZE) {
    throw new LedgerError('INVALID_ARGUMENT', 'Ed25519 public key must be 32 bytes');
  }
  return encodeVerifierKey(name, SIG_TYPE_COSIGNATURE_V1, publicKey);
}

/** Parses a type 0x04 vkey; a plain Ed25519 (0x01) log key is rejected: the key ID would differ. */
export function parseWitnessVerifierKey(vkey: string): WitnessVerifier {
  const { name, keyId, publicKey } = decodeVerifierKey(vkey, [SIG_TYPE_COSIGNATURE_V1]);
  return witnessVerifier(name, keyId, publicKey);
}

/** Parses `PRIVATE+KEY+<name>+<key ID>+base64(0x04 || seed)`, the skey form of a cosignature/v1 key. */
export function parseWitnessSignerKey(skey: string): WitnessSigner {
  const { name, keyId, seed } = decodeSignerKey(skey, [SIG_TYPE_COSIGNATURE_V1]);
  const pair = ed25519FromSeed(seed);
  const signAt = (text: Uint8Array, timeSeconds: number): Uint8Array => {
    const signature = pair.sign(cosignedMessage(text, timeSeconds)); // asserts the time first
    const out = new Uint8Array(COSIGNATURE_SIZE);
    Buffer.from(out.buffer).writeBigUInt64BE(BigInt(timeSeconds), 0);
    out.set(signature, 8);
    return out;
  };
  return { name, keyId, publicKey: pair.publicKey, signAt };
}

export function generateWitnessKey(name: string): { skey: string; vkey: string } {
  if (!isValidKeyName(name)) throw new LedgerError('INVALID_ARGUMENT', 'invalid key name');
  const seed = new Uint8Array(randomBytes(ED25519_KEY_SIZE));
  return {
    skey: encodeSignerKey(name, SIG_TYPE_COSIGNATURE_V1, seed),
    vkey: encodeWitnessVerifierKey(name, ed25519FromSeed(seed).publicKey),
  };
}

/** Cosigns checkpoint note text at `timeSeconds`, returning the note signature line (with its newline). */
export function cosign(checkpointText: string, signer: WitnessSigner, timeSeconds: number): string {
  parseCheckpoint(checkpointText); // a witness never signs anything but a well-formed checkpoint
  assertTime(timeSeconds);
  const signature = signer.signAt(encoder.encode(checkpointText), timeSeconds);
  return formatSignatureLine(signer.name, signer.keyId, signature);
}

/** A NoteSigner for signNote that cosigns with the time given by `clock` (POSIX seconds). */
export function witnessNoteSigner(signer: WitnessSigner, clock: () => number): NoteSigner {
  return { name: signer.name, keyId: signer.keyId, sign: (text) => signer.signAt(text, clock()) };
}

/**
 * Verifies one cosignature line (`— <name> <base64>`, final newline optional) over checkpoint note text.
 * Returns the cosignature's timestamp; throws UNKNOWN_KEY if the line is by another key, INVALID_SIGNATURE if it fails.
 */
export function verifyCosignature(checkpointText: string, signatureLine: string, verifier: WitnessVerifier): number {
  parseCheckpoint(checkpointText);
  if (typeof signatureLine !== 'string') throw new LedgerError('INVALID_NOTE', 'signature line must be a string');
  const line = signatureLine.endsWith('\n') ? signatureLine.slice(0, -1) : signatureLine;
  assertNoteText(`${line}\n`); // no newline or other control character inside the line
  const { name, keyId, signature } = parseSignatureLine(line);
  if (name !== verifier.name || keyId !== verifier.keyId) {
    throw new LedgerError('UNKNOWN_KEY', `signature is not by ${verifier.name}`);
  }
  if (!verifier.verify(encoder.encode(checkpointText), signature)) {
    throw new LedgerError('INVALID_SIGNATURE', `invalid cosignature by ${verifier.name}`);
  }
  return cosignatureTimestamp(signature);
}
