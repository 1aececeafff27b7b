import { describe, expect, it } from 'vitest';
import { normaliseCode, normalisePostcode, normaliseTrackingNumber, safeNextPath } from './validate.js';

describe('form input', () => {
  it('accepts S10 numbers as printed on labels', () => {
    expect(normaliseTrackingNumber(' rr 123 456 785 be ')).toBe('RR123456785BE');
    expect(normaliseTrackingNumber('RR12345678BE')).toBeNull();
    expect(normaliseTrackingNumber('1R123456785BE')).toBeNull();
  });
  it('bounds postcodes and codes like the server does', () => {
    expect(normalisePostcode(' 4000 ')).toBe('4000');
    expect(normalisePostcode('4')).toBeNull();
    expect(normaliseCode('123 456')).toBe('123456');
    expect(normaliseCode('12')).toBeNull();
  });
});

describe('the page after sign-in', () => {
  it('is a path of this app, never another site', () => {
    expect(safeNextPath('/customs?flight=CK231')).toBe('/customs?flight=CK231');
    expect(safeNextPath('//evil.example/x')).toBeNull();
    expect(safeNextPath('/\\evil.example')).toBeNull();
    expect(safeNextPath('https://evil.example')).toBeNull();
    expect(safeNextPath(null)).toBeNull();
  });
});
