import { memo, type DragEvent, type MouseEvent } from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import type { Column } from '../lib/trashColumns';
import { CELLS } from './trashCells';

/**
 * What a row's events do, given the row's item. The table passes one object that stays the same
 * across renders (it calls the table's latest handlers), so a row re-renders only when its own
 * props change — not on every scroll frame.
 */
export interface RowHandlers {
  onDragStart: (e: DragEvent, item: TrashItem) => void;
  onMouseDown: (e: MouseEvent, item: TrashItem) => void;
  onClick: (e: MouseEvent, item: TrashItem) => void;
  onContextMenu: (e: MouseEvent, item: TrashItem) => void;
  onDoubleClick: (item: TrashItem) => void;
}

/**
 * One trashed item as a grid row: its check, name and type, original folder, dates, size and (in All accounts) account.
 */
export const TrashRow = memo(function TrashRow({
  item,
  index,
  start,
  account,
  columns,
  selected,
  focused,
  busy,
  stale,
  group,
  handlers,
  accountTag = false,
}: {
  item: TrashItem;
  index: number;
  /** Where the virtualizer places the row, in pixels from the top. */
  start: number;
  account: AccountView | undefined;
  /** The columns shown (narrow windows hide some). */
  columns: readonly Column[];
  selected: boolean;
  focused: boolean;
  busy: boolean;
  /** Its account's last listing failed: this row may be out of date. */
  stale: boolean;
  /** In a folder-grouped view: whether this row starts its folder's group; null when not grouped. */
  group: 'start' | 'member' | null;
  /** Stable across renders (see RowHandlers). */
  handlers: RowHandlers;
  /** Show the account's badge beside the name (several accounts, no Account column). */
  accountTag?: boolean;
}) {
  const groupStart = group === 'start';
  return (
    <div
      id={`trash-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-key={item.key}
      data-index={index}
      title={
        busy
          ? 'A batch is working on this item now'
          : stale
            ? 'Possibly out of date: the server could not be reached to check'
            : undefined
      }
      aria-busy={busy || undefined}
      className={`trash-row trash-row-grid${selected ? ' selected' : ''}${focused ? ' focused' : ''}${busy ? ' busy' : ''}${stale ? ' stale' : ''}${group ? (groupStart ? ' group-start' : ' group-member') : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      draggable
      onDragStart={(e) => handlers.onDragStart(e, item)}
      onMouseDown={(e) => handlers.onMouseDown(e, item)}
      onClick={(e) => handlers.onClick(e, item)}
      onContextMenu={(e) => handlers.onContextMenu(e, item)}
      onDoubleClick={() => handlers.onDoubleClick(item)}
    >
      <div role="gridcell" className="gutter" title="Drag from here to select several rows">
        <span className={`check${selected ? ' on' : ''}`} aria-hidden="true" />
      </div>
      {/* Cells are called, not mounted: each row mounts once per scroll into view, and a component per cell was seven fibers more per row. */}
      {columns.map((c) => CELLS[c.id]({ item, account, groupStart, accountTag }))}
    </div>
  );
});
