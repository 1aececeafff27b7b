// Pure geometry of the SVG charts (unit-tested): scales with "nice" maxima and bar layout.

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `max` (0 → 1), so axes read in round numbers. */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= max) return step * exp;
  return 10 * exp;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly x: number;
  readonly width: number;
  readonly y: number;
  readonly height: number;
}

/** Vertical bars across `width`, heights scaled to `niceMax` of the values within `height`. */
export function layoutBars(data: readonly { label: string; value: number }[], width: number, height: number, gap = 0.2): { bars: Bar[]; max: number } {
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const slot = data.length === 0 ? 0 : width / data.length;
  const bars = data.map((d, i) => {
    const h = Math.max(0, (d.value / max) * height);
    return { label: d.label, value: d.value, x: i * slot + (slot * gap) / 2, width: slot * (1 - gap), y: height - h, height: h };
  });
  return { bars, max };
}

/** Counts of `rows` grouped by `key`, summing `value`, largest first. */
export function groupSum<T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => number): { label: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + value(r));
  return [...sums].map(([label, v]) => ({ label, value: v })).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}
