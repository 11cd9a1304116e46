import { useRef } from 'react';
import type { TrashItem } from '../../shared/model';
import { singleAccount, type TrashWorkflows } from '../actions/trash';
import { selectionLimits } from '../lib/restrictions';
import { RESTORE_SHORTCUT } from '../lib/shortcuts';
import { useRovingFocus } from '../hooks/useRovingFocus';

/** The view's title and what can be done with the selection (Restore, Restore to…, Delete) or the whole trash (Reload, Empty). */
export function TrashToolbar({
  title,
  selected,
  shownIds,
  hasItems,
  emptyBlocked = null,
  fetching,
  flows,
  details,
  onDetails,
}: {
  title: string;
  selected: TrashItem[];
  /** The accounts this view shows. */
  shownIds: string[];
  hasItems: boolean;
  /** Why Empty trash cannot work now (no shown account's trash could be read), or null. */
  emptyBlocked?: string | null;
  fetching: boolean;
  flows: TrashWorkflows;
  /** Whether the details pane is open, and opening or closing it. */
  details: boolean;
  onDetails: (open: boolean) => void;
}) {
  const idle = flows.busy === null;
  // One Tab stop; Left/Right move between the buttons.
  const bar = useRef<HTMLDivElement>(null);
  useRovingFocus(bar);
  const restoreToAccount = singleAccount(selected);
  // oCIS: what the user's role in a space keeps them from doing, said beside the buttons, not only in a tooltip.
  const limits = selectionLimits(selected);
  const canRestore = limits.restorable.length > 0;
  const canDelete = limits.deletable.length > 0;
  return (
    <div ref={bar} className="toolbar" role="toolbar" aria-label="Actions on the selection">
      <h2 className="view-title">{title}</h2>
      <button
        type="button"
        className="primary"
        disabled={!canRestore || !idle}
        onClick={() => void flows.restore(selected)}
        title={`Put the selected items back where they were (${RESTORE_SHORTCUT.label})`}
        aria-keyshortcuts={RESTORE_SHORTCUT.aria}
      >
        Restore
      </button>
      <button
        type="button"
        disabled={!canRestore || !restoreToAccount || !idle}
        onClick={() => flows.chooseFolder(selected)}
        title={restoreToAccount || !selected.length ? 'Choose a folder to restore the selected items into' : 'Select items of one account to restore them into one of its folders'}
      >
        Restore to…
      </button>
      <button type="button" className="danger-outline" disabled={!canDelete || !idle} onClick={() => flows.askDelete(selected)} title="Delete the selected items for good (Delete)">
        Delete permanently
      </button>
      {selected.length > 0 && !restoreToAccount && (
        <span className="toolbar-hint" data-testid="restore-to-reason">
          Restore to… takes items of one account
        </span>
      )}
      {limits.restoreNote && (
        <span className="toolbar-hint" data-testid="restore-limit">
          {limits.restoreNote}
        </span>
      )}
      {limits.deleteNote && (
        <span className="toolbar-hint" data-testid="delete-limit">
          {limits.deleteNote}
        </span>
      )}
      <span className="spacer" />
      <button type="button" aria-pressed={details} onClick={() => onDetails(!details)} title="Show the selected item's full path, dates, size and account">
        Details
      </button>
      <button type="button" onClick={() => flows.reload(shownIds)} disabled={fetching} title="Read the trash from the server again">
        {fetching ? 'Loading…' : 'Reload'}
      </button>
      {emptyBlocked && (
        <span className="toolbar-hint" data-testid="empty-blocked">
          {emptyBlocked}
        </span>
      )}
      <button type="button" className="danger-outline" disabled={!hasItems || !idle || emptyBlocked !== null} onClick={() => flows.askEmpty(shownIds)} title={emptyBlocked ?? 'Delete everything in the trash for good'}>
        Empty trash
      </button>
    </div>
  );
}
