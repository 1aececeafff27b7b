export { loadOrCreateLogKey, createKeyFile, LOG_KEY_ENV, LOG_ORIGIN_ENV, logOrigin, DEFAULT_LOG_ORIGIN, type LogKey } from './keys.js';
export { openLedger, batchingFromEnv, type OpenLedgerOptions } from './ledger.js';
export { openHub, keyPath, type Hub, type HubOptions } from './hub.js';
