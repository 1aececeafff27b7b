import * as real from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as shim from './node-crypto.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

describe('the browser node:crypto shim agrees with node:crypto', () => {
  it('hashes the same', () => {
    const parts = ['glasshub.local/hub', new Uint8Array([0x0a, 0x01]), new Uint8Array(300).fill(7)] as const;
    const a = real.createHash('sha256');
    const b = shim.createHash('sha256');
    for (const p of parts) {
      if (typeof p === 'string') {
        a.update(p, 'utf8');
        b.update(p, 'utf8');
      } else {
        a.update(p);
        b.update(p);
      }
    }
    expect(Buffer.from(b.digest()).toString('hex')).toBe(a.digest('hex'));
  });

  it('hashes the same in one shot', () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array([0x00, 0x61]), new Uint8Array(1000).fill(9)]) {
      expect(Buffer.from(shim.hash('sha256', bytes, 'buffer')).toString('hex')).toBe(real.hash('sha256', bytes, 'hex'));
    }
    expect(() => shim.hash('sha1', new Uint8Array(1), 'buffer')).toThrow(/only sha256/);
  });

  it('derives the same public key and verifies node:crypto signatures (and the other way round)', () => {
    const seed = real.randomBytes(32);
    const der = Buffer.concat([PKCS8_PREFIX, seed]);
    const realKey = real.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const shimKey = shim.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const realSpki = real.createPublicKey(realKey).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(shim.createPublicKey(shimKey).export({ format: 'der', type: 'spki' })).equals(realSpki)).toBe(true);

    const message = new TextEncoder().encode('glasshub.local/hub\n42\nabc=\n');
    const x = realSpki.subarray(12).toString('base64url');
    const shimPub = shim.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    const realSig = real.sign(null, message, realKey);
    expect(shim.verify(null, message, shimPub, realSig)).toBe(true);
    expect(shim.verify(null, message.subarray(1), shimPub, realSig)).toBe(false);
    const shimSig = shim.sign(null, message, shimKey);
    expect(real.verify(null, message, real.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }), shimSig)).toBe(true);
  });

  it('answers false, never throws, for a malformed signature', () => {
    const pub = shim.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 9).toString('base64url') }, format: 'jwk' });
    expect(shim.verify(null, new Uint8Array(3), pub, new Uint8Array(64).fill(255))).toBe(false);
  });
});
