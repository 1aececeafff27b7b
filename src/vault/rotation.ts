import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { KEYRING_RECHECK_MS, VAULT_KEYS_ENV, addMasterKey, keyringFrom, loadOrCreateVaultKeys, masterKeys, readKeyFile, removeMasterKey } from './keys.js';
import { Vault } from './vault.js';

/** How many live data keys each master key wraps (shredded people have none). */
export async function vaultKeyUsage(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('vault_subjects')
    .select((eb) => ['master_key_id', eb.fn.countAll<number | string>().as('n')])
    .where('wrapped_key', 'is not', null)
    .groupBy('master_key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.master_key_id ?? '', Number(r.n)]));
}

export interface RotationOptions {
  /** Data keys rewrapped per transaction (default 1000). */
  readonly batch?: number;
  /** Rewrap to the current key only, adding none: to finish an interrupted rotation, or with $GLASSHUB_VAULT_KEYS. */
  readonly resume?: boolean;
  readonly onProgress?: (progress: { rewrapped: number; total: number }) => void;
}

export interface RotationResult {
  /** The master key every data key is now wrapped by. */
  readonly current: string;
  readonly added: boolean;
  readonly rewrapped: number;
  /** Data keys per master key afterwards. */
  readonly usage: Record<string, number>;
}

function fromEnv(): boolean {
  const v = process.env[VAULT_KEYS_ENV];
  return v !== undefined && v.trim() !== '';
}

/**
 * Master-key rotation without downtime: a new key is added to the key file and made current (old keys
 * stay, so everything still unwraps), then every data key is rewrapped under it in batches. A serving hub
 * follows the file and keeps reading throughout (see `loadOrCreateVaultKeys`).
 */
export async function rotateVaultKeys(db: Kysely<Database>, keyFile: string, options: RotationOptions = {}): Promise<RotationResult> {
  if (fromEnv() && options.resume !== true) {
    throw new Error(`the vault keys come from $${VAULT_KEYS_ENV}: add a new key there and make it current, restart the hub, then rotate with --resume`);
  }
  const added = options.resume !== true;
  if (added) {
    loadOrCreateVaultKeys(keyFile); // creates the file on a fresh hub, checks its mode otherwise
    addMasterKey(keyFile);
  }
  const keyring = fromEnv() ? loadOrCreateVaultKeys(keyFile) : keyringFrom(readKeyFile(keyFile));
  const current = keyring.current.keyId;
  const before = await vaultKeyUsage(db);
  const total = Object.entries(before).reduce((sum, [id, n]) => (id === current ? sum : sum + n), 0);
  options.onProgress?.({ rewrapped: 0, total });
  const rewrapped = await new Vault(keyring).rotate(db, options.batch ?? 1000, (n) => options.onProgress?.({ rewrapped: n, total }));
  return { current, added, rewrapped, usage: await vaultKeyUsage(db) };
}

/** Removes an old master key from the key file, refused while it is current or any data key is still wrapped by it. */
export async function retireVaultKey(db: Kysely<Database>, keyFile: string, keyId: string): Promise<{ retired: string; remaining: string[] }> {
  if (fromEnv()) throw new Error(`the vault keys come from $${VAULT_KEYS_ENV}: remove the key there`);
  const { current, ids } = masterKeys(keyFile);
  if (!ids.includes(keyId)) throw new Error(`there is no master key ${keyId} in ${keyFile} (keys: ${ids.join(', ')})`);
  if (keyId === current) throw new Error(`${keyId} is the current master key: rotate to a new one first`);
  // A serving hub may seal under the old key until it sees the new one (KEYRING_RECHECK_MS): wait that out.
  const quiet = statSync(keyFile).mtimeMs + 2 * KEYRING_RECHECK_MS - Date.now();
  if (quiet > 0) await sleep(quiet);
  const inUse = (await vaultKeyUsage(db))[keyId] ?? 0;
  if (inUse > 0) throw new Error(`${keyId} still wraps ${inUse} data key(s): run glasshub keys vault-rotate --resume until none does`);
  removeMasterKey(keyFile, keyId);
  return { retired: keyId, remaining: masterKeys(keyFile).ids };
}

/** The key file's keys and the data keys each wraps, for `glasshub keys vault-status`. */
export async function vaultKeyStatus(db: Kysely<Database>, keyFile: string): Promise<{ current: string; keys: { id: string; dataKeys: number }[]; unknown: Record<string, number> }> {
  const keyring = fromEnv() ? undefined : masterKeys(keyFile);
  const usage = await vaultKeyUsage(db);
  const current = keyring?.current ?? loadOrCreateVaultKeys(keyFile).current.keyId;
  const ids = keyring?.ids ?? [current];
  const unknown = Object.fromEntries(Object.entries(usage).filter(([id]) => !ids.includes(id)));
  return { current, keys: ids.map((id) => ({ id, dataKeys: usage[id] ?? 0 })), unknown };
}
