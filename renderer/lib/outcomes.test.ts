import { describe, expect, it } from 'vitest';
import type { ItemResult, OperationView } from '../../shared/model';
import { outcomeLabel, summarise, toastOperation, toastText } from './outcomes';

const result = (name: string, outcome: ItemResult['outcome'], extra: Partial<ItemResult> = {}): ItemResult => ({
  key: `acc:${name}`,
  name,
  outcome,
  finalPath: null,
  error: null,
  ...extra,
});

const op = (extra: Partial<OperationView> = {}): OperationView => ({
  id: 'op1',
  kind: 'restore',
  title: 'Restore',
  accountIds: ['acc'],
  state: 'done',
  total: 1,
  done: 1,
  bytesTotal: null,
  bytesDone: null,
  current: null,
  results: [result('Budget 2026.xlsx', 'restored')],
  question: null,
  error: null,
  startedAt: '2026-06-15T12:00:00Z',
  finishedAt: '2026-06-15T12:00:01Z',
  undoable: true,
  undoNote: null,
  resumable: false,
  rate: null,
  secondsLeft: null,
  ...extra,
});

describe('summarise', () => {
  it('restores: problems first, then what changed', () => {
    expect(
      summarise(
        op({
          results: [result('a', 'restored'), result('b', 'failed'), result('c', 'restored'), result('d', 'skipped')],
        }),
      ),
    ).toBe('1 failed, 2 restored, 1 skipped');
    expect(summarise(op({ results: [] }))).toBe('Nothing to do');
  });

  it('undo: trashed and reverted items read as moved back, kept ones as left in place', () => {
    const undo = (outcomes: ItemResult['outcome'][]) =>
      op({ kind: 'undo', results: outcomes.map((o, i) => result(`f${i}`, o)) });
    expect(summarise(undo(['trashed', 'trashed']))).toBe('2 moved back to the trash');
    expect(summarise(undo(['reverted']))).toBe('1 moved back to the trash; the file it replaced is back');
    expect(summarise(undo(['reverted', 'reverted']))).toBe(
      '2 moved back to the trash; the files they replaced are back',
    );
    expect(summarise(undo(['trashed', 'reverted', 'trashed']))).toBe(
      '3 moved back to the trash (1 replaced file is back)',
    );
    expect(summarise(undo(['trashed', 'kept', 'failed']))).toBe('1 failed, 1 left in place, 1 moved back to the trash');
    // An undo reported the older way ('deleted') still reads right, and is not counted twice.
    expect(summarise(undo(['deleted', 'trashed']))).toBe('2 moved back to the trash');
  });

  it('labels one item by its outcome and the kind of batch', () => {
    expect(outcomeLabel('kept', 'undo')).toBe('left in place');
    expect(outcomeLabel('deleted', 'undo')).toBe('moved back to the trash');
    expect(outcomeLabel('deleted', 'delete')).toBe('deleted');
    expect(outcomeLabel('reverted', 'undo')).toBe('moved back to the trash; the file it replaced is back');
  });
});

describe('undo toast', () => {
  it('names the one restored file, or counts only the items actually put back', () => {
    expect(toastText(op())).toBe('Restored Budget 2026.xlsx');
    const mixed = [
      result('a', 'restored'),
      result('b', 'renamed'),
      result('c', 'replaced'),
      result('d', 'merged'),
      result('e', 'skipped'),
      result('f', 'failed'),
    ];
    expect(toastText(op({ results: mixed }))).toBe('Restored 4 items');
    expect(toastText(op({ results: [result('a', 'skipped'), result('b', 'renamed')] }))).toBe('Restored b');
  });

  it('is about the newest finished restore that can still be undone', () => {
    const none = new Set<string>();
    const first = op({ id: 'a' });
    const second = op({ id: 'b' });
    expect(toastOperation([first, second], none)?.id).toBe('b');
    expect(toastOperation([first, second, op({ id: 'd', kind: 'delete' })], none)?.id).toBe('b');
    expect(toastOperation([first, op({ id: 'b', state: 'running' })], none)).toBeNull();
    expect(toastOperation([first, second], new Set(['b']))).toBeNull();
  });

  it('does not come back on a page load: a restore that finished before the page was opened keeps its Undo on its card only', () => {
    const done = op({ id: 'a', finishedAt: '2026-12-01T10:00:00.000Z' });
    expect(toastOperation([done], new Set(), Date.parse('2026-12-01T10:05:00.000Z'))).toBeNull();
    expect(toastOperation([done], new Set(), Date.parse('2026-12-01T09:59:00.000Z'))?.id).toBe('a');
  });

  it('is never shown once the restore cannot be undone, nor when nothing was put back', () => {
    expect(toastOperation([op({ undoable: false, undoNote: 'Already undone' })], new Set())).toBeNull();
    expect(toastOperation([op({ results: [result('a', 'skipped')] })], new Set())).toBeNull();
  });
});
