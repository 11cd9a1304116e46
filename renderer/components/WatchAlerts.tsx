import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { DeletionEvent } from '../../shared/events';
import type { AccountView, TrashItem } from '../../shared/model';
import type { WatchAlert } from '../../shared/watch';
import { useBrowserNotifications, useWatchActions } from '../actions/watch';
import { eventForAlert, expiringKeys } from '../lib/watchAlerts';
import { watchQueries } from '../queries/watch';
import { DATES } from '../lib/format';

/**
 * Above the list, what the watch found: bursts of deletions ("2,140 files deleted from Home /
 * Projects in 4 minutes — Nextcloud, alice", with Show event: the event selected and its span shown,
 * ready for "Restore this event") and the items the trash will forget within three days (Select
 * them). A notification clicked (desktop or browser) shows its event here the same way, switching to
 * its account when another one is shown and waiting until that trash has loaded.
 */
export function WatchAlerts({
  accounts,
  current,
  events,
  items,
  loading,
  onShowAccount,
  onSelectKeys,
}: {
  accounts: ReadonlyMap<string, AccountView>;
  /** The account shown ('all' for every account). */
  current: string;
  events: { list: readonly DeletionEvent[]; onSelect: (e: DeletionEvent) => void };
  /** The loaded trash of the accounts shown. */
  items: readonly TrashItem[];
  /**
   * A listing of the accounts shown is still being read, or read again (an alert reloads its account's trash: the event
   * may not be in it yet).
   */
  loading: boolean;
  onShowAccount: (accountId: string) => void;
  onSelectKeys: (keys: string[]) => void;
}) {
  const view = useQuery(watchQueries.view()).data;
  const asked = useQuery(watchQueries.show()).data ?? null;
  const actions = useWatchActions();
  useBrowserNotifications();
  // The alert to show: the last one asked for here (Show event, a notification clicked while this
  // window was open), else the one main holds for a window a notification click opened.
  const handled = useRef(new Set<string>());
  const open = view?.open ?? null;
  const request = asked
    ? { id: asked.alertId, key: `ask:${asked.alertId}#${asked.seq}` }
    : open
      ? { id: open, key: `open:${open}` }
      : null;

  const alerts = (view?.alerts ?? []).filter((a) => accounts.has(a.accountId));
  const shown = (accountId: string) => current === 'all' || current === accountId;
  const target = request ? (view?.alerts.find((a) => a.id === request.id) ?? null) : null;
  const match = target && shown(target.accountId) ? eventForAlert(target, events.list) : null;
  // Its items are no longer in the trash (restored since): said beside it once the trash has loaded.
  const missing = target && shown(target.accountId) && !match && !loading ? target.id : null;

  useEffect(() => {
    if (!request || !target || handled.current.has(request.key)) return;
    if (!shown(target.accountId)) return onShowAccount(target.accountId);
    if (!match && loading) return; // wait for the trash to load
    handled.current.add(request.key);
    if (match) events.onSelect(match);
    if (open === target.id) actions.opened(target.id); // main may forget it: this window has shown it
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the request, the trash shown or its events change
  }, [request?.key, target, match, loading, current]);

  if (alerts.length === 0) return null;
  const deletions = alerts.filter((a) => a.kind === 'deletion');
  const warnings = alerts.filter((a) => a.kind === 'expiring');
  const line = (a: WatchAlert) => `${a.title} — ${a.body}`;
  return (
    <div className="watch-alerts" data-testid="watch-alerts">
      {deletions.slice(0, 3).map((a) => (
        <div key={a.id} className="banner warn watch-alert" role="alert" data-testid="watch-alert">
          <span className="watch-alert-text">
            {line(a)}
            <span className="muted"> · found {DATES.time.format(Date.parse(a.at))}</span>
            {missing === a.id && <span className="muted"> · its items are no longer in the trash</span>}
          </span>
          <button type="button" onClick={() => actions.show(a.id)}>
            Show event
          </button>
          <button
            type="button"
            className="link"
            onClick={() => actions.dismiss(a.id)}
            aria-label={`Dismiss: ${line(a)}`}
          >
            Dismiss
          </button>
        </div>
      ))}
      {deletions.length > 3 && (
        <div className="banner warn muted">
          {deletions.length - 3} more found by the watch: see the deletion events on the timeline.
        </div>
      )}
      {warnings.map((a) => (
        <div key={a.id} className="banner info watch-alert" role="status" data-testid="watch-expiring">
          <span className="watch-alert-text">{line(a)}</span>
          <button
            type="button"
            disabled={!shown(a.accountId)}
            title={shown(a.accountId) ? undefined : 'Show that account first'}
            onClick={() => onSelectKeys(expiringKeys(items, a.accountId, Date.now()))}
          >
            Select them
          </button>
          <button
            type="button"
            className="link"
            onClick={() => actions.dismiss(a.id)}
            aria-label={`Dismiss: ${line(a)}`}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
