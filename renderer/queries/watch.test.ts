import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import type { WatchAlert, WatchView } from '../../shared/watch';
import { keys } from './keys';
import { askToShow, followWatch, watchQueries, withSetting, type ShowRequest } from './watch';

// Main's side: what the page subscribed to, and watch:get answered when the test says.
const api = vi.hoisted(() => ({
  handlers: new Map<string, (payload: unknown) => void>(),
  connected: [] as (() => void)[],
  answers: [] as ((v: unknown) => void)[],
}));
vi.mock('../api/client', () => ({
  call: () => new Promise((resolve) => api.answers.push(resolve)),
  subscribe: (name: string, fn: (payload: unknown) => void) => (
    api.handlers.set(name, fn),
    () => api.handlers.delete(name)
  ),
  onEventsConnected: (fn: () => void) => (api.connected.push(fn), () => undefined),
}));
const flush = () => new Promise((r) => setTimeout(r, 0));

const view = (open: string | null = null): WatchView => ({
  intervalMinutes: 5,
  nextCheckAt: null,
  accounts: [
    { accountId: 'a1', enabled: true, via: null, lastCheckAt: null, error: null, expiring: null },
    { accountId: 'demo', enabled: false, via: null, lastCheckAt: null, error: null, expiring: null },
  ],
  alerts: [],
  open,
});

describe('the watch in the window’s cache', () => {
  it('a setting shows at once: one account turned on or off, or the interval, the rest as it was', () => {
    const v = view();
    expect(withSetting(v, { accountId: 'demo', enabled: true }).accounts.map((a) => a.enabled)).toEqual([true, true]);
    expect(withSetting(v, { accountId: 'a1', enabled: false }).accounts.map((a) => a.enabled)).toEqual([false, false]);
    expect(withSetting(v, { intervalMinutes: 15 })).toEqual({ ...v, intervalMinutes: 15 });
    expect(withSetting(v, { accountId: 'a1' })).toEqual(v); // nothing to change without `enabled`
    expect(v.accounts[1]!.enabled).toBe(false); // not changed in place
  });

  it('a request to show an event survives main replacing the whole view (a check ending just after the click)', () => {
    const client = new QueryClient();
    client.setQueryData(keys.watch(), view());
    askToShow(client, 'al1');
    client.setQueryData(keys.watch(), view(null)); // 'watch:changed' from main
    expect(client.getQueryData<ShowRequest>(watchQueries.show().queryKey)).toEqual({ alertId: 'al1', seq: 1 });
    // A second click on the same alert is a new request.
    askToShow(client, 'al1');
    expect(client.getQueryData<ShowRequest>(watchQueries.show().queryKey)).toEqual({ alertId: 'al1', seq: 2 });
    // Invalidating the view does not touch it.
    void client.invalidateQueries({ queryKey: keys.watch() });
    expect(client.getQueryData<ShowRequest>(keys.watchShow())).toEqual({ alertId: 'al1', seq: 2 });
  });

  it('follows main: a view sent while watch:get is on its way wins over that answer; an alert then a view keep their order; a reconnect reads it again', async () => {
    const client = new QueryClient();
    followWatch(client);
    const stop = new QueryObserver(client, watchQueries.view()).subscribe(() => undefined); // the window shows it: watch:get asked
    await flush();
    expect(api.answers).toHaveLength(1);
    const stale = view();
    const fresh = { ...view(), intervalMinutes: 15 };
    api.handlers.get('watch:changed')!(fresh);
    await flush();
    api.answers.shift()!(stale); // the answer read before the check ended arrives last
    await flush();
    expect(client.getQueryData<WatchView>(keys.watch())!.intervalMinutes).toBe(15);

    const alert = {
      id: 'al1',
      kind: 'expiring',
      accountId: 'a1',
      title: 't',
      body: 'b',
      at: '2026-12-07T10:00:00Z',
      event: null,
      expiring: null,
    } as WatchAlert;
    api.handlers.get('watch:changed')!({ ...fresh, nextCheckAt: '2026-12-07T10:05:00Z' });
    api.handlers.get('watch:alert')!(alert);
    await flush();
    expect(client.getQueryData<WatchView>(keys.watch())).toMatchObject({
      nextCheckAt: '2026-12-07T10:05:00Z',
      alerts: [{ id: 'al1' }],
    });

    api.connected.forEach((fn) => fn());
    await flush();
    expect(api.answers).toHaveLength(1); // watch:get asked again
    stop();
  });
});
