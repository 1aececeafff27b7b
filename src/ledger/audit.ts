/**
 * An auditor for a log served as C2SP tlog-tiles + tlog-checkpoint, which trusts nothing but the keys it is
 * given (and the state its own previous run saved):
 * 1. fetch the checkpoint; the log's signature and a quorum of witness cosignatures must verify;
 * 2. with a saved state: the tree must not shrink, the same size must have the same root, and a larger tree
 *    must extend the saved one (RFC 6962 consistency proof) — anything else is reported as a FORK;
 * 3. download every entry bundle and hash tile the tree has (or, resuming, only those the new tree adds),
 *    check each entry parses, rebuild every tile from the entries, and rebuild the root.
 * Every disagreement throws a LedgerError whose message names the checkpoint, tile, bundle or entry.
 */
import { CompactRange } from './compact-range.js';
import { parseWitnessVerifierKey, type WitnessVerifier } from './cosignature.js';
import { LedgerError } from './errors.js';
import { encodeBase64, parseVerifierKey, type NoteVerifier } from './note.js';
import { LogClient, Prefetcher, type Fetch } from './audit-http.js';
import { checkConsistency, parseAuditState, restoreRange, stateOf, verifyCheckpointNote, type AuditState } from './audit-checkpoint.js';
import { auditTree, treeSchedule } from './audit-tree.js';
import { MAX_ENTRY_SIZE, TILE_WIDTH } from './tiles.js';

export type { AuditState } from './audit-checkpoint.js';
export { parseAuditState } from './audit-checkpoint.js';
export type { Fetch } from './audit-http.js';

export interface AuditOptions {
  /** The log's URL prefix: `<url>checkpoint`, `<url>tile/…`, `<url>proof/consistency` (glasshub: `<hub>/log/`). */
  readonly url: string;
  /** The log's verifier: a signed-note vkey, or a verifier. The checkpoint origin must be its name. */
  readonly logKey: string | NoteVerifier;
  /** Witnesses: cosignature/v1 vkeys (type 0x04) or verifiers. */
  readonly witnesses?: readonly (string | WitnessVerifier)[];
  /** Cosignatures required (default: all the witnesses given). */
  readonly quorum?: number;
  /** The state a previous audit of this log returned. */
  readonly state?: AuditState;
  /** The type of an entry, for the counts; throws when the entry does not parse. Default: every entry is 'entry'. */
  readonly classify?: (entry: Uint8Array) => string;
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Requests in flight (default 8). */
  readonly concurrency?: number;
  /** Default: the global fetch. */
  readonly fetch?: Fetch;
}

export interface AuditProgress {
  /** Entries checked so far, of `total` (the entries the new tree adds to the saved one). */
  readonly checked: number;
  readonly total: number;
  readonly bytes: number;
}

export interface AuditReport {
  readonly origin: string;
  readonly size: number;
  /** base64 */
  readonly rootHash: string;
  /** The size of the saved state the audit started from, or null for an audit from scratch. */
  readonly previousSize: number | null;
  /** Witnesses whose cosignature verified. */
  readonly witnesses: readonly string[];
  /** Entries downloaded and checked by this audit, and their counts by type. */
  readonly entriesChecked: number;
  readonly entriesByType: Readonly<Record<string, number>>;
  readonly hashTilesDownloaded: number;
  readonly entryBundlesDownloaded: number;
  /** Response bytes of every request (checkpoint, proof, tiles, bundles). */
  readonly bytesDownloaded: number;
  readonly durationMs: number;
  /** To save, and pass as `state` to the next audit. */
  readonly state: AuditState;
}

const MAX_NOTE_BYTES = 1 << 16;
const MAX_PROOF_BYTES = 1 << 16;
const MAX_TILE_BYTES = TILE_WIDTH * 32;
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + MAX_ENTRY_SIZE);
const DEFAULT_CONCURRENCY = 8;

const badArgument = (message: string): never => {
  throw new LedgerError('INVALID_ARGUMENT', message);
};

export async function auditLog(options: AuditOptions): Promise<AuditReport> {
  const started = performance.now();
  const logVerifier = typeof options.logKey === 'string' ? parseVerifierKey(options.logKey) : options.logKey;
  const witnesses = (options.witnesses ?? []).map((w) => (typeof w === 'string' ? parseWitnessVerifierKey(w) : w));
  if (new Set(witnesses.map((w) => `${w.name}+${w.keyId}`)).size !== witnesses.length) badArgument('a witness is given twice');
  const quorum = options.quorum ?? witnesses.length;
  if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    badArgument(`quorum must be 0..${witnesses.length} (the number of witnesses), got ${quorum}`);
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) badArgument('concurrency must be 1..256');
  const saved = options.state === undefined ? undefined : parseAuditState(options.state);
  const classify = options.classify ?? (() => 'entry');
  const prefix = options.url.endsWith('/') ? options.url : `${options.url}/`;

  const client = new LogClient(prefix, options.fetch ?? globalThis.fetch);
  try {
    const note = await client.get('checkpoint', 'checkpoint', MAX_NOTE_BYTES);
    const verified = verifyCheckpointNote(note, logVerifier, witnesses, quorum);
    const { checkpoint } = verified;
    if (saved !== undefined) {
      await checkConsistency(saved, checkpoint, (from, to) =>
        client.get(`proof/consistency?from=${from}&to=${to}`, `consistency proof from ${from} to ${to}`, MAX_PROOF_BYTES),
      );
    }
    // Without a saved compact range (a state written by another tool), the tree is rebuilt from scratch.
    const start = saved?.compactRange === undefined ? new CompactRange() : restoreRange(saved);
    const counts = { tiles: 0, bundles: 0 };
    const load = async (path: string): Promise<Uint8Array> => {
      const bundle = path.startsWith('tile/entries/');
      const data = await client.get(path, path, bundle ? MAX_BUNDLE_BYTES : MAX_TILE_BYTES);
      counts[bundle ? 'bundles' : 'tiles']++;
      return data;
    };
    const prefetcher = new Prefetcher(treeSchedule(start.size, checkpoint.size), load, concurrency);
    const total = checkpoint.size - start.size;
    const { range, entriesByType } = await auditTree({
      from: start,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash,
      take: (path) => prefetcher.take(path),
      classify,
      onBundle: (checked) => options.onProgress?.({ checked, total, bytes: client.bytes }),
    });
    const byType = Object.fromEntries([...entriesByType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: encodeBase64(checkpoint.rootHash),
      previousSize: saved?.size ?? null,
      witnesses: verified.witnesses,
      entriesChecked: total,
      entriesByType: byType,
      hashTilesDownloaded: counts.tiles,
      entryBundlesDownloaded: counts.bundles,
      bytesDownloaded: client.bytes,
      durationMs: Math.round(performance.now() - started),
      state: stateOf(checkpoint.origin, range),
    };
  } finally {
    client.close(); // whatever is still in flight after a failure
  }
}
