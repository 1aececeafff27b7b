import type { ReactNode } from 'react';
import { BarChart } from '../components/BarChart.js';
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
        {({ flights }) =>
          flights.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('flight')}</th>
                  <th scope="col">{t('date')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col" className="num">{t('ulds')}</th>
                  <th scope="col" className="num">{t('parcels')}</th>
                  <th scope="col">{t('breakdown')}</th>
                  <th scope="col" className="num">{t('shortShipped')}</th>
                  <th scope="col" className="num">{t('overCarried')}</th>
                </tr>
              </thead>
              <tbody>
                {flights.map((f) => {
                  const pct = Math.round(f.breakdownProgress * 100);
                  return (
                    <tr key={f.id}>
                      <th scope="row">{f.flightNumber}</th>
                      <td>{f.flightDate}</td>
                      <td>{f.status}</td>
                      <td className="num">
                        {f.ulds.received} / {f.ulds.expected}
                      </td>
                      <td className="num">
                        {f.parcels.inducted.toLocaleString()} / {f.parcels.manifested.toLocaleString()}
                      </td>
                      <td>
                        <span className="meter" aria-hidden="true">
                          <span style={{ width: `${pct}%` }} />
                        </span>
                        {pct} %
                      </td>
                      <td className="num">{f.shortShipped}</td>
                      <td className="num">{f.overCarried}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
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
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('lane')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('carrier')}</th>
                  <th scope="col">{t('departure')}</th>
                  <th scope="col" className="num">{t('sorted')}</th>
                  <th scope="col" className="num">{t('bagged')}</th>
                  <th scope="col" className="num">{t('bags')}</th>
                </tr>
              </thead>
              <tbody>
                {d.lanes.map((l) => (
                  <tr key={l.lane}>
                    <th scope="row">{l.lane}</th>
                    <td>{l.kind}</td>
                    <td>{l.carrier ?? '—'}</td>
                    <td>{l.departure ?? '—'}</td>
                    <td className="num">{l.sorted}</td>
                    <td className="num">{l.bagged}</td>
                    <td className="num">
                      {l.openBags} / {l.closedBags}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
            {d.items.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('kind')}</th>
                    <th scope="col">{t('trackingNumber')}</th>
                    <th scope="col">{t('flight')}</th>
                    <th scope="col">{t('location')}</th>
                    <th scope="col">{t('colTime')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((x) => (
                    <tr key={`${x.kind}-${x.trackingNumber}`}>
                      <td>{x.kind}</td>
                      <td translate="no">{x.trackingNumber}</td>
                      <td>{x.flightId ?? '—'}</td>
                      <td>{x.location ?? '—'}</td>
                      <td>{x.at?.slice(0, 16).replace('T', ' ') ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
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
        {({ trucks }) =>
          trucks.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('truck')}</th>
                  <th scope="col">{t('lane')}</th>
                  <th scope="col">{t('carrier')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col" className="num">{t('bags')}</th>
                  <th scope="col" className="num">{t('parcels')}</th>
                  <th scope="col">{t('departure')}</th>
                </tr>
              </thead>
              <tbody>
                {trucks.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">{x.id}</th>
                    <td>{x.lane}</td>
                    <td>{x.carrier}</td>
                    <td>{x.status}</td>
                    <td className="num">{x.bags}</td>
                    <td className="num">{x.parcels}</td>
                    <td>{(x.dispatchedAt ?? x.departureAt)?.slice(0, 16).replace('T', ' ') ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
