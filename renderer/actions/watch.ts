import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Request } from '../../shared/contract';
import type { WatchAlert, WatchView } from '../../shared/watch';
import { call, hostKind, subscribe } from '../api/client';
import { keys } from '../queries/keys';
import { askToShow, withSetting } from '../queries/watch';

/**
 * The watch's settings and alerts: turn it on or off per account, how often, check now, dismiss, and say an alert was
 * shown.
 */
export function useWatchActions() {
  const client = useQueryClient();
  const put = (view: WatchView) => client.setQueryData(keys.watch(), view);
  // A setting shows at once (a checkbox follows the click), main's answer replaces it; a refusal puts back what was.
  const set = useMutation({
    mutationFn: (req: Request<'watch:set'>) => call('watch:set', req),
    onMutate: async (req) => {
      await client.cancelQueries({ queryKey: keys.watch(), exact: true });
      const before = client.getQueryData<WatchView>(keys.watch());
      if (before) client.setQueryData(keys.watch(), withSetting(before, req));
      return { before };
    },
    onError: (_error, _req, context) => {
      if (context?.before) put(context.before);
    },
    onSuccess: put,
  });
  const checkNow = useMutation({ mutationFn: () => call('watch:checkNow', {}), onSuccess: put });
  const dismiss = useMutation({ mutationFn: (alertId: string) => call('watch:dismiss', { alertId }), onSuccess: put });
  return {
    /** Settles once main has answered (taken, or refused: then `setError` says why). */
    setEnabled: (accountId: string, enabled: boolean): Promise<void> =>
      set.mutateAsync({ accountId, enabled }).then(
        () => undefined,
        () => undefined,
      ),
    setInterval: (intervalMinutes: number) => set.mutate({ intervalMinutes }),
    setting: set.isPending,
    setError: set.error,
    checkNow: () => checkNow.mutate(),
    checking: checkNow.isPending,
    dismiss: (alertId: string) => dismiss.mutate(alertId),
    /** Show this alert's event in the window (Show event). */
    show: (alertId: string) => askToShow(client, alertId),
    /** The window showed the alert a notification asked for. */
    opened: (alertId: string) => void call('watch:opened', { alertId }).then(put, () => undefined),
  };
}

export type NotificationState = NotificationPermission | 'unsupported' | 'not-needed';

/** Whether the browser may show notifications: the desktop app shows its own ('not-needed'). */
export function notificationState(): NotificationState {
  if (hostKind() !== 'browser') return 'not-needed';
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * The browser host: the browser's permission to notify, asked only when the user does something
 * that wants it (turning a watch on, or the "Allow notifications" button), never on load.
 */
export function useNotificationPermission() {
  const [state, setState] = useState<NotificationState>(notificationState);
  const ask = async () => {
    if (state !== 'default') return state;
    const answer = await Notification.requestPermission();
    setState(answer);
    return answer;
  };
  return { state, ask };
}

/** Shows one alert as a browser notification; a click brings the tab forward on the alert's event. */
export function notifyInBrowser(alert: WatchAlert, onClick: () => void): Notification | null {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return null;
  const n = new Notification(alert.title, { body: alert.body, tag: alert.id, silent: alert.kind === 'expiring' });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
  return n;
}

/**
 * The browser host shows the watch's alerts as the browser's notifications (Notifications API)
 * while the tab is not in front; the desktop app shows its own from main. A click opens the event.
 */
export function useBrowserNotifications() {
  const client = useQueryClient();
  useEffect(() => {
    if (hostKind() !== 'browser') return;
    return subscribe('watch:alert', (alert) => {
      if (document.visibilityState === 'visible' && document.hasFocus()) return; // the window shows it
      notifyInBrowser(alert, () => askToShow(client, alert.id));
    });
  }, [client]);
}
