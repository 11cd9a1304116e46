import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../shared/model';
import { COLUMNS, isSortable } from '../lib/trashColumns';
import { CELLS } from './trashCells';
import { gridTemplate } from './trashGrid';
import { nextSort, TrashTableHeader } from './TrashTableHeader';

const item: TrashItem = {
  key: 'acc:1',
  accountId: 'acc',
  id: '1',
  name: 'report.pdf',
  kind: 'file',
  size: 2048,
  deletedAt: '2026-06-10T10:00:00Z',
  originalFolder: '/Documents',
  originalFolderId: null,
  expiresAt: null,
  mimeType: null,
  ext: 'pdf',
  deletedBy: null,
  parentId: null,
};
const count = (html: string, what: string) => html.split(what).length - 1;

describe('the trash columns in the table', () => {
  it('render each cell as one grid cell', () => {
    for (const c of COLUMNS) {
      for (const accountTag of [false, true]) {
        const html = renderToStaticMarkup(
          createElement(CELLS[c.id], { item, account: undefined, groupStart: true, accountTag }),
        );
        expect(html.startsWith('<div role="gridcell"'), c.id).toBe(true);
        expect(count(html, 'role="gridcell"'), c.id).toBe(1);
      }
    }
  });

  it('give every column a header, sortable ones a sort button and aria-sort', () => {
    const html = renderToStaticMarkup(
      createElement(TrashTableHeader, {
        columns: COLUMNS,
        template: gridTemplate(COLUMNS),
        scrollbar: 0,
        sort: { column: 'size', direction: 'desc' },
        onSort: () => {},
        checked: false,
        onCheck: () => {},
      }),
    );
    expect(count(html, 'role="columnheader"')).toBe(COLUMNS.length + 1); // and the select-all gutter
    expect(count(html, 'aria-sort=')).toBe(COLUMNS.filter(isSortable).length);
    expect(count(html, 'aria-sort="descending"')).toBe(1);
    for (const c of COLUMNS) expect(html).toContain(`title="Sort by ${c.label.toLowerCase()}">`);
  });

  it('sort a new column in its first direction, the same column the other way round', () => {
    const sort = { column: 'name', direction: 'asc', groupByFolder: true } as const;
    expect(nextSort(sort, 'size')).toEqual({ column: 'size', direction: 'desc', groupByFolder: true });
    expect(nextSort(sort, 'expiresAt')).toEqual({ column: 'expiresAt', direction: 'asc', groupByFolder: true });
    expect(nextSort(sort, 'name')).toEqual({ column: 'name', direction: 'desc', groupByFolder: true });
  });
});
