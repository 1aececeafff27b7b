import type { LedgerAppender } from '../../auth/index.js';
import type { ErasedRecipients } from '../../hub/operations/index.js';
import type { EntrySource } from '../../privacy/access-stats.js';
import type { Store } from '../../store/index.js';

/** What the console's read APIs need: the database, the server's own log, and the live policy's hash. */
export interface ConsoleRouteDeps {
  readonly store: Pick<Store, 'db'>;
  readonly log: EntrySource & LedgerAppender;
  /** The hash of the policy the gate runs, when there is a gate. */
  readonly policyHash?: string;
  /** Tells the exceptions view whose recipient was erased (the gate); absent: none is. */
  readonly erasures?: ErasedRecipients;
  /** The clock (tests); default Date.now. */
  readonly now?: () => number;
}
