import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashChildren, hashSiblings } from './hash.js';

const node = (left: Uint8Array, right: Uint8Array): Buffer => createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();

describe('node hashes', () => {
  it('are SHA-256(0x01 || left || right) for children of any length, and for siblings given side by side', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 70 }), (a, b, odd) => {
        expect(hashChildren(a, b)).toEqual(node(a, b));
        expect(hashSiblings(Buffer.concat([a, b]))).toEqual(node(a, b));
        // Inputs of other lengths (hostile proofs are checked before, but the function stays exact).
        expect(hashChildren(odd, b)).toEqual(node(odd, b));
        // The buffer reused for 32-byte children leaves nothing behind for the next call.
        expect(hashChildren(b, a)).toEqual(node(b, a));
      }),
    );
  });

  it('refuses siblings that are not two hashes', () => {
    expect(() => hashSiblings(Buffer.alloc(63))).toThrow(RangeError);
  });
});
