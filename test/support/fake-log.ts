/**
 * Test support for the auditor: a TransparencyLog on an in-memory LogStorage, served by a fake `fetch` as the
 * hub serves it (checkpoint, tiles, entry bundles, consistency proofs), at any size it has reached, with hooks
 * to tamper with what is served.
 */
import { auditLog, type AuditOptions, type AuditReport } from '../../src/ledger/audit.js';
import type { Fetch } from '../../src/ledger/audit-http.js';
import { formatCheckpoint, signCheckpoint } from '../../src/ledger/checkpoint.js';
import { LedgerError } from '../../src/ledger/errors.js';
import { TransparencyLog } from '../../src/ledger/log.js';
import { generateSignerKey, parseSignerKey, signNote, type NoteSigner } from '../../src/ledger/note.js';
import { consistencyProof, treeRoot } from '../../src/ledger/proof.js';
import type { IntegrationWrite, LogHead, LogStorage, StoredCheckpoint, StoredTile } from '../../src/ledger/storage.js';
import { ENTRY_BUNDLE_LEVEL } from '../../src/ledger/storage.js';
import { parseTilePath, tileWidth } from '../../src/ledger/tiles.js';

export const ORIGIN = 'audit.test/log';
export const URL_PREFIX = 'http://log.test/log/';

export class MemoryStorage implements LogStorage {
  private head: LogHead | undefined;
  private readonly tiles = new Map<string, StoredTile>();
  private readonly checkpoints = new Map<number, StoredCheckpoint>();

  readHead(): Promise<LogHead | undefined> {
    return Promise.resolve(this.head);
  }
  readTile(level: number, index: number): Promise<StoredTile | undefined> {
    return Promise.resolve(this.tiles.get(`${level}/${index}`));
  }
  commit(write: IntegrationWrite): Promise<void> {
    if ((this.head?.size ?? 0) !== write.fromSize) return Promise.reject(new LedgerError('CONFLICT', 'head moved'));
    for (const t of write.tiles) this.tiles.set(`${t.level}/${t.index}`, t);
    this.head = write.head;
    this.checkpoints.set(write.head.size, { size: write.head.size, note: write.checkpoint, cosignedNote: null });
    return Promise.resolve();
  }
  readCheckpoint(size?: number): Promise<StoredCheckpoint | undefined> {
    return Promise.resolve(this.checkpoints.get(size ?? this.head?.size ?? 0));
  }
  readCosignedCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return Promise.resolve(undefined);
  }
  saveCosignedCheckpoint(): Promise<void> {
    return Promise.resolve();
  }
}

export interface FakeLog {
  readonly log: TransparencyLog;
  readonly signer: NoteSigner;
  readonly vkey: string;
  readonly key: { readonly skey: string; readonly vkey: string };
  /** Appends the entries, in order, and waits until they are integrated. */
  append(entries: readonly Uint8Array[]): Promise<void>;
}

export async function fakeLog(key: { readonly skey: string; readonly vkey: string } = generateSignerKey(ORIGIN)): Promise<FakeLog> {
  const signer = parseSignerKey(key.skey);
  const log = await TransparencyLog.open(new MemoryStorage(), {
    maxDelayMs: 0,
    signCheckpoint: (size, rootHash) => Buffer.from(signCheckpoint({ origin: ORIGIN, size, rootHash }, signer)),
  });
  return {
    log,
    signer,
    vkey: key.vkey,
    key,
    append: async (entries) => {
      await Promise.all(entries.map((e) => log.append(e)));
    },
  };
}

export interface ServeOptions {
  /** Serve the log as it was at this size (default: its size now). */
  readonly size?: number;
  /** Signers of the checkpoint note (default: the log's key). */
  readonly signers?: readonly NoteSigner[];
  /** Replaces the checkpoint note. */
  readonly checkpoint?: (note: Uint8Array) => Uint8Array;
  /** Changes a served body (path relative to the log prefix, e.g. `tile/0/001`), or undefined to leave it. */
  readonly mutate?: (path: string, body: Uint8Array) => Uint8Array | undefined;
  /** Every path requested, in order. */
  readonly requested?: string[];
}

const respond = (status: number, body: Uint8Array | string): Response => new Response(body, { status });

/** A `fetch` that answers as glasshub's log routes would, for `fake`'s log. */
export function serve(fake: FakeLog, options: ServeOptions = {}): Fetch {
  const { log } = fake;
  const nodeHash = (level: number, index: number): Promise<Buffer> => log.tiles.nodeHash(level, index);
  return async (url) => {
    const size = options.size ?? log.size;
    const path = url.slice(URL_PREFIX.length);
    options.requested?.push(path);
    const body = await answer(path, size);
    if (typeof body === 'number') return respond(body, 'not found');
    return respond(200, options.mutate?.(path, body) ?? body);
  };

  async function answer(path: string, size: number): Promise<Uint8Array | number> {
    if (path === 'checkpoint') {
      const text = formatCheckpoint({ origin: ORIGIN, size, rootHash: await treeRoot(size, nodeHash) });
      const note = signNote(text, options.signers ?? [fake.signer]);
      return options.checkpoint?.(note) ?? note;
    }
    const proof = /^proof\/consistency\?from=(\d+)&to=(\d+)$/.exec(path);
    if (proof) {
      const hashes = await consistencyProof(Number(proof[1]), Number(proof[2]), nodeHash);
      return Buffer.from(JSON.stringify({ proof: hashes.map((h) => h.toString('base64')) }));
    }
    const tile = parseTilePath(path);
    if (tile.width > tileWidth(tile.level, tile.index, size)) return 404;
    const data = await log.readTile(tile.kind === 'entries' ? ENTRY_BUNDLE_LEVEL : tile.level, tile.index, tile.width);
    return data === undefined ? 404 : new Uint8Array(data);
  }
}

/** A copy of `bytes` with the byte at `offset` changed. */
export function flipByte(bytes: Uint8Array, offset: number, to?: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[offset] = to ?? copy[offset]! ^ 0x01;
  return copy;
}

/** Offset in an entry bundle of entry `i`'s first byte. */
export function entryOffset(bundle: Uint8Array, i: number): number {
  let at = 0;
  for (let n = 0; n < i; n++) at += 2 + ((bundle[at]! << 8) | bundle[at + 1]!);
  return at + 2;
}

/** What the CLI does with glasshub's parser, without depending on it: the entry's "type". */
export function classify(bytes: Uint8Array): string {
  const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') throw new Error('entry has no "type"');
  return type;
}

/** The LedgerError a promise rejects with; throws if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<LedgerError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError, but the promise resolved');
}

export type AuditFakeOptions = Partial<AuditOptions> & { readonly serve?: ServeOptions; readonly wrap?: (inner: Fetch) => Fetch };

/** Audits `fake` as served by `serve`, with `classify` and the log's own key unless told otherwise. */
export function auditFake(fake: FakeLog, options: AuditFakeOptions = {}): Promise<AuditReport> {
  const { serve: served, wrap, ...rest } = options;
  const inner = serve(fake, served);
  return auditLog({ url: URL_PREFIX, logKey: fake.vkey, classify, fetch: wrap?.(inner) ?? inner, ...rest });
}
