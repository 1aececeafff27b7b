/**
 * "Bad input always gets a clear error (which field, why) and never loses or corrupts stored data": every
 * command refuses malformed input with one line naming the flag or argument, exit status 1, no stack trace,
 * and leaves the database (and its key files) as they were, or not created at all.
 */
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSignerKey } from '../../src/ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { runGlasshub, spawnGlasshub, type RunResult } from '../support/cli.js';
import { openTestStore, type TestStore } from '../support/stores.js';

interface Case {
  readonly args: readonly string[];
  /** What stderr must say: the flag or argument, and why. */
  readonly says: string | RegExp;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** The refusal: status 1, one line on stderr naming the flag, nothing on stdout, no stack trace. */
function expectRefused(res: RunResult, c: Case): void {
  const what = `glasshub ${c.args.join(' ')}\n${res.stderr}`;
  expect(res.code, what).toBe(1);
  expect(res.stderr, what).toMatch(/^glasshub( \w+)?: /);
  expect(res.stderr.trimEnd().split('\n'), what).toHaveLength(1);
  if (typeof c.says === 'string') expect(res.stderr, what).toContain(c.says);
  else expect(res.stderr, what).toMatch(c.says);
  expect(res.stderr, what).not.toMatch(/\n\s+at /);
  expect(res.stdout, what).toBe('');
}

/** As runGlasshub, but killed after 15 s: a regression that starts serving must fail, not hang or outlive the run. */
function runBounded(c: Case): Promise<RunResult> {
  const child = spawnGlasshub(c.args, { CI: '1', ...c.env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(c.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const refuseAll = async (cases: readonly Case[]): Promise<void> => {
  const results = await Promise.all(cases.map(runBounded));
  results.forEach((res, i) => expectRefused(res, cases[i]!));
};

describe('glasshub refuses bad input', () => {
  let dir: string;
  let store: TestStore;
  let keyFile: string;
  /** An empty directory per case group: whatever a refused command leaves behind shows up in it. */
  const sandbox = (): string => mkdtempSync(join(dir, 'case-'));
  const LOG_VKEY = generateSignerKey('test.glasshub/log').vkey;
  const URL = 'http://127.0.0.1:1';
  /** The stored data a refused command must leave alone. */
  const fingerprint = async () => ({
    log: await store.db.selectFrom('log_state').selectAll().execute(),
    principals: (await store.db.selectFrom('principals').select('id').execute()).length,
    policies: (await store.db.selectFrom('gate_policies').selectAll().execute()).length,
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'glasshub-bad-input-'));
    store = await openTestStore('sqlite');
    keyFile = join(dir, 'log.key');
    const log = await openLedger(store, loadOrCreateLogKey(keyFile));
    await log.append(Buffer.from(JSON.stringify({ type: 'operator-note', note: 'before' })));
    await log.close();
  });
  afterAll(() => store.cleanup());

  it('refuses malformed numbers, hosts and times at parse time, before anything is created', async () => {
    const box = sandbox();
    const db = join(box, 'new.db');
    const before = await fingerprint();
    await refuseAll([
      { args: ['demo', '--parcels', '-1', '--no-serve', '--db', db], says: '--parcels: "-1" is not a positive integer' },
      // Was taken modulo 2^32: another seed, silently.
      { args: ['demo', '--seed', '99999999999', '--no-serve', '--db', db], says: '--seed: "99999999999" is not an integer from 0 to 4294967295' },
      { args: ['serve', '--port', '70000', '--db', db], says: '--port: "70000" is not a port number' },
      // Number('') is 0: was any free port.
      { args: ['serve', '--port', '', '--db', db], says: '--port: "" is not a port number' },
      // Was every interface.
      { args: ['serve', '--host', '', '--db', db], says: '--host: "" is not a host name' },
      // new Date('1') is 2001-01-01; a far-future --now would erase everyone.
      { args: ['retention', 'run', '--now', '1', '--db', store.url], says: '--now: "1" is not an ISO-8601 time' },
    ]);
    expect(readdirSync(box)).toEqual([]);
    expect(await fingerprint()).toEqual(before);
  });

  it('checks the demo as a whole before simulating anything', async () => {
    const box = sandbox();
    const db = join(box, 'demo.db');
    await refuseAll([
      // Was two flights simulated, then "flight CA1045/… is not known".
      { args: ['demo', '--parcels', '2', '--flights', '3', '--no-serve', '--db', db], says: '--parcels: 2 is fewer than --flights 3' },
      // Was an S10 serial-number error from the simulator after the database was created.
      { args: ['demo', '--parcels', '200000000', '--no-serve', '--db', db], says: '--parcels: 200000000 is more than 1,000,000' },
      // Was the whole day simulated, then a listen error; 192.0.2.1 (TEST-NET-1) is nobody's address.
      { args: ['demo', '--parcels', '100', '--host', '192.0.2.1', '--port', '0', '--db', db], says: '--host 192.0.2.1: not an address of this machine' },
    ]);
    expect(readdirSync(box)).toEqual([]);
  });

  it('names --db when it cannot be used, and creates no database, directory or key for a typo', async () => {
    const box = sandbox();
    const notDb = join(box, 'notes.txt');
    writeFileSync(notDb, 'my notes\n');
    mkdirSync(join(box, 'adir'));
    const key = ['--key', join(box, 'adir', 'k.key')];
    const add = ['principals', 'add', '--name', 'Desk 3', '--role', 'dpo', '--org', 'hub-operator', '--country', 'BE', ...key];
    // /proc/1 refuses even root's writes; otherwise a directory without write permission.
    const locked = join(box, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const unwritable = [locked, '/proc/1'].find((d) => {
      try {
        accessSync(d, constants.W_OK);
        return false;
      } catch {
        return true;
      }
    });
    await refuseAll([
      // Was a principal added to a throwaway temporary database: a token that can never work.
      { args: [...add, '--db', ''], says: '--db: is empty' },
      // Was the directories created.
      { args: [...add, '--db', join(box, 'nodir', 'x.db')], says: /^glasshub: --db \S+x\.db: directory \S+nodir does not exist$/m },
      { args: ['principals', 'list', '--db', join(box, 'adir')], says: /^glasshub: --db \S+adir: is a directory, not a database file$/m },
      { args: ['principals', 'list', '--db', notDb], says: /^glasshub: --db \S+notes\.txt: not a SQLite database/m },
      // Commands that only make sense on an existing database created one (and a key beside it).
      { args: ['principals', 'revoke', 'someone', '--db', join(box, 'typo.db'), ...key], says: /^glasshub: --db \S+typo\.db: no database there/m },
      // Was "connect ECONNREFUSED 127.0.0.1:1", naming no flag; the password never shows.
      { args: [...add, '--db', 'postgres://hub:hunter2@127.0.0.1:1/test'], says: '--db postgres://hub:***@127.0.0.1:1/test: connect ECONNREFUSED' },
      ...(unwritable === undefined ? [] : [{ args: [...add, '--db', join(unwritable, 'x.db')], says: / is not writable$/m }]),
    ]);
    expect(readdirSync(box).sort()).toEqual(['adir', 'locked', 'notes.txt']);
    expect(readdirSync(join(box, 'adir'))).toEqual([]);
    expect(readFileSync(notDb, 'utf8')).toBe('my notes\n');
  });

  it('names the key file that cannot be used, and opens no database for it', async () => {
    const box = sandbox();
    const db = join(box, 'new.db');
    const garbage = join(box, 'garbage.key');
    writeFileSync(garbage, 'not a key\n', { mode: 0o600 });
    mkdirSync(join(box, 'adir'));
    const before = await fingerprint();
    await refuseAll([
      // Was the database created (and its WAL left behind) before the key was read.
      { args: ['principals', 'add', '--name', 'x', '--role', 'dpo', '--org', 'hub-operator', '--country', 'BE', '--db', db, '--key', garbage], says: /^glasshub: --key: the signing key in \S+garbage\.key is not a valid/m },
      // Was "key file … is readable by others (mode 755)", after the database was created.
      { args: ['log', 'append', '--db', db, '--key', join(box, 'adir')], says: /^glasshub: --key \S+adir: is a directory, not a key file$/m, input: '{"type":"operator-note"}\n' },
      { args: ['keys', 'vault-status', '--db', store.url, '--vault-keys', join(box, 'adir')], says: /^glasshub: --vault-keys \S+adir: is a directory/m },
      // Was "invalid key name", naming no flag.
      { args: ['witness', '--key', join(box, 'w.key'), '--name', 'bad name', '--print-vkey'], says: '--name: "bad name" is not a key name' },
      // Was a new key, printed as if it were the hub's: an auditor pinned it and every checkpoint failed.
      { args: ['keys', 'show', '--key', join(box, 'log.key')], says: /^glasshub: --key \S+log\.key: no log key here; a hub creates its key on first start/m },
      { args: ['log', 'append', '--db', db], env: { GLASSHUB_LOG_ORIGIN: 'liege hub' }, says: '$GLASSHUB_LOG_ORIGIN: "liege hub" is not a key name', input: '{"type":"operator-note"}\n' },
    ]);
    expect(readdirSync(box).sort()).toEqual(['adir', 'garbage.key']);
    expect(await fingerprint()).toEqual(before);
  });

  it('names the input or output file that cannot be used, before the database is touched', async () => {
    const box = sandbox();
    const db = join(box, 'new.db');
    mkdirSync(join(box, 'adir'));
    const before = await fingerprint();
    const flight = ['--flight', 'CK231/2026-11-25', '--db', store.url];
    await refuseAll([
      // Was "ENOENT … open 'nofile'", after the database and a key were created.
      { args: ['log', 'append', join(box, 'nofile'), '--db', db], says: /^glasshub: <file> \S+nofile: no such file$/m },
      // Was "EISDIR: illegal operation on a directory, read", after the database was created.
      { args: ['import', join(box, 'adir'), '--db', db], says: /^glasshub: <file> \S+adir: is a directory/m },
      // Was read after the hub was opened, without the flag.
      { args: ['customs', 'clear', ...flight, '--sanctions', join(box, 'nofile.csv')], says: /^glasshub: --sanctions \S+nofile\.csv: no such file$/m },
      // Was written only after the disclosure was recorded in the ledger.
      { args: ['customs', 'h7', ...flight, '--out', join(box, 'nodir', 'h7.json')], says: /^glasshub: --out \S+h7\.json: directory \S+nodir does not exist$/m },
      // Was a report of zeros and exit status 0.
      { args: ['customs', 'report', '--flight', 'CK231/2026-13-45', '--db', store.url], says: '--flight CK231/2026-13-45: no such flight' },
    ]);
    expect(readdirSync(box)).toEqual(['adir']);
    expect(await fingerprint()).toEqual(before);
  });

  it('appends nothing for malformed or empty standard input, nor an entry of a type the hub writes itself or one holding an e-mail address', async () => {
    const before = await fingerprint();
    const append = ['log', 'append', '--db', store.url, '--key', keyFile];
    const [malformed, empty] = await Promise.all([runGlasshub(append, '{"type":"operator-note"\nnull\n{"type":"access-decision","decision":"permit"}\n{"type":"operator-note","caller":"jan@example.be"}\n'), runGlasshub(append, '')]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toBe(
      'line 1: entry is not JSON\nline 2: entry must be a JSON object\n' +
        'line 3: type "access-decision": log append writes operator entries only (a type starting with "operator-")\n' +
        'line 4: caller: looks like an e-mail address; the log is public and permanent, so personal data must never be written to it\n' +
        'glasshub: 4 line(s) rejected, nothing appended for them\n',
    );
    expect(malformed.stdout).toBe('');
    expect(empty).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await fingerprint()).toEqual(before);
  });

  it('names the verifier key or state file of audit and monitor that cannot be used', async () => {
    const box = sandbox();
    const nullState = join(box, 'null.json');
    writeFileSync(nullState, 'null\n');
    await refuseAll([
      // Was "key must have the form name+keyid+key", the same for --witness-vkey.
      { args: ['audit', URL, '--vkey', 'garbage'], says: 'not checked (INVALID_ARGUMENT): --vkey: not a signed-note Ed25519 verifier key' },
      // Was "ENOENT: no such file or directory, open 'missing-file'".
      { args: ['monitor', URL, '--vkey', `@${join(box, 'missing-file')}`], says: /--vkey \S+missing-file: no such file$/m },
      // Was "Cannot read properties of null (reading 'audit')".
      { args: ['monitor', URL, '--vkey', LOG_VKEY, '--state', nullState], says: /^glasshub: --state \S+null\.json: not a saved state/m },
    ]);
    expect(readFileSync(nullState, 'utf8')).toBe('null\n');
  });

  it("answers commander's usage errors in one line naming the option: status 1, no help text, no stack", async () => {
    const res = await runGlasshub(['customs', 'report', '--db', store.url]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe("error: required option '--flight <id>' not specified\n");
  });
});
