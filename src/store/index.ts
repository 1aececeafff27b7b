export { openStore, resolveDbLocation, isPostgresUrl, redactUrl, DEFAULT_DB_PATH } from './database.js';
export type { Store, Dialect, OpenStoreOptions } from './database.js';
export type { Database } from './schema.js';
export { KyselyLogStorage, type LedgerCompanion } from './ledger-storage.js';
export { KyselyWitnessStorage } from './witness-storage.js';
export { periodsOf, type PeriodKeyedTable } from './periods.js';
export { usesDollarPlaceholders, sqlLiteral, insertWithLiteralsText } from './dialect.js';
export { openSqliteReader, ReaderError } from './reader.js';
export { flatten, IN_CHUNK, insertCells, insertRows, insertRowsCounting, padded, paddedLength, pieces, selectIn, updateFromValues, valuesList, type InsertedPiece, type SqlValue } from './bulk.js';
