import type { SortColumn } from '../lib/view';

/** The trash table's fixed row height: the virtualizer and the marquee both count rows by it. */
export const ROW_HEIGHT = 36;
/** Rows in a short window (below SHORT_WINDOW), so the list keeps at least eight of them with the timeline and batches open. */
export const DENSE_ROW_HEIGHT = 30;
/** The media query of a short window (the desktop window's minimum is 560 px high). */
export const SHORT_WINDOW = '(max-height: 699px)';
export const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
/** Ctrl on Windows and Linux, Cmd on macOS. */
export const toggleKey = (e: { ctrlKey: boolean; metaKey: boolean }) => (isMac ? e.metaKey : e.ctrlKey);

export interface Column {
  id: SortColumn;
  label: string;
  width: string;
  /** The least room the column needs, in pixels (its minmax minimum or fixed width). */
  min: number;
  /** Columns with a higher number are hidden first when the table is narrow; 0 never hides. */
  hidePriority: number;
  align?: 'end';
}

export const COLUMNS: Column[] = [
  { id: 'name', label: 'Name', width: 'minmax(150px, 3fr)', min: 150, hidePriority: 0 },
  { id: 'originalFolder', label: 'Original location', width: 'minmax(110px, 2fr)', min: 110, hidePriority: 0 },
  { id: 'deletedAt', label: 'Deleted', width: '120px', min: 120, hidePriority: 0 },
  { id: 'size', label: 'Size', width: '80px', min: 80, hidePriority: 0, align: 'end' },
  { id: 'account', label: 'Account', width: 'minmax(150px, 1.4fr)', min: 150, hidePriority: 2 },
  { id: 'expiresAt', label: 'Deleted for good', width: '135px', min: 135, hidePriority: 1 },
];

/** The gutter (check) column, the gap between columns and the row's end padding, in pixels. */
const GUTTER = 32;
const GAP = 10;
const END_PADDING = 12;

/** The room a set of columns needs, gutter and gaps included. */
export function neededWidth(columns: readonly Column[]): number {
  return GUTTER + END_PADDING + columns.reduce((sum, c) => sum + c.min + GAP, 0);
}

/**
 * The columns to show in `width` pixels: Account (only in All accounts) and "Deleted for good"
 * go first when there is no room, then nothing else — the rest scroll sideways rather than vanish.
 * `width` 0 (not measured yet) shows them all.
 */
export function visibleColumns(width: number, showAccount: boolean, all: readonly Column[] = COLUMNS): Column[] {
  let columns = all.filter((c) => showAccount || c.id !== 'account');
  if (width <= 0) return columns;
  const hideable = columns.filter((c) => c.hidePriority > 0).sort((a, b) => b.hidePriority - a.hidePriority);
  for (const c of hideable) {
    if (neededWidth(columns) <= width) break;
    columns = columns.filter((x) => x !== c);
  }
  return columns;
}

/**
 * The grid's column template for these columns (the gutter first). With `accountTag` (the Account
 * column hidden, each location led by its account's badge) the location gets as much room as the
 * name, so the badge's short name and some of the folder both fit.
 */
export const gridTemplate = (columns: readonly Column[], accountTag = false) =>
  `${GUTTER}px ${columns.map((c) => (accountTag && (c.id === 'name' || c.id === 'originalFolder') ? `minmax(${c.min}px, 1fr)` : c.width)).join(' ')}`;
