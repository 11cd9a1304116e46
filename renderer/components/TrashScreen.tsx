import { useQueries, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ComponentProps, type DragEvent } from 'react';
import type { AccountView, Conflict, Destination, FolderRef, OperationView, Resolution, TrashItem } from '../../shared/model';
import { call } from '../api/client';
import { errorCode, errorText } from '../lib/errorText';
import { describeItems, formatBytes, formatCount, plural } from '../lib/format';
import * as sel from '../lib/selection';
import { RESTORE_SHORTCUT } from '../lib/shortcuts';
import { useShortcut } from '../lib/useShortcut';
import { accountTotals, loadProgress, oneAccountEmptyMessage, statusCountText } from '../lib/trashTotals';
import { filterItems, hasFilters, noFilters, originalFolders, sortItems, totalBytes, type Filters, type Sort } from '../lib/view';
import { upsertOp } from '../queries/operations';
import { trashQueries, type TrashListing } from '../queries/trash';
import { AccountSidebar } from './AccountSidebar';
import { ConflictDialog } from './ConflictDialog';
import { DeleteDialog } from './DeleteDialog';
import { EmptyTrashDialog } from './EmptyTrashDialog';
import { MissingFoldersDialog } from './MissingFoldersDialog';
import { DRAG_TYPE } from './FolderTree';
import { RestoreDialog } from './RestoreDialog';
import { TrashFilters } from './TrashFilters';
import { TrashMessage, TrashSkeleton } from './TrashStates';
import { TrashTable } from './TrashTable';

type Dialog =
  | { kind: 'restore-to'; items: TrashItem[]; accountId: string; folder: FolderRef | null }
  | { kind: 'conflicts'; items: TrashItem[]; destination: Destination; conflicts: Conflict[] }
  | { kind: 'missing-folders'; items: TrashItem[]; destination: Destination; conflicts: Conflict[]; folders: string[] }
  | { kind: 'delete'; items: TrashItem[] }
  | { kind: 'empty'; accountId: string }
  | { kind: 'empty-many' }
  | null;

const subscribeOnline = (cb: () => void) => {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
};
const useOnline = () => useSyncExternalStore(subscribeOnline, () => navigator.onLine);

/**
 * All shown accounts' items as one array. react-query re-runs this only when a listing changes,
 * so selection changes (every frame of a marquee) never re-sort 100k rows.
 */
function combineListings(results: UseQueryResult<TrashListing>[]) {
  return { queries: results, items: results.flatMap((q) => q.data?.items ?? []) };
}

const refs = (items: TrashItem[]) => items.map((i) => ({ accountId: i.accountId, id: i.id }));

/** Where items came from, for a confirmation sentence: one account's label or "3 accounts". */
function fromWhere(accountIds: Iterable<string>, accounts: ReadonlyMap<string, AccountView>): string {
  const ids = [...new Set(accountIds)];
  if (ids.length === 1) return accounts.get(ids[0]!)?.label ?? 'this account';
  return `${ids.length} accounts`;
}

/**
 * The trash of the chosen account (or of all accounts): filters, the table, the counts, and
 * every action on the selection. Server state comes from react-query; selection, sort and
 * filters live here.
 */
export function TrashScreen({
  accounts,
  current,
  onReauth,
  sidebar,
}: {
  accounts: AccountView[];
  current: string;
  onReauth: (account: AccountView) => void;
  /** The account sidebar's own props; its drop target and "Empty trash" are wired here. */
  sidebar: Omit<ComponentProps<typeof AccountSidebar>, 'onDropOnFolder' | 'current' | 'accounts'>;
}) {
  const client = useQueryClient();
  const online = useOnline();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const deferredFilters = useDeferredValue(filters);
  const [sort, setSort] = useState<Sort>({ column: 'deletedAt', direction: 'desc' });
  const [selection, setSelection] = useState<sel.Selection>(sel.emptySelection);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const accountMap = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  const shown = useMemo(() => (current === 'all' ? accounts : accounts.filter((a) => a.id === current)), [accounts, current]);
  const { queries, items: all } = useQueries({ queries: shown.map((a) => trashQueries.list(a.id)), combine: combineListings });

  const folders = useMemo(() => originalFolders(all), [all]);
  const view = useMemo(() => sortItems(filterItems(all, deferredFilters), sort, accountMap), [all, deferredFilters, sort, accountMap]);
  const keys = useMemo(() => view.map((i) => i.key), [view]);
  const index = useMemo(() => sel.indexView(keys), [keys]);
  // The selection in view order. Small selections (a marquee being drawn) are looked up by key
  // instead of scanning 100k rows on every animation frame.
  const selectedItems = useMemo(() => {
    if (selection.selected.size > view.length / 8) return view.filter((i) => selection.selected.has(i.key));
    const picked: { item: TrashItem; at: number }[] = [];
    for (const key of selection.selected) {
      const at = index.get(key);
      if (at !== undefined) picked.push({ item: view[at]!, at });
    }
    return picked.sort((a, b) => a.at - b.at).map((p) => p.item);
  }, [view, index, selection]);

  const loading = queries.some((q) => q.isPending);
  const streaming = queries.some((q) => q.data && !q.data.complete);
  const errors = queries.map((q, i) => ({ q, account: shown[i]! })).filter(({ q }) => q.isError);
  const expired = shown.filter((a) => a.status === 'auth-expired' || errors.some((e) => e.account.id === a.id && errorCode(e.q.error) === 'AUTH_FAILED'));
  // Per shown account: what its listing holds so far, and whether it has answered yet.
  const totals = useMemo(() => queries.map(accountTotals), [queries]);
  const progress = loadProgress(totals);

  const addOp = (op: OperationView) => upsertOp(client, op);

  const run = async (label: string, fn: () => Promise<void>) => {
    setBusy(label);
    setActionError(null);
    try {
      await fn();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const startRestore = (items: TrashItem[], destination: Destination, resolutions: Record<string, Resolution> = {}) =>
    run('Restoring…', async () => {
      const op = await call('ops:restore', { items: refs(items), destination, resolutions, recreateMissingFolders: true });
      addOp(op);
      setSelection((s) => sel.clear(s));
      setDialog(null);
    });

  const restore = (items: TrashItem[], destination: Destination) =>
    run('Checking the destination…', async () => {
      if (items.length === 0) return;
      const check = await call('ops:checkConflicts', { items: refs(items), destination });
      if (check.missingFolders.length > 0) {
        setDialog({ kind: 'missing-folders', items, destination, conflicts: check.conflicts, folders: check.missingFolders });
      } else await askConflictsThenRestore(items, destination, check.conflicts);
    });

  const askConflictsThenRestore = async (items: TrashItem[], destination: Destination, conflicts: Conflict[]) => {
    if (conflicts.length > 0) setDialog({ kind: 'conflicts', items, destination, conflicts });
    else await startRestore(items, destination);
  };

  const singleAccount = (items: TrashItem[]) => {
    const ids = new Set(items.map((i) => i.accountId));
    return ids.size === 1 ? [...ids][0]! : null;
  };

  const openRestoreTo = (folder: FolderRef | null = null) => {
    if (selectedItems.length === 0) return;
    const accountId = folder?.accountId ?? singleAccount(selectedItems);
    if (!accountId) {
      setActionError('These items come from several accounts. Select items of one account to restore them into one of its folders.');
      return;
    }
    const items = selectedItems.filter((i) => i.accountId === accountId);
    if (items.length !== selectedItems.length) {
      setActionError(`Only items of ${accountMap.get(accountId)?.label ?? 'that account'} can go into its folders. Select items of one account.`);
      return;
    }
    setDialog({ kind: 'restore-to', items, accountId, folder });
  };

  const confirmDelete = () => {
    if (selectedItems.length) setDialog({ kind: 'delete', items: selectedItems });
  };

  // Ctrl/Cmd+F searches; Escape clears the selection (dialogs handle their own Escape).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F')) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === 'Escape' && !document.querySelector('.modal-overlay') && !e.defaultPrevented) {
        setSelection((s) => (s.selected.size ? sel.clear(s) : s));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Restore's shortcut works wherever the Restore button could be pressed (Enter and double-click do not restore).
  useShortcut(RESTORE_SHORTCUT, () => void restore(selectedItems, { kind: 'original' }), selectedItems.length > 0 && busy === null);

  const onDragSelection = (e: DragEvent) => {
    e.dataTransfer.setData(DRAG_TYPE, String(selection.selected.size));
    e.dataTransfer.setData('text/plain', `${selection.selected.size} items from the trash`);
    e.dataTransfer.effectAllowed = 'move';
  };

  /** An account's trash as loaded so far: from the listings in view, else from the cache. */
  const totalsOf = (accountId: string) => {
    const at = shown.findIndex((a) => a.id === accountId);
    if (at >= 0 && totals[at]) return totals[at];
    const state = client.getQueryState<TrashListing>(trashQueries.list(accountId).queryKey);
    return accountTotals({ data: state?.data, isError: state?.status === 'error' });
  };

  const emptyAccounts = (ids: string[]) =>
    run('Emptying the trash…', async () => {
      const failed: string[] = [];
      let firstError: unknown = null;
      for (const accountId of ids) {
        try {
          addOp(await call('ops:empty', { accountId }));
        } catch (e) {
          failed.push(accountMap.get(accountId)?.label ?? accountId);
          firstError ??= e;
        }
      }
      setSelection((s) => sel.prune(s, (key) => !ids.some((id) => key.startsWith(`${id}:`))));
      if (failed.length) throw new Error(`Could not empty the trash of ${failed.join(', ')}: ${errorText(firstError)}`);
    });

  const title = current === 'all' ? 'All accounts' : (accountMap.get(current)?.label ?? 'Trash');
  const viewBytes = useMemo(() => totalBytes(view), [view]);
  const selectedBytes = useMemo(() => totalBytes(selectedItems), [selectedItems]);
  const restoreToAccount = singleAccount(selectedItems);

  let body;
  if (shown.length === 0) body = <TrashMessage title="No account here" />;
  else if (loading && all.length === 0 && errors.length === 0) body = <TrashSkeleton />;
  else if (all.length === 0 && errors.length === 0 && expired.length === 0 && !streaming)
    body = (
      <TrashMessage title="The trash is empty" testId="empty-trash">
        <p>Nothing deleted on {current === 'all' ? 'any account' : title} — or the server already removed it for good.</p>
      </TrashMessage>
    );
  else if (view.length === 0 && hasFilters(deferredFilters) && all.length > 0)
    body = (
      <TrashMessage title="Nothing matches" testId="empty-search">
        <p>No item in the trash matches these filters.</p>
        <button type="button" onClick={() => setFilters(noFilters)}>
          Clear filters
        </button>
      </TrashMessage>
    );
  else if (view.length === 0 && errors.length > 0) body = null;
  else
    body = (
      <TrashTable
        items={view}
        keys={keys}
        index={index}
        accounts={accountMap}
        showAccount={current === 'all' && accounts.length > 1}
        selection={selection}
        onSelection={setSelection}
        sort={sort}
        onSort={setSort}
        onDelete={confirmDelete}
        onDragSelection={onDragSelection}
        busy={new Set()}
        label={`Trash of ${title}`}
      />
    );

  return (
    <div className="workspace">
    <AccountSidebar
      {...sidebar}
      accounts={accounts}
      current={current}
      onDropOnFolder={(folder) => openRestoreTo(folder)}
      onAction={(account, action) => {
        if (action === 'empty') setDialog({ kind: 'empty', accountId: account.id });
        else sidebar.onAction(account, action);
      }}
    />
    <section className="trash-view" aria-label={`Trash of ${title}`}>
      <div className="toolbar" role="toolbar" aria-label="Actions on the selection">
        <h2 className="view-title">{title}</h2>
        <button
          type="button"
          className="primary"
          disabled={!selectedItems.length || busy !== null}
          onClick={() => void restore(selectedItems, { kind: 'original' })}
          title={`Put the selected items back where they were (${RESTORE_SHORTCUT.label})`}
          aria-keyshortcuts={RESTORE_SHORTCUT.aria}
        >
          Restore
        </button>
        <button
          type="button"
          disabled={!selectedItems.length || !restoreToAccount || busy !== null}
          onClick={() => openRestoreTo()}
          title={restoreToAccount || !selectedItems.length ? 'Choose a folder to restore the selected items into' : 'Select items of one account to restore them into one of its folders'}
        >
          Restore to…
        </button>
        <button type="button" className="danger-outline" disabled={!selectedItems.length || busy !== null} onClick={confirmDelete} title="Delete the selected items for good (Delete)">
          Delete permanently
        </button>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => shown.forEach((a) => void client.invalidateQueries({ queryKey: trashQueries.list(a.id).queryKey }))}
          disabled={queries.some((q) => q.isFetching)}
          title="Read the trash from the server again"
        >
          {queries.some((q) => q.isFetching) ? 'Loading…' : 'Reload'}
        </button>
        <button
          type="button"
          className="danger-outline"
          disabled={all.length === 0 || busy !== null}
          onClick={() => setDialog(shown.length === 1 ? { kind: 'empty', accountId: shown[0]!.id } : { kind: 'empty-many' })}
        >
          Empty trash
        </button>
      </div>
      <TrashFilters
        filters={filters}
        onChange={setFilters}
        folders={folders}
        searchRef={searchRef}
        grouped={Boolean(sort.groupByFolder)}
        onGroupedChange={(groupByFolder) => setSort((s) => ({ ...s, groupByFolder }))}
      />
      <div className="banners">
        {!online && (
          <div className="banner warn" role="alert">
            You are offline. Salvage shows what it loaded before; reconnect to restore or delete.
          </div>
        )}
        {expired.map((a) => (
          <div key={a.id} className="banner warn" role="alert" data-testid="auth-banner">
            {a.label} no longer accepts its saved password or key. Sign in again to see and restore its trash — your selection is kept.
            <button type="button" onClick={() => onReauth(a)}>
              Sign in again
            </button>
          </div>
        ))}
        {errors
          .filter(({ q }) => errorCode(q.error) !== 'AUTH_FAILED')
          .map(({ q, account }) => (
            <div key={account.id} className="banner error" role="alert">
              Could not load the trash of {account.label}: {errorText(q.error)}
              <button type="button" onClick={() => void q.refetch()}>
                Retry
              </button>
            </div>
          ))}
        {actionError && (
          <div className="banner error" role="alert">
            {actionError}
            <button type="button" onClick={() => setActionError(null)}>
              OK
            </button>
          </div>
        )}
        {busy && (
          <div className="banner info" role="status">
            {busy}
          </div>
        )}
      </div>
      <div className="table-area">{body}</div>
      <footer className="status-bar" aria-live="polite" data-testid="status-bar" data-complete={String(progress.complete)}>
        <span data-testid="view-count" data-complete={String(progress.complete)}>
          {statusCountText({ totals, shown: view.length, shownBytes: viewBytes, loadedItems: all.length, filtered: hasFilters(deferredFilters) })}
        </span>
        <span data-testid="selection-count">{selectedItems.length ? `${formatCount(selectedItems.length)} selected · ${formatBytes(selectedBytes)}` : 'Nothing selected'}</span>
        {progress.failed > 0 && <span className="error-text">{plural(progress.failed, 'account')} could not be loaded</span>}
      </footer>

      {dialog?.kind === 'restore-to' && (
        <RestoreDialog
          items={dialog.items}
          accountId={dialog.accountId}
          accountLabel={accountMap.get(dialog.accountId)?.label ?? ''}
          initialFolder={dialog.folder}
          onCancel={() => setDialog(null)}
          onRestore={(folder) => {
            const items = dialog.items;
            setDialog(null);
            void restore(items, { kind: 'folder', accountId: folder.accountId, folderId: folder.id });
          }}
        />
      )}
      {dialog?.kind === 'missing-folders' && (
        <MissingFoldersDialog
          folders={dialog.folders}
          canRecreate={dialog.items.some((i) => accountMap.get(i.accountId)?.kind !== 'docspace')}
          onCancel={() => setDialog(null)}
          onConfirm={() => void run('Restoring…', () => askConflictsThenRestore(dialog.items, dialog.destination, dialog.conflicts))}
        />
      )}
      {dialog?.kind === 'conflicts' && (
        <ConflictDialog
          conflicts={dialog.conflicts}
          total={dialog.items.length}
          onCancel={() => setDialog(null)}
          onResolve={(resolutions) => void startRestore(dialog.items, dialog.destination, resolutions)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteDialog
          title="Delete permanently?"
          message={`Permanently delete ${dialog.items.length === 1 ? `“${dialog.items[0]!.name}”${dialog.items[0]!.size !== null ? ` (${formatBytes(dialog.items[0]!.size)})` : ''}` : describeItems(dialog.items)} from ${fromWhere(dialog.items.map((i) => i.accountId), accountMap)}? This cannot be undone.`}
          confirmLabel="Delete permanently"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            const items = dialog.items;
            setDialog(null);
            void run('Deleting…', async () => {
              addOp(await call('ops:delete', { items: refs(items) }));
              setSelection((s) => sel.clear(s));
            });
          }}
        />
      )}
      {dialog?.kind === 'empty' && (
        <DeleteDialog
          title="Empty the trash?"
          message={oneAccountEmptyMessage(accountMap.get(dialog.accountId)?.label ?? 'this account', totalsOf(dialog.accountId))}
          confirmLabel="Empty trash"
          onCancel={() => setDialog(null)}
          onConfirm={() => {
            const id = dialog.accountId;
            setDialog(null);
            void emptyAccounts([id]);
          }}
        />
      )}
      {dialog?.kind === 'empty-many' && (
        <EmptyTrashDialog
          accounts={shown}
          totals={new Map(shown.map((a, i) => [a.id, totals[i]!]))}
          onCancel={() => setDialog(null)}
          onConfirm={(ids) => {
            setDialog(null);
            void emptyAccounts(ids);
          }}
        />
      )}
    </section>
    </div>
  );
}
