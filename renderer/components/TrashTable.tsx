import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import * as sel from '../lib/selection';
import { startsGroup, type Sort } from '../lib/view';
import { useMediaQuery } from '../hooks/useMediaQuery';
import {
  DENSE_ROW_HEIGHT,
  gridTemplate,
  isMac,
  ROW_HEIGHT,
  SHORT_WINDOW,
  toggleKey,
  visibleColumns,
} from './trashGrid';
import { TrashRow, type RowHandlers } from './TrashRow';
import { TrashTableHeader } from './TrashTableHeader';
import { useMarquee } from './useMarquee';

export interface TrashTableProps {
  items: readonly TrashItem[];
  keys: readonly string[];
  index: sel.ViewIndex;
  accounts: ReadonlyMap<string, AccountView>;
  showAccount: boolean;
  selection: sel.Selection;
  onSelection: (next: sel.Selection) => void;
  sort: Sort;
  onSort: (next: Sort) => void;
  onDelete: () => void;
  /** The user started dragging the selection (to drop it on a folder). */
  onDragSelection: (e: DragEvent) => void;
  /** Items a batch is working on right now (greyed out). */
  busy: { has(itemKey: string): boolean };
  label: string;
  /** Open the context menu for the selection at this point (window coordinates). */
  onContextMenu: (at: { x: number; y: number }) => void;
  /** Accounts whose last listing failed: their rows are what was loaded before, possibly out of date. */
  stale: ReadonlySet<string>;
  /** Open a trashed folder to see (and restore) what is inside (double-click or Enter on it). */
  onOpen: (folder: TrashItem) => void;
}

/** The width of an element's vertical scrollbar, whatever the platform draws, and the room left for the rows. */
function useScrollerWidths(scrollRef: RefObject<HTMLDivElement | null>) {
  const [widths, setWidths] = useState({ scrollbar: 0, inner: 0 });
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const measure = () => {
      const next = { scrollbar: scroller.offsetWidth - scroller.clientWidth, inner: scroller.clientWidth };
      setWidths((old) => (old.scrollbar === next.scrollbar && old.inner === next.inner ? old : next));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [scrollRef]);
  return widths;
}

/**
 * The trash as a virtualized ARIA grid: only the rows on screen exist in the DOM, so 100k items
 * scroll smoothly. Selection goes through lib/selection; the marquee is useMarquee.
 */
export function TrashTable(props: TrashTableProps) {
  const { items, keys, index, selection, onSelection, sort, showAccount, accounts, busy } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // The header lines up with the rows: it leaves room for the rows' scrollbar, whatever its width.
  const { scrollbar, inner } = useScrollerWidths(scrollRef);
  // Columns hide by priority (Account, then "Deleted for good") when the window is narrow.
  const columns = useMemo(() => visibleColumns(inner, showAccount), [inner, showAccount]);
  // Several accounts in one list and no room for their column: each location carries its account's badge.
  const accountTag = showAccount && !columns.some((c) => c.id === 'account');
  const template = gridTemplate(columns, accountTag);

  // Short windows get denser rows (CSS sets the same height), so eight or more stay in view.
  const rowHeight = useMediaQuery(SHORT_WINDOW) ? DENSE_ROW_HEIGHT : ROW_HEIGHT;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is designed to be read during render
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
  const marqueeActive = useMarquee(scrollRef, gridRef, { keys, selection, onSelection, rowHeight });

  // Keep the focused row on screen.
  const focusIndex = selection.focus !== null ? index.get(selection.focus) : undefined;
  // A new sort order shows the top of the list, not wherever the focused row went.
  const lastSort = useRef(sort);
  useEffect(() => {
    if (lastSort.current !== sort) {
      lastSort.current = sort;
      virtualizer.scrollToOffset(0);
      return;
    }
    if (focusIndex !== undefined && !marqueeActive.current) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer, marqueeActive, sort]);

  // Only a press on a name drags the selection; from any other cell a drag draws a marquee.
  const fromName = useRef(false);
  const onRowMouseDown = (e: MouseEvent, key: string) => {
    if (e.button !== 0) return;
    fromName.current = Boolean((e.target as Element).closest('.cell-name'));
    const fromGutter = Boolean((e.target as Element).closest('.gutter'));
    // The gutter works like a checkbox: a press toggles that row (and may start a marquee).
    const mods = { shift: e.shiftKey, toggle: toggleKey(e) || fromGutter };
    // A plain press on an already-selected row keeps the selection so it can be dragged; the click narrows it.
    if (!mods.shift && !mods.toggle && selection.selected.has(key)) return;
    if (mods.shift) e.preventDefault(); // no text selection on shift-click
    onSelection(sel.click(selection, keys, index, key, mods));
  };
  const rowHandlers: RowHandlers = {
    onDragStart: (e: DragEvent, item: TrashItem) => {
      if (!fromName.current) {
        e.preventDefault(); // only the name drags; other cells start a marquee
        return;
      }
      if (!selection.selected.has(item.key)) onSelection(sel.click(selection, keys, index, item.key));
      props.onDragSelection(e);
    },
    onMouseDown: (e: MouseEvent, item: TrashItem) => onRowMouseDown(e, item.key),
    onClick: (e: MouseEvent, item: TrashItem) => {
      if (e.shiftKey || toggleKey(e)) return;
      if (selection.selected.size > 1 && selection.selected.has(item.key))
        onSelection(sel.click(selection, keys, index, item.key));
    },
    onContextMenu: (e: MouseEvent, item: TrashItem) => {
      e.preventDefault();
      // A right click on a row outside the selection selects that row, as in file managers.
      if (!selection.selected.has(item.key)) onSelection(sel.click(selection, keys, index, item.key));
      props.onContextMenu({ x: e.clientX, y: e.clientY });
    },
    onDoubleClick: (item: TrashItem) => {
      if (item.kind === 'folder') props.onOpen(item);
    },
  };
  // Rows get one handlers object for the table's lifetime, calling whatever this render's handlers are,
  // so memoized rows skip re-rendering while the list scrolls (events only fire after the commit).
  const latestRowHandlers = useRef(rowHandlers);
  useLayoutEffect(() => {
    latestRowHandlers.current = rowHandlers;
  });
  const stableRowHandlers = useMemo<RowHandlers>(
    () => ({
      onDragStart: (e, item) => latestRowHandlers.current.onDragStart(e, item),
      onMouseDown: (e, item) => latestRowHandlers.current.onMouseDown(e, item),
      onClick: (e, item) => latestRowHandlers.current.onClick(e, item),
      onContextMenu: (e, item) => latestRowHandlers.current.onContextMenu(e, item),
      onDoubleClick: (item) => latestRowHandlers.current.onDoubleClick(item),
    }),
    [],
  );

  // Enter and double-click never restore (that is always a press of Restore or its shortcut, see lib/shortcuts); on a
  // folder they open it.
  const onKeyDown = (e: KeyboardEvent) => {
    const mods = { shift: e.shiftKey, toggle: toggleKey(e) };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const step: Record<string, { delta: number } | { to: number }> = {
      ArrowDown: { delta: 1 },
      ArrowUp: { delta: -1 },
      PageDown: { delta: page },
      PageUp: { delta: -page },
      Home: { to: 0 },
      End: { to: keys.length - 1 },
    };
    const s = step[e.key];
    if (s) {
      e.preventDefault();
      onSelection(sel.move(selection, keys, index, s, mods));
    } else if (e.key === ' ') {
      e.preventDefault();
      onSelection(
        mods.toggle || selection.selected.size > 0
          ? sel.toggleFocused(selection)
          : sel.move(selection, keys, index, { delta: 0 }),
      );
    } else if ((e.key === 'a' || e.key === 'A') && mods.toggle) {
      e.preventDefault();
      onSelection(sel.selectAll(selection, keys, index));
    } else if (e.key === 'Delete' || (isMac && e.key === 'Backspace' && e.metaKey)) {
      e.preventDefault();
      if (selection.selected.size) props.onDelete();
    } else if (e.key === 'Enter') {
      const at = selection.focus !== null ? index.get(selection.focus) : undefined;
      const item = at !== undefined ? items[at] : undefined;
      if (item?.kind === 'folder') {
        e.preventDefault();
        props.onOpen(item);
      }
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      // The menu key: the context menu of the selection (or of the focused row), at that row.
      e.preventDefault();
      let current = selection;
      if (!current.selected.size) {
        if (current.focus === null) return;
        current = sel.click(current, keys, index, current.focus);
        onSelection(current);
      }
      const at = current.focus !== null ? index.get(current.focus) : undefined;
      const el = at !== undefined ? document.getElementById(`trash-row-${at}`) : null;
      const box = (el ?? gridRef.current)?.getBoundingClientRect();
      if (box) props.onContextMenu({ x: box.left + 40, y: el ? box.bottom : box.top + 40 });
    } else if (e.key === 'Escape' && selection.selected.size) {
      e.preventDefault();
      e.stopPropagation();
      onSelection(sel.clear(selection));
    }
  };

  const rows = virtualizer.getVirtualItems();
  return (
    <div
      ref={gridRef}
      id="trash-grid"
      className="trash-grid"
      role="grid"
      aria-label={props.label}
      aria-multiselectable="true"
      aria-rowcount={items.length + 1}
      aria-colcount={columns.length + 1}
      tabIndex={0}
      aria-activedescendant={focusIndex !== undefined ? `trash-row-${focusIndex}` : undefined}
      onKeyDown={onKeyDown}
      data-testid="trash-grid"
    >
      <TrashTableHeader
        columns={columns}
        template={template}
        scrollbar={scrollbar}
        sort={sort}
        onSort={props.onSort}
        checked={
          keys.length > 0 && selection.selected.size >= keys.length
            ? true
            : selection.selected.size > 0
              ? 'mixed'
              : false
        }
        onCheck={(all) => onSelection(all ? sel.selectAll(selection, keys, index) : sel.clear(selection))}
      />
      <div ref={scrollRef} className="trash-scroll" role="rowgroup" data-testid="trash-scroll">
        {/* The rows' grid template is the canvas's, read by each row from the stylesheet (not one inline style per row). */}
        <div
          className="trash-canvas"
          role="presentation"
          style={{ height: virtualizer.getTotalSize(), '--row-template': template } as CSSProperties}
        >
          {rows.map((row) => {
            const item = items[row.index]!;
            return (
              <TrashRow
                key={item.key}
                item={item}
                index={row.index}
                start={row.start}
                account={accounts.get(item.accountId)}
                columns={columns}
                selected={selection.selected.has(item.key)}
                focused={selection.focus === item.key}
                busy={busy.has(item.key)}
                stale={props.stale.has(item.accountId)}
                group={sort.groupByFolder ? (startsGroup(items, row.index) ? 'start' : 'member') : null}
                handlers={stableRowHandlers}
                accountTag={accountTag}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
