import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { parseLedgerEntry } from '../../domain/index.js';
import type { TransparencyLog } from '../../ledger/index.js';
import { loadOrCreateLogKey, openLedger } from '../../runtime/index.js';
import { checkedLogKeyFile, inputFile, openCheckedStore, type DbOptions } from '../options.js';
import { operatorEntryReason } from './operator-entry.js';

/** Appends in flight at once: enough to fill the largest batches, bounded so memory stays flat. */
const MAX_IN_FLIGHT = 65_536;

export function registerLog(program: Command): void {
  const log = program.command('log').description('The transparency log');
  log
    .command('append [file]')
    .description(
      'Append each line of FILE (or standard input) as one operator entry, a JSON object whose "type" starts with "operator-" and that holds no e-mail address or phone number; print each index once durable',
    )
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--key <file>', 'signing key file (default: log.key beside the database)')
    .action(async (file: string | undefined, opts: DbOptions) => {
      const rejected = await appendLines(file, opts);
      if (rejected > 0) {
        process.stderr.write(`glasshub: ${rejected} line(s) rejected, nothing appended for them\n`);
        process.exitCode = 1;
      }
    });
}

async function appendLines(file: string | undefined, opts: DbOptions): Promise<number> {
  const stdin = file === undefined || file === '-';
  // The input and the key are checked before the database is opened: a refused command creates nothing.
  if (!stdin) inputFile('<file>', file);
  const keyFile = checkedLogKeyFile(opts);
  const store = await openCheckedStore(opts, 'create');
  let ledger: TransparencyLog;
  try {
    ledger = await openLedger(store, loadOrCreateLogKey(keyFile));
  } catch (err) {
    await store.close();
    throw err;
  }
  const out = new LineWriter();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let rejected = 0;
  let lineNo = 0;
  try {
    const input = stdin ? process.stdin : createReadStream(file);
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (failure !== undefined) break;
      const bytes = Buffer.from(line, 'utf8');
      const parsed = parseLedgerEntry(bytes);
      const reason = parsed.ok ? operatorEntryReason(parsed.value) : parsed.reason;
      if (reason !== undefined) {
        rejected++;
        process.stderr.write(`line ${lineNo}: ${reason}\n`);
        continue;
      }
      // Indexes resolve in append order, so printing on resolution keeps the output in input order.
      const p: Promise<void> = ledger.append(bytes).then(
        (index) => out.write(`${index}\n`),
        (err: unknown) => {
          failure ??= err;
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await ledger.close();
  } finally {
    out.flush();
    await store.close();
  }
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error('append failed', { cause: failure });
  return rejected;
}

/** Gathers output lines and writes them once per turn of the event loop: a million lines, a few thousand writes. */
class LineWriter {
  private buffer: string[] = [];
  private scheduled = false;

  write(line: string): void {
    this.buffer.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.buffer.length === 0) return;
    process.stdout.write(this.buffer.join(''));
    this.buffer = [];
  }
}
