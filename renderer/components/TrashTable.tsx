import { VanillaSelectionArea } from '@viselect/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import { FILE_TYPE_LABELS, fileTypeOf } from '../lib/fileType';
import { formatBytes, formatDaysLeft, formatExact, formatRelative } from '../lib/format';
import * as sel from '../lib/selection';
import { startsGroup, type Sort, type SortColumn } from '../lib/view';
import { FileIcon } from './FileIcon';

export const ROW_HEIGHT = 36;
const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const toggleKey = (e: { ctrlKey: boolean; metaKey: boolean }) => (isMac ? e.metaKey : e.ctrlKey);

interface Column {
  id: SortColumn;
  label: string;
  width: string;
  align?: 'end';
}

const COLUMNS: Column[] = [
  { id: 'name', label: 'Name', width: 'minmax(200px, 3fr)' },
  { id: 'originalFolder', label: 'Original location', width: 'minmax(140px, 2fr)' },
  { id: 'deletedAt', label: 'Deleted', width: '130px' },
  { id: 'size', label: 'Size', width: '90px', align: 'end' },
  { id: 'account', label: 'Account', width: 'minmax(175px, 1.4fr)' },
  { id: 'expiresAt', label: 'Deleted for good', width: '130px' },
];

function SortIndicator({ active, direction }: { active: boolean; direction: Sort['direction'] }) {
  return (
    <span className="sort-indicator" aria-hidden="true">
      {active ? (direction === 'asc' ? '▲' : '▼') : ''}
    </span>
  );
}

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
  /** Items an operation is working on right now (greyed out). */
  busy: ReadonlySet<string>;
  label: string;
}

/**
 * The trash as a virtualized ARIA grid: only the rows on screen exist in the DOM, so 100k items
 * scroll smoothly. Selection goes through lib/selection; the marquee uses viselect for the
 * gesture, the drawn rectangle and edge auto-scroll, and maps its area onto row indices (rows
 * scrolled out of view have no DOM element to hit-test).
 */
export function TrashTable(props: TrashTableProps) {
  const { items, keys, index, selection, onSelection, sort, onSort, showAccount, accounts, busy } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const columns = showAccount ? COLUMNS : COLUMNS.filter((c) => c.id !== 'account');
  const template = `32px ${columns.map((c) => c.width).join(' ')}`;

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is designed to be read during render
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // While a marquee is drawn viselect owns the scrolling (its area is anchored to the scroll offset).
  const marqueeActive = useRef(false);
  // The latest props for the marquee callbacks, which live outside React's render cycle.
  const latest = useRef({ keys, selection, onSelection });
  useEffect(() => {
    latest.current = { keys, selection, onSelection };
  });

  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    let base: sel.Selection = sel.emptySelection;
    let additive = false;
    const area = new VanillaSelectionArea({
      selectionAreaClass: 'marquee',
      selectables: ['.trash-row'],
      startAreas: [scroller],
      boundaries: [scroller],
      features: { singleTap: { allow: false, intersect: 'native' }, range: false, touch: true, deselectOnBlur: false },
      behaviour: {
        startThreshold: 6,
        scrolling: { speedDivider: 3, manualSpeed: 750, startScrollMargins: { x: 0, y: 32 } },
        overlap: 'drop',
        intersect: 'touch',
      },
    });
    area.on('beforestart', ({ event }) => {
      if (!event || ('button' in event && event.button !== 0)) return false;
      const target = event.target as Element | null;
      // Marquee starts in empty space below the rows or on a row's gutter; anywhere else on a row is a click or a drag.
      const onRow = target?.closest('.trash-row');
      if (onRow && !target?.closest('.gutter')) return false;
      // Not on the scrollbar.
      if ('clientX' in event && event.clientX > scroller.getBoundingClientRect().left + scroller.clientWidth) return false;
      return true;
    });
    area.on('start', ({ event }) => {
      base = latest.current.selection;
      additive = Boolean(event && (toggleKey(event as globalThis.MouseEvent) || (event as globalThis.MouseEvent).shiftKey));
      scroller.classList.add('marquee-active');
      marqueeActive.current = true;
      gridRef.current?.focus({ preventScroll: true });
    });
    const update = () => {
      const { y1, y2 } = area.getAreaLocation();
      const rect = scroller.getBoundingClientRect();
      const clampedY2 = Math.max(rect.top, Math.min(rect.bottom, y2));
      const top = Math.min(y1, clampedY2) - rect.top + scroller.scrollTop;
      const bottom = Math.max(y1, clampedY2) - rect.top + scroller.scrollTop;
      const { keys: currentKeys, onSelection: set } = latest.current;
      const first = Math.floor(Math.max(0, top) / ROW_HEIGHT);
      const last = Math.min(currentKeys.length - 1, Math.floor(Math.max(0, bottom - 1) / ROW_HEIGHT));
      if (first > last || first >= currentKeys.length) {
        set(additive ? base : sel.clear(base));
        return;
      }
      const forward = y1 <= clampedY2;
      set(sel.marquee(base, currentKeys, forward ? first : last, forward ? last : first, additive));
    };
    area.on('move', update);
    area.on('stop', () => {
      update();
      scroller.classList.remove('marquee-active');
      marqueeActive.current = false;
    });
    return () => area.destroy();
  }, []);

  // The header lines up with the rows: it leaves room for the rows' scrollbar, whatever its width.
  const [scrollbar, setScrollbar] = useState(0);
  useEffect(() => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const observer = new ResizeObserver(() => setScrollbar(scroller.offsetWidth - scroller.clientWidth));
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  // Keep the focused row on screen.
  const focusIndex = selection.focus !== null ? index.get(selection.focus) : undefined;
  useEffect(() => {
    if (focusIndex !== undefined && !marqueeActive.current) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  const fromGutter = useRef(false);
  const onRowMouseDown = (e: MouseEvent, key: string) => {
    if (e.button !== 0) return;
    fromGutter.current = Boolean((e.target as Element).closest('.gutter'));
    // The gutter works like a checkbox: a press toggles that row (and may start a marquee).
    const mods = { shift: e.shiftKey, toggle: toggleKey(e) || fromGutter.current };
    // A plain press on an already-selected row keeps the selection so it can be dragged; the click narrows it.
    if (!mods.shift && !mods.toggle && selection.selected.has(key)) return;
    if (mods.shift) e.preventDefault(); // no text selection on shift-click
    onSelection(sel.click(selection, keys, index, key, mods));
  };
  const onRowClick = (e: MouseEvent, key: string) => {
    if (e.shiftKey || toggleKey(e)) return;
    if (selection.selected.size > 1 && selection.selected.has(key)) onSelection(sel.click(selection, keys, index, key));
  };

  // Enter and double-click deliberately do nothing: restoring is always a press of Restore (or its shortcut, see lib/shortcuts).
  const onKeyDown = (e: KeyboardEvent) => {
    const mods = { shift: e.shiftKey, toggle: toggleKey(e) };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
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
      onSelection(mods.toggle || selection.selected.size > 0 ? sel.toggleFocused(selection) : sel.move(selection, keys, index, { delta: 0 }));
    } else if ((e.key === 'a' || e.key === 'A') && mods.toggle) {
      e.preventDefault();
      onSelection(sel.selectAll(selection, keys));
    } else if (e.key === 'Delete' || (isMac && e.key === 'Backspace' && e.metaKey)) {
      e.preventDefault();
      if (selection.selected.size) props.onDelete();
    } else if (e.key === 'Escape' && selection.selected.size) {
      e.preventDefault();
      e.stopPropagation();
      onSelection(sel.clear(selection));
    }
  };

  const onHeaderClick = (column: SortColumn) =>
    onSort(
      sort.column === column
        ? { ...sort, column, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { ...sort, column, direction: column === 'deletedAt' || column === 'size' ? 'desc' : 'asc' },
    );

  const rows = virtualizer.getVirtualItems();
  return (
    <div
      ref={gridRef}
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
      <div className="trash-header" role="rowgroup" style={{ paddingRight: scrollbar }}>
        <div className="trash-row-grid header-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          <div role="columnheader" className="gutter-header">
            <span className="visually-hidden">Selected</span>
          </div>
          {columns.map((c) => (
            <div
              key={c.id}
              role="columnheader"
              aria-sort={sort.column === c.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              className={c.align === 'end' ? 'align-end' : undefined}
            >
              <button type="button" className="sort-button" onClick={() => onHeaderClick(c.id)} title={`Sort by ${c.label.toLowerCase()}`}>
                {c.align === 'end' && <SortIndicator active={sort.column === c.id} direction={sort.direction} />}
                {c.label}
                {c.align !== 'end' && <SortIndicator active={sort.column === c.id} direction={sort.direction} />}
              </button>
            </div>
          ))}
        </div>
      </div>
      <div ref={scrollRef} className="trash-scroll" role="rowgroup" data-testid="trash-scroll">
        <div className="trash-canvas" role="presentation" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const item = items[row.index]!;
            const selected = selection.selected.has(item.key);
            const type = fileTypeOf(item);
            const account = accounts.get(item.accountId);
            const focused = selection.focus === item.key;
            const groupStart = Boolean(sort.groupByFolder) && startsGroup(items, row.index);
            return (
              <div
                key={item.key}
                id={`trash-row-${row.index}`}
                role="row"
                aria-rowindex={row.index + 2}
                aria-selected={selected}
                data-key={item.key}
                data-index={row.index}
                className={`trash-row trash-row-grid${selected ? ' selected' : ''}${focused ? ' focused' : ''}${busy.has(item.key) ? ' busy' : ''}${sort.groupByFolder ? (groupStart ? ' group-start' : ' group-member') : ''}`}
                style={{ transform: `translateY(${row.start}px)`, gridTemplateColumns: template }}
                draggable
                onDragStart={(e) => {
                  if (fromGutter.current) {
                    e.preventDefault(); // the gutter starts a marquee, not a drag
                    return;
                  }
                  if (!selected) onSelection(sel.click(selection, keys, index, item.key));
                  props.onDragSelection(e);
                }}
                onMouseDown={(e) => onRowMouseDown(e, item.key)}
                onClick={(e) => onRowClick(e, item.key)}
              >
                <div role="gridcell" className="gutter" title="Drag from here to select several rows">
                  <span className={`check${selected ? ' on' : ''}`} aria-hidden="true" />
                </div>
                <div role="gridcell" className="cell-name" title={item.name}>
                  <FileIcon type={type} />
                  <span className="name-text">{item.name}</span>
                  <span className="visually-hidden">, {type === 'folder' ? 'folder' : FILE_TYPE_LABELS[type].replace(/s$/, '').toLowerCase()}</span>
                </div>
                <div role="gridcell" className={`cell-folder ${groupStart ? 'cell-group' : 'cell-muted'}`} title={item.originalFolder}>
                  {item.originalFolder || '/'}
                </div>
                <div role="gridcell" title={formatExact(item.deletedAt)}>
                  {formatRelative(item.deletedAt)}
                </div>
                <div role="gridcell" className="align-end">
                  {item.kind === 'folder' && item.size === null ? '—' : formatBytes(item.size)}
                </div>
                {showAccount && (
                  <div role="gridcell" className="cell-muted" title={account ? `${account.label} — ${account.serverUrl}` : undefined}>
                    {account?.label ?? item.accountId}
                  </div>
                )}
                <div role="gridcell" title={item.expiresAt ? formatExact(item.expiresAt) : 'The server does not say'}>
                  {formatDaysLeft(item.expiresAt)}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
