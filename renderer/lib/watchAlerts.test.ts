import { describe, expect, it } from 'vitest';
import type { DeletionEvent } from '../../shared/events';
import type { TrashItem } from '../../shared/model';
import type { WatchAlert } from '../../shared/watch';
import { eventForAlert, expiringKeys } from './watchAlerts';

const ev = (id: string, from: string, to: string, accounts: string[]): DeletionEvent => ({
  id,
  from,
  to,
  accounts,
  count: 10,
  bytes: 0,
  topFolder: '/P',
  keys: [],
});
const alert = (event: Partial<NonNullable<WatchAlert['event']>>): WatchAlert => ({
  id: 'al1',
  kind: 'deletion',
  accountId: 'a1',
  title: 't',
  body: 'b',
  at: '2026-12-07T10:00:00Z',
  event: {
    id: 'ev-x',
    from: '2026-12-07T09:00:00.000Z',
    to: '2026-12-07T09:04:00.000Z',
    count: 10,
    bytes: 0,
    topFolder: '/P',
    accounts: ['a1'],
    ...event,
  },
  expiring: null,
});

describe('the event a watch alert is about', () => {
  it('the same event by id, else the account’s event that overlaps it most, else none', () => {
    const events = [
      ev('ev-other', '2026-12-07T09:00:00.000Z', '2026-12-07T09:04:00.000Z', ['a2']),
      ev('ev-small', '2026-12-07T09:03:30.000Z', '2026-12-07T09:10:00.000Z', ['a1']),
      ev('ev-merged', '2026-12-07T08:59:00.000Z', '2026-12-07T09:04:00.000Z', ['a1', 'a2']),
    ];
    expect(eventForAlert(alert({ id: 'ev-small' }), events)?.id).toBe('ev-small');
    expect(eventForAlert(alert({}), events)?.id).toBe('ev-merged');
    expect(
      eventForAlert(alert({ from: '2026-12-08T09:00:00.000Z', to: '2026-12-08T09:01:00.000Z' }), events),
    ).toBeNull();
  });

  it('the items an account loses within three days', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    const item = (key: string, accountId: string, expiresAt: string | null) =>
      ({ key, accountId, expiresAt }) as TrashItem;
    const items = [
      item('k1', 'a1', '2026-12-08T10:00:00Z'),
      item('k2', 'a1', '2026-12-11T10:00:00Z'),
      item('k3', 'a2', '2026-12-08T10:00:00Z'),
      item('k4', 'a1', null),
      item('k5', 'a1', '2026-12-07T09:00:00Z'),
    ];
    expect(expiringKeys(items, 'a1', now)).toEqual(['k1']);
  });
});
