/**
 * The witness side of c2sp.org/tlog-witness: `add-checkpoint` with every check of the spec, in its order, and the
 * monitoring read of the newest cosigned checkpoint. No HTTP here: request bytes in, status and body out.
 * Request bodies come from anyone on the network: they are parsed strictly and never make this code throw.
 */
import { createHash } from 'node:crypto';
import { LedgerError } from './errors.js';
import { EMPTY_ROOT, HASH_SIZE } from './hash.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosign, type WitnessSigner } from './cosignature.js';
import { decodeBase64, encodeBase64, openNote, parseVerifierKey, type NoteVerifier, type OpenedNote } from './note.js';
import { verifyConsistency } from './proof.js';

/** Bodies above this are refused: 63 proof lines and a checkpoint with its signatures fit many times over. */
export const MAX_ADD_CHECKPOINT_BODY = 64 * 1024;
/** §add-checkpoint: a client MUST NOT send more than 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';
const TEXT = 'text/plain; charset=utf-8';
const MAX_HEADER_LINE = 128;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a witness remembers of one log: the newest checkpoint it cosigned, and that note with its cosignature. */
export interface WitnessState {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The checkpoint with the log signature(s) the witness verified and its own cosignature; null if not kept. */
  readonly note: Uint8Array | null;
}

export type CompareAndSwapResult = { readonly ok: true } | { readonly ok: false; readonly currentSize: number };

export interface WitnessStorage {
  /**
   * In one atomic step: if the stored size for `origin` is `expectedOldSize` (no state counts as size 0), store
   * `next`; otherwise change nothing and return the stored size. Two concurrent calls can never roll a size back.
   */
  compareAndSwap(origin: string, expectedOldSize: number, next: WitnessState & { readonly note: Uint8Array }): Promise<CompareAndSwapResult>;
  read(origin: string): Promise<WitnessState | undefined>;
}

export interface WitnessResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, as sent. */
  readonly note: Uint8Array;
}

export interface WitnessOptions {
  readonly signer: WitnessSigner;
  /** Known logs: origin → the log keys trusted for it. */
  readonly logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  readonly storage: WitnessStorage;
  /** POSIX seconds for cosignature timestamps (default: now). */
  readonly clock?: () => number;
}

const bad = (message: string): never => {
  throw new LedgerError('INVALID_ARGUMENT', message);
};

/** §add-checkpoint request body: `old <size>\n`, 0–63 base64 hash lines, an empty line, the checkpoint note. */
export function parseAddCheckpointRequest(body: Uint8Array): AddCheckpointRequest {
  if (!(body instanceof Uint8Array)) return bad('request body must be bytes');
  if (body.length > MAX_ADD_CHECKPOINT_BODY) bad(`request body is larger than ${MAX_ADD_CHECKPOINT_BODY} bytes`);
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const nextLine = (): string => {
    const end = buf.indexOf(0x0a, at);
    if (end < 0 || end - at > MAX_HEADER_LINE) bad('request body must start with newline-terminated old size and proof lines');
    const line = buf.toString('latin1', at, end); // ASCII is all that is valid here; anything else fails below
    at = end + 1;
    return line;
  };
  const old = /^old (0|[1-9][0-9]{0,15})$/.exec(nextLine());
  const oldSize = Number(old?.[1] ?? NaN);
  if (!Number.isSafeInteger(oldSize)) bad('the first line must be "old <size>", a decimal without leading zeroes');
  const proof: Uint8Array[] = [];
  for (let line = nextLine(); line !== ''; line = nextLine()) {
    if (proof.length === MAX_PROOF_LINES) bad(`more than ${MAX_PROOF_LINES} consistency proof lines`);
    const hash = decodeBase64(line);
    if (hash === undefined || hash.length !== HASH_SIZE) bad('a consistency proof line is not a base64 SHA-256 hash');
    proof.push(hash as Uint8Array);
  }
  if (at === buf.length) bad('the checkpoint note is missing');
  return { oldSize, proof, note: new Uint8Array(buf.subarray(at)) };
}

export function formatAddCheckpointRequest(oldSize: number, proof: readonly Uint8Array[], note: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(oldSize) || oldSize < 0) bad('old size must be a non-negative safe integer');
  if (!Array.isArray(proof) || proof.length > MAX_PROOF_LINES) bad(`a proof has at most ${MAX_PROOF_LINES} hashes`);
  if (proof.some((h) => !(h instanceof Uint8Array) || h.length !== HASH_SIZE)) bad(`proof hashes are ${HASH_SIZE} bytes`);
  if (!(note instanceof Uint8Array) || note.length === 0) bad('note must be non-empty bytes');
  const head = Buffer.from(`old ${oldSize}\n${proof.map((h) => `${encodeBase64(h)}\n`).join('')}\n`, 'latin1');
  return new Uint8Array(Buffer.concat([head, note]));
}

/** The monitoring prefix names a log by the lowercase hex SHA-256 of its origin. */
export const originHash = (origin: string): string => createHash('sha256').update(origin, 'utf8').digest('hex');

/** Known logs from signed-note vkeys, each log's origin being its key name (tlog-checkpoint §Signatures). */
export function witnessedLogs(vkeys: readonly string[]): Map<string, NoteVerifier[]> {
  const logs = new Map<string, NoteVerifier[]>();
  for (const vkey of vkeys) {
    const verifier = parseVerifierKey(vkey);
    logs.set(verifier.name, [...(logs.get(verifier.name) ?? []), verifier]);
  }
  return logs;
}

const text = (status: number, reason: string): WitnessResponse => ({ status, contentType: TEXT, body: `${reason}\n` });
const conflict = (size: number): WitnessResponse => ({ status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${size}\n` });
const message = (err: unknown): string => (err instanceof Error ? err.message : 'malformed request');
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

export class Witness {
  private readonly clock: () => number;
  private readonly byHash = new Map<string, string>();

  constructor(private readonly options: WitnessOptions) {
    this.clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
    for (const origin of options.logs.keys()) this.byHash.set(originHash(origin), origin);
  }

  get name(): string {
    return this.options.signer.name;
  }

  /** §add-checkpoint: answers every request, well-formed or not; only a storage failure throws. */
  async addCheckpoint(body: Uint8Array): Promise<WitnessResponse> {
    let request: AddCheckpointRequest;
    let checkpoint: Checkpoint;
    try {
      if (body instanceof Uint8Array && body.length > MAX_ADD_CHECKPOINT_BODY) {
        return text(413, `request body is larger than ${MAX_ADD_CHECKPOINT_BODY} bytes`);
      }
      request = parseAddCheckpointRequest(body);
      checkpoint = parseCheckpoint(noteText(request.note));
    } catch (err) {
      return text(400, message(err));
    }
    const verifiers = this.options.logs.get(checkpoint.origin);
    if (verifiers === undefined) return text(404, 'unknown log origin');
    let opened: OpenedNote;
    try {
      opened = openNote(request.note, verifiers);
    } catch (err) {
      const code = err instanceof LedgerError ? err.code : undefined;
      if (code === 'UNKNOWN_KEY') return text(403, 'no signature from a trusted key of this log');
      if (code === 'INVALID_SIGNATURE') return text(403, 'a signature by a trusted key of this log does not verify');
      return text(400, message(err));
    }
    const { oldSize, proof } = request;
    const { size, rootHash } = checkpoint;
    if (oldSize > size) return text(400, `old size ${oldSize} is greater than the checkpoint size ${size}`);

    const stored = await this.options.storage.read(checkpoint.origin);
    if (oldSize !== (stored?.size ?? 0)) return conflict(stored?.size ?? 0);
    const inconsistent = consistencyFailure(oldSize, proof, stored, checkpoint);
    if (inconsistent !== undefined) return text(422, inconsistent);

    const cosignature = cosign(opened.text, this.options.signer, this.clock());
    const logSignatures = opened.signatures.map((s) => `\u2014 ${s.name} ${s.base64}\n`).join('');
    const note = new Uint8Array(Buffer.from(`${opened.text}\n${logSignatures}${cosignature}`, 'utf8'));
    const swapped = await this.options.storage.compareAndSwap(checkpoint.origin, oldSize, { size, rootHash, note });
    if (!swapped.ok) return conflict(swapped.currentSize);
    return { status: 200, contentType: TEXT, body: cosignature };
  }

  /** §Monitoring: the newest checkpoint this witness cosigned for the log with that origin hash, if any. */
  async checkpoint(hash: string): Promise<Uint8Array | undefined> {
    const origin = this.byHash.get(hash);
    if (origin === undefined) return undefined;
    return (await this.options.storage.read(origin))?.note ?? undefined;
  }
}

/** The note text: everything up to the first blank line. Strict UTF-8; the rest is openNote's to judge. */
function noteText(note: Uint8Array): string {
  const split = Buffer.from(note.buffer, note.byteOffset, note.byteLength).indexOf('\n\n');
  if (split < 0) bad('the checkpoint note has no signature block');
  try {
    return utf8.decode(note.subarray(0, split + 1));
  } catch {
    return bad('the checkpoint note is not valid UTF-8');
  }
}

/** The §add-checkpoint checks answered with 422; `stored.size` is known to equal `oldSize` (0 if none). */
function consistencyFailure(oldSize: number, proof: readonly Uint8Array[], stored: WitnessState | undefined, cp: Checkpoint): string | undefined {
  if (cp.size === 0 && !sameBytes(cp.rootHash, EMPTY_ROOT)) return 'a checkpoint of size 0 must have the root hash of the empty tree';
  if (oldSize === 0) return proof.length === 0 ? undefined : 'the consistency proof must be empty when the old size is 0';
  if (stored === undefined) return 'no cosigned checkpoint to be consistent with';
  if (oldSize === cp.size) {
    if (!sameBytes(stored.rootHash, cp.rootHash)) return 'the root hash differs from the cosigned checkpoint of the same size';
    return proof.length === 0 ? undefined : 'the consistency proof must be empty when the sizes are equal';
  }
  try {
    verifyConsistency(BigInt(oldSize), BigInt(cp.size), proof, stored.rootHash, cp.rootHash);
    return undefined;
  } catch {
    return 'the consistency proof does not verify';
  }
}

/** A WitnessStorage in memory, for tests: a witness that forgets its state could cosign a split view. */
export class MemoryWitnessStorage implements WitnessStorage {
  private readonly states = new Map<string, WitnessState>();

  read(origin: string): Promise<WitnessState | undefined> {
    return Promise.resolve(this.states.get(origin));
  }

  compareAndSwap(origin: string, expectedOldSize: number, next: WitnessState): Promise<CompareAndSwapResult> {
    const currentSize = this.states.get(origin)?.size ?? 0;
    if (currentSize !== expectedOldSize) return Promise.resolve({ ok: false, currentSize });
    this.states.set(origin, { size: next.size, rootHash: new Uint8Array(next.rootHash), note: next.note && new Uint8Array(next.note) });
    return Promise.resolve({ ok: true });
  }
}
