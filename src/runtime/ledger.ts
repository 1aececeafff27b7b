import { signCheckpoint, TransparencyLog, type LogOptions } from '../ledger/index.js';
import { KyselyLogStorage, type Store } from '../store/index.js';
import type { LogKey } from './keys.js';

export type OpenLedgerOptions = Omit<LogOptions, 'signCheckpoint'>;

/** Opens the hub's transparency log on a store, signing its checkpoints with the log key. */
export async function openLedger(store: Store, key: LogKey, options: OpenLedgerOptions = {}): Promise<TransparencyLog> {
  const storage = new KyselyLogStorage(store.db, store.dialect, key.origin);
  return TransparencyLog.open(storage, {
    ...options,
    signCheckpoint: (size, rootHash) => Buffer.from(signCheckpoint({ origin: key.origin, size, rootHash }, key.signer)),
  });
}
