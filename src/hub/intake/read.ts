/**
 * A manifest's lines → one validation result per parcel line, in order, streaming: NDJSON line by line,
 * CSV record by record (a quoted field may span lines). Blank lines are skipped; the CSV header is read
 * first and must name known columns.
 */
import { CsvLayout, type HeaderError } from './csv-columns.js';
import { CsvParser, type CsvRecord } from './csv.js';
import type { LineResult } from './types.js';
import { validateLine, validateValue, type ValidateOptions } from './validate.js';

export type ManifestFormat = 'ndjson' | 'csv';
export const MANIFEST_FORMATS: readonly ManifestFormat[] = ['ndjson', 'csv'];

/** The file as a whole cannot be read (a CSV header naming unknown columns, or none): nothing was imported. */
export class ManifestFormatError extends Error {
  override readonly name = 'ManifestFormatError';
  constructor(
    readonly line: number,
    readonly errors: readonly HeaderError[],
  ) {
    super(`line ${line}: ${errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}`);
  }
}

/**
 * `lines` is the input split at line feeds, without them (a trailing CR may remain: JSON ignores it, and
 * the CSV reader takes CRLF as one line end).
 */
export function manifestResults(lines: AsyncIterable<string>, format: ManifestFormat, options: ValidateOptions): AsyncGenerator<LineResult> {
  return format === 'csv' ? csvResults(lines, options) : ndjsonResults(lines, options);
}

async function* ndjsonResults(lines: AsyncIterable<string>, options: ValidateOptions): AsyncGenerator<LineResult> {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (isBlank(text)) continue;
    yield validateLine(line === 1 ? text.replace(/^\uFEFF/, '') : text, line, options);
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

async function* csvResults(lines: AsyncIterable<string>, options: ValidateOptions): AsyncGenerator<LineResult> {
  const parser = new CsvParser();
  const records: CsvRecord[] = [];
  let layout: CsvLayout | undefined;
  const drain = function* (): Generator<LineResult> {
    for (const record of records) {
      if (layout === undefined) {
        layout = header(record);
        continue;
      }
      yield row(layout, record, options);
    }
    records.length = 0;
  };
  for await (const text of lines) {
    parser.push(text, records);
    parser.push('\n', records);
    yield* drain();
  }
  parser.end(records);
  yield* drain();
  if (layout === undefined) throw new ManifestFormatError(1, [{ field: '(header)', reason: 'the CSV file has no header line' }]);
}

function header(record: CsvRecord): CsvLayout {
  if (record.error !== undefined) throw new ManifestFormatError(record.line, [{ field: '(header)', reason: record.error }]);
  const layout = CsvLayout.fromHeader(record.fields);
  if (Array.isArray(layout)) throw new ManifestFormatError(record.line, layout);
  return layout;
}

function row(layout: CsvLayout, record: CsvRecord, options: ValidateOptions): LineResult {
  const { line } = record;
  if (record.error !== undefined) return { ok: false, errors: [{ line, field: '(line)', reason: record.error }] };
  if (record.fields.length !== layout.width) {
    return { ok: false, errors: [{ line, field: '(line)', reason: `has ${record.fields.length} fields, the header has ${layout.width}` }] };
  }
  return validateValue(layout.toValue(record.fields), line, options);
}
