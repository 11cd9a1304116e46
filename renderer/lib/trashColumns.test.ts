import { describe, expect, it } from 'vitest';
import type { AccountView, TrashItem } from '../../shared/model';
import { COLUMNS, isSortable, sortOf } from './trashColumns';
import { sortItems } from './view';

/**
 * Item k's value in every column grows with k (names do not: they come in another order), so
 * sorting by any column but the name puts them in k's order. A new sortable column over another
 * field needs that field to grow with k here too.
 */
const N = 6;
const item = (k: number): TrashItem => ({
  key: `a${k}:${k}`,
  accountId: `a${k}`,
  id: String(k),
  name: `file ${(k * 5) % N}`,
  kind: 'file',
  size: 10 * (k + 1),
  deletedAt: new Date(Date.UTC(2026, 0, 1 + k)).toISOString(),
  originalFolder: `/Folder ${k + 1}`,
  originalFolderId: null,
  expiresAt: new Date(Date.UTC(2026, 5, 1 + k)).toISOString(),
  mimeType: null,
  ext: 'txt',
  deletedBy: null,
  parentId: null,
});
const items = Array.from({ length: N }, (_, k) => item(k));
const accounts = new Map(
  items.map((i, k) => [i.accountId, { id: i.accountId, label: `Account ${k + 1}` } as AccountView]),
);
/** One more item that knows nothing: no size, dates or account. */
const unknown: TrashItem = {
  ...item(N),
  key: 'x:unknown',
  accountId: 'x',
  name: 'file 99',
  size: null,
  deletedAt: null,
  expiresAt: null,
};

const sortable = COLUMNS.filter(isSortable);
const order = (column: (typeof sortable)[number]['id'], direction: 'asc' | 'desc', list = items) =>
  sortItems(list, { column, direction }, accounts).map((i) => i.key);

describe('the trash columns', () => {
  it('have distinct ids and labels, and every one sorts', () => {
    expect(new Set(COLUMNS.map((c) => c.id)).size).toBe(COLUMNS.length);
    expect(new Set(COLUMNS.map((c) => c.label)).size).toBe(COLUMNS.length);
    expect(sortable.map((c) => c.id)).toEqual(COLUMNS.map((c) => c.id));
  });

  it.each(sortable.map((c) => [c.id]))('sort by their own value: %s', (column) => {
    const byK = items.map((i) => i.key);
    const byName = [...items].sort((a, b) => (a.name < b.name ? -1 : 1)).map((i) => i.key);
    const expected = sortOf(column).key.by === 'name' ? byName : byK;
    expect(byName).not.toEqual(byK);
    expect(order(column, 'asc')).toEqual(expected);
    expect(order(column, 'desc')).toEqual([...expected].reverse());
  });

  it('put unknown numbers last in either direction', () => {
    const numeric = sortable.filter((c) => c.sort.key.by === 'number');
    expect(numeric.map((c) => c.id)).toEqual(['deletedAt', 'size', 'expiresAt']);
    for (const c of numeric) {
      expect(order(c.id, 'asc', [unknown, ...items]).at(-1)).toBe(unknown.key);
      expect(order(c.id, 'desc', [...items, unknown]).at(-1)).toBe(unknown.key);
    }
  });

  it('start the deletion date and the size newest and largest first, the rest A→Z or soonest first', () => {
    expect(sortable.filter((c) => c.sort.first === 'desc').map((c) => c.id)).toEqual(['deletedAt', 'size']);
  });
});
