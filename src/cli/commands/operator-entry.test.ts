import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operatorEntryReason } from './operator-entry.js';

describe('operatorEntryReason', () => {
  it('accepts an operator note of identifiers, times, hashes and prose', () => {
    const entry = {
      type: 'operator-note',
      channel: 'phone',
      awb: '112-12345675',
      parcels: ['LX123456785BE', 'RR000000000DE'],
      at: '2026-11-25T10:00:00+01:00',
      sha256: createHash('sha256').update('x').digest('base64'),
      text: 'ULD AKE12345CK opened for inspection at gate 4, 12 parcels re-taped',
    };
    expect(operatorEntryReason(entry)).toBeUndefined();
  });

  it('refuses a type the hub writes itself', () => {
    expect(operatorEntryReason({ type: 'access-decision' })).toMatch(/^type "access-decision": log append writes operator entries only/);
  });

  it('refuses an e-mail address or a phone number, naming where it is', () => {
    expect(operatorEntryReason({ type: 'operator-note', text: 'called back jan.peeters@example.be' })).toMatch(/^text: looks like an e-mail address/);
    expect(operatorEntryReason({ type: 'operator-note', contact: { phones: ['n/a', '+32 470 12 34 56'] } })).toMatch(/^contact\.phones\[1\]: looks like a phone number/);
    expect(operatorEntryReason({ type: 'operator-note', 'a@b.eu': true })).toMatch(/^a@b\.eu: looks like an e-mail address/);
  });

  it('never takes a SHA-256 in base64 or hex for a phone number', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const digest = createHash('sha256').update(bytes).digest();
        return operatorEntryReason({ type: 'operator-note', b64: digest.toString('base64'), hex: digest.toString('hex') }) === undefined;
      }),
    );
  });
});
