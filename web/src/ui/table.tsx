import type { ReactNode } from 'react';
import { cx } from './cx';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell(row: T): ReactNode;
  className?: string;
  /** Hidden below the `md` breakpoint (phones), for secondary columns. */
  wide?: boolean;
  align?: 'left' | 'right';
}

/** A plain, accessible table that scrolls sideways on narrow screens instead of breaking the page. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey(row: T): string;
}) {
  // `relative`: screen-reader-only labels (absolutely positioned) stay inside the scroll box
  // instead of widening the page.
  return (
    <div className="relative -mx-4 overflow-x-auto px-4">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-border text-left text-xs uppercase tracking-wide text-muted">
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={cx(
                  'px-2 py-2 font-medium whitespace-nowrap first:pl-0 last:pr-0',
                  c.wide && 'hidden md:table-cell',
                  c.align === 'right' && 'text-right',
                  c.className,
                )}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-b border-border last:border-0 align-top">
              {columns.map((c) => (
                <td
                  key={c.key}
                  className={cx(
                    'px-2 py-2.5 first:pl-0 last:pr-0',
                    c.wide && 'hidden md:table-cell',
                    c.align === 'right' && 'text-right tabular-nums',
                    c.className,
                  )}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
