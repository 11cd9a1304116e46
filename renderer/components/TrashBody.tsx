import type { TrashListings } from '../queries/trash';
import { TrashMessage, TrashSkeleton } from './TrashStates';
import { TrashTable, type TrashTableProps } from './TrashTable';
import { errorCode } from '../lib/errorText';

/**
 * What the table area shows: no account, placeholder rows while the first page loads, an empty
 * trash, nothing matching the filters, nothing (when only errors are left to say), or the table.
 */
export function TrashBody({
  noAccount,
  listings,
  filtered,
  onClearFilters,
  emptyWhere,
  table,
}: {
  noAccount: boolean;
  listings: Pick<TrashListings, 'items' | 'errors' | 'expired' | 'loading' | 'streaming'>;
  /** Whether any filter is set. */
  filtered: boolean;
  onClearFilters: () => void;
  /** "any account", or the one account's name, for the empty trash. */
  emptyWhere: string;
  table: TrashTableProps;
}) {
  const loaded = listings.items.length;
  const failed = listings.errors.length > 0;
  // Every failure is a refused sign-in: the way on is signing in again, not Retry.
  const authOnly = listings.errors.every((e) => errorCode(e.q.error) === 'AUTH_FAILED');
  if (noAccount) return <TrashMessage title="No account here" />;
  if (listings.loading && loaded === 0 && !failed) return <TrashSkeleton />;
  if (loaded === 0 && !failed && listings.expired.length === 0 && !listings.streaming)
    return (
      <TrashMessage title="The trash is empty" testId="empty-trash">
        <p>Nothing deleted on {emptyWhere} — or the server already removed it for good.</p>
      </TrashMessage>
    );
  if (table.items.length === 0 && filtered && loaded > 0)
    return (
      <TrashMessage title="Nothing matches" testId="empty-search">
        <p>No item in the trash matches these filters.</p>
        <button type="button" onClick={onClearFilters}>
          Clear filters
        </button>
      </TrashMessage>
    );
  // Nothing loaded because of a failure or an expired sign-in: say so here too (the banner above has the action).
  if (loaded === 0 && (failed || listings.expired.length > 0))
    return (
      <TrashMessage title="Nothing to show yet" testId="no-listing">
        <p>
          {listings.expired.length > 0 && authOnly
            ? 'Sign in again (above) to see this trash.'
            : 'The trash could not be read — the message above says why, with Retry.'}
        </p>
      </TrashMessage>
    );
  if (table.items.length === 0 && failed) return null;
  return <TrashTable {...table} />;
}
