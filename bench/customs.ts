/**
 * `npm run bench -- customs [--parcels N] [--sellers N]`: clearance of one freighter (tax, duty, H7 and ICS2
 * completeness of the non-personal elements, every risk rule, automatic holds; sellers' names through the gate for sanctions
 * screening, ≤ 1,000 per decision) on SQLite; writes its section of docs/benchmarks.md beside the raw
 * SQLite insert rate of rows shaped like `customs_clearances`, measured in the same run. Seeding (sealing
 * people in the vault, inserting parcels) is not timed.
 */
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearFlight, parseSanctionsCsv } from '../src/customs/index.js';
import { s10CheckDigit } from '../src/domain/index.js';
import { Gate, Policy } from '../src/gate/index.js';
import { loadOrCreateLogKey, openLedger } from '../src/runtime/index.js';
import { openStore } from '../src/store/index.js';
import { Vault, loadOrCreateVaultKeys } from '../src/vault/index.js';
import { fmt, log, machineLine, writeSection } from './lib/report.js';

const NOW = '2026-11-25T06:00:00.000Z';
const FLIGHT = 'CK231/2026-11-25';
/** A valid S10 number (automatic holds record EPCIS events, which refuse a wrong check digit). */
const s10 = (n: number): string => {
  const serial = String(n).padStart(8, '0');
  return `RR${serial}${s10CheckDigit(serial)}CN`;
};
const HS = ['610910', '640411', '851712', '950300', '420222', '392690', '847130', '711719'];

export async function run(args: string[]): Promise<void> {
  const opts = { parcels: 250_000, sellers: 2_000 };
  for (let i = 0; i < args.length; i += 2) {
    const k = args[i]?.replace(/^--/, '') as keyof typeof opts;
    if (!(k in opts)) throw new Error(`bad option ${args[i]}`);
    opts[k] = Number(args[i + 1]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'glasshub-bench-customs-'));
  try {
    const store = await openStore(join(dir, 'hub.db'));
    const ledger = await openLedger(store, loadOrCreateLogKey(join(dir, 'log.key'), 'bench.glasshub/log'), { maxDelayMs: 1 });
    const gate = new Gate(store.db, new Vault(loadOrCreateVaultKeys(join(dir, 'vault.keys'))), ledger, Policy.load());
    log(`seeding ${fmt(opts.parcels)} parcels, ${fmt(opts.sellers)} sellers…`);
    const sellers = await gate.seal(store.db, Array.from({ length: opts.sellers }, (_, i) => ({ role: 'seller' as const, data: { name: `Seller ${i} Ltd`, street: `${i} Nanjing Rd`, postcode: '200000', city: 'Shanghai', country: 'CN' } })));
    await store.db.insertInto('flights').values({ id: FLIGHT, flight_number: 'CK231', flight_date: '2026-11-25', status: 'arrived', arrived_at: NOW, created_at: NOW }).execute();
    for (let start = 0; start < opts.parcels; start += 1000) {
      const n = Math.min(1000, opts.parcels - start);
      const buyers = await gate.seal(store.db, Array.from({ length: n }, (_, k) => ({ role: 'consignee' as const, data: { name: `Buyer ${start + k}`, street: `${k} Rue Haute`, postcode: '4000', city: 'Liège', country: 'BE' } })));
      const parcels = buyers.map((ref, k) => ({
        tracking_number: s10(start + k), flight_id: FLIGHT, awb: '160-12345675', uld: null, seller_country: 'CN', dest_country: ['BE', 'DE', 'FR', 'NL', 'IT'][k % 5]!, dest_postcode: '4000',
        gross_mass_g: 300 + k, ioss_number: k % 4 === 0 ? null : 'IM2760000001', item_count: 1 + (k % 2), consignee_ref: ref, seller_ref: sellers[(start + k) % opts.sellers]!, status: 'received' as const,
        lane: null, bag: null, storage_location: null, received_at: NOW, created_at: NOW, updated_at: NOW,
      }));
      const items = parcels.flatMap((p, k) => Array.from({ length: p.item_count }, (_, line) => ({ tracking_number: p.tracking_number, line_no: line + 1, description: 'cotton T-shirt', hs_code: HS[(k + line) % HS.length]!, quantity: 1 + (k % 3), unit_value: `${5 + (k % 60)}.99`, currency: k % 3 === 0 ? 'EUR' : 'USD', origin_country: 'CN' })));
      for (let i = 0; i < parcels.length; i += 500) await store.db.insertInto('parcels').values(parcels.slice(i, i + 500)).execute();
      for (let i = 0; i < items.length; i += 1000) await store.db.insertInto('parcel_items').values(items.slice(i, i + 1000)).execute();
    }
    const sanctions = parseSanctionsCsv('Entity_LogicalId;NameAlias_WholeName\n13;Seller 7 Ltd\n');
    // Timed from a quiet start: the seeding's WAL in the database file (else the checkpointer thread copies
    // it during the clearance) and its garbage collected.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
    (globalThis as { gc?: () => void }).gc?.();
    log('clearing…');
    const principal = { id: 'bench-officer', role: 'customs-officer', organisation: 'hub-customs', country: 'BE' };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await clearFlight(store.db, gate, FLIGHT, { principal, declarant: 'BE0123456789', sanctions, reader: store.reader });
    const ms = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    const cpuMs = (cu.user + cu.system) / 1000;
    // The raw rate after the clearance: its writes (a second database file) would otherwise still be
    // flushing to disk while the clearance runs.
    const raw = rawSqliteRate(dir, opts.parcels);
    log(`raw SQLite insert (14 text columns, prepared statement, one transaction): ${fmt(raw)} rows/s`);
    const flagged = r.parcels.filter((p) => p.allFlags.length > 0).length;
    const phases = Object.entries(r.timings).map(([k, v]) => `${k} ${fmt(v)} (cpu ${fmt(r.cpuTimings[k] ?? 0)})`).join(', ');
    const holdMs = r.timings['hold'] ?? 0;
    log(`cleared ${fmt(r.parcels.length)} parcels in ${fmt(ms)} ms, cpu ${fmt(cpuMs)} ms (${phases}); ${fmt(flagged)} flagged, ${fmt(r.held.length)} held`);
    const rate = r.parcels.length / (ms / 1000);
    writeSection(
      'customs',
      `## Customs clearance of one freighter (\`npm run bench -- customs\`)\n\n${machineLine()}. Tax, duty, non-personal H7/ICS2 completeness and every risk rule on one JSON read of the flight; personal data read only for the sanctions screening of distinct sellers (names, ≤ 1,000 per gate decision); buyers screened against the same list by keyed hash of their names inside the vault (one gate decision for the flight, no record opened; in the gate phase); buyers' data is read only by the H7 export. Then the automatic holds (\`autoHold\`: here the H1 parcels, 16 % of this synthetic flight, and one sanctioned seller's), in the same transaction. Phases in ms, wall (process CPU in brackets: the machine may be shared; CPU includes SQLite's work and V8's parallel GC threads).\n\n` +
        `| parcels | sellers | gate decisions | total | clearance without holds | phases | flagged | held | parcels/s | raw SQLite insert, same run | ratio |\n| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n` +
        `| ${fmt(r.parcels.length)} | ${fmt(opts.sellers)} | ${fmt(r.sellerReads.length + (r.buyerScreening?.ledgerIndexes.length ?? 0))} | ${fmt(ms)} ms (cpu ${fmt(cpuMs)}) | ${fmt(ms - holdMs)} ms | ${phases} | ${fmt(flagged)} | ${fmt(r.held.length)} | ${fmt(rate)} | ${fmt(raw)} rows/s | ${fmt(rate / raw, 2)} |\n\n` +
        `Target: ≤ 3,000 ms for 250,000 parcels (SQLite, one process). Before this version (rows read as ~625,000 objects, bigint arithmetic, no holds), on a quiet machine: 6,032 ms (read 2,495, history 135, gate 183, compute 1,826, write 1,393). Same shared machine, same data, process CPU: before 6,781–7,248 ms, after 4,600–5,200 ms of which holds 1,100–1,250 ms. Before the first redesign (every buyer and seller read through the gate during clearance): 30,350 ms, 19,847 ms of it in the gate. Session 3: WAL checkpoints moved off the writer's thread (the clearance's commit no longer copies ~25,000 pages into the database file), and buyers' screening added (~0.4 s). Session 4, same code measured at 4,159–5,113 ms at the start of the day on this machine: the flight is read in a worker thread (\`Store.reader\`) while the main thread screens the parties (phase order now history, gate, read: the read phase is what remains to wait for, plus \`JSON.parse\`), buyers' refs sorted once instead of four hash sets over 250,000 refs, only the values that vary by parcel bound (the clearance's own are literals), hold ids generated in ascending order; timed from a checkpointed WAL and a collected heap. Session 5, same host type (interleaved A/B on the same host: 2.95–3.14 s against 3.23–3.43 s for session 4's code): the flight's JSON leaves out the parties (a third less to build and parse; the parties' query, which screening needs first, now carries tracking numbers and the two are joined by position), the history is read in the reader after the flight, the holds bind only what varies by hold; then the screening runs while the flight is parsed and computed, buyers compared in the reader (A/B: 2.79–2.90 s against 2.83–3.01 s), so the phases are now: gate = the parties' query and sort, read = the flight's arrival, its parse and most of the screening, screening = what is left to wait for, flags = the parties' and split flags. This host's speed drifts by ±20 % within a day: the same code measured 2.8–3.7 s. Session 6, same host type: the parcels' (flight, status) index dropped (a hold no longer moves its parcel's entry: holds 0.58–0.65 s instead of 0.69–0.77), the flight read in pieces of 50,000 parcels that the main thread parses while the reader builds the next, the sellers' read and the buyers' screening started together (the buyers' had waited for the sellers', about a second); interleaved runs on the same host: 2.6–2.9 s against 2.8–3.0 s for the previous code, 2.79–2.88 s in \`npm run bench -- customs\` over three runs (raw rate 314,913 rows/s in the last, ratio 0.27). Session 7, same host type in a much faster hour (raw rate 389,000–428,000 rows/s): the parties' query moved to the reader, first in its queue (it held the main thread ~0.1 s while the reader, busy 0.6 s of 2.7, built the first piece); interleaved runs on a seeded flight: 2.12–2.18 s against 2.20–2.27 s for session 6's code; 2.11–2.24 s in \`npm run bench -- customs\` over four runs (the table holds the last), ratio 0.28–0.30 — most of the gain since session 6 is the host's, not the code's.`,
    );
    await ledger.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The raw rate of SQLite for rows shaped like customs_clearances: WAL, synchronous=NORMAL, one prepared statement. */
function rawSqliteRate(dir: string, n: number): number {
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const cols = Array.from({ length: 14 }, (_, i) => `c${i}`);
  db.exec(`create table t (${cols.map((c, i) => `${c} text${i === 0 ? ' primary key' : ''}`).join(', ')})`);
  const insert = db.prepare(`insert into t values (${cols.map(() => '?').join(', ')})`);
  const all = db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`RR${String(i).padStart(9, '0')}CN`, FLIGHT, '2026-11-25', 'H7', 'BE', '21', '16.24', '0.00', '3.00', '77.31', '', '[]', '0', NOW);
  });
  const t0 = performance.now();
  all();
  const rate = n / ((performance.now() - t0) / 1000);
  db.close();
  return rate;
}
