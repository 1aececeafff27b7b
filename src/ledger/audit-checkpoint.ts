/**
 * The auditor's checks on signed checkpoints: the log's signature, the witnesses' cosignatures against a
 * quorum, and consistency with the state an earlier audit saved (same size ⇒ same root; a larger tree must
 * extend the saved one, by a verified RFC 6962 consistency proof). The saved state is the auditor's own
 * trusted memory; everything else here is hostile input.
 */
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { CompactRange } from './compact-range.js';
import type { WitnessVerifier } from './cosignature.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE } from './hash.js';
import { decodeBase64, encodeBase64, type NoteVerifier } from './note.js';
import { verifyConsistency } from './proof-verify.js';

/** What an audit remembers for the next one: the verified tree, and its right edge to resume hashing from. */
export interface AuditState {
  readonly origin: string;
  readonly size: number;
  /** base64 of the RFC 6962 root. */
  readonly rootHash: string;
  /** base64 of `CompactRange.hashes` for `size`: lets the next audit hash only the new entries. */
  readonly compactRange?: readonly string[];
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** Names of the witnesses whose cosignature verified. */
  readonly witnesses: readonly string[];
}

const encoder = new TextEncoder();
const b64 = (bytes: Uint8Array): string => encodeBase64(bytes);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The log's signature must verify; then at least `quorum` of the witnesses must have cosigned the same text. */
export function verifyCheckpointNote(
  note: Uint8Array,
  logVerifier: NoteVerifier,
  witnesses: readonly WitnessVerifier[],
  quorum: number,
): VerifiedCheckpoint {
  let opened;
  try {
    opened = openCheckpoint(note, logVerifier);
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    if (err.code === 'INVALID_SIGNATURE' || err.code === 'UNKNOWN_KEY') {
      throw new LedgerError('INVALID_SIGNATURE', `checkpoint signature invalid: ${err.message} (log key ${logVerifier.name})`, { cause: err });
    }
    throw new LedgerError(err.code, `checkpoint is malformed: ${err.message}`, { cause: err });
  }
  const text = encoder.encode(opened.text);
  const cosigned: string[] = [];
  const missing: string[] = [];
  for (const w of witnesses) {
    const lines = opened.unverified.filter((s) => s.name === w.name && s.keyId === w.keyId);
    const ok = lines.length > 0 && lines.every((s) => w.verify(text, s.signature));
    (ok ? cosigned : missing).push(w.name);
  }
  if (cosigned.length < quorum) {
    throw new LedgerError(
      'NO_QUORUM',
      `only ${cosigned.length} of ${witnesses.length} witness cosignatures verify (quorum ${quorum}); missing or invalid: ${missing.join(', ')}`,
    );
  }
  return { checkpoint: opened.checkpoint, witnesses: cosigned };
}

/** Strict parse of a saved state (a file the operator may have edited): the compact range must give the root. */
export function parseAuditState(value: unknown): AuditState {
  const bad = (why: string): never => {
    throw new LedgerError('INVALID_ARGUMENT', `saved audit state is invalid: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not a JSON object');
  const { origin, size, rootHash, compactRange } = value as Record<string, unknown>;
  if (typeof origin !== 'string' || origin === '') bad('origin must be a non-empty string');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) bad('size must be a non-negative integer');
  const root = typeof rootHash === 'string' ? decodeBase64(rootHash) : undefined;
  if (root?.length !== HASH_SIZE) bad('rootHash must be base64 of 32 bytes');
  const state = { origin: origin as string, size: size as number, rootHash: rootHash as string };
  if (compactRange === undefined) return state;
  if (!Array.isArray(compactRange) || !compactRange.every((h) => typeof h === 'string')) bad('compactRange must be an array of base64 hashes');
  const range = restoreRange({ ...state, compactRange: compactRange as string[] });
  if (!range.root().equals(root!)) bad('compactRange does not give rootHash');
  return { ...state, compactRange: compactRange as string[] };
}

/** The saved right edge of the tree; the empty tree when the state has none (then the audit starts from 0). */
export function restoreRange(state: AuditState): CompactRange {
  if (state.compactRange === undefined) return new CompactRange();
  const hashes = (state.compactRange ?? []).map((h) => decodeBase64(h));
  if (hashes.some((h) => h?.length !== HASH_SIZE)) {
    throw new LedgerError('INVALID_ARGUMENT', 'saved audit state is invalid: compactRange holds a value that is not base64 of 32 bytes');
  }
  try {
    return CompactRange.fromHashes(state.size, hashes as Uint8Array[]);
  } catch (err) {
    throw new LedgerError('INVALID_ARGUMENT', `saved audit state is invalid: ${message(err)}`, { cause: err });
  }
}

export function stateOf(origin: string, range: CompactRange): AuditState {
  return { origin, size: range.size, rootHash: b64(range.root()), compactRange: range.hashes.map(b64) };
}

/**
 * Checks that the checkpoint extends the saved state. `fetchProof` returns the body of
 * `proof/consistency?from=&to=` (JSON `{proof: base64[]}`); any proof that is malformed or fails is a fork.
 */
export async function checkConsistency(
  saved: AuditState,
  cp: Checkpoint,
  fetchProof: (from: number, to: number) => Promise<Uint8Array>,
): Promise<void> {
  if (saved.origin !== cp.origin) {
    throw new LedgerError('INVALID_ARGUMENT', `the saved state is of log ${JSON.stringify(saved.origin)}, the checkpoint of ${JSON.stringify(cp.origin)}`);
  }
  const oldRoot = decodeBase64(saved.rootHash) ?? new Uint8Array();
  const newRoot = b64(cp.rootHash);
  const fork = (why: string): never => {
    throw new LedgerError('FORK', `fork: saved size ${saved.size} root ${saved.rootHash}, new size ${cp.size} root ${newRoot} ${why}`);
  };
  if (cp.size < saved.size) fork('is smaller: the log shrank');
  if (cp.size === saved.size) {
    if (newRoot !== saved.rootHash) fork('has another root for the same size');
    return;
  }
  if (saved.size === 0) return; // every tree extends the empty tree
  const body = await fetchProof(saved.size, cp.size);
  let proof: Uint8Array[];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    const list = (parsed as { proof?: unknown } | null)?.proof;
    if (!Array.isArray(list)) throw new Error('the answer has no "proof" array');
    proof = list.map((h, i) => {
      const bytes = typeof h === 'string' ? decodeBase64(h) : undefined;
      if (bytes?.length !== HASH_SIZE) throw new Error(`proof[${i}] is not base64 of ${HASH_SIZE} bytes`);
      return bytes;
    });
  } catch (err) {
    return fork(`does not extend it: the consistency proof is malformed (${message(err)})`);
  }
  try {
    verifyConsistency(BigInt(saved.size), BigInt(cp.size), proof, oldRoot, cp.rootHash);
  } catch (err) {
    fork(`does not extend it: ${message(err)}`);
  }
}
