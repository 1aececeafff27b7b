import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hashLeaf,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  decodeEntryBundle,
} from '../../src/ledger/index.js';
import { STORE_KINDS } from '../support/stores.js';
import { startTestHub, type TestHub } from '../support/hub.js';

const entry = (i: number): Buffer => Buffer.from(JSON.stringify({ type: 'test', i }));

describe.each(STORE_KINDS)('log endpoints on %s', (kind) => {
  let hub: TestHub;
  const entries = Array.from({ length: 1300 }, (_, i) => entry(i));

  beforeAll(async () => {
    hub = await startTestHub(kind);
    await Promise.all(entries.slice(0, 1000).map((e) => hub.log.append(e)));
    await Promise.all(entries.slice(1000).map((e) => hub.log.append(e)));
  });
  afterAll(() => hub.close());

  it('serves the verifier key and a checkpoint that verifies with it', async () => {
    const vkey = await hub.app.inject('/log/vkey');
    expect(vkey.statusCode).toBe(200);
    expect(vkey.body.trim()).toBe(hub.key.vkey);
    const res = await hub.app.inject('/log/checkpoint');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const cp = openCheckpoint(res.rawPayload, parseVerifierKey(vkey.body.trim())).checkpoint;
    expect(cp.size).toBe(1300);
  });

  it('serves full tiles as immutable and partial tiles by width', async () => {
    const full = await hub.app.inject('/log/tile/0/001');
    expect(full.statusCode).toBe(200);
    expect(full.headers['cache-control']).toContain('immutable');
    expect(full.rawPayload).toEqual(Buffer.concat(entries.slice(256, 512).map(hashLeaf)));
    const partial = await hub.app.inject('/log/tile/0/005.p/20');
    expect(partial.rawPayload).toEqual(Buffer.concat(entries.slice(1280, 1300).map(hashLeaf)));
    expect(partial.headers['cache-control']).not.toContain('immutable');
    const bundle = await hub.app.inject('/log/tile/entries/004');
    expect(decodeEntryBundle(bundle.rawPayload, 256).map((b) => Buffer.from(b))).toEqual(entries.slice(1024, 1280));
  });

  it('answers 404 for a tile the log does not have and 400 for a malformed path', async () => {
    expect((await hub.app.inject('/log/tile/0/006')).statusCode).toBe(404);
    expect((await hub.app.inject('/log/tile/0/005.p/21')).statusCode).toBe(404);
    const bad = await hub.app.inject('/log/tile/0/5');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ status: 400, code: 'INVALID_TILE' });
  });

  it('serves inclusion and consistency proofs that verify', async () => {
    const cp = openCheckpoint((await hub.app.inject('/log/checkpoint')).rawPayload, parseVerifierKey(hub.key.vkey)).checkpoint;
    const inc = await hub.app.inject('/log/proof/inclusion?index=777&size=1300');
    expect(inc.statusCode).toBe(200);
    const { proof } = inc.json<{ proof: string[] }>();
    verifyInclusion(777n, 1300n, hashLeaf(entries[777]!), proof.map((p) => Buffer.from(p, 'base64')), cp.rootHash);

    const old = await hub.log.checkpointAt(1000);
    const oldCp = openCheckpoint(old!.note, parseVerifierKey(hub.key.vkey)).checkpoint;
    const con = await hub.app.inject('/log/proof/consistency?from=1000&to=1300');
    const cproof = con.json<{ proof: string[] }>().proof.map((p) => Buffer.from(p, 'base64'));
    verifyConsistency(1000n, 1300n, cproof, oldCp.rootHash, cp.rootHash);
  });

  it('names the field when a proof request is malformed', async () => {
    const res = await hub.app.inject('/log/proof/inclusion?index=abc&size=10');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('querystring.index');
    const beyond = await hub.app.inject('/log/proof/inclusion?index=5&size=5000');
    expect(beyond.statusCode).toBe(404);
    const order = await hub.app.inject('/log/proof/consistency?from=9&to=3');
    expect(order.statusCode).toBe(400);
  });

  it('publishes an OpenAPI document describing the log', async () => {
    const res = await hub.app.inject('/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/log/checkpoint', '/log/proof/inclusion']));
  });
});
