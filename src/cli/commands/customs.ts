import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { clearFlight, CustomsData, exportFlightH7, flightReport, parseEcbCsv, parseSanctions, reportCsv, type BuyerScreening } from '../../customs/index.js';
import type { Principal } from '../../gate/index.js';
import { openHub } from '../../runtime/index.js';
import type { Database } from '../../store/index.js';
import { checkedDbLocation, checkedLogKeyFile, inputFile, openCheckedStore, outputFile, type DbOptions } from '../options.js';

interface ReportOptions extends DbOptions {
  readonly flight: string;
  readonly json?: boolean;
  readonly csv?: boolean;
}
/** `--fx FILE`: exchange rates from the ECB's eurofxref(-hist).csv instead of the illustrative sample. */
interface FxOption {
  readonly fx?: string;
}
const FX_HELP = "ECB reference rates CSV (eurofxref.csv or eurofxref-hist.csv); default: the illustrative sample rates";
function customsData(opts: FxOption): { data: CustomsData } | Record<string, never> {
  const file = opts.fx;
  return file === undefined ? {} : { data: new CustomsData({ fx: readFileOption('--fx', file, (text) => parseEcbCsv(text, `ECB euro foreign exchange reference rates (${file})`)) }) };
}

/** A file given by `flag`, read and parsed; what is wrong with it is named by the flag. */
function readFileOption<T>(flag: string, file: string, parse: (text: string) => T): T {
  const text = readFileSync(inputFile(flag, file), 'utf8');
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${flag} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A typo in --flight names the flag rather than clearing, exporting or reporting nothing. */
async function checkFlight(db: Kysely<Database>, flight: string): Promise<void> {
  const row = await db.selectFrom('flights').select('id').where('id', '=', flight).executeTakeFirst();
  if (row === undefined) throw new Error(`--flight ${flight}: no such flight (ids look like CK231/2026-11-25)`);
}

interface H7Options extends DbOptions, FxOption {
  readonly flight: string;
  readonly out?: string;
  readonly declarant: string;
  readonly officer: string;
  readonly country: string;
}
interface ClearOptions extends DbOptions, FxOption {
  readonly flight: string;
  readonly sanctions?: string;
  readonly declarant: string;
  readonly officer: string;
  readonly country: string;
}

/** Per-parcel "not declared" lines `customs h7` prints before its summary. */
const MAX_ERROR_LINES = 20;

/** The principal the gate records as the reader when `clear` or `h7` reads party data. */
function customsOfficer(opts: { readonly officer: string; readonly country: string }): Principal {
  return { id: opts.officer, role: 'customs-officer', organisation: 'hub-customs', country: opts.country };
}

/** The buyers' screening as the summary line tells it. */
function buyers(s: BuyerScreening | undefined): string {
  if (s === undefined) return '';
  const unscreened = s.unscreened > 0 ? `, ${s.unscreened} sealed before names were indexed not screened` : '';
  const entries = s.ledgerIndexes.length === 1 ? `ledger entry ${s.ledgerIndexes[0]}` : `ledger entries ${s.ledgerIndexes.join(', ')}`;
  return `; ${s.screened} buyers screened by keyed hash in ${entries} (${s.matches} on the list${unscreened})`;
}

export function registerCustoms(program: Command): void {
  const customs = program.command('customs').description('Customs clearance: VAT/IOSS, duty, H7, ICS2, risk rules, reports');
  customs
    .command('report')
    .description('Per-parcel figures and flags of a cleared flight (no personal data)')
    .requiredOption('--flight <id>', 'flight id, e.g. CK231/2026-11-25')
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: ReportOptions) => {
      const store = await openCheckedStore(opts, 'existing');
      try {
        await checkFlight(store.db, opts.flight);
        const r = await flightReport(store.db, opts.flight);
        if (r.totals.parcels === 0) throw new Error(`--flight ${opts.flight}: not cleared yet (glasshub customs clear --flight ${opts.flight})`);
        if (opts.csv) process.stdout.write(reportCsv(r));
        else if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          const t = r.totals;
          process.stdout.write(`${r.flightId}: ${t.parcels} parcels (${t.h7} H7, ${t.h1} H1), ${t.flagged} flagged; value EUR ${t.valueEur}, VAT EUR ${t.vatEur} (due at import ${t.vatDueEur}), duty EUR ${t.dutyEur}\n`);
          for (const [rule, n] of Object.entries(r.flagsByRule)) process.stdout.write(`  ${rule}: ${n}\n`);
        }
      } finally {
        await store.close();
      }
    });
  customs
    .command('clear')
    .description('Clear a flight: tax, duty, H7, ICS2 and every risk rule; party data read through the gate (customs-control)')
    .requiredOption('--flight <id>', 'flight id')
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--sanctions <file>', 'EU consolidated sanctions list, CSV or XML')
    .option('--fx <file>', FX_HELP)
    .option('--declarant <eori>', "declarant's EORI number", 'BE0000000000')
    .option('--officer <id>', 'principal id the gate records as the reader', 'customs-clearance')
    .option('--country <CC>', 'country the clearance acts from', 'BE')
    .action(async (opts: ClearOptions) => {
      // The files are read before the database is opened: a bad one changes nothing.
      const sanctions = opts.sanctions === undefined ? undefined : readFileOption('--sanctions', opts.sanctions, parseSanctions);
      const data = customsData(opts);
      const hub = await openHub({ db: checkedDbLocation(opts, 'existing'), logKeyFile: checkedLogKeyFile(opts) });
      try {
        await checkFlight(hub.store.db, opts.flight);
        const r = await clearFlight(hub.store.db, hub.gate, opts.flight, { principal: customsOfficer(opts), declarant: opts.declarant, hub: hub.config, reader: hub.store.reader, ...(sanctions && { sanctions }), ...data });
        const flagged = r.parcels.filter((p) => p.allFlags.length > 0).length;
        const fx = r.basis.fx.map((f) => `${f.currency} ${f.perEur} (${f.date})`).join(', ');
        process.stdout.write(`${r.flightId}: ${r.parcels.length} parcels cleared for ${r.dateOfImport} under rules v${r.rulesVersion}; ${flagged} flagged, ${r.held.length} held for an officer; sellers screened in ${r.sellerReads.length} gate decision(s)${buyers(r.buyerScreening)}; per EUR: ${fx || 'no conversion'}\n`);
      } finally {
        await hub.close();
      }
    });
  customs
    .command('h7')
    .description('The H7 declarations of a cleared flight as JSON (a disclosure: party data read through the gate, customs-control)')
    .requiredOption('--flight <id>', 'flight id')
    .option('--db <path>', 'database: SQLite file or postgres:// URL')
    .option('--out <file>', 'write the JSON here instead of stdout')
    .option('--fx <file>', FX_HELP)
    .option('--declarant <eori>', "declarant's EORI number", 'BE0000000000')
    .option('--officer <id>', 'principal id the gate records as the reader', 'customs-h7-export')
    .option('--country <CC>', 'country the export acts from', 'BE')
    .action(async (opts: H7Options) => {
      // Checked first: the export is a disclosure recorded in the ledger, which must not happen for a file that cannot be written.
      if (opts.out !== undefined) outputFile('--out', opts.out);
      const data = customsData(opts);
      const hub = await openHub({ db: checkedDbLocation(opts, 'existing'), logKeyFile: checkedLogKeyFile(opts) });
      try {
        await checkFlight(hub.store.db, opts.flight);
        const r = await exportFlightH7(hub.store.db, hub.gate, opts.flight, { principal: customsOfficer(opts), declarant: opts.declarant, ...data });
        const json = `${JSON.stringify(r, null, 2)}\n`;
        if (opts.out === undefined) process.stdout.write(json);
        else writeFileSync(opts.out, json);
        // A freighter may have thousands not declared: the first few show what is wrong, the JSON lists them all.
        for (const e of r.errors.slice(0, MAX_ERROR_LINES)) process.stderr.write(`${e.trackingNumber}: not declared, missing ${e.missing.join(', ')}\n`);
        if (r.errors.length > MAX_ERROR_LINES) process.stderr.write(`… and ${r.errors.length - MAX_ERROR_LINES} more not declared (all under "errors" in the JSON)\n`);
        const decisions = [...r.receipts.sellers, ...r.receipts.consignees];
        process.stderr.write(`${r.flightId}: ${r.declarations.length} H7 declarations, ${r.errors.length} incomplete, ${r.h1.length} H1; gate decisions (ledger) ${decisions.length > 0 ? decisions.join(', ') : 'none'}\n`);
      } finally {
        await hub.close();
      }
    });
}
