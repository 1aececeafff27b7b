import { createReadStream, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importManifest, MANIFEST_FORMATS, readLines, type ImportProgress, type ImportSummary, type ManifestFormat } from '../../hub/intake/index.js';
import { openHub } from '../../runtime/index.js';
import { checkedDbLocation, checkedLogKeyFile, inputFile, type DbOptions } from '../options.js';

interface ImportCliOptions extends DbOptions {
  readonly format?: ManifestFormat;
  readonly json?: boolean;
}

/** Rejected lines printed one by one; the summary counts them all. */
const PRINTED_ERRORS = 100;

export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description(
      'Import a parcel manifest (NDJSON or CSV, one parcel per line; "-" reads standard input). Good lines are stored even when others are rejected; ' +
        'a parcel already known is a duplicate, not an error. Exit status 1 when any line was rejected. Format: docs/manifest.md',
    )
    .option('--db <path>', 'database: SQLite file or postgres:// URL (default: $GLASSHUB_DB or ./data/glasshub.db)')
    .option('--format <format>', `${MANIFEST_FORMATS.join(' or ')} (default: csv for a .csv file, else ndjson)`, parseFormat)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportCliOptions) => {
      const summary = await importFile(file, opts);
      process.stdout.write(opts.json === true ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      if (summary.rejected > 0) process.exitCode = 1;
    });
}

function parseFormat(value: string): ManifestFormat {
  const format = MANIFEST_FORMATS.find((f) => f === value);
  if (format === undefined) throw new Error(`--format: ${JSON.stringify(value)} is not one of ${MANIFEST_FORMATS.join(', ')}`);
  return format;
}

async function importFile(file: string, opts: ImportCliOptions): Promise<ImportSummary> {
  const stdin = file === '-';
  const format = opts.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
  // Checked before the database, so that a wrong path fails fast and touches nothing.
  const stats = stdin ? undefined : statSync(inputFile('<file>', file));
  const location = checkedDbLocation(opts, 'create');
  const logKeyFile = checkedLogKeyFile(opts);
  const input = stdin ? process.stdin : createReadStream(file);
  const hub = await openHub({ db: location, logKeyFile }).catch((err: unknown) => {
    input.destroy();
    throw err;
  });
  const bar = progressBar(stats?.size);
  try {
    const lines = readLines(input, { onBytes: bar?.bytes });
    return await importManifest({ db: hub.store.db, dialect: hub.store.dialect, sealer: hub.gate }, lines, format, { onProgress: bar?.progress });
  } finally {
    bar?.stop();
    input.destroy();
    await hub.close();
  }
}

function formatSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const out = [`accepted ${n(s.accepted)}, rejected ${n(s.rejected)}, duplicates ${n(s.duplicates)} (${n(s.lines)} ${s.lines === 1 ? 'line' : 'lines'})`];
  for (const f of s.flights) out.push(`flight ${f.id}: ${n(f.accepted)} ${f.accepted === 1 ? 'parcel' : 'parcels'} accepted`);
  for (const e of s.errors.slice(0, PRINTED_ERRORS)) out.push(`line ${e.line}: ${e.field}: ${e.reason}`);
  const unlisted = s.errors.length - PRINTED_ERRORS;
  if (unlisted > 0 || s.errorsTruncated) out.push(`… ${s.errorsTruncated ? 'more' : n(unlisted)} errors not listed (--json lists ${n(s.errors.length)})`);
  return `${out.join('\n')}\n`;
}

interface Bar {
  readonly bytes: (bytes: number) => void;
  readonly progress: (p: ImportProgress) => void;
  stop(): void;
}

/** A bar on standard error, only for a person watching a terminal: by bytes for a file, a line count for a pipe. */
function progressBar(size: number | undefined): Bar | undefined {
  if (!process.stderr.isTTY || process.env['CI']) return undefined;
  const format = size === undefined ? 'import {lines} lines | {accepted} accepted | {rejected} rejected | {duration_formatted}' : 'import {bar} {percentage}% | {lines} lines | {accepted} accepted | {rejected} rejected | {eta_formatted}';
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(size ?? 0, 0, { lines: 0, accepted: 0, rejected: 0 });
  let bytes = 0;
  return {
    bytes: (b) => {
      bytes = b;
    },
    progress: (p) => bar.update(bytes, { lines: p.lines, accepted: p.accepted, rejected: p.rejected }),
    stop: () => bar.stop(),
  };
}
