import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeLedgerEntry } from '../../src/domain/index.js';
import { EntryTemplate } from '../../src/gate/entry-template.js';

const constant = { type: 'access-decision', principal: { id: 'o"1', role: 'customs-officer' }, fields: ['name'], decision: 'allow', count: 1, legalBasis: null };

describe('a ledger entry template', () => {
  it('encodes exactly the bytes encodeLedgerEntry gives for the whole entry, whatever the values', () => {
    const template = EntryTemplate.of(constant, ['requestId', 'subject', 'time'] as const)!;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.string({ unit: 'grapheme' }), (requestId, subject, time) => {
        expect(template.encode({ requestId, subject, time })).toEqual(encodeLedgerEntry({ ...constant, requestId, subject, time }));
      }),
    );
  });

  it('lets a variable take the place of a constant field of the same name', () => {
    const template = EntryTemplate.of({ ...constant, subject: 'fixed' }, ['subject'] as const)!;
    expect(template.encode({ subject: 'x' })).toEqual(encodeLedgerEntry({ ...constant, subject: 'x' }));
  });
});
