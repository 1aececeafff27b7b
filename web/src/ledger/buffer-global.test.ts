import { Buffer as Polyfill } from 'buffer/index.js'; // the npm package, not Node's built-in
import { expect, it } from 'vitest';
import './buffer-global.js';

it("gives the browser's Buffer Node's base64url, both ways", () => {
  const bytes = [251, 255, 1, 62, 63];
  const nodeForm = Buffer.from(bytes).toString('base64url');
  expect(Polyfill.from(bytes).toString('base64url')).toBe(nodeForm);
  expect([...Polyfill.from(nodeForm, 'base64url' as 'base64')]).toEqual(bytes);
  expect(Polyfill.from(bytes).toString('hex')).toBe('fbff013e3f');
});

it('compares a Buffer with a plain Uint8Array, as Node does', () => {
  const a = Polyfill.from([1, 2, 3]);
  const equals = (other: Uint8Array): boolean => (a.equals as (o: Uint8Array) => boolean).call(a, other);
  expect(equals(new Uint8Array([1, 2, 3]))).toBe(true);
  expect(equals(new Uint8Array([1, 2, 4]))).toBe(false);
  expect(equals(new Uint8Array([9, 1, 2, 3]).subarray(1))).toBe(true);
});

it('tests the npm package, not Node’s own Buffer', () => {
  expect(Polyfill).not.toBe(globalThis.Buffer);
});
