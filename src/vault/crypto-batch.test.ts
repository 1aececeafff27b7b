import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacEach, hmacMany, openMany, prepareMany, sealMany, WORKER_MIN_ITEMS, type PrepareBatch } from './crypto-batch.js';
import { aesGcmOpen, hmac } from './crypto.js';

const key = randomBytes(32);
const big = WORKER_MIN_ITEMS + 44;

describe('cryptography in batches', () => {
  it('gives the same HMACs in the worker (large batches) as on the calling thread, for any text', async () => {
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 80 }), big);
    const batched = await hmacMany(key, texts);
    expect(batched).toHaveLength(texts.length);
    texts.forEach((t, i) => expect(batched[i]!.equals(hmac(key, t))).toBe(true));
    const small = await hmacMany(key, texts.slice(0, 3));
    small.forEach((h, i) => expect(h.equals(batched[i]!)).toBe(true));
  });

  it('prepares a sealing in the worker (large batches) exactly as on the calling thread, for any text', async () => {
    const texts = fc.sample(fc.string({ unit: 'binary', maxLength: 80 }), big);
    const subjects = texts.slice(0, 100).map((t, i) => ({ message: `subject\nconsignee\n${t}`, id: `s${i}`, key: randomBytes(32) }));
    const batch = (n: number): PrepareBatch => ({
      indexKey: key,
      subjects: subjects.slice(0, n),
      names: texts.filter((t) => t !== '').slice(0, n),
      records: texts.slice(0, n * 3).map((content, i) => ({ subject: i % n, id: `r${i}`, content })),
    });
    for (const n of [2, 100]) {
      const b = batch(n);
      const p = await prepareMany(b); // 2 subjects: on this thread; 100 (and 300 records): in the worker
      p.identities.forEach((h, i) => expect(h.equals(hmac(key, b.subjects[i]!.message))).toBe(true));
      p.names.forEach((h, i) => expect(h.equals(hmac(key, `name\n${b.names[i]!}`))).toBe(true));
      b.records.forEach((r, i) => {
        const subject = b.subjects[r.subject]!;
        expect(p.contentIndexes[i]!.equals(hmac(key, `record\n${subject.id}\n${r.content}`))).toBe(true);
        expect(aesGcmOpen(subject.key, p.ciphertexts[i]!, Buffer.from(`${r.id}\n${subject.id}`)).toString()).toBe(Buffer.from(r.content).toString());
      });
      expect([p.identities.length, p.names.length, p.contentIndexes.length, p.ciphertexts.length]).toEqual([n, b.names.length, b.records.length, b.records.length]);
    }
  });

  it('seals in the worker what opens with its own key and AAD, each with its own nonce', async () => {
    const items = Array.from({ length: big }, (_, i) => ({ key: randomBytes(32), plaintext: randomBytes(i % 97), aad: Buffer.from(`record-${i}\nsubject-${i}`) }));
    const sealed = await sealMany(items);
    expect(sealed).toHaveLength(items.length);
    sealed.forEach((s, i) => {
      expect(s.length).toBe(items[i]!.plaintext.length + 28);
      expect(aesGcmOpen(items[i]!.key, s, items[i]!.aad).equals(items[i]!.plaintext)).toBe(true);
      expect(() => aesGcmOpen(items[i]!.key, s, Buffer.from('another record'))).toThrow();
    });
    expect(new Set(sealed.map((s) => s.subarray(0, 12).toString('hex'))).size).toBe(items.length);
  });

  it('opens in the worker what was sealed, and refuses a batch with one changed ciphertext, naming the item', async () => {
    for (const n of [3, big]) {
      const items = Array.from({ length: n }, (_, i) => ({ key: randomBytes(32), plaintext: Buffer.from(`{"name":"person ${i}"}`), aad: Buffer.from(`r${i}`) }));
      const sealed = await sealMany(items);
      const opened = await openMany(sealed.map((s, i) => ({ key: items[i]!.key, sealed: s, aad: items[i]!.aad })));
      opened.forEach((o, i) => expect(o.equals(items[i]!.plaintext)).toBe(true));
      const bad = sealed.map((s, i) => ({ key: items[i]!.key, sealed: Buffer.from(s), aad: items[i]!.aad }));
      bad[2]!.sealed[14]! ^= 1;
      await expect(openMany(bad)).rejects.toThrow(/item 2: /);
    }
  });

  it('keys each HMAC with its own key in the worker as on the calling thread', async () => {
    const items = Array.from({ length: big }, (_, i) => ({ key: randomBytes(32), message: `glasshub ledger tag v1 ${i % 3}` }));
    const batched = await hmacEach(items);
    items.forEach((it, i) => expect(batched[i]!.equals(hmac(it.key, it.message))).toBe(true));
  });

  it('serves concurrent batches, each with its own answers', async () => {
    const a = Array.from({ length: big }, (_, i) => `a${i}`);
    const b = Array.from({ length: big }, (_, i) => `b${i}`);
    const [ha, hb] = await Promise.all([hmacMany(key, a), hmacMany(key, b)]);
    expect(ha[7]!.equals(hmac(key, 'a7'))).toBe(true);
    expect(hb[7]!.equals(hmac(key, 'b7'))).toBe(true);
  });

  it('refuses a key that is not 32 bytes, and keeps serving', async () => {
    const items = Array.from({ length: big }, (_, i) => ({ key: i === 5 ? randomBytes(16) : randomBytes(32), plaintext: Buffer.from('x'), aad: Buffer.from('y') }));
    await expect(sealMany(items)).rejects.toThrow(/32 bytes/);
    expect(await sealMany(items.map((it) => ({ ...it, key: randomBytes(32) })))).toHaveLength(big);
  });
});
