import type { Command } from 'commander';
import { DEFAULT_RETENTION, runRetention } from '../../privacy/index.js';
import { openHub } from '../../runtime/index.js';
import { checkedDbLocation, checkedLogKeyFile, parseIsoTime, type DbOptions } from '../options.js';

interface RunOptions extends DbOptions {
  readonly now?: string;
  readonly json?: boolean;
}

export function registerRetention(program: Command): void {
  const retention = program.command('retention').description('Retention of personal data: people all of whose parcels are past retention are crypto-shredded');
  retention
    .command('rules')
    .description('Print the retention rules (basis: docs/privacy.md)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(DEFAULT_RETENTION, null, 2)}\n`);
    });
  retention
    .command('run')
    .description('Erase, through the gate as system:retention, every person past retention; one ledger entry per 1,000 people and a retention-run entry')
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--now <iso>', 'the time to judge retention at (default: now)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: RunOptions) => {
      const now = opts.now === undefined ? new Date() : parseIsoTime('--now', opts.now);
      const hub = await openHub({ db: checkedDbLocation(opts, 'existing'), logKeyFile: checkedLogKeyFile(opts) });
      try {
        const r = await runRetention({ db: hub.store.db, gate: hub.gate, log: hub.log }, now);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(r)}\n`
            : `retention at ${r.time}: ${r.parcelsPastRetention} parcels past retention; ${r.subjectsErased} people erased, ${r.subjectsKept} kept for a more recent parcel; ledger entry ${r.ledgerIndex}\n`,
        );
      } finally {
        await hub.close();
      }
    });
}
