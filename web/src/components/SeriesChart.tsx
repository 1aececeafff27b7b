import { useId, type ReactNode } from 'react';
import { niceMax } from './charts.js';
import { DataTable } from './DataTable.js';

interface Props {
  readonly title: string;
  /** One label per point (e.g. minute starts), oldest first. */
  readonly labels: readonly string[];
  readonly series: readonly { name: string; values: readonly number[] }[];
  readonly labelHeader: string;
}

const W = 640;
const H = 200;
const PAD = { left: 48, bottom: 24, top: 10 };

/** Lines over time, told apart by dash pattern as well as colour; the totals per series as a table. */
export function SeriesChart({ title, labels, series, labelHeader }: Props): ReactNode {
  const id = useId();
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const w = W - PAD.left;
  const h = H - PAD.bottom - PAD.top;
  const x = (i: number): number => PAD.left + (labels.length <= 1 ? 0 : (i / (labels.length - 1)) * w);
  const y = (v: number): number => PAD.top + h - (v / max) * h;
  const shown = series.slice(0, 4); // four distinguishable line styles; the table has them all
  return (
    <figure className="chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`} focusable="false">
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" className="tick">{max.toLocaleString()}</text>
        <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" className="tick">0</text>
        {labels.length > 0 && <text x={PAD.left} y={H - 6} className="tick">{labels[0]}</text>}
        {labels.length > 1 && <text x={W} y={H - 6} textAnchor="end" className="tick">{labels[labels.length - 1]}</text>}
        {shown.map((s, i) => (
          <polyline key={s.name} className={`series-${i}`} points={s.values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}>
            <title>{s.name}</title>
          </polyline>
        ))}
      </svg>
      <ul className="legend">
        {shown.map((s, i) => (
          <li key={s.name}>
            <svg width="24" height="8" aria-hidden="true" focusable="false">
              <line x1="0" y1="4" x2="24" y2="4" className={`series-${i}`} strokeWidth="2" />
            </svg>{' '}
            {s.name}
          </li>
        ))}
      </ul>
      <details>
        <summary>{title}: table</summary>
        {/* A row per point in time, a column per series. */}
        <DataTable
          rows={labels.map((label, at) => ({ label, at }))}
          rowKey={(p) => p.label}
          columns={[{ header: labelHeader, rowHeader: true, cell: (p) => p.label }, ...series.map((s) => ({ header: s.name, numeric: true, cell: (p: { at: number }) => s.values[p.at] ?? 0 }))]}
        />
      </details>
    </figure>
  );
}
