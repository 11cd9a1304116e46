import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { WatchAlert, WatchView } from '../../shared/watch';
import { call, subscribe } from '../api/client';
import { keys } from './keys';

export const watchQueries = {
  view: () => queryOptions({ queryKey: keys.watch(), queryFn: () => call('watch:get', {}) }),
};

/** Puts an alert at the top of the cached view (an event may overtake the view that holds it). */
export function withAlert(view: WatchView | undefined, alert: WatchAlert): WatchView | undefined {
  if (!view) return view;
  return { ...view, alerts: [alert, ...view.alerts.filter((a) => a.id !== alert.id)] };
}

/** The window is to show this alert (a notification was clicked). */
export const askToShow = (client: QueryClient, alertId: string) =>
  client.setQueryData<WatchView>(keys.watch(), (old) => (old ? { ...old, open: alertId } : old));

/**
 * Keeps the watch's view live from main's events; a burst of deletions reloads that account's
 * trash, so its event is in the list the window shows. Returns the unsubscribe function.
 */
export function followWatch(client: QueryClient): () => void {
  const off = [
    subscribe('watch:changed', (view) => client.setQueryData(keys.watch(), view)),
    subscribe('watch:alert', (alert) => {
      client.setQueryData<WatchView>(keys.watch(), (old) => withAlert(old, alert));
      if (alert.kind === 'deletion') void client.invalidateQueries({ queryKey: keys.trash(alert.accountId) });
    }),
    subscribe('watch:open', ({ alertId }) => askToShow(client, alertId)),
  ];
  return () => off.forEach((f) => f());
}
