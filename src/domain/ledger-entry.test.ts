import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, encodeLedgerEntry, parseLedgerEntry } from './ledger-entry.js';

describe('ledger entries', () => {
  it('accepts a JSON object with a lower-case type', () => {
    const parsed = parseLedgerEntry(Buffer.from('{"type":"operator-note","channel":"phone"}'));
    expect(parsed).toEqual({ ok: true, value: { type: 'operator-note', channel: 'phone' } });
  });

  it.each([
    ['not JSON', 'hello', 'entry is not JSON'],
    ['an array', '[1]', 'entry must be a JSON object'],
    ['no type', '{"a":1}', 'entry must have a "type"'],
    ['an upper-case type', '{"type":"Note"}', 'entry must have a "type"'],
    ['a non-string type', '{"type":3}', 'entry must have a "type"'],
  ])('refuses %s, saying why', (_name, text, reason) => {
    const parsed = parseLedgerEntry(Buffer.from(text));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parseLedgerEntry(Uint8Array.of(0x7b, 0xff, 0x7d)).ok).toBe(false);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => typeof parseLedgerEntry(b).ok === 'boolean'));
  });

  it('writes the same bytes for the same record whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(obj);
      }),
    );
  });

  it('refuses fractional numbers, which have no single spelling', () => {
    expect(() => canonicalJson({ v: 1.5 })).toThrow(TypeError);
  });

  it('round-trips an encoded entry', () => {
    const bytes = encodeLedgerEntry({ type: 'access-decision', decision: 'deny', count: 3 });
    expect(parseLedgerEntry(bytes)).toEqual({ ok: true, value: { type: 'access-decision', decision: 'deny', count: 3 } });
  });
});
