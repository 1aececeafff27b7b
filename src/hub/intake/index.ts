/**
 * `hub/intake`: inbound manifests (NDJSON or CSV, one parcel per line) checked line by line and imported
 * in streaming chunks; personal data goes only to the gate's sealer. Format: docs/manifest.md.
 */
export {
  checkManifestShape,
  ConsigneeSchema,
  ItemSchema,
  MANIFEST_SCHEMA_ID,
  manifestJsonSchema,
  ManifestLineSchema,
  MAX_ITEMS,
  MAX_MASS_KG,
  SellerSchema,
  type ManifestItem,
  type ManifestLine,
} from './manifest-schema.js';
export type { IntakeItem, IntakeParcel, LineError, LineResult } from './types.js';
export { MAX_LINE_ERRORS, MAX_LINE_LENGTH, validateLine, validateValue, type ValidateOptions } from './validate.js';
export {
  DEFAULT_CHUNK_LINES,
  DEFAULT_MAX_ERRORS,
  importManifest,
  type FlightCount,
  type ImportDeps,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from './import.js';
export { MANIFEST_FORMATS, ManifestFormatError, manifestResults, type ManifestFormat } from './read.js';
export { CsvParser, DEFAULT_MAX_RECORD_CHARS, type CsvRecord } from './csv.js';
export type { HeaderError } from './csv-columns.js';
export { readLines, type LineReaderOptions } from './lines.js';
