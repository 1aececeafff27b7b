import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { BarChart } from '../components/BarChart.js';
import { groupSum } from '../components/charts.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { text } from '../text.js';

export interface Flag {
  readonly rule: string;
  readonly evidence: unknown;
}
interface QueueEntry {
  readonly trackingNumber: string;
  readonly flightId: string;
  readonly status: string;
  readonly procedure: string;
  readonly intrinsicValueEur: string | null;
  readonly rules: readonly string[];
  readonly flags: readonly Flag[];
  readonly lastDecision: { decision: string; officer: string; decidedAt: string } | null;
}

/** Evidence as the rules engine recorded it, compact: `key: value` pairs. */
export function evidenceText(evidence: unknown): string {
  if (evidence === null || typeof evidence !== 'object') return text(evidence);
  return Object.entries(evidence as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${text(v)}`)
    .join('; ');
}

/** The officer's queue: flagged parcels with reasons and evidence (no personal data), filterable. */
export default function CustomsQueue(): ReactNode {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [flight, setFlight] = useState(params.get('flight') ?? '');
  const [rule, setRule] = useState(params.get('rule') ?? '');
  const query = new URLSearchParams();
  for (const k of ['flight', 'rule'] as const) {
    const v = params.get(k);
    if (v !== null && v !== '') query.set(k, v);
  }
  query.set('limit', '500');
  const queue = useResource<{ parcels: QueueEntry[] }>(`/api/v1/customs/queue?${query.toString()}`);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (flight.trim() !== '') next['flight'] = flight.trim();
    if (rule.trim() !== '') next['rule'] = rule.trim();
    setParams(next);
  }

  return (
    <>
      <Title>{t('customsTitle')}</Title>
      <form className="inline" onSubmit={submit}>
        <label htmlFor="q-flight">{t('filterFlight')}</label>
        <input id="q-flight" value={flight} onChange={(e) => setFlight(e.target.value)} />
        <label htmlFor="q-rule">{t('filterRule')}</label>
        <input id="q-rule" value={rule} onChange={(e) => setRule(e.target.value)} />
        <button type="submit">{t('applyFilter')}</button>
      </form>
      <Loaded resource={queue}>
        {({ parcels }) => {
          const flights = [...new Set(parcels.map((p) => p.flightId))];
          return (
            <>
              <BarChart title={t('flagsByRule')} labelHeader={t('rules')} valueLabel={t('count')} data={groupSum(parcels.flatMap((p) => p.rules), (r) => r, () => 1)} />
              {flights.length > 0 && (
                <p>
                  {flights.map((f) => (
                    <Link key={f} to={`/customs/flights/${encodeURIComponent(f)}`} className="chip">
                      {t('flightReport', { flight: f })}
                    </Link>
                  ))}
                </p>
              )}
              <DataTable
                caption={`${t('flaggedQueue')} (${parcels.length})`}
                rows={parcels}
                rowKey={(p) => p.trackingNumber}
                columns={[
                  {
                    header: t('trackingNumber'),
                    cell: (p) => (
                      <Link to={`/customs/parcels/${p.trackingNumber}`} translate="no">
                        {p.trackingNumber}
                      </Link>
                    ),
                  },
                  { header: t('filterFlight'), cell: (p) => p.flightId },
                  { header: t('status'), cell: (p) => p.status },
                  { header: t('procedure'), cell: (p) => p.procedure },
                  { header: t('valueEur'), numeric: true, cell: (p) => p.intrinsicValueEur ?? '' },
                  {
                    header: `${t('rules')} / ${t('evidence')}`,
                    cell: (p) => (
                      <ul>
                        {p.flags.map((f, i) => (
                          <li key={i}>
                            <strong>{f.rule}</strong>: {evidenceText(f.evidence)}
                          </li>
                        ))}
                      </ul>
                    ),
                  },
                  { header: t('lastDecision'), cell: (p) => (p.lastDecision ? `${p.lastDecision.decision} (${p.lastDecision.decidedAt.slice(0, 16).replace('T', ' ')})` : '—') },
                ]}
              />
            </>
          );
        }}
      </Loaded>
    </>
  );
}
