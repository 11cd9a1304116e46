import type { SortColumn } from '../lib/view';

/** The trash table's fixed row height: the virtualizer and the marquee both count rows by it. */
export const ROW_HEIGHT = 36;
export const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
/** Ctrl on Windows and Linux, Cmd on macOS. */
export const toggleKey = (e: { ctrlKey: boolean; metaKey: boolean }) => (isMac ? e.metaKey : e.ctrlKey);

export interface Column {
  id: SortColumn;
  label: string;
  width: string;
  align?: 'end';
}

export const COLUMNS: Column[] = [
  { id: 'name', label: 'Name', width: 'minmax(200px, 3fr)' },
  { id: 'originalFolder', label: 'Original location', width: 'minmax(140px, 2fr)' },
  { id: 'deletedAt', label: 'Deleted', width: '130px' },
  { id: 'size', label: 'Size', width: '90px', align: 'end' },
  { id: 'account', label: 'Account', width: 'minmax(175px, 1.4fr)' },
  { id: 'expiresAt', label: 'Deleted for good', width: '130px' },
];
