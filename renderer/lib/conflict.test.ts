import { describe, expect, it } from 'vitest';
import type { Conflict } from '../../shared/model';
import { choiceForAll, compareSides, DEFAULT_CHOICE, isSelectionClash } from './conflict';

const conflict = (
  extra: Partial<Conflict> = {},
  trashed: Partial<Conflict['trashed']> = {},
  existing: Partial<Conflict['existing']> = {},
): Conflict => ({
  itemKey: 'acc:1',
  name: 'Budget 2026.xlsx',
  targetPath: '/Documents/Budget 2026.xlsx',
  source: 'existing',
  otherKey: null,
  trashed: { size: 1000, deletedAt: '2026-11-28T14:02:00Z', kind: 'file', ...trashed },
  existing: { size: 77, modifiedAt: '2026-11-28T15:00:00Z', kind: 'file', ...existing },
  canReplace: true,
  note: null,
  ...extra,
});

describe('compareSides', () => {
  it('a live file: says whether it was changed after the trashed one was deleted, never calls either "newer" (a change is not a deletion)', () => {
    expect(compareSides(conflict())).toEqual({ deletedLater: null, changedSince: true, larger: 'trashed' });
    expect(compareSides(conflict({}, { size: 5, deletedAt: '2026-11-29T00:00:00Z' }))).toEqual({
      deletedLater: null,
      changedSince: false,
      larger: 'existing',
    });
  });

  it('two selected items: the one deleted later is marked (both dates are deletions)', () => {
    expect(compareSides(conflict({ source: 'selection' }))).toMatchObject({
      deletedLater: 'existing',
      changedSince: null,
    });
    expect(
      compareSides(conflict({ source: 'selection' }, { deletedAt: '2026-11-28T15:00:00.400Z' })).deletedLater,
    ).toBe('same');
  });

  it('says "same" for equal sizes; dates within a second are no change', () => {
    expect(compareSides(conflict({}, { size: 77, deletedAt: '2026-11-28T15:00:00.400Z' }))).toEqual({
      deletedLater: null,
      changedSince: false,
      larger: 'same',
    });
  });

  it('marks nothing when a date or size is unknown, or for folders', () => {
    expect(compareSides(conflict({}, { deletedAt: null, size: null }))).toEqual({
      deletedLater: null,
      changedSince: null,
      larger: null,
    });
    expect(compareSides(conflict({}, {}, { modifiedAt: 'garbage' })).changedSince).toBeNull();
    expect(compareSides(conflict({}, { kind: 'folder', size: 10 }, { kind: 'folder', size: 5 })).larger).toBeNull();
  });
});

describe('choices', () => {
  it('starts every row on Keep both', () => {
    expect(DEFAULT_CHOICE).toBe('keep-both');
  });

  it('"Replace all" replaces clashes with live files where the server can, and leaves clashes between selected items alone', () => {
    expect(choiceForAll(conflict(), 'replace', 'skip')).toBe('replace');
    expect(choiceForAll(conflict({ canReplace: false }), 'replace', 'skip')).toBe('keep-both');
    expect(choiceForAll(conflict({ source: 'selection' }), 'replace', 'keep-both')).toBe('keep-both');
    expect(choiceForAll(conflict({ source: 'selection' }), 'replace', 'skip')).toBe('skip');
    expect(choiceForAll(conflict({ source: 'selection' }), 'skip', 'keep-both')).toBe('skip');
    expect(choiceForAll(conflict(), 'keep-both', 'replace')).toBe('keep-both');
  });

  it('treats a conflict without a source (older main) as a clash with a live file', () => {
    expect(isSelectionClash(conflict({ source: undefined as unknown as Conflict['source'] }))).toBe(false);
    expect(isSelectionClash(conflict({ source: 'selection' }))).toBe(true);
  });
});
