import { appendEntry, type LedgerAppender, type PrincipalTag, type Role } from './model.js';
import type { TokenFailure } from './tokens.js';

/**
 * Why a request was refused: a token problem (401), a role the route does not admit (403), or a console
 * session's state-changing request without its CSRF token (403, see http/session.ts).
 */
export type DenialReason = TokenFailure | 'role-not-allowed' | CsrfFailure;
export type CsrfFailure = 'csrf-token-missing' | 'csrf-token-invalid';

export interface Denial {
  readonly reason: DenialReason;
  /** The route's pattern (`/api/v1/parcels/:id`), never the URL: a URL can carry a tracking number or a name. */
  readonly route: string;
  readonly method: string;
  readonly requestId: string;
  /** Who presented the token, when the token named someone (revoked, expired, wrong role). */
  readonly principal?: PrincipalTag;
  /** For `role-not-allowed`: the roles the route admits. */
  readonly rolesAllowed?: readonly Role[];
}

export interface DenialLimits {
  /** Denials recorded one entry each per minute, per class (anonymous / identified). Default 60. */
  readonly perMinute?: number;
  /** Past the limit, denials are counted into one `access-denied-burst` entry per this many ms. Default 5000. */
  readonly burstFlushMs?: number;
  /** The clock, in ms since the epoch (tests). */
  readonly now?: () => number;
}

export interface DenialRecord {
  /** The ledger index of the entry that holds this denial. */
  readonly index: number;
  /** True when it was counted into an `access-denied-burst` entry rather than written on its own. */
  readonly aggregated: boolean;
}

type DenialClass = 'anonymous' | 'identified';

interface Burst {
  readonly principalKnown: boolean;
  readonly window: number;
  readonly from: number;
  to: number;
  count: number;
  readonly reasons: Partial<Record<DenialReason, number>>;
  readonly done: Promise<number>;
  readonly settle: (flush: () => Promise<number>) => void;
  timer: NodeJS.Timeout | undefined;
}

interface WindowState {
  minute: number;
  recorded: number;
  burst: Burst | undefined;
}

const MINUTE_MS = 60_000;

/**
 * Records every refused request in the ledger, and waits until the record is durable before the caller answers.
 *
 * Bursts of garbage must not grow a public, append-only log without bound. So, per wall-clock minute and per
 * class — `anonymous` (no principal: missing, malformed or unknown tokens) and `identified` (a known principal:
 * revoked, expired, wrong role), kept apart so that a flood of garbage cannot hide a real principal's
 * denials — the first `perMinute` denials get one `access-denied` entry each. Past that, denials are counted:
 * one `access-denied-burst` entry `{count, reasons, window, from, to, limit, principalKnown}` is appended per
 * `burstFlushMs`, and each counted request waits for the entry that counts it. Every refusal is thus in the
 * ledger before its answer leaves, and the log grows by at most `perMinute + ⌈60000 / burstFlushMs⌉` entries
 * per class per minute (60 + 12 by default). Limits are per process; with several processes, multiply.
 */
export class DenialRecorder {
  private readonly perMinute: number;
  private readonly burstFlushMs: number;
  private readonly now: () => number;
  private readonly state: Record<DenialClass, WindowState> = {
    anonymous: { minute: -1, recorded: 0, burst: undefined },
    identified: { minute: -1, recorded: 0, burst: undefined },
  };
  private readonly pending = new Set<Burst>();

  constructor(
    private readonly ledger: LedgerAppender,
    limits: DenialLimits = {},
  ) {
    this.perMinute = limits.perMinute ?? 60;
    this.burstFlushMs = limits.burstFlushMs ?? 5_000;
    this.now = limits.now ?? Date.now;
    if (!Number.isSafeInteger(this.perMinute) || this.perMinute < 0) throw new RangeError('perMinute must be a non-negative integer');
    if (!(this.burstFlushMs >= 0 && this.burstFlushMs <= MINUTE_MS)) throw new RangeError('burstFlushMs must be within 0..60000');
  }

  /** Records the denial; resolves with the index of the entry that holds it, once that entry is durable. */
  async record(denial: Denial): Promise<DenialRecord> {
    const now = this.now();
    const state = this.state[denial.principal ? 'identified' : 'anonymous'];
    const minute = Math.floor(now / MINUTE_MS);
    if (state.minute !== minute) {
      // A new window; a burst of the old one still flushes on its own timer.
      state.minute = minute;
      state.recorded = 0;
      state.burst = undefined;
    }
    if (state.recorded < this.perMinute) {
      state.recorded++;
      const entry = { type: 'access-denied', ...denial, time: new Date(now).toISOString() };
      return { index: await appendEntry(this.ledger, entry), aggregated: false };
    }
    const burst = (state.burst ??= this.startBurst(denial.principal !== undefined, minute, now));
    burst.count++;
    burst.to = now;
    burst.reasons[denial.reason] = (burst.reasons[denial.reason] ?? 0) + 1;
    return { index: await burst.done, aggregated: true };
  }

  /** Writes the counts still pending (call before the ledger closes). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending].map((b) => this.flush(b)));
  }

  private startBurst(principalKnown: boolean, window: number, now: number): Burst {
    let settle: Burst['settle'] = () => undefined;
    const done = new Promise<number>((resolve, reject) => {
      settle = (flush) => void flush().then(resolve, reject);
    });
    // Callers await `done`; this keeps a failed flush with no caller left from being an unhandled rejection.
    done.catch(() => undefined);
    const burst: Burst = { principalKnown, window, from: now, to: now, count: 0, reasons: {}, done, settle, timer: undefined };
    burst.timer = setTimeout(() => void this.flush(burst).catch(() => undefined), this.burstFlushMs);
    burst.timer.unref();
    this.pending.add(burst);
    return burst;
  }

  private flush(burst: Burst): Promise<number> {
    if (!this.pending.delete(burst)) return burst.done;
    clearTimeout(burst.timer);
    for (const s of Object.values(this.state)) if (s.burst === burst) s.burst = undefined;
    const entry = {
      type: 'access-denied-burst',
      count: burst.count,
      reasons: burst.reasons,
      principalKnown: burst.principalKnown,
      window: new Date(burst.window * MINUTE_MS).toISOString(),
      from: new Date(burst.from).toISOString(),
      to: new Date(burst.to).toISOString(),
      limit: this.perMinute,
    };
    burst.settle(() => appendEntry(this.ledger, entry));
    return burst.done;
  }
}
