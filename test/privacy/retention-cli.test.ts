import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub } from '../../src/runtime/index.js';
import { runGlasshub } from '../support/cli.js';
import { insertParcel } from '../support/parcels.js';

describe('glasshub retention run', () => {
  it('erases the people past retention at --now, and says so', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'gh-ret-cli-')), 'hub.db');
    let hub = await openHub({ db });
    const [ref] = await hub.gate.seal(hub.store.db, [{ role: 'consignee', data: { name: 'Ann', postcode: '4000', country: 'BE' } }]);
    await insertParcel(hub.store, 'LP000000018CN', ref!);
    await hub.close();

    const early = await runGlasshub(['retention', 'run', '--db', db, '--json']);
    expect(early.stderr).toBe('');
    expect(JSON.parse(early.stdout)).toMatchObject({ subjectsErased: 0 });
    const late = await runGlasshub(['retention', 'run', '--db', db, '--now', '2099-01-01T00:00:00Z', '--json']);
    expect(late.code).toBe(0);
    expect(JSON.parse(late.stdout)).toMatchObject({ subjectsErased: 1, parcelsPastRetention: 1, time: '2099-01-01T00:00:00.000Z' });
    expect((await runGlasshub(['retention', 'run', '--db', db, '--now', 'yesterday'])).code).not.toBe(0);

    hub = await openHub({ db });
    try {
      expect(await hub.gate.subjectOf(ref!)).toBeUndefined();
    } finally {
      await hub.close();
    }
  });
});
