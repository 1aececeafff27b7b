import type { ReactNode, TdHTMLAttributes } from 'react';

/** One column: its header, and what each row shows in it. */
export interface Column<Row> {
  readonly header: ReactNode;
  readonly cell: (row: Row) => ReactNode;
  /** Figures: class "num" on the header and on every cell, so they line up right. */
  readonly numeric?: boolean;
  /** This cell names its row for screen readers: <th scope="row"> instead of <td>. */
  readonly rowHeader?: boolean;
  /** Further attributes of every cell, e.g. translate="no" on codes that are not words. */
  readonly cellProps?: Pick<TdHTMLAttributes<HTMLTableCellElement>, 'className' | 'translate'>;
}

interface Props<Row> {
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly rowKey: (row: Row, index: number) => string;
  readonly caption?: ReactNode;
  /** Shown instead of the table when there are no rows (null: nothing); without it, an empty table is shown. */
  readonly empty?: ReactNode;
}

/**
 * The console's plain data table. The pages had each written out the same thead/tbody markup, and with it the
 * scope attributes and "num" classes that screen readers and the layout rely on; here they are written once.
 */
export function DataTable<Row>({ columns, rows, rowKey, caption, empty }: Props<Row>): ReactNode {
  if (rows.length === 0 && empty !== undefined) return empty;
  return (
    <table>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {/* Cells hold no state, so a column's position serves as its key. */}
          {columns.map((c, i) => (
            <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={rowKey(row, r)}>
            {columns.map((c, i) => {
              const props = { ...c.cellProps, className: classes(c.numeric ? 'num' : undefined, c.cellProps?.className) };
              return c.rowHeader ? (
                <th key={i} scope="row" {...props}>
                  {c.cell(row)}
                </th>
              ) : (
                <td key={i} {...props}>
                  {c.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function classes(...names: readonly (string | undefined)[]): string | undefined {
  const joined = names.filter((n) => n !== undefined).join(' ');
  return joined === '' ? undefined : joined;
}
