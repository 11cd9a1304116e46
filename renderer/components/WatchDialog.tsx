import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { AccountView } from '../../shared/model';
import { WATCH_INTERVAL, type WatchAccountView } from '../../shared/watch';
import { useNotificationPermission, useWatchActions } from '../actions/watch';
import { errorText } from '../lib/errorText';
import { accountQueries } from '../queries/accounts';
import { watchQueries } from '../queries/watch';
import { Modal } from './Modal';
import { DATES } from '../lib/format';

const INTERVALS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 1440].filter(
  (m) => m >= WATCH_INTERVAL.min && m <= WATCH_INTERVAL.max,
);
const minutes = (m: number) =>
  m < 60 ? `${m} minute${m === 1 ? '' : 's'}` : m < 1440 ? `${m / 60} hour${m === 60 ? '' : 's'}` : 'day';

/** What the watch did last for one account, in a few words. */
export function watchStatusText(account: Pick<AccountView, 'demo'>, w: WatchAccountView | undefined): string {
  if (!w?.enabled)
    return account.demo ? 'Not watched (demo accounts are not watched unless you turn it on)' : 'Not watched';
  if (w.error) return `Could not check: ${errorText(w.error)}`;
  if (!w.lastCheckAt) return 'Watched; the first check reads the whole trash';
  const how = w.via === 'listing' ? 'by reading the trash (the server offers nothing smaller)' : `by its ${w.via}`;
  return `Checked ${DATES.time.format(Date.parse(w.lastCheckAt))} ${how}`;
}

/** A list of `words`: "a", "a and b", "a, b and c". */
const list = (words: string[]) =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/**
 * The watch's settings: which accounts are watched (on for accounts you add, off for the demo),
 * how often, each account's last check, Check now; in the browser, whether it may notify.
 */
export function WatchDialog({ onClose }: { onClose: () => void }) {
  const accounts = useQuery(accountQueries.all()).data ?? [];
  const view = useQuery(watchQueries.view()).data;
  const actions = useWatchActions();
  const permission = useNotificationPermission();
  // A box follows the click at once (React puts a controlled box back until its value changes); main's answer settles
  // it.
  const [pending, setPending] = useState<ReadonlyMap<string, boolean>>(new Map());
  const byId = new Map(view?.accounts.map((a) => [a.accountId, a]));
  const watched = accounts.filter((a) => byId.get(a.id)?.enabled);
  const expiring = accounts.flatMap((a) => {
    const e = byId.get(a.id)?.expiring;
    return e ? [`${e.count.toLocaleString('en-US')} in ${a.label}`] : [];
  });
  return (
    <Modal title="Watch for deletions" isOpen onClose={onClose} className="watch-dialog">
      <p className="dialog-sub">
        Every few minutes Salvage asks each watched account&apos;s server, with the smallest request it offers, whether
        anything went into the trash, and tells you when many items were deleted at once. The desktop app goes on
        watching from the tray (the menu bar on macOS) while this window is closed.
      </p>
      <label className="watch-interval">
        Check every{' '}
        <select
          aria-label="Check every"
          value={view?.intervalMinutes ?? WATCH_INTERVAL.default}
          onChange={(e) => actions.setInterval(Number(e.target.value))}
          disabled={!view}
        >
          {INTERVALS.map((m) => (
            <option key={m} value={m}>
              {minutes(m)}
            </option>
          ))}
        </select>
      </label>
      <ul className="watch-accounts" aria-label="Accounts">
        {accounts.map((a) => {
          const w = byId.get(a.id);
          return (
            <li key={a.id}>
              <label>
                <input
                  type="checkbox"
                  checked={pending.get(a.id) ?? Boolean(w?.enabled)}
                  disabled={!view}
                  onChange={(e) => {
                    const on = e.target.checked;
                    setPending((p) => new Map(p).set(a.id, on));
                    void actions.setEnabled(a.id, on).then(() =>
                      setPending((p) => {
                        if (p.get(a.id) !== on) return p; // clicked again since: that answer settles it
                        const next = new Map(p);
                        next.delete(a.id);
                        return next;
                      }),
                    );
                    // A sensible moment to ask the browser: the user just asked to be told.
                    if (on && permission.state === 'default') void permission.ask();
                  }}
                />{' '}
                Watch {a.label}
              </label>
              <span className="muted watch-account-status" data-testid="watch-account-status">
                {watchStatusText(a, w)}
              </span>
            </li>
          );
        })}
      </ul>
      {expiring.length > 0 && <p className="dialog-sub">Deleted for good within 3 days: {list(expiring)} items.</p>}
      {permission.state === 'default' && watched.length > 0 && (
        <p className="dialog-sub">
          This browser may show the alerts as notifications while this tab is in the background.{' '}
          <button type="button" className="link" onClick={() => void permission.ask()}>
            Allow notifications
          </button>
        </p>
      )}
      {permission.state === 'denied' && (
        <p className="dialog-sub">
          This browser does not allow Salvage&apos;s notifications: the alerts show here only (change it in the
          site&apos;s settings).
        </p>
      )}
      {actions.setError && <p className="error-text">{errorText(actions.setError)}</p>}
      <div className="dialog-actions">
        <Button className="button" onPress={actions.checkNow} isDisabled={watched.length === 0 || actions.checking}>
          {actions.checking ? 'Checking…' : 'Check now'}
        </Button>
        <Button className="button primary" autoFocus onPress={onClose}>
          Close
        </Button>
      </div>
    </Modal>
  );
}
