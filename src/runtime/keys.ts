import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeSignerKey, encodeVerifierKey, generateSignerKey, isValidKeyName, parseSignerKey, type NoteSigner } from '../ledger/index.js';

export interface LogKey {
  readonly signer: NoteSigner;
  /** The signed-note verifier key that auditors pin. */
  readonly vkey: string;
  /** The log's origin line is the key's name. */
  readonly origin: string;
}

export const LOG_KEY_ENV = 'GLASSHUB_LOG_KEY';
export const DEFAULT_LOG_ORIGIN = 'glasshub.local/hub';
/** The origin of a key created now: witnesses tell logs apart by it, so each hub should name its own. */
export const LOG_ORIGIN_ENV = 'GLASSHUB_LOG_ORIGIN';

/** The origin a key created now gets: `$GLASSHUB_LOG_ORIGIN` (e.g. `liege.glasshub/2026-11`), else the default. */
export function logOrigin(): string {
  const origin = process.env[LOG_ORIGIN_ENV]?.trim();
  if (!origin) return DEFAULT_LOG_ORIGIN;
  if (!isValidKeyName(origin)) throw new Error(`$${LOG_ORIGIN_ENV}: ${JSON.stringify(origin)} is not a key name (printable characters, no spaces or "+")`);
  return origin;
}

/**
 * The log's signing key: from the environment variable when set, else from `keyFile`, created there on first
 * start with mode 0600. The private key never appears in a log line or an error message.
 */
export function loadOrCreateLogKey(keyFile: string, origin = logOrigin()): LogKey {
  const fromEnv = process.env[LOG_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromSkey(fromEnv.trim(), `$${LOG_KEY_ENV}`);
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    const { skey } = generateSignerKey(origin);
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(keyFile, `${skey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = statSync(keyFile).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    // Like ssh: a signing key that others can read is not a key we sign with.
    throw new Error(`key file ${keyFile} is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
  return fromSkey(readFileSync(keyFile, 'utf8').trim(), keyFile);
}

/** Writes a new key file (mode 0600); refuses to overwrite one. */
export function createKeyFile(keyFile: string, skey: string): void {
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, `${skey}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
}

function fromSkey(skey: string, source: string): LogKey {
  try {
    const decoded = decodeSignerKey(skey);
    return {
      signer: parseSignerKey(skey),
      vkey: encodeVerifierKey(decoded.name, decoded.type, decoded.publicKey),
      origin: decoded.name,
    };
  } catch {
    // The parse error could quote the key: say only where it came from.
    throw new Error(`the signing key in ${source} is not a valid signed-note Ed25519 private key`);
  }
}
