// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DataTable, type Column } from './DataTable.js';

afterEach(cleanup);

interface Lane {
  readonly lane: string;
  readonly kind: string;
  readonly tracking: string;
  readonly sorted: number;
}
const LANES: readonly Lane[] = [
  { lane: 'A1', kind: 'road', tracking: 'GH1', sorted: 12 },
  { lane: 'B2', kind: 'air', tracking: 'GH2', sorted: 3 },
];
const COLUMNS: readonly Column<Lane>[] = [
  { header: 'Lane', rowHeader: true, cell: (l) => l.lane },
  { header: 'Kind', cell: (l) => l.kind },
  { header: 'Parcel', cellProps: { translate: 'no', className: 'mono' }, cell: (l) => l.tracking },
  { header: 'Sorted', numeric: true, cell: (l) => l.sorted },
];

describe('DataTable', () => {
  it('writes column headers, row headers, num classes and cell attributes as the pages did by hand', () => {
    const { container } = render(<DataTable caption="Lanes" columns={COLUMNS} rows={LANES} rowKey={(l) => l.lane} />);
    expect(container.querySelector('caption')?.textContent).toBe('Lanes');
    const heads = [...container.querySelectorAll('thead th')];
    expect(heads.map((th) => [th.getAttribute('scope'), th.className, th.textContent])).toEqual([
      ['col', '', 'Lane'],
      ['col', '', 'Kind'],
      ['col', '', 'Parcel'],
      ['col', 'num', 'Sorted'],
    ]);
    const rows = [...container.querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.innerHTML).toBe('<th scope="row">A1</th><td>road</td><td translate="no" class="mono">GH1</td><td class="num">12</td>');
    expect(rows.map((tr) => tr.querySelector('th[scope="row"]')?.textContent)).toEqual(['A1', 'B2']);
  });

  it('keys rows by rowKey, so a reordered row is moved, not rewritten', () => {
    const { container, rerender } = render(<DataTable columns={COLUMNS} rows={LANES} rowKey={(l) => l.lane} />);
    const first = container.querySelector('tbody tr');
    rerender(<DataTable columns={COLUMNS} rows={[...LANES].reverse()} rowKey={(l) => l.lane} />);
    expect(container.querySelectorAll('tbody tr')[1]).toBe(first);
  });

  it('shows an empty body without `empty`, and `empty` (or nothing, for null) instead of the table with it', () => {
    const bare = render(<DataTable columns={COLUMNS} rows={[]} rowKey={(l) => l.lane} />);
    expect(bare.container.querySelectorAll('thead th')).toHaveLength(4);
    expect(bare.container.querySelectorAll('tbody tr')).toHaveLength(0);
    expect(bare.container.querySelector('caption')).toBeNull();
    bare.unmount();
    const none = render(<DataTable columns={COLUMNS} rows={[]} rowKey={(l) => l.lane} empty={<p>None</p>} />);
    expect(none.container.innerHTML).toBe('<p>None</p>');
    none.unmount();
    expect(render(<DataTable columns={COLUMNS} rows={[]} rowKey={(l) => l.lane} empty={null} />).container.innerHTML).toBe('');
  });
});
