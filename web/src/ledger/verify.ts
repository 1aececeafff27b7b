/**
 * In-browser verification with the ledger's own code (src/ledger), against keys the reader pins — never
 * against anything the server says about itself. Loaded only by the pages that verify (a separate chunk).
 */
import './buffer-global.js';
import { auditLog, type AuditReport } from '../../../src/ledger/audit.js';
import { parseWitnessVerifierKey } from '../../../src/ledger/cosignature.js';
import { parseVerifierKey } from '../../../src/ledger/note.js';
import { verifyReceipts, type ReceiptBundle } from '../../../src/ledger/receipt.js';
import { parseCheckpoint } from '../../../src/ledger/checkpoint.js';
import { decodeEntryBundle, formatTilePath, TILE_WIDTH, tileWidth } from '../../../src/ledger/tiles.js';
import { encodeBase64 } from '../../../src/ledger/note.js';

export type { AuditReport, ReceiptBundle };

export interface LogAuditInput {
  /** The log's URL prefix (this hub: `${origin}/log/`). */
  readonly url: string;
  readonly vkey: string;
  readonly witnesses: readonly string[];
  readonly onProgress?: (checked: number, total: number) => void;
}

/** Recomputes the whole tree from the tiles and checks the checkpoint's signature and cosignatures. */
export function auditInBrowser(input: LogAuditInput): Promise<AuditReport> {
  return auditLog({
    url: input.url,
    logKey: input.vkey.trim(),
    witnesses: input.witnesses.map((w) => w.trim()).filter((w) => w !== ''),
    onProgress: input.onProgress && ((p) => input.onProgress?.(p.checked, p.total)),
    fetch: (url, init) => fetch(url, { signal: init?.signal ?? null, credentials: 'omit' }),
  });
}

export interface ReceiptCheck {
  readonly size: number;
  readonly witnesses: readonly string[];
  /** The indices whose inclusion proof verified. */
  readonly verified: ReadonlySet<number>;
}

/** Checks a subject-access report's receipts against the pinned log key (throws on the first bad one). */
export function checkReceipts(bundle: ReceiptBundle, vkey: string): ReceiptCheck {
  const result = verifyReceipts(bundle, parseVerifierKey(vkey.trim()));
  return { size: result.size, witnesses: result.witnesses, verified: new Set(result.entries.map((e) => e.index)) };
}

/** The checkpoint's body lines and its signature lines, for display (no trust implied). */
export function describeCheckpoint(note: string): { origin: string; size: number; rootHash: string; signatures: string[] } {
  const [body = '', sigs = ''] = note.split('\n\n');
  const cp = parseCheckpoint(`${body}\n`);
  return { origin: cp.origin, size: cp.size, rootHash: btoa(String.fromCharCode(...cp.rootHash)), signatures: sigs.split('\n').filter((l) => l.startsWith('— ')) };
}

export { parseWitnessVerifierKey, parseVerifierKey };

export type EntryCheck = { readonly status: 'verified'; readonly size: number; readonly entry: Readonly<Record<string, unknown>> } | { readonly status: 'pending'; readonly size: number };

async function get(path: string): Promise<Response> {
  const res = await fetch(path, { credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res;
}

/**
 * One entry, checked from the public log alone: the signed checkpoint, the entry from its bundle and its
 * inclusion proof, put through src/ledger's verifyReceipts against `vkey`. `pending` while the entry is not
 * yet under a checkpoint.
 */
export async function verifyLogEntry(index: number, vkey: string): Promise<EntryCheck> {
  const note = await (await get('/log/checkpoint')).text();
  const { size } = describeCheckpoint(note); // unverified until verifyReceipts below
  if (index >= size) return { status: 'pending', size };
  const { proof } = (await (await get(`/log/proof/inclusion?index=${index}&size=${size}`)).json()) as { proof: string[] };
  const tile = Math.floor(index / TILE_WIDTH);
  const width = tileWidth(0, tile, size);
  const bundle = new Uint8Array(await (await get(`/log/${formatTilePath({ level: 0, index: tile, width }, 'entries')}`)).arrayBuffer());
  const entry = decodeEntryBundle(bundle, width)[index % TILE_WIDTH];
  if (entry === undefined) throw new Error(`entry ${index} is not in its bundle`);
  verifyReceipts({ checkpoint: note, receipts: [{ index, entry: encodeBase64(entry), proof }] }, parseVerifierKey(vkey.trim()));
  return { status: 'verified', size, entry: JSON.parse(new TextDecoder().decode(entry)) as Record<string, unknown> };
}
