import { useId, type ReactNode } from 'react';
import { layoutBars } from './charts.js';
import { DataTable } from './DataTable.js';

interface Props {
  readonly title: string;
  readonly data: readonly { label: string; value: number }[];
  /** Header of the value column of the table that carries the same figures for screen readers. */
  readonly valueLabel: string;
  readonly labelHeader: string;
}

const W = 640;
const H = 200;
const PAD = { left: 48, bottom: 40, top: 10 };

/** A bar chart as SVG, with the same figures as a table: the picture for the eye, the table for everyone. */
export function BarChart({ title, data, valueLabel, labelHeader }: Props): ReactNode {
  const id = useId();
  const { bars, max } = layoutBars(data, W - PAD.left, H - PAD.bottom - PAD.top);
  return (
    <figure className="chart" aria-labelledby={`${id}-t`}>
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`} focusable="false">
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W} y2={H - PAD.bottom} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 10} textAnchor="end" className="tick">{max.toLocaleString()}</text>
        <text x={PAD.left - 6} y={H - PAD.bottom} textAnchor="end" className="tick">0</text>
        {bars.map((b) => (
          <g key={b.label}>
            <rect x={PAD.left + b.x} y={PAD.top + b.y} width={b.width} height={b.height} className="bar">
              <title>{`${b.label}: ${b.value.toLocaleString()}`}</title>
            </rect>
            {bars.length <= 24 && (
              <text x={PAD.left + b.x + b.width / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">
                {b.label.length > 10 ? `${b.label.slice(0, 9)}…` : b.label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <details>
        <summary>{title}: table</summary>
        <DataTable
          rows={data}
          rowKey={(d) => d.label}
          columns={[
            { header: labelHeader, cell: (d) => d.label },
            // Only the figures carry "num", the header as before.
            { header: valueLabel, numeric: true, cell: (d) => d.value.toLocaleString() },
          ]}
        />
      </details>
    </figure>
  );
}
