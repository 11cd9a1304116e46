import { useEffect, useRef } from 'react';
import { isSortable, sortOf, type Column, type SortColumn } from '../lib/trashColumns';
import type { Sort } from '../lib/view';

function SortIndicator({ active, direction }: { active: boolean; direction: Sort['direction'] }) {
  return (
    <span className="sort-indicator" aria-hidden="true">
      {active ? (direction === 'asc' ? '▲' : '▼') : ''}
    </span>
  );
}

/**
 * A click on a column sorts by it in its first direction (lib/trashColumns.ts: the deletion date and
 * size start newest and largest first); a second click turns the order round.
 */
export function nextSort(sort: Sort, column: SortColumn): Sort {
  if (sort.column === column) return { ...sort, column, direction: sort.direction === 'asc' ? 'desc' : 'asc' };
  return { ...sort, column, direction: sortOf(column).first };
}

/** The column headers: each one a sort button with its direction shown (a column that does not sort: its label). */
export function TrashTableHeader({
  columns,
  template,
  scrollbar,
  sort,
  onSort,
  checked,
  onCheck,
}: {
  columns: readonly Column[];
  /** The grid's column template, shared with the rows. */
  template: string;
  /** The rows' scrollbar width, so the header lines up with them. */
  scrollbar: number;
  sort: Sort;
  onSort: (next: Sort) => void;
  /** The select-all box: every row selected, some, or none. */
  checked: boolean | 'mixed';
  /** Select every row (true) or none (false). */
  onCheck: (all: boolean) => void;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = checked === 'mixed';
  }, [checked]);
  return (
    <div className="trash-header" role="rowgroup" style={{ paddingRight: scrollbar }}>
      <div className="trash-row-grid header-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        <div role="columnheader" className="gutter-header">
          <input
            ref={box}
            type="checkbox"
            className="select-all"
            aria-label="Select all"
            title={checked === true ? 'Select none' : 'Select all'}
            checked={checked === true}
            onChange={() => onCheck(checked !== true)}
            data-testid="select-all"
          />
        </div>
        {columns.map((c) =>
          isSortable(c) ? (
            <div
              key={c.id}
              role="columnheader"
              aria-sort={sort.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              className={c.align === 'end' ? 'align-end' : undefined}
            >
              <button
                type="button"
                className="sort-button"
                onClick={() => onSort(nextSort(sort, c.id))}
                title={`Sort by ${c.label.toLowerCase()}`}
              >
                {c.align === 'end' && <SortIndicator active={sort.column === c.id} direction={sort.direction} />}
                {c.label}
                {c.align !== 'end' && <SortIndicator active={sort.column === c.id} direction={sort.direction} />}
              </button>
            </div>
          ) : (
            <div key={c.id} role="columnheader" className={c.align === 'end' ? 'align-end' : undefined}>
              {c.label}
            </div>
          ),
        )}
      </div>
    </div>
  );
}
