/**
 * vitest global setup: every temporary directory a test makes (keys, databases, outboxes, CLI children's
 * files) goes under one directory for the run, removed at the end — so a run leaves nothing in the
 * system's temp directory, even from suites that do not clean up after themselves or are interrupted mid-file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-run-'));
  // Workers and the CLI children they spawn inherit the environment, so os.tmpdir() points here.
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
