import { describe, expect, it } from 'vitest';
import {
  accountLines,
  accountNames,
  accountTotals,
  answered,
  deletableCount,
  emptyButtonLabel,
  emptySummary,
  loadProgress,
  oneAccountEmptyMessage,
  sizeOfItems,
  sizeText,
  statusCountText,
  type ListingQuery,
} from './trashTotals';

const file = (size: number) => ({ size, kind: 'file' as const });
const folder = (size: number | null = null) => ({ size, kind: 'folder' as const });
const files = (n: number, size = 1000) => Array.from({ length: n }, () => file(size));

const waiting: ListingQuery = { data: { items: [], total: null, complete: false }, isError: false };
const pending: ListingQuery = { data: undefined, isError: false };
const failed: ListingQuery = { data: undefined, isError: true };
type Item = { size: number | null; kind: 'file' | 'folder'; originalFolder?: string; cannotDelete?: string };
const done = (items: Item[]): ListingQuery => ({ data: { items, total: null, complete: true }, isError: false });
const partial = (n: number, total: number | null): ListingQuery => ({
  data: { items: files(n), total, complete: false },
  isError: false,
});

describe('accountTotals', () => {
  it('tells waiting, loading, complete and failed listings apart', () => {
    expect(accountTotals(pending).state).toBe('waiting');
    expect(accountTotals(waiting).state).toBe('waiting');
    expect(accountTotals(partial(100, 300))).toMatchObject({ state: 'loading', loaded: 100, count: 300 });
    expect(accountTotals(partial(100, null))).toMatchObject({ state: 'loading', loaded: 100, count: null });
    expect(accountTotals(done(files(3)))).toMatchObject({ state: 'complete', loaded: 3, count: 3, knownBytes: 3000 });
    expect(accountTotals(failed)).toMatchObject({ state: 'error', count: null });
  });

  it('an error and a complete listing have answered; waiting and loading have not', () => {
    expect(answered(accountTotals(failed))).toBe(true);
    expect(answered(accountTotals(done([])))).toBe(true);
    expect(answered(accountTotals(waiting))).toBe(false);
    expect(answered(accountTotals(partial(10, 20)))).toBe(false);
  });

  it('a folder without a size is unknown, not 0 bytes', () => {
    const t = accountTotals(done([file(2000), folder(), folder(), folder(5000)]));
    expect(t).toMatchObject({ knownBytes: 7000, unknownSizes: 2, unknownAreFolders: true });
    expect(sizeText(t)).toBe('7 KB + 2 folders of unknown size');
    expect(sizeText(accountTotals(done([folder()])))).toBe('size unknown');
    expect(sizeText(accountTotals(done([file(2000), { size: null, kind: 'file' }])))).toBe(
      '2 KB + 1 item of unknown size',
    );
  });
});

describe('status bar', () => {
  const base = { shownBytes: 2_000_000, filtered: false };

  it('says the number is still growing until every account has answered', () => {
    const totals = [accountTotals(done(files(293))), accountTotals(waiting), accountTotals(partial(50, null))];
    expect(statusCountText({ ...base, totals, shown: 343, loadedItems: 343 })).toBe(
      '343 items so far · still loading 2 of 3 accounts…',
    );
    expect(loadProgress(totals)).toEqual({ accounts: 3, waiting: 2, failed: 0, complete: false });
  });

  it('gives the final count once all have answered, errors included', () => {
    const totals = [accountTotals(done(files(1204))), accountTotals(failed)];
    expect(loadProgress(totals)).toEqual({ accounts: 2, waiting: 0, failed: 1, complete: true });
    expect(statusCountText({ ...base, totals, shown: 1204, loadedItems: 1204 })).toBe('1,204 items · 2 MB');
  });

  it('folders of unknown size never total "0 B": the shown items\' size says what is unknown', () => {
    const allDone = [accountTotals(done([folder(), folder()]))];
    expect(sizeOfItems([folder(), folder()])).toBe('size unknown');
    expect(sizeOfItems([file(1000), folder()])).toBe('1 KB + 1 folder of unknown size');
    expect(sizeOfItems([file(2000), folder(500)])).toBe('2.5 KB');
    expect(
      statusCountText({
        ...base,
        totals: allDone,
        shown: 2,
        loadedItems: 2,
        shownSize: sizeOfItems([folder(), folder()]),
      }),
    ).toBe('2 items · size unknown');
  });

  it('one account: the server total while loading, and filters', () => {
    expect(
      statusCountText({ ...base, totals: [accountTotals(partial(500, 1204))], shown: 500, loadedItems: 500 }),
    ).toBe('500 items so far · 1,204 in the trash, still loading…');
    expect(statusCountText({ ...base, totals: [accountTotals(waiting)], shown: 0, loadedItems: 0 })).toBe(
      'Loading the trash…',
    );
    expect(
      statusCountText({
        ...base,
        totals: [accountTotals(partial(500, null))],
        shown: 3,
        loadedItems: 500,
        filtered: true,
      }),
    ).toBe('3 items so far (of 500 loaded) · still loading…');
    expect(
      statusCountText({
        ...base,
        totals: [accountTotals(done(files(500)))],
        shown: 3,
        loadedItems: 500,
        filtered: true,
      }),
    ).toBe('3 items · 2 MB (of 500)');
  });
});

describe('Empty-trash dialog', () => {
  const a = accountTotals(done(files(1000, 3000)));
  const b = accountTotals(done([...files(203, 1000), folder()]));

  it('each account says what it holds, or that it is not known yet', () => {
    expect(accountLines(a)).toEqual({ count: '1,000 items', detail: '3 MB' });
    expect(accountLines(b)).toEqual({ count: '204 items', detail: '203 KB + 1 folder of unknown size' });
    expect(accountLines(accountTotals(waiting))).toEqual({ count: 'count unknown', detail: 'not loaded yet' });
    expect(accountLines(accountTotals(failed))).toEqual({
      count: 'count unknown',
      detail: 'its trash could not be loaded',
    });
    expect(accountLines(accountTotals(partial(100, 400)))).toEqual({
      count: '400 items',
      detail: 'still loading, 100 so far',
    });
    expect(accountLines(accountTotals(partial(100, null)))).toEqual({
      count: 'count unknown',
      detail: 'still loading, 100 so far',
    });
    expect(accountLines(accountTotals(done([])))).toEqual({ count: 'already empty', detail: '' });
  });

  it('the button names exactly what will happen, as boxes are ticked', () => {
    expect(emptyButtonLabel([])).toBe('Choose accounts to empty');
    expect(emptyButtonLabel([a])).toBe('Delete 1,000 items from 1 account');
    expect(emptyButtonLabel([a, b])).toBe('Delete 1,204 items from 2 accounts');
    expect(emptyButtonLabel([a, accountTotals(partial(100, null))])).toBe(
      'Delete at least 1,100 items from 2 accounts',
    );
    expect(emptyButtonLabel([accountTotals(waiting)])).toBe('Delete everything in the trash of 1 account');
    expect(emptyButtonLabel([accountTotals(done([file(1)]))])).toBe('Delete 1 item from 1 account');
  });

  it('the summary names the accounts and gives the size only when every ticked listing is complete', () => {
    expect(emptySummary([], [])).toBe('Tick the accounts whose trash you want to empty.');
    expect(emptySummary([a], ['Work'])).toBe(
      'Permanently deletes 1,000 items (3 MB) from Work. This cannot be undone.',
    );
    expect(emptySummary([a, b], ['Work', 'Home'])).toBe(
      'Permanently deletes 1,204 items (3.2 MB + 1 folder of unknown size) from Work and Home. This cannot be undone.',
    );
    expect(emptySummary([a, accountTotals(partial(100, 400))], ['Work', 'Home'])).toBe(
      'Permanently deletes 1,400 items from Work and Home. This cannot be undone.',
    );
    expect(emptySummary([a, accountTotals(failed)], ['Work', 'Home'])).toBe(
      'Permanently deletes everything in the trash of Work and Home — at least 1,000 items. This cannot be undone.',
    );
    expect(emptySummary([accountTotals(waiting)], ['Work'])).toBe(
      'Permanently deletes everything in the trash of Work. This cannot be undone.',
    );
  });

  it('lists up to three account names', () => {
    expect(accountNames(['A'])).toBe('A');
    expect(accountNames(['A', 'B', 'C'])).toBe('A, B and C');
    expect(accountNames(['A', 'B', 'C', 'D'])).toBe('4 accounts');
  });

  it('one account: names the account and the count', () => {
    expect(oneAccountEmptyMessage('Work', accountTotals(done(files(12, 6500))))).toBe(
      'Permanently delete 12 items (78 KB) from Work? This cannot be undone.',
    );
    expect(oneAccountEmptyMessage('Work', accountTotals(partial(100, 400)))).toBe(
      'Permanently delete everything in the trash (400 items) from Work? This cannot be undone.',
    );
    expect(oneAccountEmptyMessage('Work', accountTotals(partial(100, null)))).toBe(
      'Permanently delete everything in the trash (at least 100 items) from Work? This cannot be undone.',
    );
    expect(oneAccountEmptyMessage('Work', accountTotals(waiting))).toBe(
      'Permanently delete everything in the trash from Work? This cannot be undone.',
    );
  });
});

describe('what an Empty leaves out (Infinite Scale spaces the user does not manage)', () => {
  const editor = 'You are an editor of Board: only its managers can delete from its trash.';
  const spaced = (n: number, folder: string, extra: object = {}) =>
    Array.from({ length: n }, () => ({ size: 1000, kind: 'file' as const, originalFolder: folder, ...extra }));
  const t = accountTotals(
    done([
      ...spaced(200, '/Photos'),
      ...spaced(65, 'Marketing › Campaigns'),
      ...spaced(2, 'Board › Minutes', { cannotDelete: editor }),
      { size: null, kind: 'folder', originalFolder: '/' },
    ]),
  );

  it('counts only what will be deleted, per space, and says what is left out and why', () => {
    expect(t.count).toBe(268);
    expect(deletableCount(t)).toBe(266);
    expect(t.leftOut).toEqual([{ count: 2, reason: editor }]);
    expect(t.spaces).toEqual([
      { name: 'Home', count: 201 },
      { name: 'Marketing', count: 65 },
    ]);
    expect(t.folders).toBe(1);
  });

  it('the button and the sentence give the count that will be deleted, never the one that includes what is left out', () => {
    expect(emptyButtonLabel([t])).toBe('Delete 266 items from 1 account');
    expect(emptySummary([t], ['Infinite Scale'])).toBe(
      'Permanently deletes 266 items (265 KB + 1 folder of unknown size) from Infinite Scale. This cannot be undone.',
    );
    expect(oneAccountEmptyMessage('Infinite Scale', t)).toBe(
      'Permanently delete 266 items (265 KB + 1 folder of unknown size) from Infinite Scale? This cannot be undone.',
    );
    expect(accountLines(t)).toEqual({ count: '266 items', detail: '265 KB + 1 folder of unknown size' });
  });

  it('a trash of one server with no spaces has no space lines', () => {
    expect(accountTotals(done(spaced(3, '/Docs'))).spaces).toEqual([]);
  });
});
