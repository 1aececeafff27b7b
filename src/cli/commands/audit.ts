import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { parseLedgerEntry } from '../../domain/index.js';
import { auditLog, parseAuditState, type AuditProgress, type AuditReport } from '../../ledger/audit.js';
import { LedgerError } from '../../ledger/index.js';
import { logUrl, readStateFile, verifierKeys, writeAtomically } from '../log-client.js';
import { collect, parsePositiveInt } from '../options.js';

interface AuditCliOptions {
  readonly vkey: string;
  readonly witnessVkey: string[];
  readonly quorum?: number;
  readonly state?: string;
  readonly json?: boolean;
  readonly concurrency: number;
}

/** Exit codes: the log disagrees with its own signed checkpoints; the audit could not be done (network, usage). */
const EXIT_DISAGREEMENT = 2;
const EXIT_NOT_CHECKED = 1;

export function registerAudit(program: Command): void {
  program
    .command('audit <base-url>')
    .description(
      "Verify the transparency log a hub serves at BASE-URL/log/, trusting only the keys given: the checkpoint's signature, " +
        'the witness quorum, consistency with the saved state, every entry bundle and hash tile, and the root. ' +
        'Exit 0: verified; 2: the log disagrees (named on stderr); 1: the audit could not be done',
    )
    .requiredOption('--vkey <vkey>', "the log's verifier key, or @file to read it from a file")
    .option('--witness-vkey <vkey>', 'a witness verifier key (cosignature/v1), or @file (repeatable)', collect, [])
    .option('--quorum <n>', 'witness cosignatures required (default: all the witnesses given)', parsePositiveInt('--quorum'))
    .option('--state <file>', 'state of the previous audit: read if it exists, replaced when this audit verifies')
    .option('--concurrency <n>', 'requests in flight', parsePositiveInt('--concurrency', 256), 8)
    .option('--json', 'print the report as JSON on standard output')
    .action(async (baseUrl: string, opts: AuditCliOptions) => {
      process.exitCode = await runAudit(baseUrl, opts);
    });
}

async function runAudit(baseUrl: string, opts: AuditCliOptions): Promise<number> {
  const url = logUrl(baseUrl);
  const state = readStateFile(opts.state, parseAuditState);
  const progress = progressBar();
  let report: AuditReport;
  try {
    report = await auditLog({
      url,
      ...verifierKeys(opts),
      quorum: opts.quorum,
      state,
      classify,
      concurrency: opts.concurrency,
      onProgress: progress?.update,
    });
  } catch (err) {
    progress?.stop();
    if (!(err instanceof LedgerError)) throw err;
    const code = err.code === 'UNAVAILABLE' || err.code === 'INVALID_ARGUMENT' ? EXIT_NOT_CHECKED : EXIT_DISAGREEMENT;
    process.stderr.write(`glasshub audit: ${code === EXIT_DISAGREEMENT ? 'FAILED' : 'not checked'} (${err.code}): ${err.message}\n`);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
    return code;
  }
  progress?.stop();
  if (opts.state !== undefined) writeAtomically(opts.state, `${JSON.stringify(report.state, null, 2)}\n`);
  process.stdout.write(opts.json ? `${JSON.stringify({ ok: true, ...report })}\n` : formatReport(report, opts.state));
  return 0;
}

/** The entry's type, or the reason it is not a glasshub ledger entry. */
function classify(entry: Uint8Array): string {
  const parsed = parseLedgerEntry(entry);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value.type;
}

/** A bar on standard error, only for a person watching a terminal. */
function progressBar(): { update: (p: AuditProgress) => void; stop: () => void } | undefined {
  if (!process.stderr.isTTY || process.env['CI']) return undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'audit {bar} {percentage}% | {value}/{total} entries | {mb} MB | {duration_formatted}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) bar.start(p.total, 0, { mb: '0.0' });
      started = true;
      bar.update(p.checked, { mb: (p.bytes / 1e6).toFixed(1) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function formatReport(r: AuditReport, stateFile: string | undefined): string {
  const types = Object.entries(r.entriesByType).map(([type, n]) => `${type} ${n}`);
  const lines = [
    ['log', r.origin],
    ['size', r.previousSize === null ? `${r.size}` : `${r.size} (consistent with the saved size ${r.previousSize})`],
    ['root', r.rootHash],
    ['witnesses', r.witnesses.length > 0 ? r.witnesses.join(', ') : 'none required'],
    ['entries', `${r.entriesChecked} checked${types.length > 0 ? `: ${types.join(', ')}` : ''}`],
    [
      'download',
      `${r.hashTilesDownloaded} hash tiles, ${r.entryBundlesDownloaded} entry bundles, ${(r.bytesDownloaded / 1e6).toFixed(1)} MB in ${(r.durationMs / 1000).toFixed(1)} s`,
    ],
    ...(stateFile === undefined ? [] : [['state', `saved to ${stateFile}`]]),
  ];
  return `${lines.map(([k, v]) => `${k!.padEnd(10)}${v}`).join('\n')}\nverified: every entry and tile the log serves agrees with its signed checkpoint\n`;
}
