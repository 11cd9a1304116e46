import type { ReactNode } from 'react';
import type { AccountView } from '../../shared/model';
import type { TrashWorkflows } from '../actions/trash';
import { errorCode, errorText } from '../lib/errorText';
import { useOnline } from '../hooks/useOnline';
import type { TrashListings } from '../queries/trash';

/**
 * Above the table: offline, accounts to sign in to again, listings that failed, and the last action's error (what runs
 * now is in the status bar).
 */
export function TrashBanners({
  listings,
  flows,
  onReauth,
  children,
}: {
  listings: Pick<TrashListings, 'errors' | 'expired'>;
  flows: Pick<TrashWorkflows, 'error' | 'dismissError'>;
  onReauth: (account: AccountView) => void;
  /** Shown first (what the watch found). */
  children?: ReactNode;
}) {
  const online = useOnline();
  return (
    <div className="banners">
      {children}
      {!online && (
        <div className="banner warn" role="alert">
          You are offline. Salvage shows what it loaded before; reconnect to restore or delete.
        </div>
      )}
      {listings.expired.map((a) => (
        <div key={a.id} className="banner warn" role="alert" data-testid="auth-banner">
          {a.label} no longer accepts its saved password or key. Sign in again to see and restore its trash — your
          selection is kept.
          <button type="button" onClick={() => onReauth(a)}>
            Sign in again
          </button>
        </div>
      ))}
      {listings.errors
        .filter(({ q }) => errorCode(q.error) !== 'AUTH_FAILED')
        .map(({ q, account }) => (
          <div key={account.id} className="banner error" role="alert">
            Could not load the trash of {account.label}: {errorText(q.error)}
            <button type="button" onClick={() => void q.refetch()}>
              Retry
            </button>
          </div>
        ))}
      {flows.error && (
        <div className="banner error" role="alert">
          {flows.error}
          <button type="button" onClick={flows.dismissError}>
            OK
          </button>
        </div>
      )}
    </div>
  );
}
