import { describe, expect, it } from 'vitest';
import * as domain from './index.js';
import { fail, NOT_A_STRING, ok, ParseError, unwrap } from './parsed.js';

describe('Parsed', () => {
  it('carries a value or a reason', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(fail('too long')).toEqual({ ok: false, reason: 'too long' });
    expect(Object.isFrozen(NOT_A_STRING)).toBe(true);
  });

  it('unwraps, or throws a ParseError naming the field', () => {
    expect(unwrap(ok('x'))).toBe('x');
    const error = (() => {
      try {
        unwrap(fail('check digit does not match'), 'awb');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ name: 'ParseError', reason: 'check digit does not match', field: 'awb' });
    expect((error as Error).message).toBe('awb: check digit does not match');
    expect(() => unwrap(fail('bad'))).toThrow(/^bad$/);
  });

  it('shares refusals instead of allocating one per bad line', () => {
    expect(domain.parseS10('x')).toBe(domain.parseS10('y'));
    expect(domain.parseAwb(1)).toBe(NOT_A_STRING);
  });
});

describe('index', () => {
  it('exports the parsers of every module', () => {
    for (const name of [
      'parseS10', 'parseAwb', 'parseSscc', 'parseUld', 'parseCountry', 'normalisePostcode', 'parseHsCode',
      'parseHs6', 'parseCurrency', 'parseMoney',
    ] as const) {
      expect(typeof domain[name]).toBe('function');
    }
  });
});
