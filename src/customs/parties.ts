/**
 * Party data (seller, buyer) for customs, read ONLY through the gate with purpose customs-control, in
 * batches: the policy refuses reads of more than 1,000 records at once (`no-bulk-reads`), so refs are
 * deduplicated and go in batches of 1,000, a few batches in flight at a time. One ledger entry per batch
 * records the decision; its index is returned with the data (the receipt of the read).
 */
import type { Gate, PersonalField, PersonalRecord, Principal } from '../gate/index.js';

export const GATE_BATCH = 1000;
const CONCURRENCY = 4;
export const PARTY_READ_FIELDS: readonly PersonalField[] = ['name', 'street', 'postcode', 'city', 'country'];

export class PartyReadDenied extends Error {
  override readonly name = 'PartyReadDenied';
  constructor(
    message: string,
    readonly ledgerIndex: number,
  ) {
    super(message);
  }
}

export interface PartyRead {
  /** ref → the fields allowed (erased or missing records are absent). */
  readonly records: Map<string, PersonalRecord>;
  /** The ledger index of each batch's decision, in batch order. */
  readonly ledgerIndexes: readonly number[];
}

export async function readParties(
  gate: Gate,
  principal: Principal,
  refs: Iterable<string>,
  category: 'seller' | 'consignee',
  fields: readonly PersonalField[] = PARTY_READ_FIELDS,
  requestId?: string,
): Promise<PartyRead> {
  const unique = [...new Set(refs)];
  const records = new Map<string, PersonalRecord>();
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += GATE_BATCH) batches.push(unique.slice(i, i + GATE_BATCH));
  const ledgerIndexes: number[] = new Array<number>(batches.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const at = next++;
      const batch = batches[at]!;
      const d = await gate.access({ principal, action: 'read', purpose: 'customs-control', refs: batch, category, fields, ...(requestId !== undefined && { requestId: `${requestId}/${category}/${at}` }) });
      ledgerIndexes[at] = d.ledgerIndex;
      if (d.decision !== 'allow') throw new PartyReadDenied(`the gate denied reading ${category} data for customs-control (rules: ${d.rules.join(', ')}; ledger entry ${d.ledgerIndex})`, d.ledgerIndex);
      for (const r of d.records) if ('data' in r) records.set(r.recordId, r.data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
  return { records, ledgerIndexes };
}
