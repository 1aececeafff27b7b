import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { H7Export } from '../../src/customs/index.js';
import { runGlasshub } from '../support/cli.js';
import { manifestLine } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const FLIGHT = 'CK231/2026-11-25';
const item = { description: 'Phone case', hsCode: '3926.90', quantity: 1, value: '3.50', currency: 'EUR', originCountry: 'CN' };
const seller = { name: 'Yiwu Sunrise Commodity Co., Ltd.', street: 'No. 12 Jianshe Road', postcode: '322000', city: 'Yiwu', country: 'CN' };

describe.each(STORE_KINDS)('glasshub customs h7 on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  const cli = (args: string[]) => runGlasshub([...args, '--db', store.url], undefined, { GLASSHUB_LOG_KEY_FILE: join(dir, 'log.key'), GLASSHUB_VAULT_KEY_FILE: join(dir, 'vault.keys') });

  beforeAll(async () => {
    store = await openTestStore(kind);
    dir = mkdtempSync(join(tmpdir(), 'glasshub-h7-'));
  });
  afterAll(() => store.cleanup());

  it('declares the parcels whose seller has an address, and prints the first 20 of the others then how many more', async () => {
    // One parcel whose seller gave an address, 24 from sellers who did not (as every manifest before the field).
    const lines = Array.from({ length: 25 }, (_, i) => manifestLine(i, { items: [item], ...(i === 0 ? { seller } : {}) }));
    const manifest = join(dir, 'ck231.ndjson');
    writeFileSync(manifest, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    expect((await cli(['import', manifest])).code).toBe(0);
    expect((await cli(['customs', 'clear', '--flight', FLIGHT])).code).toBe(0);

    const out = join(dir, 'h7.json');
    const res = await cli(['customs', 'h7', '--flight', FLIGHT, '--out', out]);
    expect(res.code).toBe(0);
    const h7 = JSON.parse(readFileSync(out, 'utf8')) as H7Export;
    expect(h7.declarations.map((d) => d.seller)).toEqual([seller]);
    expect(h7.errors).toHaveLength(24);
    const stderr = res.stderr.trimEnd().split('\n');
    expect(stderr.slice(0, 20)).toEqual(h7.errors.slice(0, 20).map((e) => `${e.trackingNumber}: not declared, missing seller.street, seller.postcode, seller.city`));
    expect(stderr[20]).toBe('… and 4 more not declared (all under "errors" in the JSON)');
    expect(stderr[21]).toMatch(/^CK231\/2026-11-25: 1 H7 declarations, 24 incomplete, 0 H1; gate decisions \(ledger\) \d+, \d+$/);
    expect(stderr).toHaveLength(22);
  });
});
