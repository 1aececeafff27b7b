import type { Command } from 'commander';
import { parseAuditState } from '../../ledger/audit.js';
import { LedgerError } from '../../ledger/index.js';
import { monitorLog, type MonitorCarry, type MonitorReport, type MonitorState } from '../../privacy/index.js';
import { logUrl, readStateFile, verifierKeys, writeAtomically } from '../log-client.js';
import { collect, parsePositiveInt } from '../options.js';

interface MonitorCliOptions {
  readonly vkey: string;
  readonly witnessVkey: string[];
  readonly quorum?: number;
  readonly state?: string;
  readonly json?: boolean;
  readonly burst: number;
}

/** 0: no high-severity anomaly; 3: at least one; 2: the log disagrees with its checkpoints; 1: not checked. */
const EXIT_HIGH = 3;
const EXIT_DISAGREEMENT = 2;
const EXIT_NOT_CHECKED = 1;

export function registerMonitor(program: Command): void {
  program
    .command('monitor <base-url>')
    .description(
      'Audit the transparency log at BASE-URL/log/ (as `glasshub audit`) and report privacy anomalies in its verified entries: ' +
        'access from outside the EU/EEA, bulk reads, subject access without a verification, disclosures not made by dispatch, ' +
        'reads after erasure, denial bursts, authority requests by country. Exit 3 when a high-severity anomaly is found',
    )
    .requiredOption('--vkey <vkey>', "the log's verifier key, or @file")
    .option('--witness-vkey <vkey>', 'a witness verifier key, or @file (repeatable)', collect, [])
    .option('--quorum <n>', 'witness cosignatures required (default: all)', parsePositiveInt('--quorum'))
    .option('--state <file>', 'state of the previous run: only new entries are read; replaced after a verified run')
    .option('--burst <n>', 'denials per principal per minute that make a burst', parsePositiveInt('--burst'), 10)
    .option('--json', 'print the report as JSON')
    .action(async (baseUrl: string, opts: MonitorCliOptions) => {
      process.exitCode = await runMonitor(baseUrl, opts);
    });
}

async function runMonitor(baseUrl: string, opts: MonitorCliOptions): Promise<number> {
  const url = logUrl(baseUrl);
  const state = readStateFile(opts.state, parseState);
  let report: MonitorReport;
  try {
    report = await monitorLog({
      url,
      ...verifierKeys(opts),
      quorum: opts.quorum,
      state,
      monitor: { burstThreshold: opts.burst },
    });
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    const code = err.code === 'UNAVAILABLE' || err.code === 'INVALID_ARGUMENT' ? EXIT_NOT_CHECKED : EXIT_DISAGREEMENT;
    process.stderr.write(`glasshub monitor: ${code === EXIT_DISAGREEMENT ? 'FAILED' : 'not checked'} (${err.code}): ${err.message}\n`);
    if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: err.message })}\n`);
    return code;
  }
  if (opts.state !== undefined) {
    writeAtomically(opts.state, `${JSON.stringify(report.state, null, 2)}\n`);
  }
  const shown = { audit: report.audit, counts: report.counts, anomalies: report.anomalies, authorityRequests: report.authorityRequests };
  process.stdout.write(opts.json ? `${JSON.stringify({ ok: true, ...shown })}\n` : format(report));
  return report.counts.high > 0 ? EXIT_HIGH : 0;
}

function format(r: MonitorReport): string {
  const lines = [
    `log ${r.audit.origin}, size ${r.audit.size}: ${r.audit.entriesChecked} entries verified and analysed`,
    `anomalies: ${r.counts.high} high, ${r.counts.medium} medium, ${r.counts.low} low`,
    ...r.anomalies.map((a) => `  ${a.severity.padEnd(6)} ${a.kind.padEnd(30)} entry ${a.index}: ${a.detail}`),
    'authority requests:',
    ...(r.authorityRequests.length === 0 ? ['  none'] : r.authorityRequests.map((a) => `  ${a.country} ${a.decision}: ${a.count}`)),
  ];
  return `${lines.join('\n')}\n`;
}

function parseState(json: unknown): MonitorState {
  if (typeof json !== 'object' || json === null) throw new Error('not a JSON object');
  const { audit, carry } = json as { audit?: unknown; carry?: unknown };
  return { audit: parseAuditState(audit), carry: parseCarry(carry) };
}

/** The saved carry, checked: an object of tag → ISO time, and a list of tags. */
function parseCarry(value: unknown): MonitorCarry {
  const bad = (): never => {
    throw new Error('the saved monitor carry is invalid');
  };
  if (value === undefined) return { verifications: {}, erased: [] };
  if (typeof value !== 'object' || value === null) return bad();
  const { verifications, erased } = value as { verifications?: unknown; erased?: unknown };
  if (typeof verifications !== 'object' || verifications === null || !Array.isArray(erased)) return bad();
  const v: Record<string, string> = {};
  for (const [k, t] of Object.entries(verifications)) v[k] = typeof t === 'string' ? t : bad();
  return { verifications: v, erased: erased.map((t) => (typeof t === 'string' ? t : bad())) };
}
