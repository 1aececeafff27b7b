#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerServe } from './commands/serve.js';
import { registerLog } from './commands/log.js';
import { registerKeys } from './commands/keys.js';
import { registerAudit } from './commands/audit.js';
import { registerWitness } from './commands/witness.js';
import { registerPrincipals } from './commands/principals.js';
import { registerCustoms } from './commands/customs.js';
import { registerImport } from './commands/import.js';
import { registerRetention } from './commands/retention.js';
import { registerMonitor } from './commands/monitor.js';
import { registerDemo } from './commands/demo.js';
import { databaseError, type DbOptions } from './options.js';

const program = new Command()
  .name('glasshub')
  .description('The data platform of an e-commerce air-cargo hub, with a public transparency log of every access to personal data.')
  .version('0.1.0')
  // A missing or unknown flag is named in one line; the whole help after it buried that line.
  .exitOverride();

registerServe(program);
registerLog(program);
registerKeys(program);
registerAudit(program);
registerWitness(program);
registerPrincipals(program);
registerCustoms(program);
registerImport(program);
registerRetention(program);
registerMonitor(program);
registerDemo(program);

// The database options of the command that runs: SQLite's and PostgreSQL's errors name neither it nor the flag.
let dbOptions: DbOptions | undefined;
program.hook('preAction', (_, command) => {
  if (command.options.some((o) => o.long === '--db')) dbOptions = command.opts<DbOptions>();
});

function describe(err: unknown): string {
  return (dbOptions && databaseError(err, dbOptions)) ?? (err instanceof Error ? err.message : String(err));
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  // One line, no stack: an operator reads this. Set DEBUG=1 for the stack.
  process.stderr.write(`glasshub: ${describe(err)}\n`);
  if (process.env['DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  process.exit(1);
}
