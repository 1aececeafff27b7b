/**
 * Imports a manifest, streaming: lines are validated as they arrive and written in chunks (2,000 lines per
 * transaction by default), so a 250,000-line freighter never sits in memory. Every valid line is stored
 * even when others are refused; a parcel already known (same tracking number) is counted as a duplicate,
 * so importing the same manifest again changes nothing. Chunks commit as they go: after a failure
 * (database down), importing the same manifest again completes it.
 */
import type { Kysely } from 'kysely';
import type { PersonalDataSealer } from '../../gate/types.js';
import type { Database, Dialect } from '../../store/index.js';
import { manifestResults, type ManifestFormat } from './read.js';
import type { IntakeParcel, LineError } from './types.js';
import { sealRequests, writeChunk, type SealAhead } from './write.js';

export interface ImportDeps {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The gate's write side: the only way the consignee's and seller's data is stored. */
  readonly sealer: PersonalDataSealer;
  /** The import's clock (default: the system's); its UTC date is the default flight date. */
  readonly now?: () => Date;
}

export interface ImportOptions {
  /** Lines per transaction (default 2,000). */
  readonly chunkLines?: number;
  /** How many line errors the summary lists (default 1,000); all refused lines are counted. */
  readonly maxErrors?: number;
  /** Called after each chunk is committed. */
  readonly onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  /** Parcel lines read so far (blank lines and the CSV header are not counted). */
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
}

export interface FlightCount {
  /** `CK231/2026-11-25`. */
  readonly id: string;
  readonly flightNumber: string;
  readonly flightDate: string;
  /** Parcels of this import accepted on the flight. */
  readonly accepted: number;
}

export interface ImportSummary extends ImportProgress {
  /** The first `maxErrors` errors, in line order. Reasons never quote personal data. */
  readonly errors: readonly LineError[];
  /** True when there were more errors than listed. */
  readonly errorsTruncated: boolean;
  readonly flights: readonly FlightCount[];
}

export const DEFAULT_CHUNK_LINES = 2_000;

/** Lines read since the last chunk was handed to the writer: the valid parcels, and how many were refused. */
interface Chunk {
  readonly parcels: IntakeParcel[];
  lines: number;
  rejected: number;
}
export const DEFAULT_MAX_ERRORS = 1_000;

export async function importManifest(
  deps: ImportDeps,
  lines: AsyncIterable<string>,
  format: ManifestFormat,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const now = deps.now ?? (() => new Date());
  const chunkLines = options.chunkLines ?? DEFAULT_CHUNK_LINES;
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  const progress = { lines: 0, accepted: 0, rejected: 0, duplicates: 0 };
  const errors: LineError[] = [];
  let errorsTruncated = false;
  const flights = new Map<string, FlightCount>();
  const list = (lineErrors: readonly LineError[]): void => {
    for (const e of lineErrors) {
      if (errors.length < maxErrors) errors.push(e);
      else errorsTruncated = true;
    }
  };

  /** Writes a chunk; the counts include its lines once it is committed, so progress never runs ahead. */
  const write = async (c: Chunk, ahead: SealAhead | undefined): Promise<void> => {
    let rejected = c.rejected;
    if (c.parcels.length > 0) {
      const stamp = now().toISOString();
      const result = await deps.db.transaction().execute((tx) => writeChunk(tx, deps.dialect, deps.sealer, c.parcels, stamp, ahead));
      progress.accepted += result.accepted.length;
      progress.duplicates += result.duplicates;
      if (result.errors.length > 0) {
        rejected += result.errors.length;
        list(result.errors);
        errors.sort((a, b) => a.line - b.line); // write-time refusals come after their chunk's other errors
      }
      for (const p of result.accepted) {
        const f = flights.get(p.flightId);
        flights.set(p.flightId, { id: p.flightId, flightNumber: p.flightNumber, flightDate: p.flightDate, accepted: (f?.accepted ?? 0) + 1 });
      }
    }
    progress.lines += c.lines;
    progress.rejected += rejected;
    options.onProgress?.({ ...progress });
  };

  // One chunk is written while the next is read and validated (PostgreSQL works meanwhile); never more
  // than one in flight, so memory holds two chunks at most. A full chunk's sealing starts before the
  // chunk before it is written: its cryptography (a worker thread's) overlaps that chunk's SQL.
  let writing: Promise<void> = Promise.resolve();
  let chunk: Chunk = { parcels: [], lines: 0, rejected: 0 };
  const flush = async (): Promise<void> => {
    const full = chunk;
    chunk = { parcels: [], lines: 0, rejected: 0 };
    let ahead: SealAhead | undefined;
    if (deps.sealer.prepare && full.parcels.length > 0) {
      const requests = sealRequests(full.parcels);
      ahead = { requests, prepared: deps.sealer.prepare(requests) };
    }
    await writing;
    writing = write(full, ahead);
    writing.catch(() => undefined); // a failure is thrown where `writing` is awaited, not reported as unhandled
  };

  try {
    for await (const result of manifestResults(lines, format, { defaultFlightDate: now().toISOString().slice(0, 10) })) {
      chunk.lines++;
      if (result.ok) chunk.parcels.push(result.parcel);
      else {
        chunk.rejected++;
        list(result.errors);
      }
      if (chunk.lines >= chunkLines) await flush();
    }
  } catch (err) {
    await writing.catch(() => undefined); // the chunk in flight ends before the caller closes the store
    throw err;
  }
  await flush();
  await writing;
  return { ...progress, errors, errorsTruncated, flights: [...flights.values()] };
}
