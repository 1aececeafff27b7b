import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, buildWitnessApp } from '../../src/http/index.js';
import {
  Witness,
  WitnessPool,
  formatAddCheckpointRequest,
  generateWitnessKey,
  openNote,
  originHash,
  parseCheckpoint,
  parseVerifierKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
  verifyCosignature,
  witnessedLogs,
  type TransparencyLog,
} from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger, type LogKey } from '../../src/runtime/index.js';
import { KyselyWitnessStorage, openStore, type Store } from '../../src/store/index.js';
import { runGlasshub, spawnGlasshub } from '../support/cli.js';
import { STORE_KINDS, openTestStore, type StoreKind, type TestStore } from '../support/stores.js';

const ORIGIN = 'test.glasshub/witnessed';
const entry = (i: number): Buffer => Buffer.from(JSON.stringify({ type: 'test', i }));
const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** A witness as its own service: its own database, its own key, an HTTP app on 127.0.0.1; restartable on its port. */
class TestWitness {
  readonly key: { skey: string; vkey: string };
  port = 0;
  private app: FastifyInstance | undefined;
  private conn: Store | undefined;

  private constructor(readonly name: string, private readonly store: TestStore, private readonly logVkey: string) {
    this.key = generateWitnessKey(name);
  }

  static async start(kind: StoreKind, name: string, logVkey: string): Promise<TestWitness> {
    const w = new TestWitness(name, await openTestStore(kind), logVkey);
    await w.start();
    return w;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A fresh process would do the same: open the database, load the key, listen (on the same port once it had one). */
  async start(): Promise<void> {
    this.conn = await openStore(this.store.url);
    const storage = new KyselyWitnessStorage(this.conn.db);
    const witness = new Witness({ signer: parseWitnessSignerKey(this.key.skey), logs: witnessedLogs([this.logVkey]), storage });
    this.app = buildWitnessApp(witness, { logger: false });
    await this.app.listen({ port: this.port, host: '127.0.0.1' });
    this.port = (this.app.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.conn?.close();
    this.app = this.conn = undefined;
  }

  async checkpoint(): Promise<Response> {
    return fetch(`${this.url}/${originHash(ORIGIN)}/checkpoint`);
  }

  async cleanup(): Promise<void> {
    await this.stop();
    await this.store.cleanup();
  }
}

/** The hub side: the log on a store, its witness pool, and the public app serving only cosigned checkpoints. */
interface Hub {
  readonly log: TransparencyLog;
  readonly pool: WitnessPool;
  readonly app: FastifyInstance;
  readonly reports: string[];
  close(): Promise<void>;
}

async function openHub(store: TestStore, key: LogKey, witnesses: TestWitness[]): Promise<Hub> {
  const reports: string[] = [];
  const pool = new WitnessPool({
    witnesses: witnesses.map((w) => ({ vkey: w.key.vkey, url: w.url })),
    quorum: 2,
    timeoutMs: 2_000,
    retryMs: 50,
    maxRetryMs: 300,
    report: (message) => reports.push(message),
  });
  const log = await openLedger(store, key, { maxDelayMs: 1, onCheckpoint: pool.onCheckpoint });
  pool.attach(log);
  const app = await buildApp({ log, logVkey: key.vkey, requireCosigned: true }, { logger: false });
  return {
    log,
    pool,
    app,
    reports,
    close: async () => {
      await app.close();
      await log.close();
      await pool.close();
    },
  };
}

describe.each(STORE_KINDS)('witnessing on %s', (kind) => {
  // Set in beforeAll; afterAll cleans up whatever was set even if beforeAll failed half way.
  let store: TestStore;
  let key: LogKey;
  let witnesses: TestWitness[];
  let hub: Hub;
  let next = 0;
  const append = (n: number): Promise<number[]> => Promise.all(Array.from({ length: n }, () => hub.log.append(entry(next++))));

  /** GET /log/checkpoint: the note must verify with the log key and both witness keys. */
  const servedCheckpoint = async (): Promise<number> => {
    const res = await hub.app.inject('/log/checkpoint');
    expect(res.statusCode).toBe(200);
    const verifiers = [parseVerifierKey(key.vkey), ...witnesses.map((w) => parseWitnessVerifierKey(w.key.vkey))];
    const opened = openNote(res.rawPayload, verifiers);
    expect(opened.signatures.map((s) => s.name)).toEqual([ORIGIN, 'w1.test', 'w2.test']);
    return parseCheckpoint(opened.text).size;
  };

  beforeAll(async () => {
    store = await openTestStore(kind);
    key = loadOrCreateLogKey(join(tmp('glasshub-key-'), 'log.key'), ORIGIN);
    witnesses = await Promise.all(['w1.test', 'w2.test'].map((name) => TestWitness.start(kind, name, key.vkey)));
    hub = await openHub(store, key, witnesses);
  });
  afterAll(async () => {
    await hub?.close();
    await Promise.all((witnesses ?? []).map((w) => w.cleanup()));
    await store?.cleanup();
  });

  it('serves a checkpoint cosigned by both witnesses that verifies with the log key and both witness keys', async () => {
    await append(100);
    await append(37);
    await hub.pool.whenWitnessed(137);
    expect(await servedCheckpoint()).toBe(137);
    const [w1] = witnesses;
    const res = await w1!.checkpoint();
    expect(res.status).toBe(200);
    const opened = openNote(new Uint8Array(await res.arrayBuffer()), [parseVerifierKey(key.vkey), parseWitnessVerifierKey(w1!.key.vkey)]);
    expect(parseCheckpoint(opened.text).size).toBe(137);
    expect((await fetch(`${w1!.url}/${originHash('other/log')}/checkpoint`)).status).toBe(404);
  });

  it('a witness that is down blocks no append, and 1 cosignature of 2 is no quorum', async () => {
    const [w1, w2] = witnesses;
    await w2!.stop();
    const started = Date.now();
    await append(50);
    expect(Date.now() - started).toBeLessThan(1_500);
    await vi.waitFor(() => expect(hub.pool.status().witnesses[0]!.size).toBe(187), { timeout: 10_000, interval: 20 });
    expect(hub.pool.status().witnessed).toBe(137);
    expect(await servedCheckpoint()).toBe(137);
    expect(hub.reports.some((r) => r.startsWith('witness w2.test failed'))).toBe(true);
    expect(parseCheckpoint(Buffer.from(await (await w1!.checkpoint()).arrayBuffer()).toString('utf8').split('\n\n')[0]! + '\n').size).toBe(187);
  });

  it('a witness restarted with its stored state goes on', async () => {
    const [, w2] = witnesses;
    await w2!.start(); // same database, same key, same port
    await hub.pool.whenWitnessed(187);
    expect(await servedCheckpoint()).toBe(187);
    await append(13);
    await hub.pool.whenWitnessed(200);
    expect(await servedCheckpoint()).toBe(200);
  });

  it('a restarted hub learns what each witness cosigned from its 409 and goes on', async () => {
    await hub.close();
    hub = await openHub(store, key, witnesses);
    await hub.pool.whenWitnessed(200); // old 0 → 409 "200" → old 200, the same checkpoint again
    await append(20);
    await hub.pool.whenWitnessed(220);
    expect(await servedCheckpoint()).toBe(220);
    expect(hub.pool.status().witnesses.map((w) => w.size)).toEqual([220, 220]);
  });

  it('the witness app takes any content type, caps bodies and answers errors as plain text', async () => {
    const [w1] = witnesses;
    const post = (body: Uint8Array | string, type?: string): Promise<Response> =>
      fetch(`${w1!.url}/add-checkpoint`, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });
    const cp = await hub.log.checkpoint();
    for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
      const res = await post(formatAddCheckpointRequest(0, [], cp.note), type);
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([409, 'text/x.tlog.size', `${cp.size}\n`]);
    }
    const huge = await post(new Uint8Array(64 * 1024 + 1), 'text/plain');
    expect([huge.status, huge.headers.get('content-type')]).toEqual([413, 'text/plain; charset=utf-8']);
    const junk = await post('{"old": 0}', 'application/json');
    expect([junk.status, await junk.text()]).toEqual([400, 'request body must start with newline-terminated old size and proof lines\n']);
    expect((await fetch(`${w1!.url}/${'A'.repeat(64)}/checkpoint`)).status).toBe(404);
    expect((await fetch(`${w1!.url}/nothing`)).status).toBe(404);
  });

  it('the store compare-and-swap is atomic: racing writers on two connections never roll a size back', async () => {
    const ts = await openTestStore(kind);
    const conns = await Promise.all([openStore(ts.url), openStore(ts.url)]);
    try {
      const storages = conns.map((c) => new KyselyWitnessStorage(c.db));
      const state = (size: number) => ({ size, rootHash: new Uint8Array(32).fill(size), note: Buffer.from(`note ${size}\n`) });
      const race = (expected: number, sizes: number[]) => Promise.all(sizes.map((s, i) => storages[i % 2]!.compareAndSwap('o', expected, state(s))));
      let current = 0;
      for (const sizes of [[1, 2, 3, 4, 5, 6], [9, 7, 12, 8], [13, 40, 20, 14, 30], [45, 41, 50]]) {
        const results = await race(current, sizes);
        const winners = sizes.filter((_, i) => results[i]!.ok);
        expect(winners).toHaveLength(1);
        const stored = await storages[1]!.read('o');
        expect(stored).toEqual({ size: winners[0], rootHash: new Uint8Array(32).fill(winners[0]!), note: new Uint8Array(Buffer.from(`note ${winners[0]}\n`)) });
        results.filter((r) => !r.ok).forEach((r) => expect(r).toEqual({ ok: false, currentSize: winners[0] }));
        current = winners[0]!;
      }
      expect(await storages[0]!.compareAndSwap('o', 0, state(1))).toEqual({ ok: false, currentSize: current });
      expect(await storages[1]!.compareAndSwap('o', current, state(current))).toEqual({ ok: true }); // the same size again
      expect(await storages[0]!.read('other')).toBeUndefined();
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await ts.cleanup();
    }
  });

  it('runs as a process: glasshub witness creates its key, prints its vkey and cosigns', async () => {
    const dir = tmp('glasshub-witness-');
    const keyFile = join(dir, 'witness.key');
    const db = await openTestStore(kind);
    const child = spawnGlasshub(['witness', '--port', '0', '--key', keyFile, '--log-vkey', key.vkey, '--db', db.url, '--name', 'w3.test']);
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          text += d;
          if (/^witnessing .* on http:\/\/\S+\n/m.test(text)) resolve(text);
        });
        child.on('close', (code) => reject(new Error(`glasshub witness exited with ${code}`)));
      });
      const vkey = /^glasshub witness (\S+)$/m.exec(out)![1]!; // after pino's JSON lines
      const url = /^witnessing .* on (http:\/\/\S+)$/m.exec(out)![1]!;
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect((await runGlasshub(['witness', '--key', keyFile, '--print-vkey'])).stdout).toBe(`${vkey}\n`);

      const cp = await hub.log.checkpoint();
      const res = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpointRequest(0, [], cp.note) });
      expect(res.status).toBe(200);
      const text = cp.note.toString('utf8').split('\n\n')[0]! + '\n';
      expect(verifyCosignature(text, await res.text(), parseWitnessVerifierKey(vkey))).toBeGreaterThan(0);
      const stale = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpointRequest(0, [], cp.note) });
      expect([stale.status, stale.headers.get('content-type'), await stale.text()]).toEqual([409, 'text/x.tlog.size', `${cp.size}\n`]);
      expect((await fetch(`${url}/${originHash(ORIGIN)}/checkpoint`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode === null ? child.on('close', resolve) : resolve(null)));
      await db.cleanup();
    }
  });
});
