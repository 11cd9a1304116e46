import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../lib/trashColumns';
import { gridTemplate, neededWidth, visibleColumns } from './trashGrid';

const ids = (width: number, showAccount: boolean) => visibleColumns(width, showAccount).map((c) => c.id);

describe('visibleColumns', () => {
  it('shows every column when there is room (and Account only in All accounts)', () => {
    expect(ids(2000, true)).toEqual(COLUMNS.map((c) => c.id));
    expect(ids(2000, false)).not.toContain('account');
    expect(ids(0, true)).toHaveLength(COLUMNS.length);
  });
  it('hides Account first, then "Deleted for good", and never the name, location, date or size', () => {
    const all = neededWidth(COLUMNS);
    expect(ids(all - 1, true)).toEqual(['name', 'originalFolder', 'deletedAt', 'size', 'expiresAt']);
    expect(ids(all - 200, true)).toEqual(['name', 'originalFolder', 'deletedAt', 'size']);
    expect(ids(100, true)).toEqual(['name', 'originalFolder', 'deletedAt', 'size']);
  });
  it('hides columns one by one as the table narrows, the highest hidePriority first, and never one of priority 0', () => {
    const byPriority = COLUMNS.filter((c) => c.hidePriority > 0)
      .sort((a, b) => b.hidePriority - a.hidePriority)
      .map((c) => c.id);
    expect(byPriority).toEqual(['account', 'expiresAt']);
    const hidden: (typeof COLUMNS)[number]['id'][] = [];
    for (let width = neededWidth(COLUMNS) + 50; width > 0; width--) {
      const shown = ids(width, true);
      expect(shown).toEqual(COLUMNS.map((c) => c.id).filter((id) => shown.includes(id))); // in their order
      for (const id of COLUMNS.map((c) => c.id)) if (!shown.includes(id) && !hidden.includes(id)) hidden.push(id);
      expect(hidden.every((id) => !shown.includes(id))).toBe(true); // once hidden, hidden at every narrower width
    }
    expect(hidden).toEqual(byPriority);
  });
  it('fits name, location, date and size in the table of an 800 px window', () => {
    // 800 px window − 200 px sidebar − a 15 px scrollbar.
    expect(neededWidth(visibleColumns(585, true))).toBeLessThanOrEqual(585);
  });
  it('gives the location as much room as the name when it carries the account badge', () => {
    const narrow = visibleColumns(585, true);
    expect(gridTemplate(narrow)).toMatch(/minmax\(150px, 3fr\) minmax\(110px, 2fr\)/);
    expect(gridTemplate(narrow, true)).toMatch(/minmax\(150px, 1fr\) minmax\(110px, 1fr\) 120px 80px$/);
  });
});
