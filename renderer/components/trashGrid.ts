import { COLUMNS, type Column, type Track } from '../lib/trashColumns';

/** The trash table's fixed row height: the virtualizer and the marquee both count rows by it. */
export const ROW_HEIGHT = 36;
/**
 * Rows in a short window (below SHORT_WINDOW), so the list keeps at least eight of them with the timeline and batches
 * open.
 */
export const DENSE_ROW_HEIGHT = 30;
/** The media query of a short window (the desktop window's minimum is 560 px high). */
export const SHORT_WINDOW = '(max-height: 699px)';
export const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
/** Ctrl on Windows and Linux, Cmd on macOS. */
export const toggleKey = (e: { ctrlKey: boolean; metaKey: boolean }) => (isMac ? e.metaKey : e.ctrlKey);

/** A column's grid track as CSS, and the least room it needs in pixels (its minmax minimum or fixed width). */
const trackCss = (t: Track) => ('px' in t ? `${t.px}px` : `minmax(${t.min}px, ${t.grow}fr)`);
const minWidth = (t: Track) => ('px' in t ? t.px : t.min);

/** The gutter (check) column, the gap between columns and the row's end padding, in pixels. */
const GUTTER = 32;
const GAP = 10;
const END_PADDING = 12;

/** The room a set of columns needs, gutter and gaps included. */
export function neededWidth(columns: readonly Column[]): number {
  return GUTTER + END_PADDING + columns.reduce((sum, c) => sum + minWidth(c.track) + GAP, 0);
}

/**
 * The columns to show in `width` pixels: those with a hidePriority go when there is no room, the
 * highest first (Account, only in All accounts, then "Deleted for good"), then nothing else — the
 * rest scroll sideways rather than vanish. `width` 0 (not measured yet) shows them all.
 */
export function visibleColumns(width: number, showAccount: boolean, all: readonly Column[] = COLUMNS): Column[] {
  let columns = all.filter((c) => showAccount || !c.allAccountsOnly);
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
 * column hidden, each location led by its account's badge) columns with a `taggedGrow` grow by it
 * instead: the location gets as much room as the name, so the badge's short name and some of the
 * folder both fit.
 */
export const gridTemplate = (columns: readonly Column[], accountTag = false) =>
  `${GUTTER}px ${columns.map((c) => trackCss(accountTag && c.taggedGrow !== undefined && 'min' in c.track ? { ...c.track, grow: c.taggedGrow } : c.track)).join(' ')}`;
