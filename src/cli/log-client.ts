import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/** Shared by the commands that read a served log (`audit`, `monitor`). */

/** `<base-url>/log/`, for http and https URLs only. */
export function logUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new Error(`${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${baseUrl}: only http and https URLs can be audited`);
  return new URL('log/', url).href;
}

/** A key given on the command line, or `@file` to read it from a file. */
export function keyArgument(value: string): string {
  return value.startsWith('@') ? readFileSync(value.slice(1), 'utf8').trim() : value.trim();
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
