/**
 * The vault's cryptography in bulk, off the main thread. A freighter seals about half a million people
 * (three HMACs and two AES-256-GCM seals each, a few microseconds apiece in node:crypto: about a fifth of
 * the manifest import's time on the main thread), and dispatch opens a truck's recipients (an unwrap, a
 * ledger tag and a decryption each). Batches go to one worker thread, so that the caller's other work
 * (the import's next lines, the other trucks) goes on meanwhile; small batches (a single read, tests) stay
 * on the calling thread, where a round trip would cost more than the work. Both paths compute the same
 * thing with the same primitives: HMAC-SHA256, and AES-256-GCM with a random 96-bit nonce (nonce ||
 * ciphertext || tag, as `aesGcmSeal`).
 *
 * The worker is stateless: every key travels with its batch (threads of one process share its memory
 * anyway). It is started on first use, does not keep the process alive, and is started again after a failure.
 */
import { Worker } from 'node:worker_threads';
import { aesGcmOpen, aesGcmSeal, hmac } from './crypto.js';
import { nameMessage, recordMessage } from './people.js';

/** Below this many items a batch runs on the calling thread. */
export const WORKER_MIN_ITEMS = 256;

export interface SealItem {
  readonly key: Buffer;
  readonly plaintext: Buffer;
  readonly aad: Buffer;
}

export interface OpenItem {
  readonly key: Buffer;
  readonly sealed: Buffer;
  readonly aad: Buffer;
}

// CommonJS, evaluated in the worker; results go back as one transferred buffer (and offsets), not as
// thousands of small cloned ones.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createDecipheriv, createHmac, randomBytes } = require('node:crypto');
let pool = Buffer.alloc(0);
let at = 0;
const nonce = () => {
  if (at + 12 > pool.length) { pool = randomBytes(65536); at = 0; }
  return pool.subarray(at, (at += 12));
};
const view = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
parentPort.on('message', (m) => {
  try {
    if (m.op === 'prepare') {
      // The messages of people.ts's nameMessage and recordMessage, hashed in parts (test: the same as on the calling thread).
      const key = view(m.indexKey), subjectKeys = view(m.subjectKeys);
      const S = m.subjects.length, N = m.names.length, R = m.contents.length;
      const out = Buffer.allocUnsafeSlow(32 * (S + N + R));
      m.subjects.forEach((msg, i) => createHmac('sha256', key).update(msg).digest().copy(out, 32 * i));
      m.names.forEach((name, i) => createHmac('sha256', key).update('name\\n').update(name).digest().copy(out, 32 * (S + i)));
      const parts = [];
      const ends = new Uint32Array(R);
      let total = 0;
      for (let i = 0; i < R; i++) {
        const s = m.recordSubjects[i], subjectId = m.subjectIds[s], content = m.contents[i];
        createHmac('sha256', key).update('record\\n').update(subjectId).update('\\n').update(content).digest().copy(out, 32 * (S + N + i));
        const iv = nonce();
        const cipher = createCipheriv('aes-256-gcm', subjectKeys.subarray(32 * s, 32 * s + 32), iv);
        cipher.setAAD(Buffer.from(m.recordIds[i] + '\\n' + subjectId));
        for (const b of [Buffer.from(iv), cipher.update(content, 'utf8'), cipher.final(), cipher.getAuthTag()]) { parts.push(b); total += b.length; }
        ends[i] = total;
      }
      const sealed = Buffer.allocUnsafeSlow(total);
      let o = 0;
      for (const b of parts) o += b.copy(sealed, o);
      parentPort.postMessage({ id: m.id, out, sealed, ends }, [out.buffer, sealed.buffer, ends.buffer]);
      return;
    }
    if (m.op === 'hmac' || m.op === 'hmacs') {
      const out = Buffer.allocUnsafeSlow(32 * m.messages.length);
      const keys = view(m.keys);
      m.messages.forEach((msg, i) => {
        const key = m.op === 'hmac' ? keys : keys.subarray(32 * i, 32 * i + 32);
        createHmac('sha256', key).update(msg).digest().copy(out, 32 * i);
      });
      parentPort.postMessage({ id: m.id, out }, [out.buffer]);
      return;
    }
    const keys = view(m.keys), input = view(m.inputs), aads = view(m.aads);
    const n = m.inputEnds.length;
    const parts = [];
    const ends = new Uint32Array(n);
    let total = 0;
    for (let i = 0, p = 0, a = 0; i < n; i++) {
      const key = keys.subarray(32 * i, 32 * i + 32);
      const bytes = input.subarray(p, m.inputEnds[i]);
      const aad = aads.subarray(a, m.aadEnds[i]);
      let out;
      if (m.op === 'seal') {
        const iv = nonce();
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        cipher.setAAD(aad);
        out = [Buffer.from(iv), cipher.update(bytes), cipher.final(), cipher.getAuthTag()];
      } else {
        if (bytes.length < 28) throw new Error('item ' + i + ': ciphertext too short');
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(aad);
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        try {
          out = [decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()];
        } catch (err) {
          throw new Error('item ' + i + ': ' + String(err && err.message));
        }
      }
      for (const b of out) { parts.push(b); total += b.length; }
      ends[i] = total;
      p = m.inputEnds[i];
      a = m.aadEnds[i];
    }
    const out = Buffer.allocUnsafeSlow(total);
    let o = 0;
    for (const b of parts) o += b.copy(out, o);
    parentPort.postMessage({ id: m.id, out, ends }, [out.buffer, ends.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message) });
  }
});
`;

interface Result {
  out: Uint8Array;
  ends?: Uint32Array;
  sealed?: Uint8Array;
}
type Reply = ({ id: number } & Result) | { id: number; error: string };

class CryptoThread {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (err: Error) => void }>();

  run(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<Result> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) p.reject(new Error(`vault crypto worker: ${reply.error}`));
      else p.resolve(reply);
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`vault crypto worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

const thread = new CryptoThread();

/** HMAC-SHA256 of each message (UTF-8) under `key`, in order. */
export async function hmacMany(key: Buffer, messages: readonly string[]): Promise<Buffer[]> {
  if (messages.length < WORKER_MIN_ITEMS) return messages.map((m) => hmac(key, m));
  const { out } = await thread.run({ op: 'hmac', keys: Uint8Array.from(key), messages }, []);
  return fixedSlices(out, 32, messages.length);
}

/** HMAC-SHA256 of each message (UTF-8) under its own 32-byte key, in order. */
export async function hmacEach(items: readonly { readonly key: Buffer; readonly message: string }[]): Promise<Buffer[]> {
  if (items.length < WORKER_MIN_ITEMS) return items.map((it) => hmac(it.key, it.message));
  const keys = packKeys(items.map((it) => it.key));
  const { out } = await thread.run({ op: 'hmacs', keys, messages: items.map((it) => it.message) }, owned([keys]));
  return fixedSlices(out, 32, items.length);
}

/** A sealing's cryptography, prepared before its transaction (see `prepare-seal.ts`). */
export interface PrepareBatch {
  readonly indexKey: Buffer;
  /** New subjects: the blind index's message, the id and the data key each would get. */
  readonly subjects: readonly { readonly message: string; readonly id: string; readonly key: Buffer }[];
  /** Names in screening form, none empty. */
  readonly names: readonly string[];
  /** Records: the index of their subject in `subjects`, their id and canonical content. */
  readonly records: readonly { readonly subject: number; readonly id: string; readonly content: string }[];
}

export interface PreparedCrypto {
  /** Per subject: HMAC of its message (the blind index). */
  readonly identities: Buffer[];
  /** Per name: HMAC of `nameMessage`. */
  readonly names: Buffer[];
  /** Per record: HMAC of `recordMessage` (the content index). */
  readonly contentIndexes: Buffer[];
  /** Per record: its content sealed under its subject's key, with `id\nsubject id` as AAD (as `aesGcmSeal`). */
  readonly ciphertexts: Buffer[];
}

/**
 * All of a sealing's keyed hashes and seals in one message: each record's content crosses once, as text,
 * and is encoded, hashed and sealed in the worker (per-record buffers and messages built here cost the
 * main thread about as much as the hashing itself).
 */
export async function prepareMany(batch: PrepareBatch): Promise<PreparedCrypto> {
  const { indexKey, subjects, names, records } = batch;
  if (subjects.length + records.length < WORKER_MIN_ITEMS) {
    return {
      identities: subjects.map((s) => hmac(indexKey, s.message)),
      names: names.map((n) => hmac(indexKey, nameMessage(n))),
      contentIndexes: records.map((r) => hmac(indexKey, recordMessage(subjects[r.subject]!.id, r.content))),
      ciphertexts: records.map((r) => aesGcmSeal(subjects[r.subject]!.key, Buffer.from(r.content), Buffer.from(`${r.id}\n${subjects[r.subject]!.id}`))),
    };
  }
  const subjectKeys = packKeys(subjects.map((s) => s.key));
  const recordSubjects = Uint32Array.from(records, (r) => r.subject);
  const { out, sealed, ends } = await thread.run(
    {
      op: 'prepare',
      indexKey: Uint8Array.from(indexKey),
      subjects: subjects.map((s) => s.message),
      subjectIds: subjects.map((s) => s.id),
      subjectKeys,
      names,
      contents: records.map((r) => r.content),
      recordIds: records.map((r) => r.id),
      recordSubjects,
    },
    owned([subjectKeys]),
  );
  if (sealed === undefined || ends === undefined || ends.length !== records.length) throw new Error('vault crypto worker: a prepare batch came back incomplete');
  const hashes = fixedSlices(out, 32, subjects.length + names.length + records.length);
  const all = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  return {
    identities: hashes.slice(0, subjects.length),
    names: hashes.slice(subjects.length, subjects.length + names.length),
    contentIndexes: hashes.slice(subjects.length + names.length),
    ciphertexts: records.map((_, i) => all.subarray(i === 0 ? 0 : ends[i - 1]!, ends[i])),
  };
}

/** `aesGcmSeal` of each item, in order (each with its own random nonce). */
export async function sealMany(items: readonly SealItem[]): Promise<Buffer[]> {
  if (items.length < WORKER_MIN_ITEMS) return items.map((it) => aesGcmSeal(it.key, it.plaintext, it.aad));
  return gcmBatch('seal', items.map((it) => [it.key, it.plaintext, it.aad]));
}

/** `aesGcmOpen` of each item, in order; rejects if any was changed or has the wrong key or AAD (saying which). */
export async function openMany(items: readonly OpenItem[]): Promise<Buffer[]> {
  if (items.length < WORKER_MIN_ITEMS) {
    return items.map((it, i) => {
      try {
        return aesGcmOpen(it.key, it.sealed, it.aad);
      } catch (err) {
        throw new Error(`item ${i}: ${(err as Error).message}`);
      }
    });
  }
  return gcmBatch('open', items.map((it) => [it.key, it.sealed, it.aad]));
}

async function gcmBatch(op: 'seal' | 'open', items: readonly (readonly [key: Buffer, input: Buffer, aad: Buffer])[]): Promise<Buffer[]> {
  const keys = packKeys(items.map((it) => it[0]));
  const inputs = Buffer.concat(items.map((it) => it[1]));
  const aads = Buffer.concat(items.map((it) => it[2]));
  const inputEnds = new Uint32Array(items.length);
  const aadEnds = new Uint32Array(items.length);
  let p = 0;
  let a = 0;
  items.forEach((it, i) => {
    inputEnds[i] = p += it[1].length;
    aadEnds[i] = a += it[2].length;
  });
  const { out, ends } = await thread.run({ op, keys, inputs, aads, inputEnds, aadEnds }, owned([keys, inputs, aads]));
  if (ends === undefined || ends.length !== items.length) throw new Error(`vault crypto worker: a ${op} batch came back incomplete`);
  const all = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  return items.map((_, i) => all.subarray(i === 0 ? 0 : ends[i - 1]!, ends[i]));
}

function packKeys(keys: readonly Buffer[]): Buffer {
  for (const k of keys) if (k.length !== 32) throw new RangeError('an AES-256 or HMAC key here is 32 bytes');
  return Buffer.concat(keys);
}

function fixedSlices(out: Uint8Array, size: number, n: number): Buffer[] {
  const all = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  return Array.from({ length: n }, (_, i) => all.subarray(size * i, size * i + size));
}

/** Moved, not copied: only buffers that own their whole ArrayBuffer (never a slice of Node's shared pool). */
function owned(buffers: readonly Buffer[]): ArrayBuffer[] {
  return buffers.filter((b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength).map((b) => b.buffer as ArrayBuffer);
}
