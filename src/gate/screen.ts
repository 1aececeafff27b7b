/**
 * Screening names against a list (sanctions) by keyed hash, as the gate records it (`Gate.screen`): one
 * decision for many records, with their number, a SHA-256 over their sorted references (one hash: a
 * freighter's 250,000 leaves of a Merkle tree cost half a second; an auditor given the references
 * recomputes it) and the list's source, size and hash — never a name, neither the list's nor a record's.
 */
import { createHash } from 'node:crypto';
import { encodeLedgerEntry, normalisePartyName } from '../domain/index.js';
import type { FieldAnswer } from './policy.js';
import type { Principal } from './types.js';

export interface ScreenRequest {
  readonly principal: Principal;
  readonly purpose: string;
  readonly legalBasis?: string;
  /** Vault record references whose names are screened. */
  readonly refs: readonly string[];
  readonly category: 'consignee' | 'seller';
  /**
   * What the records are, recorded with the decision and registered for subject access: for customs,
   * `flight:<flight id>` (every buyer of the flight at that moment).
   */
  readonly scope?: string;
  /** The list: where it comes from (recorded) and its names (hashed, never recorded). */
  readonly list: { readonly source: string; readonly names: readonly string[] };
  readonly requestId?: string;
}

export interface ScreenDecision {
  readonly decision: 'allow' | 'deny';
  readonly rules: readonly string[];
  readonly policy: string;
  readonly ledgerIndex: number;
  readonly requestId: string;
  /** As recorded: the list's source, its number of distinct names and the SHA-256 of their screening forms. */
  readonly list: { readonly source: string; readonly names: number; readonly hash: string };
  /** Record reference → the list name it matches (screening form); empty when denied. */
  readonly matches: ReadonlyMap<string, string>;
  /** Records that could not be screened (no name index: sealed before migration 014, or erased). */
  readonly unscreened: number;
}

/** The decision's ledger entry, the list as recorded, and the list's names in screening form (for the vault). */
export function screeningEntry(
  req: ScreenRequest,
  /** The request's refs, distinct and sorted (`sortedDistinct`). */
  refs: readonly string[],
  answer: FieldAnswer,
  at: { readonly policy: string; readonly time: string; readonly requestId: string },
): { entry: Buffer; list: ScreenDecision['list']; names: string[] } {
  const names = [...new Set(req.list.names.map(normalisePartyName).filter((n) => n !== ''))].sort();
  const list = { source: req.list.source, names: names.length, hash: createHash('sha256').update(names.join('\n')).digest('hex') };
  const p = req.principal;
  const entry = encodeLedgerEntry({
    type: 'access-decision',
    principal: { id: p.id, role: p.role, organisation: p.organisation, country: p.country },
    action: 'screen',
    purpose: req.purpose,
    legalBasis: req.legalBasis ?? null,
    category: req.category,
    fields: answer.allowed ? ['name'] : [],
    deniedFields: answer.allowed ? [] : ['name'],
    decision: answer.allowed ? 'allow' : 'deny',
    rules: answer.rules,
    policy: at.policy,
    time: at.time,
    requestId: at.requestId,
    count: refs.length,
    records: { sha256: createHash('sha256').update(refs.join('\n')).digest('base64'), ...(req.scope !== undefined && { scope: req.scope }) },
    list,
  });
  return { entry, list, names };
}
