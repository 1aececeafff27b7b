import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { request } from '../api.js';
import { BarChart } from '../components/BarChart.js';
import { Loaded, Problem } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { groupSum } from '../components/charts.js';

interface FlightReport {
  readonly flightId: string;
  readonly dateOfImport: string | null;
  readonly totals: { parcels: number; h7: number; h1: number; flagged: number; valueEur: string; vatEur: string; vatDueEur: string; dutyEur: string };
  readonly flagsByRule: Readonly<Record<string, number>>;
  readonly parcels: readonly { trackingNumber: string; procedure: string; destination: string; flags: readonly string[] }[];
}

/** Per-flight customs report with charts, its CSV/HTML forms, and the H7 export (a disclosure through the gate). */
export default function CustomsFlight(): ReactNode {
  const { t } = useI18n();
  const flight = useParams()['flight'] ?? '';
  const base = `/api/v1/customs/flights/${encodeURIComponent(flight)}`;
  const report = useResource<FlightReport>(`${base}/report`);
  return (
    <>
      <Title>{t('flightReport', { flight })}</Title>
      <p>
        <Link to={`/customs?flight=${encodeURIComponent(flight)}`}>{t('flaggedQueue')}</Link> · <a href={`${base}/report.csv`}>{t('downloadCsv')}</a> · <a href={`${base}/report.html`}>{t('downloadHtml')}</a>
      </p>
      <Loaded resource={report}>
        {(r) => (
          <>
            <table>
              <caption>{t('reportTotals')}</caption>
              <tbody>
                {(
                  [
                    [t('parcels'), r.totals.parcels.toLocaleString()],
                    ['H7', r.totals.h7.toLocaleString()],
                    ['H1', r.totals.h1.toLocaleString()],
                    [t('flagged'), r.totals.flagged.toLocaleString()],
                    [t('valueEur'), r.totals.valueEur],
                    [t('vat'), r.totals.vatEur],
                    [t('vatDue'), r.totals.vatDueEur],
                    [t('duty'), r.totals.dutyEur],
                  ] as const
                ).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td className="num">{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="grid">
              <BarChart title={t('flagsByRule')} labelHeader={t('rules')} valueLabel={t('count')} data={Object.entries(r.flagsByRule).map(([label, value]) => ({ label, value }))} />
              <BarChart title={`${t('parcels')} / ${t('country')}`} labelHeader={t('country')} valueLabel={t('parcels')} data={groupSum(r.parcels, (p) => p.destination, () => 1)} />
            </div>
          </>
        )}
      </Loaded>
      <H7Export base={base} flight={flight} />
    </>
  );
}

function H7Export({ base, flight }: { readonly base: string; readonly flight: string }): ReactNode {
  const { t } = useI18n();
  const [done, setDone] = useState<{ count: number; entries: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await request<{ declarations?: unknown[] }>(`${base}/h7`);
      const blob = new Blob([JSON.stringify(r.data, null, 2)], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `h7-${flight.replace(/[^A-Za-z0-9-]/g, '_')}.json`;
      a.click();
      URL.revokeObjectURL(a.href);
      setDone({ count: r.data.declarations?.length ?? 0, entries: r.headers.get('glasshub-ledger-index') ?? '' });
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="h7">
      <h2 id="h7">H7</h2>
      <button type="button" onClick={() => void run()} disabled={busy}>
        {t('exportH7')}
      </button>
      {done !== null && <p role="status">{t('exportedH7', { count: done.count, entries: done.entries })}</p>}
      {error !== null && <Problem error={error} />}
    </section>
  );
}
