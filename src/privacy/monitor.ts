/**
 * The privacy monitor: reads the ledger exactly as an auditor does (`auditLog`, trusting only the keys it is
 * given) and looks at what the verified entries say about access to personal data. The entries are analysed
 * as the auditor streams them; the report counts only if the audit then verifies the whole tree.
 */
import { isEea, parseLedgerEntry, type LedgerEntry } from '../domain/index.js';
import { auditLog, type AuditOptions, type AuditReport, type AuditState } from '../ledger/audit.js';

export type Severity = 'high' | 'medium' | 'low';
export type AnomalyKind =
  | 'outside-eea-access'
  | 'bulk-read'
  | 'bulk-read-denied'
  | 'unverified-subject-access'
  | 'disclosure-without-dispatch'
  | 'read-after-erasure'
  | 'denial-burst'
  | 'authority-request-outside-eea'
  | 'aggregate-below-k';

export interface Anomaly {
  readonly severity: Severity;
  readonly kind: AnomalyKind;
  /** The ledger index of the entry (the last one, for a burst). */
  readonly index: number;
  readonly detail: string;
}

/** What a monitor carries from one run to the next (saved beside the audit state). */
export interface MonitorCarry {
  /** Subject tag → time of the newest verification read (kept for `verificationWindowMs`). */
  readonly verifications: Readonly<Record<string, string>>;
  /** Tags erased one by one (a bulk erasure names no tags, only a commitment). */
  readonly erased: readonly string[];
}

export interface MonitorOptions {
  /** Denials per principal per minute that make a burst (default 10). */
  readonly burstThreshold?: number;
  /** How long after a code was sent a person may act (default 1 h: 15 min code + 30 min session + slack). */
  readonly verificationWindowMs?: number;
}

export interface MonitorFindings {
  readonly anomalies: readonly Anomaly[];
  readonly authorityRequests: readonly { country: string; decision: string; count: number }[];
  readonly carry: MonitorCarry;
}

interface Who {
  id?: unknown;
  role?: unknown;
  organisation?: unknown;
  country?: unknown;
}

const minuteOf = (v: unknown): number | undefined => {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 60_000) : undefined;
};
const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/** Looks at entries one at a time, in log order; `finish` gives the findings. */
export class LedgerAnalyser {
  private readonly anomalies: Anomaly[] = [];
  private readonly verifications: Map<string, number>;
  private readonly erased: Set<string>;
  private readonly denials = new Map<string, number>();
  private readonly authority = new Map<string, number>();
  private readonly threshold: number;
  private readonly window: number;
  private latest = 0;

  constructor(carry: MonitorCarry = { verifications: {}, erased: [] }, options: MonitorOptions = {}) {
    this.verifications = new Map(Object.entries(carry.verifications).map(([t, at]) => [t, Date.parse(at)]));
    this.erased = new Set(carry.erased);
    this.threshold = options.burstThreshold ?? 10;
    this.window = options.verificationWindowMs ?? 3_600_000;
  }

  add(index: number, e: LedgerEntry): void {
    const time = typeof e['time'] === 'string' ? Date.parse(e['time']) : NaN;
    if (Number.isFinite(time)) this.latest = Math.max(this.latest, time);
    if (e.type === 'access-decision') this.decision(index, e, time);
    else if (e.type === 'access-denied') this.denied(index, (e['principal'] as Who | undefined)?.id, e['time'], 1);
    else if (e.type === 'access-denied-burst') this.denied(index, e['principalKnown'] === true ? 'identified' : 'anonymous', e['from'] ?? e['time'], Number(e['count']) || 0);
    else if (e.type === 'aggregate-decision') this.aggregate(index, e);
    else if (e.type === 'authority-request') {
      const key = `${str(e['country'])}\u0000${str(e['decision'])}`;
      this.authority.set(key, (this.authority.get(key) ?? 0) + 1);
      if (e['decision'] !== 'refused' && !isEea(e['country'])) {
        this.push('medium', 'authority-request-outside-eea', index, `request from ${str(e['country'])} accepted for review under ${str(e['agreement'])}`);
      }
    }
  }

  finish(): MonitorFindings {
    const verifications: Record<string, string> = {};
    for (const [tag, at] of this.verifications) if (at >= this.latest - this.window) verifications[tag] = new Date(at).toISOString();
    const authorityRequests = [...this.authority].map(([k, count]) => {
      const [country = '', decision = ''] = k.split('\u0000');
      return { country, decision, count };
    });
    authorityRequests.sort((a, b) => (a.country + a.decision < b.country + b.decision ? -1 : 1));
    return { anomalies: [...this.anomalies], authorityRequests, carry: { verifications, erased: [...this.erased] } };
  }

  /** Statistics hold no personal field; what matters is a release the k rules had to stop, and refusals (bursts). */
  private aggregate(index: number, e: LedgerEntry): void {
    const p = (e['principal'] ?? {}) as Who;
    const rules = Array.isArray(e['rules']) ? e['rules'].map(str) : [];
    const k = rules.filter((r) => r === 'aggregates-k-anonymous' || r === 'aggregates-k-floor');
    if (k.length > 0) this.push('high', 'aggregate-below-k', index, `${str(p.id)} (${str(p.role)}, ${str(p.organisation)}): a statistics release by ${str(e['dimensions'])} with k ${str(e['k'])} was stopped by ${k.join(', ')}`);
    if (e['decision'] !== 'allow') this.denied(index, p.id, e['time'], 1);
  }

  private decision(index: number, e: LedgerEntry, time: number): void {
    const p = (e['principal'] ?? {}) as Who;
    const who = `${str(p.id)} (${str(p.role)}, ${str(p.organisation)}, ${str(p.country)})`;
    const allowed = e['decision'] === 'allow';
    const rules = Array.isArray(e['rules']) ? e['rules'].map(str) : [];
    const count = Number(e['count'] ?? 1);
    const subject = typeof e['subject'] === 'string' ? e['subject'] : undefined;
    const what = `${str(e['action'])} for ${str(e['purpose'])}`;
    if (!isEea(p.country)) {
      this.push(allowed ? 'high' : 'medium', 'outside-eea-access', index, `${who} ${allowed ? 'was allowed' : 'was denied'} ${what} from outside the EU/EEA`);
    }
    if (rules.includes('no-bulk-reads')) this.push('high', 'bulk-read-denied', index, `${who} asked to ${what} ${count} records at once`);
    else if ((e['action'] === 'read' || e['action'] === 'export') && count > 1 && allowed) this.push('low', 'bulk-read', index, `${who}: ${what} of ${count} records`);
    if (!allowed) this.denied(index, p.id, e['time'], 1);
    if (subject !== undefined && this.erased.has(subject)) this.push('high', 'read-after-erasure', index, `${who}: ${what} of a person erased earlier`);
    if (subject !== undefined && allowed && e['purpose'] === 'subject-access-verification') this.verifications.set(subject, time);
    if (p.role === 'data-subject' && subject !== undefined) {
      const at = this.verifications.get(subject);
      if (at === undefined || !(time - at <= this.window && time >= at)) {
        this.push('medium', 'unverified-subject-access', index, `a data subject's ${what} with no code sent to them in the hour before`);
      }
    }
    if (e['action'] === 'disclose' && e['purpose'] === 'delivery' && !str(e['requestId']).startsWith('dispatch:')) {
      this.push('medium', 'disclosure-without-dispatch', index, `${who}: a disclosure for delivery not made by a truck's dispatch`);
    }
    if (e['action'] === 'erase' && allowed && subject !== undefined) this.erased.add(subject);
  }

  private denied(index: number, principal: unknown, time: unknown, n: number): void {
    const minute = minuteOf(time);
    if (minute === undefined || n <= 0) return;
    const key = `${str(principal ?? 'anonymous')}\u0000${minute}`;
    const before = this.denials.get(key) ?? 0;
    this.denials.set(key, before + n);
    if (before < this.threshold && before + n >= this.threshold) {
      this.push('high', 'denial-burst', index, `${str(principal ?? 'anonymous')}: ${this.threshold}+ denials in the minute from ${new Date(minute * 60_000).toISOString()}`);
    }
    // Only the current minutes matter: forget the old ones so that memory stays flat over a long log.
    if (this.denials.size > 10_000) for (const k of this.denials.keys()) if (Number(k.split('\u0000')[1]) < minute - 2) this.denials.delete(k);
  }

  private push(severity: Severity, kind: AnomalyKind, index: number, detail: string): void {
    this.anomalies.push({ severity, kind, index, detail });
  }
}

export interface MonitorState {
  readonly audit: AuditState;
  readonly carry: MonitorCarry;
}

export interface MonitorReport extends MonitorFindings {
  readonly audit: Omit<AuditReport, 'state'>;
  readonly state: MonitorState;
  readonly counts: Readonly<Record<Severity, number>>;
}

/** Audits the log (see `auditLog`) and analyses every entry the audit verified. */
export async function monitorLog(
  options: Omit<AuditOptions, 'classify' | 'state'> & { readonly state?: MonitorState; readonly monitor?: MonitorOptions },
): Promise<MonitorReport> {
  const analyser = new LedgerAnalyser(options.state?.carry, options.monitor);
  // The auditor hands over entries in index order, from the saved size (or 0 without a saved edge).
  let next = options.state?.audit.compactRange === undefined ? 0 : options.state.audit.size;
  const { state: auditState, ...audit } = await auditLog({
    ...options,
    state: options.state?.audit,
    classify: (bytes) => {
      const parsed = parseLedgerEntry(bytes);
      if (!parsed.ok) throw new Error(parsed.reason);
      analyser.add(next++, parsed.value);
      return parsed.value.type;
    },
  });
  const findings = analyser.finish();
  const counts = { high: 0, medium: 0, low: 0 };
  for (const a of findings.anomalies) counts[a.severity]++;
  return { ...findings, audit, counts, state: { audit: auditState, carry: findings.carry } };
}
