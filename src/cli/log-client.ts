import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { LedgerError, parseVerifierKey, parseWitnessVerifierKey, type NoteVerifier, type WitnessVerifier } from '../ledger/index.js';
import { inputFile, outputFile } from './options.js';

/** Shared by the commands that read a served log (`audit`, `monitor`). */

/** `<base-url>/log/`, for http and https URLs only. */
export function logUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new Error(`<base-url>: ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`<base-url>: ${baseUrl}: only http and https URLs can be audited`);
  return new URL('log/', url).href;
}

/** A key given on the command line, or `@file` to read it from a file. */
export function keyArgument(label: string, value: string): string {
  return value.startsWith('@') ? readFileSync(inputFile(label, value.slice(1)), 'utf8').trim() : value.trim();
}

interface KeyOptions {
  readonly vkey: string;
  readonly witnessVkey: readonly string[];
  readonly quorum?: number;
}

/**
 * The log's and the witnesses' verifier keys, a bad one named by its flag. Refusals are the audit's own
 * INVALID_ARGUMENT, so they keep its exit status and its --json line.
 */
export function verifierKeys(opts: KeyOptions): { logKey: NoteVerifier; witnesses: WitnessVerifier[] } {
  const parse = <T>(label: string, value: string, kind: string, parseKey: (vkey: string) => T): T => {
    let text: string;
    try {
      text = keyArgument(label, value);
    } catch (err) {
      throw new LedgerError('INVALID_ARGUMENT', err instanceof Error ? err.message : String(err));
    }
    try {
      return parseKey(text);
    } catch (err) {
      throw new LedgerError('INVALID_ARGUMENT', `${label}: not a ${kind} (${err instanceof Error ? err.message : String(err)})`);
    }
  };
  const logKey = parse('--vkey', opts.vkey, 'signed-note Ed25519 verifier key', parseVerifierKey);
  const witnesses = opts.witnessVkey.map((w) => parse('--witness-vkey', w, 'witness (cosignature/v1) verifier key', parseWitnessVerifierKey));
  if (opts.quorum !== undefined && opts.quorum > witnesses.length) {
    throw new LedgerError('INVALID_ARGUMENT', `--quorum: ${opts.quorum} is more than the ${witnesses.length} --witness-vkey given`);
  }
  return { logKey, witnesses };
}

/** The saved `--state` checked by `parse`, or undefined before the first run; its directory is checked up front, as it is replaced at the end. */
export function readStateFile<T>(file: string | undefined, parse: (json: unknown) => T): T | undefined {
  if (file === undefined) return undefined;
  outputFile('--state', file);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(inputFile('--state', file), 'utf8');
  try {
    return parse(JSON.parse(text));
  } catch (err) {
    throw new Error(`--state ${file}: not a saved state of this command (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Saved state survives a crash mid-write: write a temporary file, fsync it, rename it over the old one. */
export function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
