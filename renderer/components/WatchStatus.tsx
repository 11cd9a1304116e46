import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotificationPermission } from '../actions/watch';
import { watchQueries } from '../queries/watch';
import { WatchDialog } from './WatchDialog';
import { DATES } from '../lib/format';

/**
 * At the end of the status bar: what the watch does ("Watching 2 accounts every 5 min · checked 14:05") and its
 * settings.
 */
export function WatchStatus() {
  const view = useQuery(watchQueries.view()).data;
  const [open, setOpen] = useState(false);
  const permission = useNotificationPermission();
  if (!view) return null;
  const watched = view.accounts.filter((a) => a.enabled);
  const failed = watched.filter((a) => a.error).length;
  const last = watched.reduce((t, a) => Math.max(t, a.lastCheckAt ? Date.parse(a.lastCheckAt) : 0), 0);
  const text =
    watched.length === 0
      ? 'Not watching for deletions'
      : `Watching ${watched.length} account${watched.length === 1 ? '' : 's'} every ${view.intervalMinutes} min${failed ? ` · ${failed} could not be checked` : last ? ` · checked ${DATES.time.format(last)}` : ''}`;
  return (
    <span className="watch-status" data-testid="watch-status">
      <span className="watch-status-text" title={text}>
        {text}
      </span>{' '}
      <button type="button" className="link" onClick={() => setOpen(true)} title={text}>
        Watch settings
      </button>
      {permission.state === 'default' && watched.length > 0 && (
        <>
          {' '}
          <button type="button" className="link" onClick={() => void permission.ask()}>
            Allow notifications
          </button>
        </>
      )}
      {open && <WatchDialog onClose={() => setOpen(false)} />}
    </span>
  );
}
