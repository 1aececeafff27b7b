import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGlasshub } from '../support/cli.js';

describe("the log's key from the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-log-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created with the origin the hub is given, and only shown where it exists', async () => {
    const db = join(dir, 'hub.db');
    const key = join(dir, 'log.key');
    const shown = await runGlasshub(['keys', 'show', '--db', db]);
    expect(shown.code).toBe(1);
    expect(existsSync(key)).toBe(false);
    // A witness tells logs apart by their origin, so each hub names its own when its key is created.
    const appended = await runGlasshub(['log', 'append', '--db', db], '{"type":"operator-note","n":1}\n', { GLASSHUB_LOG_ORIGIN: 'liege.glasshub/2026-11' });
    expect(appended).toMatchObject({ code: 0, stdout: '0\n' });
    const vkey = await runGlasshub(['keys', 'show', '--db', db]);
    expect(vkey.code).toBe(0);
    expect(vkey.stdout).toMatch(/^liege\.glasshub\/2026-11\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*\n$/);
  });
});
