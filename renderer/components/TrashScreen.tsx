import {
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ComponentProps,
  type DragEvent,
  type RefObject,
} from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import { singleAccount, useTrashWorkflows } from '../actions/trash';
import { selectionLimits } from '../lib/restrictions';
import * as sel from '../lib/selection';
import { RESTORE_SHORTCUT } from '../lib/shortcuts';
import { useShortcut } from '../hooks/useShortcut';
import { useElementWidth } from '../hooks/useElementWidth';
import { useTrashTimeline } from '../hooks/useTrashTimeline';
import { useTrashView } from '../hooks/useTrashView';
import { hasFilters, noFilters, type Filters, type Sort } from '../lib/view';
import { errorCode } from '../lib/errorText';
import { useBusyItems, useRunningOps } from '../queries/operations';
import { useTrashInside, useTrashListings } from '../queries/trash';
import { actionHints } from '../lib/actionHints';
import { accountBusyReason, busyReason } from '../lib/busy';
import { DetailsPane } from './DetailsPane';
import { ErrorLine } from './ErrorLine';
import { AccountSidebar } from './AccountSidebar';
import { DRAG_TYPE } from './FolderTree';
import { TrashBanners } from './TrashBanners';
import { TrashBody } from './TrashBody';
import { TrashContextMenu, type ContextAction } from './TrashContextMenu';
import { TrashDialogs } from './TrashDialogs';
import { TrashFilters } from './TrashFilters';
import { TrashStatusBar } from './TrashStatusBar';
import { TimelinePanel, TimelineToggle } from './TimelinePanel';
import { TrashToolbar } from './TrashToolbar';
import { WatchAlerts } from './WatchAlerts';

/** Ctrl/Cmd+F searches; Escape clears the selection (dialogs handle their own Escape). */
function useSearchAndEscapeKeys(
  searchRef: RefObject<HTMLInputElement | null>,
  setSelection: (update: (s: sel.Selection) => sel.Selection) => void,
) {
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
  }, [searchRef, setSelection]);
}

/** Where in the trash the list is: the trash itself, then each trashed folder opened, each a way back. */
function TrashBreadcrumb({
  path,
  onGoTo,
  error,
}: {
  path: TrashItem[];
  onGoTo: (depth: number) => void;
  error: unknown;
}) {
  return (
    <nav className="trash-breadcrumb breadcrumbs" aria-label="Where in the trash">
      <ol>
        <li>
          <button type="button" className="link" onClick={() => onGoTo(0)}>
            Trash
          </button>
        </li>
        {path.map((f, i) =>
          i === path.length - 1 ? (
            <li key={f.key} aria-current="page">
              <strong>{f.name}</strong>
            </li>
          ) : (
            <li key={f.key}>
              <button type="button" className="link" onClick={() => onGoTo(i + 1)}>
                {f.name}
              </button>
            </li>
          ),
        )}
      </ol>
      <ErrorLine error={error} />
    </nav>
  );
}

/**
 * The trash of the chosen account (or of all accounts), laid out: the sidebar, the toolbar, the
 * filters, the banners, the table, the status bar and the open dialog. Server state comes from
 * queries/, every workflow from actions/; selection, sort and filters live here.
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
  const [filters, setFilters] = useState<Filters>(noFilters);
  const deferredFilters = useDeferredValue(filters);
  const [sort, setSort] = useState<Sort>({ column: 'deletedAt', direction: 'desc' });
  const [selection, setSelection] = useState<sel.Selection>(sel.emptySelection);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [details, setDetails] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<HTMLElement>(null);
  // Below this width the filters other than search fold behind one "Filters" button.
  const viewWidth = useElementWidth(viewRef);
  const compact = viewWidth > 0 && viewWidth < 900;

  const accountMap = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);
  const shown = useMemo(
    () => (current === 'all' ? accounts : accounts.filter((a) => a.id === current)),
    [accounts, current],
  );
  const listings = useTrashListings(shown);
  // Browsing into trashed folders: the folders opened, outermost first (reset when the account changes).
  const [browse, setBrowse] = useState<{ current: string; path: TrashItem[] }>({ current, path: [] });
  const path = browse.current === current ? browse.path : [];
  const folder = path.at(-1) ?? null;
  const inside = useTrashInside(folder);
  const openFolder = (item: TrashItem) => {
    setBrowse({ current, path: [...path, item] });
    setSelection(sel.emptySelection);
  };
  const goTo = (depth: number) => {
    setBrowse({ current, path: path.slice(0, depth) });
    setSelection(sel.emptySelection);
  };
  // Items a batch is still working on: no second batch starts on them (every action says why).
  const busy = useBusyItems();
  const running = useRunningOps();
  const staleAccounts = useMemo(() => new Set(listings.errors.map((e) => e.account.id)), [listings.errors]);
  // Empty trash cannot work while no shown account's trash can be read (offline, sign-in needed): say why beside it.
  const emptyBlocked = useMemo(() => {
    // One account on screen: not while a batch of it runs (the dialog of several leaves such accounts out itself).
    const batch = shown.length === 1 ? accountBusyReason(shown[0]!.id, shown[0]!.label, running) : null;
    if (batch) return `Empty trash: ${batch}`;
    if (shown.length === 0 || !shown.every((a) => staleAccounts.has(a.id))) return null;
    const codes = listings.errors.map((e) => errorCode(e.q.error));
    if (codes.every((c) => c === 'AUTH_FAILED')) return 'Empty trash: sign in again first';
    if (codes.every((c) => c === 'NETWORK' || c === 'TIMEOUT'))
      return `Empty trash: ${shown.length === 1 ? 'the server is' : 'the servers are'} not reachable`;
    return 'Empty trash: the trash could not be read';
  }, [shown, staleAccounts, listings.errors, running]);
  const view = useTrashView(
    folder ? inside.items : listings.items,
    deferredFilters,
    sort,
    accountMap,
    selection.selected,
  );
  const flows = useTrashWorkflows(accountMap, setSelection, busy);
  const selectionBusy = useMemo(() => busyReason(view.selected, busy), [view.selected, busy]);
  // The timeline and deletion events over the whole loaded trash; their range is the list's date filter.
  const band = useTrashTimeline({
    all: listings.items,
    filters,
    setFilters,
    accounts: shown,
    changeSelection: setSelection,
    restore: (items) => flows.restore(items),
    busy: flows.busy,
    busyItems: busy,
    width: Math.max(200, viewWidth - (compact ? 40 : 400)),
    settled: !listings.loading && !listings.streaming,
  });

  useSearchAndEscapeKeys(searchRef, setSelection);
  // Restore's shortcut works wherever the Restore button could be pressed (Enter and double-click do not restore).
  useShortcut(
    RESTORE_SHORTCUT,
    () => void flows.restore(view.selected),
    view.selected.length > 0 && flows.busy === null && selectionBusy === null,
  );

  const onDragSelection = (e: DragEvent) => {
    e.dataTransfer.setData(DRAG_TYPE, String(selection.selected.size));
    e.dataTransfer.setData('text/plain', `${selection.selected.size} items from the trash`);
    e.dataTransfer.effectAllowed = 'move';
  };

  // What the context menu cannot do right now: anything while a workflow runs; Restore to… across accounts.
  // oCIS: nothing of the selection the user's role lets them restore (or delete) disables that too.
  const limits = selectionLimits(view.selected);
  const contextDisabled: ContextAction[] =
    flows.busy !== null || !view.selected.length || selectionBusy !== null
      ? ['restore', 'restore-to', 'delete']
      : [
          ...(limits.restorable.length ? [] : (['restore', 'restore-to'] as const)),
          ...(singleAccount(view.selected) ? [] : (['restore-to'] as const)),
          ...(limits.deletable.length ? [] : (['delete'] as const)),
        ];

  const title = current === 'all' ? 'All accounts' : (accountMap.get(current)?.label ?? 'Trash');
  const hints = actionHints({ selected: view.selected, selectionBusy, emptyBlocked });
  const filtered = hasFilters(deferredFilters);

  return (
    <div className="workspace">
      <section ref={viewRef} className="trash-view" aria-label={`Trash of ${title}`}>
        <TrashToolbar
          title={title}
          selected={view.selected}
          shownIds={shown.map((a) => a.id)}
          hasItems={listings.items.length > 0}
          emptyBlocked={emptyBlocked}
          selectionBusy={selectionBusy}
          hints={hints}
          compact={compact}
          fetching={listings.fetching}
          flows={flows}
          details={details}
          onDetails={setDetails}
        />
        <TrashFilters
          filters={filters}
          onChange={setFilters}
          folders={view.folders}
          searchRef={searchRef}
          grouped={Boolean(sort.groupByFolder)}
          onGroupedChange={(groupByFolder) => setSort((s) => ({ ...s, groupByFolder }))}
          compact={compact}
        >
          {!folder && band.timeline.collapsed && (
            <TimelineToggle timeline={band.timeline} events={band.events.list.length} />
          )}
        </TrashFilters>
        <TrashBanners listings={listings} flows={flows} onReauth={onReauth}>
          <WatchAlerts
            accounts={accountMap}
            current={current}
            events={band.events}
            items={listings.items}
            loading={listings.loading || listings.streaming || listings.fetching || band.events.behind}
            onShowAccount={sidebar.onSelect}
            onSelectKeys={(keys) =>
              setSelection(() => ({ selected: new Set(keys), anchor: keys.at(-1) ?? null, focus: keys.at(-1) ?? null }))
            }
          />
        </TrashBanners>
        <div className="table-area">
          {folder && <TrashBreadcrumb path={path} onGoTo={goTo} error={inside.query.error} />}
          <div className="table-row">
            <div className="table-main">
              <TrashBody
                noAccount={shown.length === 0}
                listings={
                  folder
                    ? { items: inside.items, errors: [], expired: [], loading: inside.loading, streaming: false }
                    : listings
                }
                filtered={filtered}
                onClearFilters={() => setFilters(noFilters)}
                emptyWhere={folder ? `“${folder.name}”` : current === 'all' ? 'any account' : title}
                table={{
                  items: view.items,
                  keys: view.keys,
                  index: view.index,
                  accounts: accountMap,
                  showAccount: current === 'all' && accounts.length > 1,
                  selection,
                  onSelection: setSelection,
                  sort,
                  onSort: setSort,
                  onDelete: () => flows.askDelete(view.selected),
                  onDragSelection,
                  busy,
                  label: `Trash of ${title}`,
                  onContextMenu: setMenuAt,
                  onOpen: openFolder,
                  stale: staleAccounts,
                }}
              />
            </div>
            {details && (
              <DetailsPane selected={view.selected} accounts={accountMap} onClose={() => setDetails(false)} />
            )}
          </div>
        </div>
        {/* Shown above the list (styles.css places it), reached by Tab after it. */}
        <div className="timeline-slot">{!folder && !band.timeline.collapsed && <TimelinePanel {...band} />}</div>
        <TrashStatusBar
          totals={listings.totals}
          shown={view.items}
          shownBytes={view.bytes}
          loadedItems={listings.items.length}
          filtered={filtered}
          selected={view.selected}
          working={flows.busy}
          hints={compact ? hints : []}
        />
        <TrashContextMenu
          at={menuAt}
          count={view.selected.length}
          disabled={contextDisabled}
          onClose={() => setMenuAt(null)}
          onAction={(action: ContextAction) => {
            if (action === 'restore') void flows.restore(view.selected);
            else if (action === 'restore-to') flows.chooseFolder(view.selected);
            else if (action === 'details') setDetails(true);
            else flows.askDelete(view.selected);
          }}
        />
        <TrashDialogs
          flows={flows}
          accounts={accountMap}
          shown={shown}
          totals={listings.totals}
          trashItems={listings.items}
        />
      </section>
      {/* After the list in the Tab order (Tab reaches the list in a few presses); on the left on screen. */}
      <AccountSidebar
        {...sidebar}
        accounts={accounts}
        current={current}
        onDropOnFolder={(folder) => flows.chooseFolder(view.selected, folder)}
        onAction={(account, action) => {
          if (action === 'empty') flows.askEmpty([account.id]);
          else sidebar.onAction(account, action);
        }}
      />
    </div>
  );
}
