import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../shared/model';
import { fileTypeOf } from './fileType';
import { indexView, ViewKeys } from './selection';
import { filterItems, noFilters, originalFolders, selectedItemsOf, sortItems, startsGroup, ViewMaker } from './view';

const item = (name: string, extra: Partial<TrashItem> = {}): TrashItem => {
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  return {
    key: `acc:${name}`,
    accountId: 'acc',
    id: name,
    name,
    kind: 'file',
    size: 10,
    deletedAt: '2026-06-10T10:00:00Z',
    originalFolder: '/Documents',
    originalFolderId: null,
    expiresAt: null,
    mimeType: null,
    ext,
    deletedBy: null,
    parentId: null,
    ...extra,
  };
};

const items = [
  item('report 10.pdf', { size: 500, deletedAt: '2026-06-01T00:00:00Z' }),
  item('report 9.pdf', { size: null, deletedAt: '2026-06-05T00:00:00Z', originalFolder: '/Archive' }),
  item('Photos', { kind: 'folder', ext: '', size: 2000, deletedAt: null }),
  item('cat.JPG', { size: 100, deletedAt: '2026-06-12T08:00:00Z' }),
];
const accounts = new Map();

describe('filter and sort', () => {
  it('sorts names naturally, both ways', () => {
    expect(sortItems(items, { column: 'name', direction: 'asc' }, accounts).map((i) => i.name)).toEqual([
      'cat.JPG',
      'Photos',
      'report 9.pdf',
      'report 10.pdf',
    ]);
    expect(sortItems(items, { column: 'name', direction: 'desc' }, accounts).map((i) => i.name)).toEqual([
      'report 10.pdf',
      'report 9.pdf',
      'Photos',
      'cat.JPG',
    ]);
  });

  it('puts unknown sizes and dates last in either direction', () => {
    expect(sortItems(items, { column: 'size', direction: 'desc' }, accounts).map((i) => i.name)).toEqual([
      'Photos',
      'report 10.pdf',
      'cat.JPG',
      'report 9.pdf',
    ]);
    expect(sortItems(items, { column: 'size', direction: 'asc' }, accounts).at(-1)!.name).toBe('report 9.pdf');
    expect(sortItems(items, { column: 'deletedAt', direction: 'asc' }, accounts).at(-1)!.name).toBe('Photos');
    expect(sortItems(items, { column: 'deletedAt', direction: 'desc' }, accounts)[0]!.name).toBe('cat.JPG');
  });

  it('sorts by type, a sort that is no column: folders first, then by extension, names within', () => {
    expect(sortItems(items, { column: 'type', direction: 'asc' }, accounts).map((i) => i.name)).toEqual([
      'Photos',
      'cat.JPG',
      'report 9.pdf',
      'report 10.pdf',
    ]);
    expect(sortItems(items, { column: 'type', direction: 'desc' }, accounts).map((i) => i.name)).toEqual([
      'report 9.pdf',
      'report 10.pdf',
      'cat.JPG',
      'Photos',
    ]);
  });

  it('groups by original folder, sorting within each group', () => {
    const grouped = sortItems(items, { column: 'size', direction: 'desc', groupByFolder: true }, accounts);
    expect(grouped.map((i) => i.name)).toEqual(['report 9.pdf', 'Photos', 'report 10.pdf', 'cat.JPG']);
    expect(grouped.map((_, i) => startsGroup(grouped, i))).toEqual([true, true, false, false]);
  });

  it('filters by text (name or folder), type, date range and folder', () => {
    expect(filterItems(items, { ...noFilters, text: 'REPORT' })).toHaveLength(2);
    expect(filterItems(items, { ...noFilters, text: 'archive' }).map((i) => i.name)).toEqual(['report 9.pdf']);
    expect(filterItems(items, { ...noFilters, types: new Set(['image'] as const) }).map((i) => i.name)).toEqual([
      'cat.JPG',
    ]);
    expect(filterItems(items, { ...noFilters, types: new Set(['folder'] as const) }).map((i) => i.name)).toEqual([
      'Photos',
    ]);
    const range = {
      from: new Date('2026-06-02T00:00:00').getTime(),
      to: new Date('2026-06-12T23:59:59.999').getTime(),
    };
    expect(filterItems(items, { ...noFilters, deleted: range }).map((i) => i.name)).toEqual([
      'report 9.pdf',
      'cat.JPG',
    ]);
    // Both ends are inclusive to the millisecond (the timeline selects ranges as short as a minute).
    const t = Date.parse(items.find((i) => i.name === 'cat.JPG')!.deletedAt!);
    expect(filterItems(items, { ...noFilters, deleted: { from: t, to: t } }).map((i) => i.name)).toEqual(['cat.JPG']);
    expect(
      filterItems(items, { ...noFilters, deleted: { from: t + 1, to: t + 60_000 } }).map((i) => i.name),
    ).not.toContain('cat.JPG');
    expect(filterItems(items, { ...noFilters, folder: '/Archive' })).toHaveLength(1);
    expect(originalFolders(items)).toEqual(['/Archive', '/Documents']);
  });

  it('types from extension, then MIME type', () => {
    expect(fileTypeOf({ kind: 'file', ext: 'docx', mimeType: null })).toBe('document');
    expect(fileTypeOf({ kind: 'file', ext: '', mimeType: 'image/webp' })).toBe('image');
    expect(fileTypeOf({ kind: 'file', ext: 'xyz', mimeType: null })).toBe('other');
    expect(fileTypeOf({ kind: 'folder', ext: '', mimeType: null })).toBe('folder');
  });

  // How fast is a benchmark's business (npm run bench); here: right at 100k items.
  it('sorts and filters 100k items', () => {
    const big = Array.from({ length: 100_000 }, (_, i) =>
      item(`file ${(i * 7919) % 100_000}.txt`, { size: (i * 31) % 1000 }),
    );
    const sorted = sortItems(big, { column: 'name', direction: 'asc' }, accounts);
    expect(sorted).toHaveLength(100_000);
    // The names are a permutation of "file 0.txt" … "file 99999.txt": natural order puts each at its number.
    for (let i = 0; i < sorted.length; i += 997) expect(sorted[i]!.name).toBe(`file ${i}.txt`);
    const found = filterItems(big, { ...noFilters, text: 'file 99' });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i.name.includes('file 99'))).toBe(true);
  });

  it('gives the selected items in view order, whether the selection is small or large', () => {
    const view = ['d', 'a', 'c', 'b', 'e', 'f', 'g', 'h', 'i', 'j'].map((n) => item(n));
    const index = indexView(view.map((i) => i.key));
    const names = (keys: string[]) =>
      selectedItemsOf(view, index, new Set(keys.map((k) => `acc:${k}`))).map((i) => i.name);
    expect(names(['b', 'd'])).toEqual(['d', 'b']); // small: looked up by key
    expect(names(['j', 'a', 'c', 'x'])).toEqual(['a', 'c', 'j']); // large: a scan; a key not in view is left out
    expect(names([])).toEqual([]);
    // Select-all of this view is the whole view; of an older view (fewer rows), only its rows.
    const keys = view.map((i) => i.key);
    expect(selectedItemsOf(view, index, new ViewKeys(keys, index)).map((i) => i.name)).toEqual([
      'd',
      'a',
      'c',
      'b',
      'e',
      'f',
      'g',
      'h',
      'i',
      'j',
    ]);
    const older = keys.slice(0, 3);
    expect(selectedItemsOf(view, index, new ViewKeys(older, indexView(older))).map((i) => i.name)).toEqual([
      'd',
      'a',
      'c',
    ]);
  });
});

describe('a view extended as a listing streams in (sortedView)', () => {
  // Many items with ties on every key (dates, sizes, folders repeat), some unknown values.
  const many = Array.from({ length: 600 }, (_, i) =>
    item(`file ${(i * 7919) % 600}${i % 3 ? '.txt' : '.pdf'}`, {
      key: `acc:${i}`,
      id: String(i),
      size: i % 11 ? (i * 31) % 97 : null,
      deletedAt: i % 13 ? `2026-06-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z` : null,
      originalFolder: `/F${i % 5}`,
      kind: i % 17 ? 'file' : 'folder',
    }),
  );
  const sorts = [
    { column: 'deletedAt', direction: 'desc' },
    { column: 'deletedAt', direction: 'asc' },
    { column: 'name', direction: 'asc' },
    { column: 'name', direction: 'desc' },
    { column: 'size', direction: 'desc' },
    { column: 'originalFolder', direction: 'asc' },
    { column: 'type', direction: 'asc' },
    { column: 'size', direction: 'asc', groupByFolder: true },
  ] as const;
  const filterSets = [noFilters, { ...noFilters, text: '1' }];

  it('page by page gives what sorting everything at once gives, for every sort and filter', () => {
    for (const sort of sorts)
      for (const filters of filterSets) {
        const maker = new ViewMaker();
        let loaded: TrashItem[] = [];
        for (let at = 0; at < many.length; at += 97) {
          loaded = loaded.concat(many.slice(at, at + 97)); // a new array each hand-over, as the listing's reducer makes
          const shown = maker.make(loaded, filters, sort, accounts);
          expect(shown.map((i) => i.key)).toEqual(
            sortItems(filterItems(loaded, filters), sort, accounts).map((i) => i.key),
          );
        }
      }
  });

  it('sorts afresh when the items are not the last ones extended (a restore took some out), or the sort changed', () => {
    const maker = new ViewMaker();
    const sort = { column: 'size', direction: 'desc' } as const;
    const first = maker.make(many, noFilters, sort, accounts);
    const fewer = many.filter((_, i) => i % 4);
    expect(maker.make(fewer, noFilters, sort, accounts).map((i) => i.key)).toEqual(
      sortItems(fewer, sort, accounts).map((i) => i.key),
    );
    const byName = { column: 'name', direction: 'asc' } as const;
    expect(maker.make(fewer, noFilters, byName, accounts).map((i) => i.key)).toEqual(
      sortItems(fewer, byName, accounts).map((i) => i.key),
    );
    expect(first).toHaveLength(many.length);
  });

  it('typing, deleting and clearing a search over the same items gives what filtering and sorting afresh gives', () => {
    const maker = new ViewMaker();
    const sort = { column: 'size', direction: 'desc' } as const;
    for (const text of ['', '1', '12', '1', 'file 3', '', 'pdf']) {
      const filters = { ...noFilters, text };
      expect(
        maker.make(many, filters, sort, accounts).map((i) => i.key),
        text,
      ).toEqual(sortItems(filterItems(many, filters), sort, accounts).map((i) => i.key));
    }
  });

  it('the same items again give the same array (nothing downstream recomputes)', () => {
    const maker = new ViewMaker();
    const sort = { column: 'deletedAt', direction: 'desc' } as const;
    const a = maker.make(many, noFilters, sort, accounts);
    expect(maker.make(many.slice(), noFilters, sort, accounts)).toBe(a);
  });
});

describe('the view index (built when first asked)', () => {
  it('answers like a Map of key → position', () => {
    const keys = ['a', 'b', 'c'];
    const index = indexView(keys);
    expect(index.size).toBe(3);
    expect(index.get('b')).toBe(1);
    expect(index.has('d')).toBe(false);
    expect([...index]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect([...index.keys()]).toEqual(keys);
    expect([...index.values()]).toEqual([0, 1, 2]);
  });
});
