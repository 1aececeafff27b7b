/**
 * Party data (seller, buyer) for customs, read ONLY through the gate with purpose customs-control, in
 * batches: the policy refuses reads of more than 1,000 records at once (`no-bulk-reads`), so refs go in
 * batches of 1,000, a few batches in flight at a time. One ledger entry per batch records the decision.
 */
import type { Gate, PersonalRecord, Principal } from '../gate/index.js';

export const GATE_BATCH = 1000;
const CONCURRENCY = 4;

export class PartyReadDenied extends Error {
  override readonly name = 'PartyReadDenied';
}

/** ref → the fields allowed (erased or missing records are absent from the map). */
export async function readParties(gate: Gate, principal: Principal, refs: Iterable<string>, category: 'seller' | 'consignee'): Promise<Map<string, PersonalRecord>> {
  const unique = [...new Set(refs)];
  const out = new Map<string, PersonalRecord>();
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += GATE_BATCH) batches.push(unique.slice(i, i + GATE_BATCH));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const d = await gate.access({ principal, action: 'read', purpose: 'customs-control', refs: batch, category, fields: ['name', 'street', 'postcode', 'city', 'country'] });
      if (d.decision !== 'allow') throw new PartyReadDenied(`the gate denied reading ${category} data for customs-control (rules: ${d.rules.join(', ')}; ledger entry ${d.ledgerIndex})`);
      for (const r of d.records) if ('data' in r) out.set(r.recordId, r.data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
  return out;
}
