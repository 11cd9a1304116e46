import { describe, expect, it } from 'vitest';
import type { DeletionEvent } from '../../shared/events';
import type { TrashItem } from '../../shared/model';
import { emptySelection, type Selection } from '../lib/selection';
import type { TimeRange } from '../lib/timeRange';
import { eventItems, eventRange, eventWorkflows } from './events';

const item = (key: string): TrashItem => ({
  key,
  accountId: key.split(':')[0]!,
  id: key,
  name: key,
  kind: 'file',
  size: 1,
  deletedAt: '2026-11-28T14:02:00Z',
  originalFolder: '/P',
  originalFolderId: null,
  expiresAt: null,
  mimeType: null,
  ext: '',
  deletedBy: null,
  parentId: null,
});

const event: DeletionEvent = {
  id: 'ev-1',
  from: '2026-11-28T14:02:00.000Z',
  to: '2026-11-28T14:05:30.000Z',
  count: 3,
  bytes: 3,
  accounts: ['a', 'b'],
  topFolder: '/P',
  keys: ['a:1', 'b:2', 'a:3'],
};

function fake(byKey: Map<string, TrashItem>) {
  const calls = { ranges: [] as TimeRange[], selection: emptySelection as Selection, restored: [] as string[][] };
  const wf = eventWorkflows(
    {
      setRange: (r) => calls.ranges.push(r),
      changeSelection: (u) => (calls.selection = u(calls.selection)),
      restore: (items) => void calls.restored.push(items.map((i) => i.key)),
    },
    byKey,
  );
  return { wf, calls };
}

describe('deletion event workflows', () => {
  it('choosing an event narrows the list to its span and selects its items that are still in the trash', () => {
    const byKey = new Map(['a:1', 'a:3', 'x:9'].map((k) => [k, item(k)]));
    const { wf, calls } = fake(byKey);
    wf.select(event);
    expect(calls.ranges).toEqual([{ from: Date.parse(event.from), to: Date.parse(event.to) }]);
    expect([...calls.selection.selected]).toEqual(['a:1', 'a:3']);
    expect(calls.selection.focus).toBe('a:3'); // the newest: the top of the list, newest first
  });

  it('"Restore this event" hands the restore workflow every item of the event still loaded, in event order, once', () => {
    const byKey = new Map(['a:3', 'b:2', 'a:1'].map((k) => [k, item(k)]));
    const { wf, calls } = fake(byKey);
    wf.restore(event);
    expect(calls.restored).toEqual([['a:1', 'b:2', 'a:3']]);
    expect(eventItems(event, new Map()).length).toBe(0);
    const none = fake(new Map());
    none.wf.restore(event);
    expect(none.calls.restored).toEqual([]);
    expect(eventRange(event).to - eventRange(event).from).toBe(210_000);
  });
});
