/**
 * Clearance of a flight without per-parcel personal data: one read of the whole flight (parcels with their
 * items, as one JSON array built by the database), the history grouped by price in the database, in-memory
 * computation with exact integer amounts (tax, duty, non-personal H7/ICS2 completeness, every risk rule;
 * split consignments by vault refs, never opened), bulk writes with prebuilt multi-row SQL, and automatic
 * holds of the parcels whose flags must not leave the hub without an officer (`holds.ts`), in the same
 * transaction as the clearance rows.
 * Given the store's reader, the flight's read runs beside the history and the parties' screening (on
 * SQLite in a worker thread: about half a second of a freighter's clearance).
 * Personal data is opened for one thing only: the sanctions screening of SELLERS' names, through the gate
 * (`screening.ts`). BUYERS are screened without being read (keyed hashes compared inside the vault).
 * Buyers' data is needed only for the H7 export (a disclosure to customs, see `h7-export.ts`).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Gate, Principal } from '../gate/index.js';
import { insertWithLiteralsText, usesDollarPlaceholders, type Database } from '../store/index.js';
import { FlightContext, partyFlags, type ParcelClearance } from './compute.js';
import { flightRefs, readFlight, readFlightInPieces, sortByTracking, withParties, type FlightParcel } from './flight-read.js';
import { CustomsData } from './data/index.js';
import { PartyScreening, type BuyerScreening } from './screening.js';
import { currentRules, DEFAULT_AUTO_HOLD, type RulesDocument } from './rules/document.js';
import { holdParcels, type HoldCandidate } from './holds.js';
import { hubConfigFromEnv, type HubConfig } from '../hub/operations/index.js';
import { HistorySamples, RuleEngine, type Flag, type SameDayParcel } from './rules/engine.js';
import { EMPTY_SANCTIONS, type SanctionsList } from './rules/sanctions.js';

export type { ParcelClearance } from './compute.js';

export interface ClearOptions {
  readonly principal: Principal;
  readonly declarant: string;
  readonly sanctions?: SanctionsList;
  readonly data?: CustomsData;
  readonly now?: Date;
  /** Where automatic holds are recorded (EPCIS bizLocation); default: the hub's configuration from the environment. */
  readonly hub?: HubConfig;
  /**
   * Where the flight is read, beside the screening (`Store.reader`: a worker thread's connection on SQLite,
   * the pool on PostgreSQL); default: read on `db` first. It must see what `db` has committed.
   */
  readonly reader?: Kysely<Database>;
}

export interface FlightClearance {
  readonly flightId: string;
  readonly dateOfImport: string;
  readonly rulesVersion: number;
  /** What every figure rests on, once per flight: exchange rates used, the duty rule. */
  readonly basis: { readonly fx: readonly { readonly currency: string; readonly perEur: string; readonly date: string }[]; readonly dutyRule: string | null };
  readonly parcels: readonly ParcelClearance[];
  /** Ledger indexes of the gate's decisions on reading sellers' names (one per ≤ 1,000 sellers). */
  readonly sellerReads: readonly number[];
  /**
   * The screening of buyers' names against the sanctions list (gate decisions listed, keyed hashes, nothing
   * opened): buyers screened, those sealed before names were indexed (not screened), and matches.
   * Absent when no list is loaded or the rule is off.
   */
  readonly buyerScreening?: BuyerScreening;
  /** Parcels this clearance put on hold (flags listed in the rules' `autoHold`), in tracking-number order. */
  readonly held: readonly string[];
  /** Wall-clock milliseconds per phase, and the process's CPU milliseconds per phase (steadier on a shared machine). */
  readonly timings: Readonly<Record<string, number>>;
  readonly cpuTimings: Readonly<Record<string, number>>;
}

/** What varies by parcel, bound as parameters. */
const PARCEL_COLUMNS = ['tracking_number', 'procedure', 'destination', 'vat_rate', 'vat', 'vat_due', 'duty', 'intrinsic_eur', 'flag_rules', 'flags'];
const ROWS_PER_INSERT = 2000; // × 10 = 20,000 parameters, under SQLite's 32,766

export async function clearFlight(db: Kysely<Database>, gate: Gate, flightId: string, opts: ClearOptions): Promise<FlightClearance> {
  const t: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const lap = (name: string): void => {
    const n = performance.now();
    const c = process.cpuUsage();
    t[name] = Math.round(n - t0);
    cpu[name] = Math.round((c.user - c0.user + c.system - c0.system) / 1000);
    t0 = n;
    c0 = c;
  };
  const flight = await db.selectFrom('flights').select(['id', 'flight_date', 'arrived_at']).where('id', '=', flightId).executeTakeFirst();
  if (!flight) throw new RangeError(`no flight ${flightId}`);
  const date = flight.arrived_at?.slice(0, 10) ?? flight.flight_date;
  const rules = await currentRules(db);
  const ctx = new FlightContext(opts.data ?? new CustomsData(), date, opts.declarant, rules.document.ics2.enabled);
  const dollar = usesDollarPlaceholders(db);
  const sanctions = opts.sanctions ?? EMPTY_SANCTIONS;
  const screening = new PartyScreening(gate, opts.principal, flightId, rules.document.sanctions.enabled, sanctions, opts.reader);
  let parcels: FlightParcel[];
  let history: History;
  /** Screening still under way while the flight is computed: the parties' flags wait for it. */
  let pending: Promise<void> | undefined;
  if (opts.reader === undefined) {
    const refs = await flightRefs(db, flightId, dollar);
    parcels = sortByTracking((await withParties(db, await readFlight(db, flightId, dollar), refs)).parcels);
    lap('read');
    history = await readHistory(db, ctx, rules.document, flightId);
    lap('history');
    await screening.add(parcels);
    lap('gate');
  } else {
    // All read in the reader, in this order: the parties (screening starts on them), the flight without its
    // parties, the history. The main thread meanwhile screens and parses; the flight and its parties are
    // joined when the read arrives. (The parties' query on the main connection held the main thread 0.1 s.)
    const refsReading = flightRefs(opts.reader, flightId, dollar);
    const reading = dollar ? readFlight(opts.reader, flightId, dollar) : readFlightInPieces(opts.reader, flightId);
    const historyReading = readHistory(opts.reader, ctx, rules.document, flightId);
    // Awaited below: not unhandled rejections meanwhile.
    reading.catch(() => undefined);
    historyReading.catch(() => undefined);
    refsReading.catch(() => undefined);
    const refs = await refsReading;
    // Screening goes on while the flight is parsed and computed: buyers are compared in the reader, sellers'
    // names decrypted in the vault's worker. It knows the repeated buyers at once (the split rule needs them).
    pending = screening.add(refs);
    pending.catch(() => undefined);
    lap('gate');
    const joined = await withParties(db, await reading, refs);
    parcels = sortByTracking(joined.parcels);
    if (!joined.screened) {
      // Parcels added in between: screened too (one screening at a time), before anything is computed.
      await pending;
      pending = screening.add(parcels);
      pending.catch(() => undefined);
    }
    lap('read');
    history = await historyReading;
    lap('history');
  }
  const { sellerNames, buyerHits } = screening;
  const { samples, sameDay } = history;

  const engine = new RuleEngine({ rules: rules.document, medians: samples.medians(), sellerNames, sanctions, buyerHits, sameDay, repeatedBuyers: screening.repeatedBuyers });
  const result: ParcelClearance[] = new Array<ParcelClearance>(parcels.length);
  for (let i = 0; i < parcels.length; i++) {
    const p = parcels[i]!;
    result[i] = ctx.compute(p, p[7], engine, pending === undefined);
  }
  if (pending !== undefined) {
    lap('compute');
    await pending;
    lap('screening');
    // The same place as when computed with the parcel: after its other flags, before a split's.
    for (let i = 0; i < parcels.length; i++) partyFlags(engine, parcels[i]!, result[i]!.allFlags);
  }
  const { sellerReads } = screening;
  const buyerScreening = screening.buyerScreening;
  const split = new Map<string, Flag>();
  engine.splitFlags((tracking, flag) => split.set(tracking, flag));
  if (split.size > 0) {
    for (const r of result) {
      const f = split.get(r.trackingNumber);
      if (f !== undefined) r.allFlags.push(f);
    }
  }
  lap(pending === undefined ? 'compute' : 'flags');

  const now = opts.now ?? new Date();
  const clearedAt = now.toISOString();
  const holdRules = new Set(rules.document.autoHold?.rules ?? DEFAULT_AUTO_HOLD);
  const candidates: HoldCandidate[] = [];
  // What is the clearance's own, the same in every row: literals in the statement's text (one text per
  // chunk size). Binding them for each of 250,000 rows cost about 0.25 s on SQLite.
  const clearance = [['flight_id', flightId], ['date_of_import', date], ['rules_version', rules.version], ['cleared_at', clearedAt]] as const;
  const held = await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('customs_clearances').where('flight_id', '=', flightId).execute();
    const texts = new Map<number, string>();
    for (let i = 0; i < result.length; i += ROWS_PER_INSERT) {
      const end = Math.min(result.length, i + ROWS_PER_INSERT);
      let text = texts.get(end - i);
      if (text === undefined) texts.set(end - i, (text = insertWithLiteralsText('customs_clearances', PARCEL_COLUMNS, clearance, end - i, dollar)));
      const params: (string | null)[] = new Array<string | null>((end - i) * PARCEL_COLUMNS.length);
      let k = 0;
      for (let j = i; j < end; j++) {
        const r = result[j]!;
        const f = r.allFlags;
        let names = '';
        let flags = '[]';
        if (f.length > 0) {
          const distinct = [...new Set(f.map((x) => x.rule))];
          names = distinct.join(' ');
          flags = JSON.stringify(f);
          const hold = distinct.filter((x) => holdRules.has(x));
          if (hold.length > 0) candidates.push({ trackingNumber: r.trackingNumber, rules: hold });
        }
        params[k++] = r.trackingNumber;
        params[k++] = r.procedure;
        params[k++] = r.destination;
        params[k++] = r.vatRate;
        params[k++] = r.vat;
        params[k++] = r.vatDueAtImport;
        params[k++] = r.duty;
        params[k++] = r.intrinsicValueEur;
        params[k++] = names;
        params[k++] = flags;
      }
      await tx.executeQuery(CompiledQuery.raw(text, params));
    }
    lap('write');
    return holdParcels(tx, candidates, { flightId, officer: opts.principal.id, rulesVersion: rules.version, config: opts.hub ?? hubConfigFromEnv(), now, dollar });
  });
  lap('hold');
  const basis = { fx: [...ctx.conv.used].map(([currency, r]) => ({ currency, perEur: r.rate, date: r.date })), dutyRule: ctx.dutyRule };
  return { flightId, dateOfImport: date, rulesVersion: rules.version, basis, parcels: result, sellerReads, ...(buyerScreening && { buyerScreening }), held, timings: t, cpuTimings: cpu };
}

interface History {
  readonly samples: HistorySamples;
  readonly sameDay: SameDayParcel[];
}

/** The hub's history the rules compare with: declared prices by code (undervaluation), same-day parcels (splits). */
async function readHistory(db: Kysely<Database>, ctx: FlightContext, rules: RulesDocument, flightId: string): Promise<History> {
  const samples = new HistorySamples();
  const u = rules.undervaluation;
  if (u.enabled) {
    // Grouped by code and value in the database: the history's size is its number of distinct prices.
    const from = new Date(Date.parse(ctx.date) - u.historyDays * 86_400_000).toISOString();
    const hist = await db
      .selectFrom('parcel_items as i')
      .innerJoin('parcels as p', 'p.tracking_number', 'i.tracking_number')
      .select((eb) => ['i.hs_code', 'i.unit_value', 'i.currency', eb.fn.countAll<number>().as('n')])
      .where('p.flight_id', '!=', flightId)
      .where('p.created_at', '>=', from)
      .groupBy(['i.hs_code', 'i.unit_value', 'i.currency'])
      .execute();
    for (const h of hist) samples.add(ctx.facts.hs6(h.hs_code), ctx.conv.unitEurNum(h.unit_value, h.currency), Number(h.n));
  }
  const sameDay: SameDayParcel[] = (
    await db
      .selectFrom('customs_clearances as c')
      .innerJoin('parcels as p', 'p.tracking_number', 'c.tracking_number')
      .select(['c.tracking_number', 'c.intrinsic_eur', 'p.consignee_ref', 'p.seller_ref'])
      .where('c.date_of_import', '=', ctx.date)
      .where('c.flight_id', '!=', flightId)
      .execute()
  ).map((r) => ({ trackingNumber: r.tracking_number, consigneeRef: r.consignee_ref, sellerRef: r.seller_ref, intrinsicEurMinor: Number(ctx.conv.minor(r.intrinsic_eur, 'EUR') ?? 0n) }));
  return { samples, sameDay };
}
