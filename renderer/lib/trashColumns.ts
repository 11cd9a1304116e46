import type { AccountView, TrashItem } from '../../shared/model';
import { naturalKey } from './naturalKey';

/**
 * The trash table's columns, one entry each, in the order they show: header label, grid track,
 * when a narrow window hides it, how it sorts. Everything that is not React lives here (lib holds
 * no React): the header (components/TrashTableHeader.tsx), the grid template and narrow-window
 * hiding (components/trashGrid.ts) and sorting (lib/view.ts) read these entries; how each cell
 * renders is components/trashCells.tsx, a record by column id that the compiler makes complete.
 */

/** What a sort compares, computed once per item. Ties fall back to the name (lib/view.ts). */
export type SortKey =
  /** The name alone (every sort's tie-break): its direction turns the name order itself round. */
  | { by: 'name' }
  /** A string compared with plain < (naturalKey() gives people's order: case, accents, numbers). */
  | { by: 'text'; key: (item: TrashItem, accounts: ReadonlyMap<string, AccountView>) => string }
  /** A number; NaN (unknown) goes last whichever the direction. */
  | { by: 'number'; key: (item: TrashItem) => number };

export interface ColumnSort {
  key: SortKey;
  /** The direction of a first click on the header (a second click turns it round). */
  first: 'asc' | 'desc';
}

/** A grid track: at least `min` pixels, growing by `grow` shares of the room left; or a fixed `px`. */
export type Track = { min: number; grow: number } | { px: number };

export interface ColumnDef {
  id: string;
  /** The header's text (its sort button reads "Sort by <label in lower case>"). */
  label: string;
  track: Track;
  /**
   * Its grow factor instead when the Account column is hidden in All accounts and each location
   * is led by its account's badge (then the location gets as much room as the name). Flexible tracks only.
   */
  taggedGrow?: number;
  /** Columns with a higher number are hidden first when the table is narrow; 0 never hides. */
  hidePriority: number;
  /** Shown only in All accounts (the account of every row is the same otherwise). */
  allAccountsOnly?: boolean;
  align?: 'end';
  /** How the column sorts; absent: its header is no sort button. */
  sort?: ColumnSort;
}

const time = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

const DEFS = [
  {
    id: 'name',
    label: 'Name',
    track: { min: 150, grow: 3 },
    taggedGrow: 1,
    hidePriority: 0,
    sort: { key: { by: 'name' }, first: 'asc' },
  },
  {
    id: 'originalFolder',
    label: 'Original location',
    track: { min: 110, grow: 2 },
    taggedGrow: 1,
    hidePriority: 0,
    sort: { key: { by: 'text', key: (i) => naturalKey(i.originalFolder) }, first: 'asc' },
  },
  {
    id: 'deletedAt',
    label: 'Deleted',
    track: { px: 120 },
    hidePriority: 0,
    sort: { key: { by: 'number', key: (i) => time(i.deletedAt) }, first: 'desc' },
  },
  {
    id: 'size',
    label: 'Size',
    track: { px: 80 },
    hidePriority: 0,
    align: 'end',
    sort: { key: { by: 'number', key: (i) => i.size ?? NaN }, first: 'desc' },
  },
  {
    id: 'account',
    label: 'Account',
    track: { min: 150, grow: 1.4 },
    hidePriority: 2,
    allAccountsOnly: true,
    sort: {
      key: { by: 'text', key: (i, accounts) => naturalKey(accounts.get(i.accountId)?.label ?? '') },
      first: 'asc',
    },
  },
  {
    id: 'expiresAt',
    label: 'Deleted for good',
    track: { px: 135 },
    hidePriority: 1,
    sort: { key: { by: 'number', key: (i) => time(i.expiresAt) }, first: 'asc' },
  },
] as const satisfies readonly ColumnDef[];

type Def = (typeof DEFS)[number];
export type ColumnId = Def['id'];
export interface Column extends ColumnDef {
  id: ColumnId;
}
/** Every column, in the order they show. */
export const COLUMNS: readonly Column[] = DEFS;

/** Sorts that are no column. Nothing in the window picks one today. */
const SORT_ONLY = {
  type: { key: { by: 'text', key: (i) => `${i.kind === 'folder' ? 0 : 1}${i.ext}` }, first: 'asc' },
} as const satisfies Record<string, ColumnSort>;

/** What the trash can be sorted by: the columns that have a sort, and the sorts that are no column. */
export type SortColumn = Extract<Def, { sort: ColumnSort }>['id'] | keyof typeof SORT_ONLY;

export const isSortable = (c: Column): c is Column & { id: SortColumn; sort: ColumnSort } => c.sort !== undefined;

const SORTS: ReadonlyMap<string, ColumnSort> = new Map([
  ...COLUMNS.filter(isSortable).map((c) => [c.id, c.sort] as const),
  ...Object.entries(SORT_ONLY),
]);

/** How `column` sorts. */
export const sortOf = (column: SortColumn): ColumnSort => SORTS.get(column)!;
