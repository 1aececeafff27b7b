import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openMany, sealMany } from './crypto-batch.js';
import { aesGcmOpen, aesGcmSeal } from './crypto.js';

/**
 * Wraps and unwraps data keys under a master key. The local implementation keeps the master key in a file
 * or an environment variable; a KMS or HashiCorp Vault transit engine implements the same interface, so
 * master keys never need to leave the HSM.
 */
export interface KeyWrapper {
  /** Identifies the master key a wrapped key was made with, stored beside it for rotation. */
  readonly keyId: string;
  wrap(dataKey: Buffer, context: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, context: string): Promise<Buffer>;
  /** `wrap` for many keys at once, where the wrapper can do better than one call each (a freighter's sealing). */
  wrapMany?(items: readonly { readonly dataKey: Buffer; readonly context: string }[]): Promise<Buffer[]>;
  /** `unwrap` for many keys at once (a truck's recipients). */
  unwrapMany?(items: readonly { readonly wrapped: Buffer; readonly context: string }[]): Promise<Buffer[]>;
}

export class LocalKeyWrapper implements KeyWrapper {
  constructor(
    readonly keyId: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new RangeError('a master key is 32 bytes');
  }
  wrap(dataKey: Buffer, context: string): Promise<Buffer> {
    return Promise.resolve(aesGcmSeal(this.key, dataKey, this.aad(context)));
  }
  wrapMany(items: readonly { readonly dataKey: Buffer; readonly context: string }[]): Promise<Buffer[]> {
    return sealMany(items.map((it) => ({ key: this.key, plaintext: it.dataKey, aad: this.aad(it.context) })));
  }
  unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    return Promise.resolve(aesGcmOpen(this.key, wrapped, this.aad(context)));
  }
  unwrapMany(items: readonly { readonly wrapped: Buffer; readonly context: string }[]): Promise<Buffer[]> {
    return openMany(items.map((it) => ({ key: this.key, sealed: it.wrapped, aad: this.aad(it.context) })));
  }
  private aad(context: string): Buffer {
    return Buffer.from(`glasshub-vault-wrap\n${this.keyId}\n${context}`);
  }
}

/** Each new subject's data key wrapped under `current` (its id the context), in order; in one batch where the wrapper can. */
export async function wrapKeys(current: KeyWrapper, subjects: readonly { readonly id: string; readonly key: Buffer }[]): Promise<Buffer[]> {
  if (subjects.length === 0) return [];
  if (current.wrapMany) return current.wrapMany(subjects.map((s) => ({ dataKey: s.key, context: s.id })));
  const out: Buffer[] = [];
  for (const s of subjects) out.push(await current.wrap(s.key, s.id));
  return out;
}

/** The vault's keys: master keys by id (the current one wraps new keys) and the blind-index key. */
export interface VaultKeyring {
  /** May change between two reads (a keyring that follows its file): read it once, then wrap and name with that one. */
  readonly current: KeyWrapper;
  wrapper(keyId: string): KeyWrapper | undefined;
  /** Keys the blind indexes that recognise the same person again; it never rotates (indexes would break). */
  readonly indexKey: Buffer;
}

export interface KeyFile {
  current: string;
  keys: Record<string, string>;
  index: string;
}

export const VAULT_KEYS_ENV = 'GLASSHUB_VAULT_KEYS';

/**
 * Reads the keyring from $GLASSHUB_VAULT_KEYS or `file`, creating the file (mode 0600) on first use. A keyring
 * read from a file follows it: a key added by `glasshub keys vault-rotate` in another process is picked up
 * (at once when a data key names it, within a second as the current key), so a serving hub keeps reading
 * while the data keys are rewrapped.
 */
export function loadOrCreateVaultKeys(file: string): VaultKeyring {
  const fromEnv = process.env[VAULT_KEYS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return keyringFrom(parseKeyFile(fromEnv, `$${VAULT_KEYS_ENV}`));
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const fresh: KeyFile = { current: 'mk1', keys: { mk1: randomBytes(32).toString('base64') }, index: randomBytes(32).toString('base64') };
    try {
      writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return followedKeyring(file);
}

/** The keyring file as it is now, refusing one that others can read. */
export function readKeyFile(file: string): KeyFile {
  if ((statSync(file).mode & 0o077) !== 0) throw new Error(`vault key file ${file} is readable by others; run chmod 600 on it`);
  return parseKeyFile(readFileSync(file, 'utf8'), file);
}

/** The ids of the master keys in the file, and which one wraps new keys. */
export function masterKeys(file: string): { current: string; ids: string[] } {
  const parsed = readKeyFile(file);
  return { current: parsed.current, ids: Object.keys(parsed.keys) };
}

/** Adds a new master key to the file and makes it current; returns its id. Old keys stay for unwrapping. */
export function addMasterKey(file: string): string {
  const parsed = readKeyFile(file);
  let n = Object.keys(parsed.keys).length + 1;
  while (parsed.keys[`mk${n}`]) n++;
  const id = `mk${n}`;
  parsed.keys[id] = randomBytes(32).toString('base64');
  parsed.current = id;
  writeKeyFile(file, parsed);
  return id;
}

/**
 * Removes a master key from the file. Only the key file is checked here (the current key is never
 * removed); the caller first proves that no data key is wrapped by it any more (`retireVaultKey`).
 */
export function removeMasterKey(file: string, keyId: string): void {
  const parsed = readKeyFile(file);
  if (parsed.keys[keyId] === undefined) throw new Error(`vault keys: there is no master key ${keyId} in ${file}`);
  if (parsed.current === keyId) throw new Error(`vault keys: ${keyId} is the current master key; rotate to a new one first`);
  delete parsed.keys[keyId];
  writeKeyFile(file, parsed);
}

/** Written beside and renamed over: a reader in another process sees the old file or the new, never half. */
function writeKeyFile(file: string, parsed: KeyFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(parsed, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** How stale a serving process's idea of the current key may be; retiring waits this out twice. */
export const KEYRING_RECHECK_MS = 1000;

function followedKeyring(file: string): VaultKeyring {
  const stamp = (): string => {
    const st = statSync(file);
    return `${st.mtimeMs}/${st.size}/${st.ino}`;
  };
  let seen = stamp();
  let ring = keyringFrom(readKeyFile(file));
  const indexKey = ring.indexKey;
  let checkedAt = Date.now();
  const refresh = (): void => {
    checkedAt = Date.now();
    try {
      const now = stamp();
      if (now === seen) return;
      const next = keyringFrom(readKeyFile(file));
      // The blind-index key never changes: a file that changes it is refused, the old keyring kept.
      if (!next.indexKey.equals(indexKey)) return;
      // Keys once known stay usable in this process: a key retired elsewhere can still open what was wrapped here.
      const previous = ring;
      ring = { current: next.current, wrapper: (id) => next.wrapper(id) ?? previous.wrapper(id), indexKey };
      seen = now;
    } catch {
      // A file being replaced, or broken: keep serving with the keys already known.
    }
  };
  return {
    get current() {
      if (Date.now() - checkedAt >= KEYRING_RECHECK_MS) refresh();
      return ring.current;
    },
    wrapper(keyId) {
      const known = ring.wrapper(keyId);
      if (known) return known;
      refresh();
      return ring.wrapper(keyId);
    },
    indexKey,
  };
}

export function keyringFrom(parsed: KeyFile): VaultKeyring {
  const wrappers = new Map<string, KeyWrapper>();
  for (const [id, b64] of Object.entries(parsed.keys)) wrappers.set(id, new LocalKeyWrapper(id, Buffer.from(b64, 'base64')));
  const current = wrappers.get(parsed.current);
  if (!current) throw new Error(`vault keys: current key ${parsed.current} is not among the keys`);
  return { current, wrapper: (id) => wrappers.get(id), indexKey: Buffer.from(parsed.index, 'base64') };
}

function parseKeyFile(text: string, source: string): KeyFile {
  // Never quote the content in an error: it is key material.
  const bad = (why: string): never => {
    throw new Error(`vault keys in ${source}: ${why}`);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  const o = v as Partial<KeyFile>;
  if (typeof o.current !== 'string') bad('"current" must name a key');
  if (typeof o.keys !== 'object' || o.keys === null) bad('"keys" must be an object');
  for (const k of Object.values(o.keys!)) if (typeof k !== 'string' || Buffer.from(k, 'base64').length !== 32) bad('every key must be 32 bytes in base64');
  if (typeof o.index !== 'string' || Buffer.from(o.index, 'base64').length !== 32) bad('"index" must be 32 bytes in base64');
  return o as KeyFile;
}
