import { useRef } from 'react';
import type { TrashItem } from '../../shared/model';
import { singleAccount, type TrashWorkflows } from '../actions/trash';
import { selectionLimits } from '../lib/restrictions';
import { RESTORE_SHORTCUT } from '../lib/shortcuts';
import type { ActionHint } from '../lib/actionHints';
import { useRovingFocus } from '../hooks/useRovingFocus';
import { ActionHints } from './ActionHints';
import { DetailsIcon, ReloadIcon } from './ToolbarIcons';

/**
 * The view's title and what can be done with the selection (Restore, Restore to…, Delete) or the
 * whole trash (Details, Reload, Empty). In a narrow window it keeps to one line: the title is left
 * to the sidebar (still there for screen readers), Details and Reload become icons, and the reasons
 * why actions are held back move to the status bar.
 */
export function TrashToolbar({
  title,
  selected,
  shownIds,
  hasItems,
  hints,
  emptyBlocked = null,
  selectionBusy = null,
  fetching,
  flows,
  details,
  onDetails,
  compact = false,
}: {
  title: string;
  selected: TrashItem[];
  /** The accounts this view shows. */
  shownIds: string[];
  hasItems: boolean;
  /** Why actions are held back (actionHints), shown beside the buttons unless compact. */
  hints: readonly ActionHint[];
  /** Why Empty trash cannot work now (no shown account's trash could be read, a batch of it runs), or null. */
  emptyBlocked?: string | null;
  /** Why no batch can start on the selection now (a batch is still working on it), or null. */
  selectionBusy?: string | null;
  fetching: boolean;
  flows: TrashWorkflows;
  /** Whether the details pane is open, and opening or closing it. */
  details: boolean;
  onDetails: (open: boolean) => void;
  compact?: boolean;
}) {
  const idle = flows.busy === null && selectionBusy === null;
  // One Tab stop; Left/Right move between the buttons.
  const bar = useRef<HTMLDivElement>(null);
  useRovingFocus(bar);
  const restoreToAccount = singleAccount(selected);
  // oCIS: what the user's role in a space keeps them from doing, said beside the buttons, not only in a tooltip.
  const limits = selectionLimits(selected);
  const canRestore = limits.restorable.length > 0;
  const canDelete = limits.deletable.length > 0;
  const restoreWhy = !selected.length ? 'Select items to restore' : (selectionBusy ?? limits.restoreNote ?? undefined);
  return (
    <div
      ref={bar}
      className={`toolbar${compact ? ' compact' : ''}`}
      role="toolbar"
      aria-label="Actions on the selection"
    >
      <h2 className={compact ? 'visually-hidden' : 'view-title'} title={title}>
        {title}
      </h2>
      <button
        type="button"
        className="primary"
        disabled={!canRestore || !idle}
        onClick={() => void flows.restore(selected)}
        title={
          canRestore && idle ? `Put the selected items back where they were (${RESTORE_SHORTCUT.label})` : restoreWhy
        }
        aria-keyshortcuts={RESTORE_SHORTCUT.aria}
      >
        Restore
      </button>
      <button
        type="button"
        disabled={!canRestore || !restoreToAccount || !idle}
        onClick={() => flows.chooseFolder(selected)}
        title={
          selectionBusy ??
          (restoreToAccount || !selected.length
            ? 'Choose a folder to restore the selected items into'
            : 'Select items of one account to restore them into one of its folders')
        }
      >
        Restore to…
      </button>
      <button
        type="button"
        className="danger-outline"
        disabled={!canDelete || !idle}
        onClick={() => flows.askDelete(selected)}
        title={selectionBusy ?? 'Delete the selected items for good (Delete)'}
      >
        Delete permanently
      </button>
      {!compact && <ActionHints hints={hints.filter((h) => h.id !== 'empty-blocked')} />}
      <span className="spacer" />
      <button
        type="button"
        className={compact ? 'icon-button toolbar-icon' : undefined}
        aria-pressed={details}
        onClick={() => onDetails(!details)}
        aria-label="Details"
        title="Show the selected item's full path, dates, size and account"
      >
        {compact ? <DetailsIcon /> : 'Details'}
      </button>
      <button
        type="button"
        className={compact ? 'icon-button toolbar-icon' : undefined}
        onClick={() => flows.reload(shownIds)}
        disabled={fetching}
        aria-label={fetching ? 'Loading…' : 'Reload'}
        title="Read the trash from the server again"
      >
        {compact ? <ReloadIcon /> : fetching ? 'Loading…' : 'Reload'}
      </button>
      {!compact && <ActionHints hints={hints.filter((h) => h.id === 'empty-blocked')} />}
      <button
        type="button"
        className="danger-outline"
        disabled={!hasItems || flows.busy !== null || emptyBlocked !== null}
        onClick={() => flows.askEmpty(shownIds)}
        title={emptyBlocked ?? 'Delete everything in the trash for good'}
      >
        Empty trash
      </button>
    </div>
  );
}
