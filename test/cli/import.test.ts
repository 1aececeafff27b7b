import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGlasshub } from '../support/cli.js';
import { manifestLine, ndjsonLines, toCsv } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

describe.each(STORE_KINDS)('glasshub import on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  const cli = (args: string[], input?: string) =>
    runGlasshub(['import', ...args, '--db', store.url], input, {
      GLASSHUB_LOG_KEY_FILE: join(dir, 'log.key'),
      GLASSHUB_VAULT_KEY_FILE: join(dir, 'vault.keys'),
    });
  const parcels = async () => Number((await store.db.selectFrom('parcels').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    store = await openTestStore(kind);
    dir = mkdtempSync(join(tmpdir(), 'glasshub-import-'));
  });
  afterAll(() => store.cleanup());

  it('imports a file, prints the summary and exits 0 when every line is accepted', async () => {
    const file = join(dir, 'ck231.ndjson');
    writeFileSync(file, `${[...ndjsonLines(0, 3_000)].join('\n')}\n`);
    const res = await cli([file]);
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe('accepted 3,000, rejected 0, duplicates 0 (3,000 lines)\nflight CK231/2026-11-25: 3,000 parcels accepted\n');
    expect(res.code).toBe(0);
    expect(await parcels()).toBe(3_000);
    const again = await cli([file, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 3_000, rejected: 0, errors: [] });
    expect(again.code).toBe(0);
  });

  it('reads standard input, stores the good lines, prints each rejected one and exits 1', async () => {
    const input = [
      JSON.stringify(manifestLine(10_000)),
      JSON.stringify(manifestLine(10_001, { consignee: { ...manifestLine(0).consignee, email: 'Planted.Person-at-example' } })),
      'not json',
    ].join('\r\n');
    const res = await cli(['-'], input);
    expect(res.stdout).toBe(
      [
        'accepted 1, rejected 2, duplicates 0 (3 lines)',
        'flight CK231/2026-11-25: 1 parcel accepted',
        'line 2: consignee.email: not an e-mail address',
        'line 3: (line): not valid JSON',
        '',
      ].join('\n'),
    );
    expect(res.stdout + res.stderr).not.toContain('Planted');
    expect(res.code).toBe(1);
  });

  it('reads CSV, by file name or --format', async () => {
    const csv = toCsv([manifestLine(20_000), manifestLine(20_001)]);
    const file = join(dir, 'manifest.csv');
    writeFileSync(file, csv);
    expect(await cli([file])).toMatchObject({ code: 0, stdout: expect.stringContaining('accepted 2,') });
    expect(await cli(['-', '--format', 'csv'], toCsv([manifestLine(20_002)]))).toMatchObject({ code: 0, stdout: expect.stringContaining('accepted 1,') });
  });

  it('fails with one line and status 1 when the file cannot be read at all', async () => {
    const header = await cli(['-', '--format', 'csv'], 'flight,colour\nCK231,red\n');
    expect(header.code).toBe(1);
    expect(header.stderr).toMatch(/^glasshub: line 1: column "colour": unknown column; column "awb": missing: the field is required; .*\n$/);
    const missing = await cli([join(dir, 'nope.ndjson')]);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(`glasshub: <file> ${join(dir, 'nope.ndjson')}: no such file\n`);
    expect(await cli(['-', '--format', 'xml'], '')).toMatchObject({ code: 1, stderr: 'glasshub: --format: "xml" is not one of ndjson, csv\n' });
  });
});
