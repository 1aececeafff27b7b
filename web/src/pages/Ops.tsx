import type { ReactNode } from 'react';
import { BarChart } from '../components/BarChart.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded } from '../components/Problem.js';
import { SeriesChart } from '../components/SeriesChart.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { useSession } from '../session.js';

interface Flights {
  readonly flights: readonly {
    id: string;
    flightNumber: string;
    flightDate: string;
    status: string;
    ulds: { expected: number; received: number };
    parcels: { manifested: number; inducted: number };
    breakdownProgress: number;
    shortShipped: number;
    overCarried: number;
  }[];
}
interface Throughput {
  readonly minutes: number;
  readonly minuteStarts: readonly string[];
  readonly series: readonly { bizStep: string; counts: readonly number[] }[];
  readonly total: number;
}
interface Lanes {
  readonly lanes: readonly { lane: string; kind: string; carrier: string | null; departure: string | null; sorted: number; bagged: number; openBags: number; closedBags: number }[];
}
interface Exceptions {
  readonly counts: { shortShipped: number; overCarried: number; unknownParcel: number; unknownDestination: number };
  readonly items: readonly { kind: string; trackingNumber: string; flightId: string | null; location: string | null; at: string | null }[];
}
interface Dispatch {
  readonly trucks: readonly { id: string; lane: string; carrier: string; status: string; bags: number; parcels: number; departureAt: string | null; dispatchedAt: string | null }[];
}

/** Panels refresh on their own: the floor changes by the minute. */
const LIVE_MS = 15_000;

/** Operations: flights board, throughput, lane fill, exceptions, dispatch (docs/console-api.md, /api/v1/ops/…). */
export default function Ops(): ReactNode {
  const { t } = useI18n();
  const { state } = useSession();
  // Scanners and sorters see the board, lanes and exceptions; throughput and dispatch are for supervisors and up.
  const full = state.status === 'signed-in' && !['scanner', 'sorter'].includes(state.principal.role);
  return (
    <>
      <Title>{t('opsTitle')}</Title>
      <FlightsBoard />
      {full && <ThroughputChart />}
      <LaneFill />
      <ExceptionList />
      {full && <DispatchStatus />}
    </>
  );
}

function FlightsBoard(): ReactNode {
  const { t } = useI18n();
  const board = useResource<Flights>('/api/v1/ops/flights', LIVE_MS);
  return (
    <section aria-labelledby="flights">
      <h2 id="flights">{t('flightsBoard')}</h2>
      <Loaded resource={board}>
        {({ flights }) => (
          <DataTable
            rows={flights}
            rowKey={(f) => f.id}
            empty={<p>{t('none')}</p>}
            columns={[
              { header: t('flight'), rowHeader: true, cell: (f) => f.flightNumber },
              { header: t('date'), cell: (f) => f.flightDate },
              { header: t('status'), cell: (f) => f.status },
              { header: t('ulds'), numeric: true, cell: (f) => `${f.ulds.received} / ${f.ulds.expected}` },
              { header: t('parcels'), numeric: true, cell: (f) => `${f.parcels.inducted.toLocaleString()} / ${f.parcels.manifested.toLocaleString()}` },
              { header: t('breakdown'), cell: (f) => <Meter fraction={f.breakdownProgress} /> },
              { header: t('shortShipped'), numeric: true, cell: (f) => f.shortShipped },
              { header: t('overCarried'), numeric: true, cell: (f) => f.overCarried },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

/** A progress bar for the eye, and the percentage in text for everyone. */
function Meter({ fraction }: { readonly fraction: number }): ReactNode {
  const pct = Math.round(fraction * 100);
  return (
    <>
      <span className="meter" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {pct} %
    </>
  );
}

function ThroughputChart(): ReactNode {
  const { t } = useI18n();
  const tp = useResource<Throughput>('/api/v1/ops/throughput?minutes=60', LIVE_MS);
  return (
    <section aria-labelledby="throughput">
      <h2 id="throughput">{t('throughput', { minutes: 60 })}</h2>
      <Loaded resource={tp}>
        {(d) => (
          <>
            <p>{t('throughputTotal', { total: d.total.toLocaleString() })}</p>
            <SeriesChart title={t('throughput', { minutes: d.minutes })} labelHeader={t('colTime')} labels={d.minuteStarts.map((m) => m.slice(11, 16))} series={d.series.map((s) => ({ name: s.bizStep, values: s.counts }))} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function LaneFill(): ReactNode {
  const { t } = useI18n();
  const lanes = useResource<Lanes>('/api/v1/ops/lanes', LIVE_MS);
  return (
    <section aria-labelledby="lanes">
      <h2 id="lanes">{t('laneFill')}</h2>
      <Loaded resource={lanes}>
        {(d) => (
          <>
            <BarChart title={`${t('laneFill')}: ${t('sorted')} + ${t('bagged')}`} labelHeader={t('lane')} valueLabel={t('parcels')} data={d.lanes.map((l) => ({ label: l.lane, value: l.sorted + l.bagged }))} />
            <DataTable
              rows={d.lanes}
              rowKey={(l) => l.lane}
              columns={[
                { header: t('lane'), rowHeader: true, cell: (l) => l.lane },
                { header: t('kind'), cell: (l) => l.kind },
                { header: t('carrier'), cell: (l) => l.carrier ?? '—' },
                { header: t('departure'), cell: (l) => l.departure ?? '—' },
                { header: t('sorted'), numeric: true, cell: (l) => l.sorted },
                { header: t('bagged'), numeric: true, cell: (l) => l.bagged },
                { header: t('bags'), numeric: true, cell: (l) => `${l.openBags} / ${l.closedBags}` },
              ]}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}

function ExceptionList(): ReactNode {
  const { t } = useI18n();
  const ex = useResource<Exceptions>('/api/v1/ops/exceptions?limit=100', LIVE_MS);
  return (
    <section aria-labelledby="exceptions">
      <h2 id="exceptions">{t('exceptions')}</h2>
      <Loaded resource={ex}>
        {(d) => (
          <>
            <BarChart
              title={t('exceptions')}
              labelHeader={t('kind')}
              valueLabel={t('count')}
              data={[
                { label: t('shortShipped'), value: d.counts.shortShipped },
                { label: t('overCarried'), value: d.counts.overCarried },
                { label: t('unknownParcel'), value: d.counts.unknownParcel },
                { label: t('unknownDestination'), value: d.counts.unknownDestination },
              ]}
            />
            <DataTable
              rows={d.items}
              rowKey={(x) => `${x.kind}-${x.trackingNumber}`}
              empty={null}
              columns={[
                { header: t('kind'), cell: (x) => x.kind },
                { header: t('trackingNumber'), cellProps: { translate: 'no' }, cell: (x) => x.trackingNumber },
                { header: t('flight'), cell: (x) => x.flightId ?? '—' },
                { header: t('location'), cell: (x) => x.location ?? '—' },
                { header: t('colTime'), cell: (x) => minute(x.at) },
              ]}
            />
          </>
        )}
      </Loaded>
    </section>
  );
}

function DispatchStatus(): ReactNode {
  const { t } = useI18n();
  const d = useResource<Dispatch>('/api/v1/ops/dispatch?limit=100', LIVE_MS);
  return (
    <section aria-labelledby="dispatch">
      <h2 id="dispatch">{t('dispatch')}</h2>
      <Loaded resource={d}>
        {({ trucks }) => (
          <DataTable
            rows={trucks}
            rowKey={(x) => x.id}
            empty={<p>{t('none')}</p>}
            columns={[
              { header: t('truck'), rowHeader: true, cell: (x) => x.id },
              { header: t('lane'), cell: (x) => x.lane },
              { header: t('carrier'), cell: (x) => x.carrier },
              { header: t('status'), cell: (x) => x.status },
              { header: t('bags'), numeric: true, cell: (x) => x.bags },
              { header: t('parcels'), numeric: true, cell: (x) => x.parcels },
              { header: t('departure'), cell: (x) => minute(x.dispatchedAt ?? x.departureAt) },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}

/** An ISO time to the minute, as the floor reads it ("2025-03-01 14:05"), or a dash when there is none. */
function minute(iso: string | null): string {
  return iso?.slice(0, 16).replace('T', ' ') ?? '—';
}
