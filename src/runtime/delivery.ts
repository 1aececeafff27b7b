import type { Gate } from '../gate/index.js';
import { OperationError, type DeliveryDisclosure, type DeliveryRecipient } from '../hub/operations/index.js';

/**
 * Dispatch's disclosure, through the gate: the carrier is the principal (role `carrier`, its organisation),
 * the purpose is delivery, and the whole truck is one decision — one ledger entry with the count and a
 * commitment to the people — before any address leaves.
 */
export function gateDeliveryDisclosure(gate: Gate, hubCountry: string): DeliveryDisclosure {
  return {
    async disclose(request) {
      const decision = await gate.access({
        principal: { id: `carrier:${request.recipient}`, role: 'carrier', organisation: request.recipient, country: hubCountry },
        action: 'disclose',
        purpose: request.purpose,
        legalBasis: 'GDPR Art. 6(1)(b): contract of carriage',
        refs: request.refs,
        category: 'consignee',
        fields: request.fields,
        requestId: `dispatch:${request.truckId}:${request.disclosure}`,
      });
      if (decision.decision === 'deny') {
        throw new OperationError('FORBIDDEN', `the policy refuses this disclosure to ${request.recipient} (rules: ${decision.rules.join(', ')}; ledger entry ${decision.ledgerIndex})`);
      }
      const out = new Map<string, DeliveryRecipient>();
      for (const r of decision.records) if ('data' in r) out.set(r.recordId, r.data);
      return out;
    },
  };
}
