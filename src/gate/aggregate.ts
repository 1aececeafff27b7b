import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson, encodeLedgerEntry } from '../domain/index.js';
import type { DecisionLog } from './gate.js';
import type { Policy } from './policy.js';
import type { Principal } from './types.js';

/** The smallest number of parcels a released cell may count, unless configured otherwise (the policy's floor is 5). */
export const DEFAULT_AGGREGATE_K = 10;

/** One cell of a statistics table: its key (one value per dimension), its parcel count and its sums. */
export interface AggregateCell {
  readonly key: readonly string[];
  /** Parcels in the cell: the unit k counts. */
  readonly count: number;
  /** Other measures, as safe integers (grams, euro cents…). */
  readonly sums: Readonly<Record<string, number>>;
}

export interface AggregateRequest {
  readonly principal: Principal;
  readonly purpose: string;
  /** What the table is computed over, e.g. `parcels`. */
  readonly dataset: string;
  /** Names of the grouping dimensions, in key order. */
  readonly dimensions: readonly string[];
  /** The selection, as recorded (dates, not commercial detail), e.g. `{ from: '2026-11-01' }`. */
  readonly filter?: Readonly<Record<string, string>>;
  /** The whole table, before suppression. */
  readonly cells: readonly AggregateCell[];
  readonly k?: number;
  readonly requestId?: string;
}

export interface AggregateRelease {
  readonly decision: 'allow' | 'deny';
  readonly rules: readonly string[];
  readonly policy: string;
  readonly ledgerIndex: number;
  readonly requestId: string;
  readonly k: number;
  /** The cells released: every one counts at least k. Empty when denied. */
  readonly cells: readonly AggregateCell[];
  /** How many cells were withheld for counting fewer than k parcels. */
  readonly suppressed: number;
  /**
   * SHA-256 over the salt and the released table (canonical JSON), as recorded in the ledger: the recipient
   * can later show which table they were given, while the public entry reveals nothing of it.
   */
  readonly commitment: string;
  /** Base64; with the table it opens the commitment (see `aggregateCommitment`). */
  readonly salt: string;
}

export class AggregateError extends Error {
  override readonly name = 'AggregateError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,39}$/;

/** The commitment to a released table; anyone holding the table and the salt recomputes it. */
export function aggregateCommitment(salt: Buffer, dimensions: readonly string[], cells: readonly AggregateCell[]): string {
  const table = canonicalJson({ dimensions: [...dimensions], cells: cells.map((c) => ({ key: [...c.key], count: c.count, sums: { ...c.sums } })) });
  return createHash('sha256').update('glasshub aggregate v1\n').update(salt).update(table).digest('base64');
}

/**
 * Releases statistics through the gate: cells below k are suppressed, the policy decides on what would
 * be released (action `aggregate` on a dataset), and the decision — with dimensions, cell counts, k and a
 * commitment to the table, but none of its figures — is durable in the ledger before anything is returned.
 */
export async function releaseAggregate(log: DecisionLog, policy: Policy, req: AggregateRequest, clock: () => Date = () => new Date()): Promise<AggregateRelease> {
  const k = req.k ?? DEFAULT_AGGREGATE_K;
  validate(req, k, policy);
  const requestId = req.requestId ?? randomUUID();
  const kept = req.cells.filter((c) => c.count >= k);
  const suppressed = req.cells.length - kept.length;
  const smallestCell = kept.reduce((m, c) => Math.min(m, c.count), kept.length > 0 ? Number.MAX_SAFE_INTEGER : 0);
  const answer = policy.decideAggregate({ principal: req.principal, purpose: req.purpose, dataset: req.dataset, cells: kept.length, smallestCell, k, suppressed });
  const decision = answer.allowed ? 'allow' : 'deny';
  const cells = answer.allowed ? kept : [];
  const salt = randomBytes(16);
  const commitment = aggregateCommitment(salt, req.dimensions, cells);
  const ledgerIndex = await log.append(
    encodeLedgerEntry({
      type: 'aggregate-decision',
      time: clock().toISOString(),
      requestId,
      principal: { id: req.principal.id, role: req.principal.role, organisation: req.principal.organisation, country: req.principal.country },
      action: 'aggregate',
      purpose: req.purpose,
      dataset: req.dataset,
      dimensions: [...req.dimensions],
      filter: req.filter ?? {},
      k,
      cells: cells.length,
      suppressed,
      decision,
      rules: [...answer.rules],
      policy: policy.hash,
      commitment,
    }),
  );
  return { decision, rules: answer.rules, policy: policy.hash, ledgerIndex, requestId, k, cells, suppressed, commitment, salt: salt.toString('base64') };
}

function validate(req: AggregateRequest, k: number, policy: Policy): void {
  const purposeReason = policy.purposeReason(req.purpose);
  if (purposeReason !== undefined) throw new AggregateError('purpose', purposeReason);
  if (!NAME.test(req.dataset)) throw new AggregateError('dataset', 'a short name such as parcels');
  if (!Number.isSafeInteger(k) || k < 1) throw new AggregateError('k', 'a positive integer');
  if (req.dimensions.length === 0) throw new AggregateError('dimensions', 'at least one');
  for (const d of req.dimensions) if (!NAME.test(d)) throw new AggregateError('dimensions', `${JSON.stringify(d)} is not a dimension name`);
  for (const [name, value] of Object.entries(req.filter ?? {})) {
    if (!NAME.test(name) || !/^[0-9A-Za-z:.-]{0,40}$/.test(value)) throw new AggregateError('filter', `${name} must be a short date or code`);
  }
  req.cells.forEach((c, i) => {
    if (c.key.length !== req.dimensions.length) throw new AggregateError(`cells[${i}].key`, `needs ${req.dimensions.length} values, one per dimension`);
    if (!Number.isSafeInteger(c.count) || c.count < 0) throw new AggregateError(`cells[${i}].count`, 'a non-negative integer');
    for (const [m, v] of Object.entries(c.sums)) if (!Number.isSafeInteger(v)) throw new AggregateError(`cells[${i}].sums.${m}`, 'a safe integer');
  });
}
