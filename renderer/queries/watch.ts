import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Request } from '../../shared/contract';
import type { WatchAlert, WatchView } from '../../shared/watch';
import { call, onEventsConnected, subscribe } from '../api/client';
import { keys } from './keys';

/** A request to show an alert's event; `seq` tells a second click on the same alert from the first. */
export interface ShowRequest {
  alertId: string;
  seq: number;
}

export const watchQueries = {
  view: () => queryOptions({ queryKey: keys.watch(), queryFn: () => call('watch:get', {}) }),
  /** Set only by askToShow (never fetched): kept apart from the view, which main's 'watch:changed' replaces whole. */
  show: () =>
    queryOptions<ShowRequest | null>({
      queryKey: keys.watchShow(),
      queryFn: () => null,
      staleTime: Infinity,
      gcTime: Infinity,
    }),
};

/** The view as it will be once main has taken a setting (shown at once, before main answers). */
export function withSetting(view: WatchView, req: Request<'watch:set'>): WatchView {
  return {
    ...view,
    intervalMinutes: req.intervalMinutes ?? view.intervalMinutes,
    accounts:
      req.accountId === undefined || req.enabled === undefined
        ? view.accounts
        : view.accounts.map((a) => (a.accountId === req.accountId ? { ...a, enabled: req.enabled! } : a)),
  };
}

/** Puts an alert at the top of the cached view (an event may overtake the view that holds it). */
export function withAlert(view: WatchView | undefined, alert: WatchAlert): WatchView | undefined {
  if (!view) return view;
  return { ...view, alerts: [alert, ...view.alerts.filter((a) => a.id !== alert.id)] };
}

/**
 * The window is to show this alert's event (a notification or Show event was clicked). Kept under
 * its own key: a 'watch:changed' from main arriving just after the click (a check ending) replaces
 * the whole view and would otherwise take the request away before the window acted on it.
 */
export const askToShow = (client: QueryClient, alertId: string) =>
  client.setQueryData<ShowRequest | null>(keys.watchShow(), (old) => ({ alertId, seq: (old?.seq ?? 0) + 1 }));

/**
 * Keeps the watch's view live from main's events; a burst of deletions reloads that account's
 * trash, so its event is in the list the window shows. Returns the unsubscribe function.
 */
export function followWatch(client: QueryClient): () => void {
  // The view's writes in the order main sent them. A 'watch:changed' is newer than any answer to
  // watch:get still on its way: that one is cancelled first, not let overwrite it later.
  let writes = Promise.resolve();
  const inOrder = (write: () => Promise<unknown> | void) =>
    void (writes = writes.then(write).then(
      () => undefined,
      () => undefined,
    ));
  const off = [
    subscribe('watch:changed', (view) =>
      inOrder(async () => {
        await client.cancelQueries({ queryKey: keys.watch(), exact: true });
        client.setQueryData(keys.watch(), view);
      }),
    ),
    subscribe('watch:alert', (alert) => {
      inOrder(() => void client.setQueryData<WatchView>(keys.watch(), (old) => withAlert(old, alert)));
      if (alert.kind === 'deletion') void client.invalidateQueries({ queryKey: keys.trash(alert.accountId) });
    }),
    subscribe('watch:open', ({ alertId }) => askToShow(client, alertId)),
    // What main sent while the browser host's event stream was not connected yet (or again) was not seen.
    onEventsConnected(() => void client.invalidateQueries({ queryKey: keys.watch(), exact: true })),
  ];
  return () => off.forEach((f) => f());
}
