import type { AccountView, TrashItem } from '../../shared/model';
import { fileTypeOf, type FileType } from './fileType';
import { naturalKey } from './naturalKey';
import { ViewKeys } from './selection';
import type { TimeRange } from './timeRange';
import { sortOf, type SortColumn } from './trashColumns';

/** Sorting and filtering of the trash view. Pure, so 100k items stay fast and testable. */
export type { SortColumn };
export interface Sort {
  column: SortColumn;
  direction: 'asc' | 'desc';
  /** Keep items of the same original folder together (folders A→Z), sorted by `column` within. */
  groupByFolder?: boolean;
}

export interface Filters {
  text: string;
  types: ReadonlySet<FileType>;
  /**
   * Deleted within this range (ms epoch, both ends inclusive), or null for any time. The date-range control and the
   * timeline set it.
   */
  deleted: TimeRange | null;
  /** Exact original folder, or '' for any. */
  folder: string;
}

export const noFilters: Filters = { text: '', types: new Set(), deleted: null, folder: '' };

export const hasFilters = (f: Filters) => Boolean(f.text.trim() || f.types.size || f.deleted || f.folder);

/** Whether an item passes the filters, or null when nothing is filtered. */
function itemFilter(f: Filters): ((item: TrashItem) => boolean) | null {
  const needle = f.text.trim().toLocaleLowerCase();
  const from = f.deleted?.from ?? null;
  const to = f.deleted?.to ?? null;
  if (!needle && f.types.size === 0 && from === null && to === null && !f.folder) return null;
  return (item) => {
    if (
      needle &&
      !item.name.toLocaleLowerCase().includes(needle) &&
      !item.originalFolder.toLocaleLowerCase().includes(needle)
    )
      return false;
    if (f.types.size && !f.types.has(fileTypeOf(item))) return false;
    if (f.folder && item.originalFolder !== f.folder) return false;
    if (from !== null || to !== null) {
      const t = item.deletedAt ? Date.parse(item.deletedAt) : NaN;
      if (Number.isNaN(t)) return false;
      if (from !== null && t < from) return false;
      if (to !== null && t > to) return false;
    }
    return true;
  };
}

export function filterItems(items: readonly TrashItem[], f: Filters): TrashItem[] {
  const keep = itemFilter(f);
  return keep ? items.filter(keep) : items.slice();
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const keyCache = new WeakMap<TrashItem, string>();
/**
 * The natural key (lib/naturalKey.ts) of an item's name, computed once per item object (listings keep their objects).
 */
const nameKeyOf = (item: TrashItem) => {
  let k = keyCache.get(item);
  if (k === undefined) keyCache.set(item, (k = naturalKey(item.name)));
  return k;
};

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Items with what their sort compares, position by position (computed once per item). */
interface Decorated {
  items: TrashItem[];
  names: string[];
  primary: (number | string)[] | null;
  groups: string[] | null;
}

function decorate(items: readonly TrashItem[], sort: Sort, accounts: ReadonlyMap<string, AccountView>): Decorated {
  // The column's key (lib/trashColumns.ts); sorting by the name needs none beyond the tie-break.
  const key = sortOf(sort.column).key;
  return {
    items: items as TrashItem[],
    names: items.map(nameKeyOf),
    primary:
      key.by === 'text'
        ? items.map((i) => key.key(i, accounts))
        : key.by === 'number'
          ? items.map((i) => key.key(i))
          : null,
    groups: sort.groupByFolder ? items.map((i) => `${i.accountId}\u0000${naturalKey(i.originalFolder)}`) : null,
  };
}

/** Compares entry `i` of `a` with entry `j` of `b` (both decorated for `sort`). */
function comparer(sort: Sort) {
  const dir = sort.direction === 'asc' ? 1 : -1;
  const numeric = sortOf(sort.column).key.by === 'number';
  return (a: Decorated, i: number, b: Decorated, j: number): number => {
    if (a.groups && a.groups[i] !== b.groups![j]) return cmpStr(a.groups[i]!, b.groups![j]!);
    if (a.primary) {
      const pa = a.primary[i]!;
      const pb = b.primary![j]!;
      if (numeric) {
        const an = Number.isNaN(pa);
        const bn = Number.isNaN(pb);
        if (an !== bn) return an ? 1 : -1;
        if (!an && pa !== pb) return ((pa as number) - (pb as number)) * dir;
      } else if (pa !== pb) return cmpStr(pa as string, pb as string) * dir;
    }
    const byName = cmpStr(a.names[i]!, b.names[j]!);
    if (byName) return a.primary ? byName : byName * dir;
    return cmpStr(a.items[i]!.key, b.items[j]!.key);
  };
}

const pick = <T>(values: T[] | null, order: readonly number[]) => (values ? order.map((i) => values[i]!) : null);

function sortDecorated(d: Decorated, sort: Sort): Decorated {
  const cmp = comparer(sort);
  const order = Array.from({ length: d.items.length }, (_, i) => i);
  order.sort((a, b) => cmp(d, a, d, b));
  return {
    items: order.map((i) => d.items[i]!),
    names: pick(d.names, order)!,
    primary: pick(d.primary, order),
    groups: pick(d.groups, order),
  };
}

/** Two sorted runs as one (the comparison is total, so this is what sorting both together gives). */
function mergeDecorated(a: Decorated, b: Decorated, sort: Sort): Decorated {
  const cmp = comparer(sort);
  const n = a.items.length + b.items.length;
  const out: Decorated = {
    items: new Array<TrashItem>(n),
    names: new Array<string>(n),
    primary: a.primary ? new Array<number | string>(n) : null,
    groups: a.groups ? new Array<string>(n) : null,
  };
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const fromA = j >= b.items.length || (i < a.items.length && cmp(a, i, b, j) <= 0);
    const src = fromA ? a : b;
    const at = fromA ? i++ : j++;
    out.items[k] = src.items[at]!;
    out.names[k] = src.names[at]!;
    if (out.primary) out.primary[k] = src.primary![at]!;
    if (out.groups) out.groups[k] = src.groups![at]!;
  }
  return out;
}

/**
 * Sorts without touching the input. Every key is computed once per item (decorate, sort indices,
 * undecorate), so 100k items sort in a fraction of a second. Unknown values (null sizes, dates)
 * always go last whatever the direction; ties fall back to the name, then the key.
 */
export function sortItems(
  items: readonly TrashItem[],
  sort: Sort,
  accounts: ReadonlyMap<string, AccountView>,
): TrashItem[] {
  return sortDecorated(decorate(items, sort, accounts), sort).items;
}

/** A filtered, sorted view of the loaded items, and what it was made from (to extend it when more items arrive). */
export interface SortedView {
  readonly all: readonly TrashItem[];
  readonly filters: Filters;
  readonly sort: Sort;
  readonly accounts: ReadonlyMap<string, AccountView>;
  readonly items: TrashItem[];
  readonly decorated: Decorated;
}

/**
 * `all` filtered and sorted, as filterItems then sortItems give it. When `prev` was made with the
 * same filters, sort and accounts from a prefix of `all` (a listing streaming in appends its
 * pages), only the new items are filtered and sorted, then merged in: a hand-over of 5,000 items
 * to a list of 1,000,000 costs a merge, not a sort of the million.
 */
export function sortedView(
  all: readonly TrashItem[],
  filters: Filters,
  sort: Sort,
  accounts: ReadonlyMap<string, AccountView>,
  prev: SortedView | null = null,
): SortedView {
  const extends_ =
    prev !== null &&
    prev.filters === filters &&
    prev.sort === sort &&
    prev.accounts === accounts &&
    prev.all.length <= all.length &&
    prev.all.every((item, i) => all[i] === item);
  let decorated: Decorated;
  if (extends_) {
    if (prev.all.length === all.length) return { ...prev, all };
    const tail = sortDecorated(decorate(filterItems(all.slice(prev.all.length), filters), sort, accounts), sort);
    decorated = mergeDecorated(prev.decorated, tail, sort);
  } else decorated = sortDecorated(decorate(filterItems(all, filters), sort, accounts), sort);
  return { all, filters, sort, accounts, items: decorated.items, decorated };
}

/**
 * Makes the list's view (filterItems then sortItems of the loaded items), keeping the sorted view
 * of every loaded item: a hand-over of more items extends it (sortedView), and the filters are
 * applied to it, which keeps its order. So a search keystroke, or clearing the search, filters
 * once and sorts nothing; only a new sort (or a listing that is not the last one extended) sorts
 * everything. One per list on screen.
 */
export class ViewMaker {
  private base: SortedView | null = null;
  make(
    all: readonly TrashItem[],
    filters: Filters,
    sort: Sort,
    accounts: ReadonlyMap<string, AccountView>,
  ): TrashItem[] {
    this.base = sortedView(all, noFilters, sort, accounts, this.base);
    const keep = itemFilter(filters);
    return keep ? this.base.items.filter(keep) : this.base.items;
  }
}

/** Whether row `i` of a folder-grouped view starts a new group. */
export const startsGroup = (items: readonly TrashItem[], i: number) =>
  i === 0 ||
  items[i]!.originalFolder !== items[i - 1]!.originalFolder ||
  items[i]!.accountId !== items[i - 1]!.accountId;

/** Distinct original folders, for the folder filter. */
export function originalFolders(items: readonly TrashItem[]): string[] {
  return [...new Set(items.map((i) => i.originalFolder))].sort((a, b) => collator.compare(a, b));
}

export function totalBytes(items: readonly { size: number | null }[]): number {
  let sum = 0;
  for (const i of items) sum += i.size ?? 0;
  return sum;
}

/**
 * The selected items in view order. A small selection (a marquee being drawn) is looked up by key
 * instead of scanning 100k rows on every animation frame.
 */
export function selectedItemsOf(
  view: readonly TrashItem[],
  index: ReadonlyMap<string, number>,
  selected: ReadonlySet<string>,
): TrashItem[] {
  // Select-all of this very view: it is the view (no 100k lookups).
  if (selected instanceof ViewKeys && selected.index === index) return view.slice();
  if (selected.size > view.length / 8) return view.filter((i) => selected.has(i.key));
  const picked: { item: TrashItem; at: number }[] = [];
  for (const key of selected) {
    const at = index.get(key);
    if (at !== undefined) picked.push({ item: view[at]!, at });
  }
  return picked.sort((a, b) => a.at - b.at).map((p) => p.item);
}
