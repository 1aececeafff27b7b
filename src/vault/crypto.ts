import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Random bytes from a pool refilled 64 KiB at a time: sealing a freighter asks for five small random values
 * per person, and one CSPRNG call per value cost more than the encryption itself.
 */
const POOL_SIZE = 64 * 1024;
let pool = Buffer.alloc(0);
let poolAt = 0;
export function random(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = randomBytes(Math.max(POOL_SIZE, n));
    poolAt = 0;
  }
  // A copy: callers keep keys and ids, and the pool is reused.
  const out = Buffer.from(pool.subarray(poolAt, poolAt + n));
  poolAt += n;
  return out;
}

/** AES-256-GCM with a 96-bit random nonce: output = nonce (12) || ciphertext || tag (16). */
const NONCE = 12;
const TAG = 16;

export function aesGcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = random(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([nonce, body, final, cipher.getAuthTag()]);
}

/** Throws when the ciphertext, its nonce, tag or AAD was changed, or the key is wrong. */
export function aesGcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < NONCE + TAG) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
}

export function hmac(key: Buffer, ...parts: (string | Buffer)[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}
