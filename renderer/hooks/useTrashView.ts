import { useMemo, useState } from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import { indexView } from '../lib/selection';
import { originalFolders, selectedItemsOf, totalBytes, ViewMaker, type Filters, type Sort } from '../lib/view';

/** What the trash screen shows of the loaded items: filtered, sorted, indexed, and the selection in that order. */
export function useTrashView(
  all: readonly TrashItem[],
  filters: Filters,
  sort: Sort,
  accounts: ReadonlyMap<string, AccountView>,
  selectedKeys: ReadonlySet<string>,
) {
  const folders = useMemo(() => originalFolders(all), [all]);
  // The last view made, so that a listing's next hand-over only sorts its new items and merges them in.
  const [maker] = useState(() => new ViewMaker());
  const items = useMemo(() => maker.make(all, filters, sort, accounts), [maker, all, filters, sort, accounts]);
  const keys = useMemo(() => items.map((i) => i.key), [items]);
  const index = useMemo(() => indexView(keys), [keys]);
  const selected = useMemo(() => selectedItemsOf(items, index, selectedKeys), [items, index, selectedKeys]);
  const bytes = useMemo(() => totalBytes(items), [items]);
  const selectedBytes = useMemo(() => totalBytes(selected), [selected]);
  return { folders, items, keys, index, selected, bytes, selectedBytes };
}

export type TrashView = ReturnType<typeof useTrashView>;
