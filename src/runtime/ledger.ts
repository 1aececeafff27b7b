import { signCheckpoint, TransparencyLog, type LogOptions } from '../ledger/index.js';
import { KyselyLogStorage, type Store } from '../store/index.js';
import type { LogKey } from './keys.js';

export type OpenLedgerOptions = Omit<LogOptions, 'signCheckpoint'>;

/** Batching from the environment: GLASSHUB_LOG_MAX_BATCH (entries) and GLASSHUB_LOG_MAX_DELAY_MS (0–1000). */
export function batchingFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<LogOptions, 'maxBatchSize' | 'maxDelayMs'> {
  const read = (name: string, min: number, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${name}: ${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`);
    return n;
  };
  const maxBatchSize = read('GLASSHUB_LOG_MAX_BATCH', 1, 1_000_000);
  const maxDelayMs = read('GLASSHUB_LOG_MAX_DELAY_MS', 0, 1000);
  return { ...(maxBatchSize !== undefined && { maxBatchSize }), ...(maxDelayMs !== undefined && { maxDelayMs }) };
}

/** Opens the hub's transparency log on a store, signing its checkpoints with the log key. */
export async function openLedger(store: Store, key: LogKey, options: OpenLedgerOptions = {}): Promise<TransparencyLog> {
  const storage = new KyselyLogStorage(store.db, store.dialect, key.origin);
  return TransparencyLog.open(storage, {
    ...batchingFromEnv(),
    ...options,
    signCheckpoint: (size, rootHash) => Buffer.from(signCheckpoint({ origin: key.origin, size, rootHash }, key.signer)),
  });
}
