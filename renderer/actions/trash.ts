import { useState } from 'react';
import type { AccountView, Conflict, Destination, FolderRef, Resolution, TrashItem } from '../../shared/model';
import { busyReason, noBusyItems, type BusyItems } from '../lib/busy';
import { errorText } from '../lib/errorText';
import { selectionLimits, singleAccount } from '../lib/restrictions';
import * as sel from '../lib/selection';
import { keys } from '../queries/keys';
import { useActionContext, type ActionContext } from './context';
import { checkRestore, deleteForGood, emptyTrash, startRestore } from './operations';

/** The step a trash workflow waits on the user for; the trash screen shows it as a dialog. */
export type TrashDialog =
  | { kind: 'restore-to'; items: TrashItem[]; accountId: string; folder: FolderRef | null }
  | { kind: 'conflicts'; items: TrashItem[]; destination: Destination; conflicts: Conflict[] }
  | { kind: 'missing-folders'; items: TrashItem[]; destination: Destination; conflicts: Conflict[]; folders: string[] }
  | { kind: 'delete'; items: TrashItem[]; leftOut: TrashItem[] }
  | { kind: 'empty'; accountId: string }
  | { kind: 'empty-many' }
  | null;

/** What the workflows change on screen: the trash screen's state, or a recording fake in tests. */
export interface TrashUi {
  showDialog(dialog: TrashDialog): void;
  /** The busy banner ("Checking the destination…"), or null when nothing runs. */
  setBusy(label: string | null): void;
  /** The error banner, or null to clear it. */
  setError(text: string | null): void;
  changeSelection(update: (s: sel.Selection) => sel.Selection): void;
}

const original: Destination = { kind: 'original' };

export { singleAccount };

/**
 * The workflows of the trash screen, as GitHub Desktop's dispatcher keeps them apart from its
 * views: restore (check the destination → say which original folders are gone → ask about
 * conflicts → start), restore into a folder, delete for good, empty the trash, reload. Each step
 * shows a busy banner while main works; a failure becomes the error banner.
 */
export function trashWorkflows(
  ctx: ActionContext,
  ui: TrashUi,
  accounts: ReadonlyMap<string, AccountView>,
  busy: BusyItems = noBusyItems,
) {
  /** A batch on items another batch is still working on never starts: the reason goes to the error banner. */
  const held = (items: readonly TrashItem[]): boolean => {
    const reason = busyReason(items, busy);
    if (reason) ui.setError(`Not started: ${reason}.`);
    return reason !== null;
  };

  const run = async (label: string, fn: () => Promise<void>) => {
    ui.setBusy(label);
    ui.setError(null);
    try {
      await fn();
    } catch (e) {
      ui.setError(errorText(e));
    } finally {
      ui.setBusy(null);
    }
  };

  const start = (items: TrashItem[], destination: Destination, resolutions: Record<string, Resolution> = {}) =>
    run('Restoring…', async () => {
      await startRestore(ctx, items, destination, resolutions);
      ui.changeSelection(sel.clear);
      ui.showDialog(null);
    });

  const askConflictsThenStart = async (items: TrashItem[], destination: Destination, conflicts: Conflict[]) => {
    if (conflicts.length > 0) ui.showDialog({ kind: 'conflicts', items, destination, conflicts });
    else await start(items, destination);
  };

  /** Items the user may not restore (an oCIS viewer's) are left out before anything is sent; none left: why. */
  const restorable = (items: TrashItem[]): TrashItem[] => {
    const limits = selectionLimits(items);
    if (limits.restorable.length === 0 && limits.restoreNote) ui.setError(limits.restoreNote);
    return limits.restorable;
  };

  const restore = (selected: TrashItem[], destination: Destination = original) =>
    run('Checking the destination…', async () => {
      const items = restorable(selected);
      if (items.length === 0 || held(items)) return;
      const check = await checkRestore(ctx, items, destination);
      if (check.missingFolders.length > 0) {
        ui.showDialog({
          kind: 'missing-folders',
          items,
          destination,
          conflicts: check.conflicts,
          folders: check.missingFolders,
        });
      } else await askConflictsThenStart(items, destination, check.conflicts);
    });

  return {
    /** Restore: to where the items were unless a destination is given. */
    restore,
    /** The user read which original folders are gone and goes on. */
    continueWithoutFolders: (step: Extract<TrashDialog, { kind: 'missing-folders' }>) =>
      run('Restoring…', () => askConflictsThenStart(step.items, step.destination, step.conflicts)),
    /** A missing folder is in the trash itself: restore it with the items (they go back inside it, checked again). */
    restoreWithFolders: (step: Extract<TrashDialog, { kind: 'missing-folders' }>, folders: readonly TrashItem[]) => {
      ui.showDialog(null);
      return restore(
        [...folders.filter((f) => !step.items.some((i) => i.key === f.key)), ...step.items],
        step.destination,
      );
    },
    /** The user chose what happens to each conflicting item: the batch starts. */
    resolveConflicts: (step: Extract<TrashDialog, { kind: 'conflicts' }>, resolutions: Record<string, Resolution>) => {
      // "Skip" for every item leaves nothing to do: no batch of nothing. Otherwise the skipped ones
      // go with the batch, untouched, and its results say they were skipped.
      if (step.items.every((i) => resolutions[i.key] === 'skip')) {
        ui.showDialog(null);
        return;
      }
      return start(step.items, step.destination, resolutions);
    },

    /** "Restore to…" (or a drop onto a folder): the selection must come from that folder's account. */
    chooseFolder(chosen: TrashItem[], folder: FolderRef | null = null) {
      const selected = restorable(chosen);
      if (selected.length === 0) return;
      const accountId = folder?.accountId ?? singleAccount(selected);
      if (!accountId) {
        ui.setError(
          'These items come from several accounts. Select items of one account to restore them into one of its folders.',
        );
        return;
      }
      const items = selected.filter((i) => i.accountId === accountId);
      if (items.length !== selected.length) {
        ui.setError(
          `Only items of ${accounts.get(accountId)?.label ?? 'that account'} can go into its folders. Select items of one account.`,
        );
        return;
      }
      ui.showDialog({ kind: 'restore-to', items, accountId, folder });
    },
    restoreInto(items: TrashItem[], folder: FolderRef) {
      ui.showDialog(null);
      return restore(items, { kind: 'folder', accountId: folder.accountId, folderId: folder.id });
    },

    /** Items the user may not delete for good (not a manager of their oCIS space) are left out; none left: why. */
    askDelete(selected: TrashItem[]) {
      const limits = selectionLimits(selected);
      if (held(selected)) return;
      if (limits.deletable.length)
        ui.showDialog({ kind: 'delete', items: limits.deletable, leftOut: selected.filter((i) => i.cannotDelete) });
      else if (limits.deleteNote) ui.setError(limits.deleteNote);
    },
    deleteForGood(items: TrashItem[]) {
      ui.showDialog(null);
      if (held(items)) return;
      return run('Deleting…', async () => {
        await deleteForGood(ctx, items);
        ui.changeSelection(sel.clear);
      });
    },

    /** One account asks with its own totals; several ask which of them to empty. */
    askEmpty(accountIds: readonly string[]) {
      ui.showDialog(accountIds.length === 1 ? { kind: 'empty', accountId: accountIds[0]! } : { kind: 'empty-many' });
    },
    empty(accountIds: string[]) {
      ui.showDialog(null);
      return run('Emptying the trash…', async () => {
        try {
          await emptyTrash(ctx, accountIds, (id) => accounts.get(id)?.label ?? id);
        } finally {
          ui.changeSelection((s) => sel.prune(s, (key) => !accountIds.some((id) => key.startsWith(`${id}:`))));
        }
      });
    },

    /** Reads these accounts' trash from the server again. */
    reload(accountIds: readonly string[]) {
      for (const id of accountIds) void ctx.client.invalidateQueries({ queryKey: keys.trash(id) });
    },
    closeDialog: () => ui.showDialog(null),
    dismissError: () => ui.setError(null),
  };
}

export type TrashWorkflows = ReturnType<typeof trashWorkflows> & {
  dialog: TrashDialog;
  busy: string | null;
  error: string | null;
};

/** The trash workflows with their on-screen state (the open dialog, the busy and error banners). */
export function useTrashWorkflows(
  accounts: ReadonlyMap<string, AccountView>,
  changeSelection: TrashUi['changeSelection'],
  items: BusyItems = noBusyItems,
): TrashWorkflows {
  const ctx = useActionContext();
  const [dialog, showDialog] = useState<TrashDialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return {
    dialog,
    busy,
    error,
    ...trashWorkflows(ctx, { showDialog, setBusy, setError, changeSelection }, accounts, items),
  };
}
