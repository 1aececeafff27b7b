/**
 * What the console's audit views show, computed from this server's own ledger: access statistics (by
 * country, purpose, role and decision over time) from the `access-decision` entries, and the privacy monitor's
 * anomalies. The entries hold no personal data (people are pseudonymous tags), so neither does anything here;
 * anyone holding the public log can recompute the same figures.
 *
 * The log is read incrementally: each call reads only the entries appended since the previous one (whole
 * entry bundles, not entry by entry), and folds them into hourly counts and the monitor's analyser.
 */
import { parseLedgerEntry, type LedgerEntry } from '../domain/index.js';
import { ENTRY_BUNDLE_LEVEL, TILE_WIDTH, decodeEntryBundle } from '../ledger/index.js';
import { LedgerAnalyser, type MonitorFindings, type Severity } from './monitor.js';

/** What is read of the log (a `TransparencyLog` fits). */
export interface EntrySource {
  committedSize(): Promise<number>;
  readTile(level: number, index: number, width: number): Promise<Buffer | undefined>;
}

export type StatsBucket = 'hour' | 'day';

export interface AccessStatsRow {
  /** Start of the hour or day (UTC). */
  readonly period: string;
  readonly country: string;
  readonly purpose: string;
  readonly role: string;
  readonly decision: string;
  /** Decision entries. */
  readonly decisions: number;
  /** Records those decisions covered (a bulk read is one decision over many records). */
  readonly records: number;
}

export interface AccessStats {
  readonly from: string;
  readonly to: string;
  readonly bucket: StatsBucket;
  /** The log size the figures cover. */
  readonly logSize: number;
  readonly rows: readonly AccessStatsRow[];
}

export interface Anomalies extends MonitorFindings {
  readonly logSize: number;
  readonly counts: Readonly<Record<Severity, number>>;
}

const HOUR_MS = 3_600_000;
const SEP = '\u0000';
const text = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : 'unknown');

export class LedgerViews {
  private next = 0;
  /** `hourStartMs SEP country SEP purpose SEP role SEP decision` → counts. */
  private readonly hours = new Map<string, { decisions: number; records: number }>();
  private readonly analyser = new LedgerAnalyser();
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly log: EntrySource) {}

  async accessStats(from: Date, to: Date, bucket: StatsBucket): Promise<AccessStats> {
    const size = await this.catchUp();
    const width = bucket === 'hour' ? HOUR_MS : 24 * HOUR_MS;
    const merged = new Map<string, { decisions: number; records: number }>();
    for (const [key, n] of this.hours) {
      const [hour = '0', ...rest] = key.split(SEP);
      const at = Number(hour);
      if (at < from.getTime() || at >= to.getTime()) continue;
      const k = [Math.floor(at / width) * width, ...rest].join(SEP);
      const m = merged.get(k) ?? { decisions: 0, records: 0 };
      m.decisions += n.decisions;
      m.records += n.records;
      merged.set(k, m);
    }
    const rows = [...merged].map(([k, n]) => {
      const [period = '0', country = '', purpose = '', role = '', decision = ''] = k.split(SEP);
      return { period: new Date(Number(period)).toISOString(), country, purpose, role, decision, ...n };
    });
    rows.sort((a, b) => compare(a.period, b.period) || compare(a.country, b.country) || compare(a.purpose, b.purpose) || compare(a.role, b.role) || compare(a.decision, b.decision));
    return { from: from.toISOString(), to: to.toISOString(), bucket, logSize: size, rows };
  }

  async anomalies(): Promise<Anomalies> {
    const size = await this.catchUp();
    const findings = this.analyser.finish();
    const counts = { high: 0, medium: 0, low: 0 };
    for (const a of findings.anomalies) counts[a.severity]++;
    return { ...findings, logSize: size, counts };
  }

  /** Reads what was appended since the last call; calls are serialised, so each entry is counted once. */
  private catchUp(): Promise<number> {
    const run = this.reading.then(() => this.readNew());
    this.reading = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async readNew(): Promise<number> {
    const size = await this.log.committedSize();
    while (this.next < size) {
      const tile = Math.floor(this.next / TILE_WIDTH);
      const width = Math.min(TILE_WIDTH, size - tile * TILE_WIDTH);
      const bundle = await this.log.readTile(ENTRY_BUNDLE_LEVEL, tile, width);
      if (!bundle) throw new Error(`the log has no entry bundle ${tile} of width ${width}`);
      const entries = decodeEntryBundle(bundle, width);
      for (let i = this.next - tile * TILE_WIDTH; i < entries.length; i++) {
        const parsed = parseLedgerEntry(entries[i]!);
        // The server's own log holds only its own entries; one that does not parse is skipped, not fatal.
        if (parsed.ok) this.add(tile * TILE_WIDTH + i, parsed.value);
      }
      this.next = tile * TILE_WIDTH + entries.length;
    }
    return size;
  }

  private add(index: number, e: LedgerEntry): void {
    this.analyser.add(index, e);
    if (e.type !== 'access-decision') return;
    const time = typeof e['time'] === 'string' ? Date.parse(e['time']) : NaN;
    if (!Number.isFinite(time)) return;
    const p = (e['principal'] ?? {}) as { role?: unknown; country?: unknown };
    const key = [Math.floor(time / HOUR_MS) * HOUR_MS, text(p.country), text(e['purpose']), text(p.role), text(e['decision'])].join(SEP);
    const n = this.hours.get(key) ?? { decisions: 0, records: 0 };
    n.decisions += 1;
    n.records += Number.isSafeInteger(e['count']) ? Number(e['count']) : 1;
    this.hours.set(key, n);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
