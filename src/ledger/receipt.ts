/**
 * Receipts: a ledger entry with its inclusion proof against a signed (and witnessed) checkpoint. A person
 * handed their receipts checks them with the same code the auditor uses, trusting only the keys they pin.
 * Everything in a receipt is hostile input.
 */
import { verifyCheckpointNote } from './audit-checkpoint.js';
import type { WitnessVerifier } from './cosignature.js';
import { LedgerError } from './errors.js';
import { hashLeaf } from './hash.js';
import { decodeBase64, type NoteVerifier } from './note.js';
import { verifyInclusion } from './proof-verify.js';

export interface Receipt {
  readonly index: number;
  /** The entry's bytes, base64. */
  readonly entry: string;
  /** RFC 6962 inclusion proof for `index` in the checkpoint's tree, base64 hashes. */
  readonly proof: readonly string[];
}

export interface ReceiptBundle {
  /** The signed checkpoint note (with cosignatures) the proofs are against. */
  readonly checkpoint: string;
  readonly receipts: readonly Receipt[];
}

export interface VerifiedReceipts {
  readonly origin: string;
  readonly size: number;
  readonly witnesses: readonly string[];
  readonly entries: readonly { index: number; entry: Uint8Array }[];
}

/** Verifies the checkpoint (signature, cosignature quorum) and every receipt's inclusion; throws on the first failure. */
export function verifyReceipts(
  bundle: ReceiptBundle,
  logVerifier: NoteVerifier,
  witnesses: readonly WitnessVerifier[] = [],
  quorum = witnesses.length,
): VerifiedReceipts {
  const verified = verifyCheckpointNote(new TextEncoder().encode(bundle.checkpoint), logVerifier, witnesses, quorum);
  const { size, rootHash, origin } = verified.checkpoint;
  const entries = bundle.receipts.map((r, i) => {
    if (!Number.isSafeInteger(r.index) || r.index < 0) throw new LedgerError('INVALID_PROOF', `receipt ${i}: index is not a leaf index`);
    const entry = decodeBase64(r.entry);
    if (!entry) throw new LedgerError('INVALID_PROOF', `receipt ${i}: entry is not base64`);
    const proof = r.proof.map((p, j) => {
      const h = decodeBase64(p);
      if (!h) throw new LedgerError('INVALID_PROOF', `receipt ${i}: proof hash ${j} is not base64`);
      return h;
    });
    try {
      verifyInclusion(BigInt(r.index), BigInt(size), hashLeaf(entry), proof, rootHash);
    } catch (err) {
      throw new LedgerError('INVALID_PROOF', `receipt ${i} (entry ${r.index}) is not in the tree of size ${size}: ${(err as Error).message}`);
    }
    return { index: r.index, entry };
  });
  return { origin, size, witnesses: verified.witnesses, entries };
}
