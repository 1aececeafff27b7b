/**
 * Transparency log checkpoints (c2sp.org/tlog-checkpoint@v1.0.0): the note text of a signed tree head.
 * Checkpoint text arrives from logs and witnesses over the network: it is parsed strictly, line by line.
 */
import { HASH_SIZE } from './hash.js';
import { LedgerError } from './errors.js';
import { assertNoteText, decodeBase64, encodeBase64, openNote, signNote } from './note.js';
import type { NoteSigner, NoteVerifier, OpenedNote } from './note.js';

export interface Checkpoint {
  /** tlog-checkpoint §Note text 1: the log identity, e.g. `example.com/log42`. */
  readonly origin: string;
  /** §Note text 2: number of leaves. Limited here to Number.MAX_SAFE_INTEGER. */
  readonly size: number;
  /** §Note text 3: RFC 6962 root hash (32 bytes). */
  readonly rootHash: Uint8Array;
  /** §Note text 4: opaque non-empty extension lines (NOT RECOMMENDED). */
  readonly extensions: readonly string[];
}

export interface CheckpointInput {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions?: readonly string[];
}

export interface OpenedCheckpoint extends OpenedNote {
  readonly checkpoint: Checkpoint;
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/; // no leading zeroes

const invalid = (message: string): never => {
  throw new LedgerError('INVALID_CHECKPOINT', message);
};

/** A checkpoint line: non-empty, one line, and acceptable inside a signed note. */
function assertLine(line: unknown, what: string): asserts line is string {
  if (typeof line !== 'string' || line === '') invalid(`${what} must be a non-empty string`);
  if ((line as string).includes('\n')) invalid(`${what} must be a single line`);
  try {
    assertNoteText(`${line as string}\n`);
  } catch {
    invalid(`${what} contains a control character or invalid Unicode`);
  }
}

/** tlog-checkpoint §Note text: `<origin>\n<size>\n<base64 root>\n[<extension>\n]*`. */
export function formatCheckpoint(cp: CheckpointInput): string {
  if (typeof cp !== 'object' || cp === null) return invalid('checkpoint must be an object');
  assertLine(cp.origin, 'origin');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) invalid('size must be a non-negative safe integer');
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length !== HASH_SIZE) invalid(`root hash must be ${HASH_SIZE} bytes`);
  const extensions = cp.extensions ?? [];
  if (!Array.isArray(extensions)) invalid('extensions must be an array');
  extensions.forEach((line) => assertLine(line, 'extension line'));
  return [cp.origin, String(cp.size), encodeBase64(cp.rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Strict parse of checkpoint note text (hostile input): every rule of tlog-checkpoint §Note text is checked. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) invalid('checkpoint text must end with a newline');
  try {
    assertNoteText(text);
  } catch {
    invalid('checkpoint text contains a control character or invalid Unicode');
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) invalid('checkpoint needs origin, size and root hash lines');
  const [origin = '', sizeLine = '', rootLine = '', ...extensions] = lines;
  if (origin === '') invalid('origin line is empty');
  if (!DECIMAL.test(sizeLine)) invalid('size must be decimal without leading zeroes');
  const size = sizeLine.length <= 16 ? Number(sizeLine) : Infinity;
  if (!Number.isSafeInteger(size)) invalid('size exceeds Number.MAX_SAFE_INTEGER');
  const rootHash = decodeBase64(rootLine);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) return invalid(`root hash must be canonical base64 of ${HASH_SIZE} bytes`);
  if (extensions.some((line) => line === '')) invalid('extension lines must be non-empty');
  return { origin, size, rootHash, extensions };
}

/** Signs a checkpoint as a note (tlog-checkpoint §Signatures: the key name SHOULD be the origin). */
export function signCheckpoint(cp: CheckpointInput, signer: NoteSigner | readonly NoteSigner[]): Uint8Array {
  const signers: readonly NoteSigner[] = Array.isArray(signer) ? signer : [signer as NoteSigner];
  return signNote(formatCheckpoint(cp), signers);
}

/**
 * Opens a signed checkpoint: the log's signature must verify (signed-note rules; other signatures, such as
 * cosignatures, are returned unverified), the text must be a valid checkpoint and its origin must be `origin`,
 * by default the log key's name.
 */
export function openCheckpoint(note: Uint8Array, logVerifier: NoteVerifier, origin: string = logVerifier.name): OpenedCheckpoint {
  if (typeof origin !== 'string' || origin === '') invalid('expected origin must be a non-empty string');
  const opened = openNote(note, [logVerifier]);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== origin) invalid(`checkpoint origin ${JSON.stringify(checkpoint.origin)} is not ${JSON.stringify(origin)}`);
  return { ...opened, checkpoint };
}
