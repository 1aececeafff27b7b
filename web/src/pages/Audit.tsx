import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { BarChart } from '../components/BarChart.js';
import { groupSum } from '../components/charts.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { pinKeys, pinnedLogKey, pinnedWitnessKeys } from '../ledger/keys.js';
import type { AuditReport } from '../ledger/verify.js';

interface AccessStats {
  readonly from: string;
  readonly to: string;
  readonly bucket: 'hour' | 'day';
  readonly logSize: number;
  readonly rows: readonly { period: string; country: string; purpose: string; role: string; decision: 'allow' | 'deny'; decisions: number; records: number }[];
}
interface Anomalies {
  readonly logSize: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly anomalies: readonly { severity: string; kind: string; index: number; detail: string }[];
}
type AuthorityStats = readonly { country: string; decision: string; count: number }[];

export default function Audit(): ReactNode {
  const { t } = useI18n();
  return (
    <>
      <Title>{t('auditTitle')}</Title>
      <Checkpoint />
      <AccessStatistics />
      <AuthorityRequests />
      <MonitorAnomalies />
    </>
  );
}

type Run = { readonly state: 'idle' } | { readonly state: 'running'; readonly checked: number; readonly total: number } | { readonly state: 'done'; readonly report: AuditReport } | { readonly state: 'failed'; readonly detail: string };

/** The current checkpoint, and its verification here with src/ledger's own auditor against the pinned keys. */
function Checkpoint(): ReactNode {
  const { t } = useI18n();
  const [note, setNote] = useState<string | null>(null);
  const [parsed, setParsed] = useState<{ origin: string; size: number; rootHash: string; signatures: string[] } | null>(null);
  const [logKey, setLogKey] = useState(pinnedLogKey() ?? '');
  const [witnesses, setWitnesses] = useState(pinnedWitnessKeys().join('\n'));
  const [pinned, setPinned] = useState(pinnedLogKey());
  const [run, setRun] = useState<Run>({ state: 'idle' });

  useEffect(() => {
    let live = true;
    void (async () => {
      const text = await (await fetch('/log/checkpoint', { credentials: 'omit', cache: 'no-store' })).text();
      const { describeCheckpoint } = await import('../ledger/verify.js');
      if (!live) return;
      setNote(text);
      setParsed(describeCheckpoint(text));
    })().catch((err: unknown) => live && setRun({ state: 'failed', detail: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, []);

  function pin(e: FormEvent): void {
    e.preventDefault();
    pinKeys(logKey, witnesses.split('\n'));
    setPinned(pinnedLogKey());
  }

  async function verify(): Promise<void> {
    const key = pinnedLogKey();
    if (key === null) return;
    setRun({ state: 'running', checked: 0, total: 0 });
    try {
      const { auditInBrowser } = await import('../ledger/verify.js');
      const report = await auditInBrowser({
        url: new URL('/log/', window.location.origin).href,
        vkey: key,
        witnesses: pinnedWitnessKeys(),
        onProgress: (checked, total) => setRun({ state: 'running', checked, total }),
      });
      setRun({ state: 'done', report });
    } catch (err) {
      setRun({ state: 'failed', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <section aria-labelledby="cp">
      <h2 id="cp">{t('checkpoint')}</h2>
      {parsed === null ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : (
        <dl className="facts">
          <dt>{t('origin')}</dt>
          <dd className="mono">{parsed.origin}</dd>
          <dt>{t('size')}</dt>
          <dd>{parsed.size.toLocaleString()}</dd>
          <dt>{t('rootHash')}</dt>
          <dd className="mono">{parsed.rootHash}</dd>
          <dt>{t('signatures')}</dt>
          <dd>
            <ul className="mono">
              {parsed.signatures.map((s) => (
                <li key={s}>{s.slice(2).split(' ')[0]}</li>
              ))}
            </ul>
          </dd>
        </dl>
      )}
      {note !== null && (
        <details>
          <summary>{t('checkpoint')} (signed note)</summary>
          <pre>{note}</pre>
        </details>
      )}
      <form onSubmit={pin}>
        <label htmlFor="vkey">{t('pinnedKey')}</label>
        <p id="vkey-help">{t('pinnedKeyHelp')}</p>
        <input id="vkey" className="mono" value={logKey} onChange={(e) => setLogKey(e.target.value)} aria-describedby="vkey-help" spellCheck={false} autoComplete="off" />
        <label htmlFor="wkeys">{t('witnessKeys')}</label>
        <textarea id="wkeys" className="mono" rows={2} value={witnesses} onChange={(e) => setWitnesses(e.target.value)} spellCheck={false} />
        <button type="submit" className="secondary">
          {t('pin')}
        </button>
      </form>
      <button type="button" onClick={() => void verify()} disabled={pinned === null || run.state === 'running'}>
        {t('verifyLog')}
      </button>
      <div role="status" data-testid="audit-result">
        {pinned === null && <p>{t('noKeyPinned')}</p>}
        {run.state === 'running' && <p>{t('verifying', { checked: run.checked, total: run.total })}</p>}
        {run.state === 'done' && (
          <p className="ok">
            <span aria-hidden="true">✓ </span>
            {t('verifiedLog', {
              size: run.report.size,
              root: run.report.rootHash,
              witnesses: run.report.witnesses.length === 0 ? '—' : run.report.witnesses.join(', '),
              bundles: run.report.entryBundlesDownloaded,
              ms: Math.round(run.report.durationMs),
            })}
          </p>
        )}
        {run.state === 'failed' && <p className="bad">{t('verifyFailed', { detail: run.detail })}</p>}
      </div>
    </section>
  );
}

function AccessStatistics(): ReactNode {
  const { t } = useI18n();
  const stats = useResource<AccessStats>('/api/v1/audit/access');
  return (
    <section aria-labelledby="access">
      <h2 id="access">{t('accessStats')}</h2>
      <Loaded resource={stats}>
        {(s) => {
          const sum = (key: (r: AccessStats['rows'][number]) => string): { label: string; value: number }[] => groupSum(s.rows, key, (r) => r.decisions);
          const overTime = sum((r) => r.period.slice(0, s.bucket === 'day' ? 10 : 13)).sort((a, b) => a.label.localeCompare(b.label));
          return (
            <>
              <p>
                {s.from.slice(0, 10)} – {s.to.slice(0, 10)} · {t('size')}: {s.logSize.toLocaleString()}
              </p>
              <div className="grid">
                <BarChart title={t('byCountry')} labelHeader={t('country')} valueLabel={t('decisionsCount')} data={sum((r) => r.country)} />
                <BarChart title={t('byPurpose')} labelHeader={t('purpose')} valueLabel={t('decisionsCount')} data={sum((r) => r.purpose)} />
                <BarChart title={t('byRole')} labelHeader={t('role')} valueLabel={t('decisionsCount')} data={sum((r) => r.role)} />
                <BarChart title={t('byDecision')} labelHeader={t('decision')} valueLabel={t('decisionsCount')} data={sum((r) => r.decision)} />
              </div>
              <BarChart title={t('overTime')} labelHeader={t('period')} valueLabel={t('decisionsCount')} data={overTime} />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function AuthorityRequests(): ReactNode {
  const { t } = useI18n();
  const stats = useResource<AuthorityStats>('/api/v1/authority-requests/stats');
  return (
    <section aria-labelledby="authority">
      <h2 id="authority">{t('authorityRequests')}</h2>
      <Loaded resource={stats}>
        {(rows) =>
          rows.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <>
              <BarChart title={t('byCountry')} labelHeader={t('country')} valueLabel={t('count')} data={groupSum(rows, (r) => r.country, (r) => r.count)} />
              <DataTable
                rows={rows}
                rowKey={(r) => `${r.country}-${r.decision}`}
                columns={[
                  { header: t('country'), cell: (r) => r.country },
                  { header: t('outcome'), cell: (r) => r.decision },
                  { header: t('count'), numeric: true, cell: (r) => r.count },
                ]}
              />
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function MonitorAnomalies(): ReactNode {
  const { t } = useI18n();
  const result = useResource<Anomalies>('/api/v1/audit/anomalies');
  return (
    <section aria-labelledby="anomalies">
      <h2 id="anomalies">{t('anomalies')}</h2>
      <Loaded resource={result}>
        {(a) => (
          <>
            <p>{Object.entries(a.counts).map(([k, v]) => `${k}: ${v}`).join(' · ')}</p>
            <DataTable
              rows={a.anomalies}
              rowKey={(x) => `${x.index}-${x.kind}`}
              empty={<p>{t('none')}</p>}
              columns={[
                { header: t('severity'), cell: (x) => x.severity },
                { header: t('kind'), cell: (x) => x.kind },
                { header: t('entry'), numeric: true, cell: (x) => x.index },
                { header: t('detail'), cell: (x) => x.detail },
              ]}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
