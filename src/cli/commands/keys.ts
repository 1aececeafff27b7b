import type { Command } from 'commander';
import { loadOrCreateLogKey } from '../../runtime/index.js';
import { logKeyFile, type DbOptions } from '../options.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("The log's signing key");
  keys
    .command('show')
    .description("Print the log's verifier key (C2SP signed-note vkey), creating the key on first use")
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--key <file>', 'signing key file (default: log.key beside the database)')
    .action((opts: DbOptions) => {
      const key = loadOrCreateLogKey(logKeyFile(opts));
      process.stdout.write(`${key.vkey}\n`);
    });
}
