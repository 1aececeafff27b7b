/**
 * One simulated freighter through the hub, as its people and machines would work it: the manifest
 * imported, each ULD received and its parcels inducted, the flight closed, customs clearance (party data
 * through the gate), the sorter's scans in batches of 5,000, bags of 50 per lane, trucks of at most 200
 * bags per lane, dispatch, and each truck's manifest disclosed to its carrier through the gate.
 */
import { clearFlight } from '../customs/index.js';
import { importManifest, type ImportSummary } from '../hub/intake/index.js';
import {
  closeFlight,
  dispatchManifests,
  dispatchTrucks,
  induct,
  MAX_SCANS_PER_BATCH,
  packBags,
  receiveUld,
  sortScans,
  type BagSpec,
  type DeliveryDisclosure,
  type Hub as OperationsHub,
  type TruckSpec,
} from '../hub/operations/index.js';
import type { PersonalDataSealer } from '../gate/types.js';
import type { Hub } from '../runtime/index.js';
import { manifestLines, type FlightSpec } from './manifest.js';

export const PHASES = ['import', 'breakdown', 'customs', 'sort', 'bag', 'dispatch'] as const;
export type Phase = (typeof PHASES)[number];

export const PARCELS_PER_BAG = 50;
export const BAGS_PER_TRUCK = 200;
/** Bags packed per transaction, and trucks dispatched per transaction (their manifests disclosed together). */
const BAGS_PER_CALL = 200;
const TRUCKS_PER_CALL = 8;
const IMPORT_CHUNK_LINES = 5_000;
const CUSTOMS_OFFICER = { id: 'demo-customs', role: 'customs-officer', organisation: 'hub-customs', country: 'BE' };

export interface FlightRun {
  readonly flightId: string;
  readonly import: ImportSummary;
  readonly ulds: number;
  readonly inducted: number;
  /** Parcels cleared, and those a risk rule or a missing data element flagged; undefined when customs failed. */
  readonly cleared?: number;
  readonly flagged?: number;
  readonly customsError?: string;
  readonly sorted: number;
  readonly held: number;
  readonly exceptions: number;
  readonly lanes: number;
  readonly bags: number;
  readonly trucks: number;
  readonly dispatched: number;
  readonly disclosures: number;
  /** Milliseconds per phase. */
  readonly ms: Readonly<Record<Phase, number>>;
}

/**
 * Where personal data goes, when not through the hub's gate: the hub benchmark's baseline (a plain table,
 * no policy, no ledger) shows what the gate costs. Customs reads through the gate and is skipped then.
 */
export interface RunWithoutGate {
  readonly sealer: PersonalDataSealer;
  readonly disclosure: DeliveryDisclosure;
}

export interface RunHooks {
  /** `done` of `total` units of `phase` (lines, parcels, bags, trucks). */
  readonly onProgress?: (phase: Phase, done: number, total: number) => void;
  readonly onPhase?: (phase: Phase, ms: number) => void;
  /**
   * The flight's manifest lines as they arrive (e.g. a file's, through `readLines`); default: generated
   * from the spec while the import reads them.
   */
  readonly manifest?: AsyncIterable<string>;
  /** Benchmarks only: the run without the gate (see `RunWithoutGate`). */
  readonly withoutGate?: RunWithoutGate;
}

/**
 * Containers per lane — bags at the chutes, trucks at the docks — each closed when it holds `capacity`
 * items. `closeAll` closes the rest and answers every container in the order it closed.
 */
class LaneLoads<T> {
  private readonly open = new Map<string, T[]>();
  private readonly closed: { lane: string; items: T[] }[] = [];

  constructor(private readonly capacity: number) {}

  add(lane: string, item: T): void {
    let load = this.open.get(lane);
    if (load === undefined) this.open.set(lane, (load = []));
    load.push(item);
    if (load.length === this.capacity) {
      this.closed.push({ lane, items: load });
      this.open.delete(lane);
    }
  }

  /** Closes the containers still open, as they are (after the full ones). */
  closeAll(): { lane: string; items: T[] }[] {
    for (const [lane, items] of this.open) this.closed.push({ lane, items });
    this.open.clear();
    return this.closed;
  }
}

/**
 * The tracking numbers of one ULD of the flight (`null`: the loose parcels, in no ULD), `pageSize` at a
 * time (keyset pagination on the (flight_id, uld) index: memory holds one page).
 */
async function* trackingPages(hub: Hub, flightId: string, uld: string | null, pageSize = MAX_SCANS_PER_BATCH): AsyncGenerator<string[]> {
  let after = '';
  for (;;) {
    const q = hub.store.db
      .selectFrom('parcels')
      .select('tracking_number')
      .where('flight_id', '=', flightId)
      .where('uld', uld === null ? 'is' : '=', uld)
      .where('tracking_number', '>', after);
    const page = (await q.orderBy('tracking_number').limit(pageSize).execute()).map((r) => r.tracking_number);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!;
  }
}

/**
 * What the sorter scans, in full batches: the parcels in the order they came off the ULDs, then the loose
 * ones (no ULD).
 */
async function* sorterPages(hub: Hub, flightId: string): AsyncGenerator<string[]> {
  const ulds = await hub.store.db.selectFrom('ulds').select('uld').where('flight_id', '=', flightId).orderBy('uld').execute();
  let batch: string[] = [];
  for (const source of [...ulds.map((u) => u.uld), null]) {
    for await (const page of trackingPages(hub, flightId, source)) {
      for (const tn of page) {
        batch.push(tn);
        if (batch.length === MAX_SCANS_PER_BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export async function runFlight(hub: Hub, spec: FlightSpec, hooks: RunHooks = {}): Promise<FlightRun> {
  // As the HTTP server's: an erased recipient's parcel goes to exceptions, never to a carrier.
  const ops: OperationsHub = { db: hub.store.db, config: hub.config, erasures: hub.gate };
  const flightId = `${spec.flight}/${spec.flightDate}`;
  const ms = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  const progress = hooks.onProgress ?? (() => undefined);
  let t0 = performance.now();
  const lap = (phase: Phase): void => {
    const now = performance.now();
    ms[phase] = Math.round(now - t0);
    hooks.onPhase?.(phase, ms[phase]);
    t0 = now;
  };

  const sealer = hooks.withoutGate?.sealer ?? hub.gate;
  const disclosure = hooks.withoutGate?.disclosure ?? hub.disclosure;
  // 5,000 lines per transaction: a freighter's import is 50 commits (and fsyncs), not 125.
  const summary = await importManifest({ db: hub.store.db, dialect: hub.store.dialect, sealer }, hooks.manifest ?? manifestLines(spec), 'ndjson', {
    chunkLines: IMPORT_CHUNK_LINES,
    onProgress: (p) => progress('import', p.lines, spec.parcels),
  });
  lap('import');

  // A manifest without one good line creates no flight: nothing arrived to break down, clear, sort or dispatch.
  if ((await hub.store.db.selectFrom('flights').select('id').where('id', '=', flightId).executeTakeFirst()) === undefined) {
    for (const phase of PHASES.slice(1)) lap(phase);
    return { flightId, import: summary, ulds: 0, inducted: 0, cleared: 0, flagged: 0, sorted: 0, held: 0, exceptions: 0, lanes: 0, bags: 0, trucks: 0, dispatched: 0, disclosures: 0, ms };
  }

  const ulds = await hub.store.db.selectFrom('ulds').select('uld').where('flight_id', '=', flightId).where('status', '!=', 'received').orderBy('uld').execute();
  let inducted = 0;
  for (const { uld } of ulds) {
    await receiveUld(ops, { flightId, uld });
    for await (const page of trackingPages(hub, flightId, uld)) {
      const results = await induct(ops, flightId, page.map((trackingNumber) => ({ trackingNumber, scanner: 'HANDHELD-1' })));
      inducted += results.filter((r) => r.outcome === 'received').length;
      progress('breakdown', inducted, summary.accepted);
    }
  }
  await closeFlight(ops, flightId);
  lap('breakdown');

  let customs: { cleared: number; flagged: number } | { error: string };
  if (hooks.withoutGate) customs = { error: 'not run without the gate (customs reads party data through it)' };
  else {
    try {
      const r = await clearFlight(hub.store.db, hub.gate, flightId, { principal: CUSTOMS_OFFICER, declarant: 'BE0000000000', reader: hub.store.reader });
      customs = { cleared: r.parcels.length, flagged: r.parcels.filter((p) => p.allFlags.length > 0).length };
    } catch (err) {
      customs = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  lap('customs');

  // Each lane's chute fills a bag of PARCELS_PER_BAG as the sorter discharges into it; a full bag is closed
  // and packed. Bags of all lanes close interleaved, in the order they fill: each packing call then takes
  // parcels sorted close together in time (and stored close together), as on a real sorter's floor.
  const chutes = new LaneLoads<string>(PARCELS_PER_BAG);
  let sorted = 0;
  let held = 0;
  let exceptions = 0;
  for await (const page of sorterPages(hub, flightId)) {
    const now = new Date();
    const batch = await sortScans(ops, hub.plans, page.map((trackingNumber) => ({ trackingNumber, scanner: 'SORTER-1', location: 'SORTER-1', time: now })));
    for (const r of batch.results) {
      if (r.reason === 'rule') {
        sorted++;
        chutes.add(r.lane, r.trackingNumber);
      } else if (r.reason === 'customs-hold') held++;
      else exceptions++;
    }
    progress('sort', sorted + held + exceptions, inducted);
  }
  // The flight sorted: the bags still open are closed as they are.
  const bagSpecs: BagSpec[] = chutes.closeAll().map(({ lane, items }) => ({ lane, trackingNumbers: items }));
  lap('sort');

  // Packed and closed BAGS_PER_CALL at a time (one transaction each), in the order they were closed. A truck
  // leaves its lane's dock when it holds BAGS_PER_TRUCK bags; the last ones when every bag is packed.
  const docks = new LaneLoads<string>(BAGS_PER_TRUCK);
  for (let i = 0; i < bagSpecs.length; i += BAGS_PER_CALL) {
    for (const bag of await packBags(ops, { bags: bagSpecs.slice(i, i + BAGS_PER_CALL) })) docks.add(bag.lane, bag.sscc);
    progress('bag', Math.min(i + BAGS_PER_CALL, bagSpecs.length), bagSpecs.length);
  }
  const lanes = new Set(bagSpecs.map((b) => b.lane)).size;
  const truckLoads = docks.closeAll();
  const bags = bagSpecs.length;
  bagSpecs.length = 0;
  lap('bag');

  // Trucks of at most 200 bags of one lane: loaded and dispatched TRUCKS_PER_CALL at a time, then each
  // truck's manifest disclosed through the gate (one decision and ledger entry per truck).
  const prefix = `${spec.flight}-${spec.flightDate.slice(5).replace('-', '')}`; // CK231-1125
  const truckSpecs: TruckSpec[] = truckLoads.map((load, k) => {
    const n = k + 1;
    return { truckId: `${prefix}-T${String(n).padStart(3, '0')}`, bags: load.items, dock: `DOCK-${String((n % 24) + 1).padStart(2, '0')}` };
  });
  truckLoads.length = 0;
  const trucks = truckSpecs.length;
  let dispatched = 0;
  let disclosures = 0;
  for (let i = 0; i < truckSpecs.length; i += TRUCKS_PER_CALL) {
    const wave = truckSpecs.slice(i, i + TRUCKS_PER_CALL);
    for (const t of await dispatchTrucks(ops, { trucks: wave })) dispatched += t.parcels;
    for (const outcome of await dispatchManifests(ops, disclosure, wave.map((t) => ({ truckId: t.truckId, requestedBy: 'demo-dispatcher' })))) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.manifest.disclosure === 1) disclosures++;
    }
    progress('dispatch', Math.min(i + TRUCKS_PER_CALL, trucks), trucks);
  }
  lap('dispatch');

  return {
    flightId,
    import: summary,
    ulds: ulds.length,
    inducted,
    ...('error' in customs ? { customsError: customs.error } : customs),
    sorted,
    held,
    exceptions,
    lanes,
    bags,
    trucks,
    dispatched,
    disclosures,
    ms,
  };
}
