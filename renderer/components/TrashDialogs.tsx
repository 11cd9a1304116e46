import type { AccountView, TrashItem } from '../../shared/model';
import type { TrashWorkflows } from '../actions/trash';
import { describeItems, formatBytes } from '../lib/format';
import { oneAccountEmptyMessage, type AccountTotals } from '../lib/trashTotals';
import { useCachedTotals } from '../queries/trash';
import { ConflictDialog } from './ConflictDialog';
import { DeleteDialog } from './DeleteDialog';
import { EmptyTrashDialog } from './EmptyTrashDialog';
import { MissingFoldersDialog } from './MissingFoldersDialog';
import { RestoreDialog } from './RestoreDialog';

/** Where items came from, for a confirmation sentence: one account's label or "3 accounts". */
function fromWhere(accountIds: Iterable<string>, accounts: ReadonlyMap<string, AccountView>): string {
  const ids = [...new Set(accountIds)];
  if (ids.length === 1) return accounts.get(ids[0]!)?.label ?? 'this account';
  return `${ids.length} accounts`;
}

function deleteMessage(items: TrashItem[], accounts: ReadonlyMap<string, AccountView>): string {
  const one = items.length === 1 ? items[0]! : null;
  const what = one ? `“${one.name}”${one.size !== null ? ` (${formatBytes(one.size)})` : ''}` : describeItems(items);
  return `Permanently delete ${what} from ${fromWhere(items.map((i) => i.accountId), accounts)}? This cannot be undone.`;
}

/** The dialog the trash workflow waits on, if any: Restore to…, missing folders, conflicts, delete, empty. */
export function TrashDialogs({
  flows,
  accounts,
  shown,
  totals,
}: {
  flows: TrashWorkflows;
  accounts: ReadonlyMap<string, AccountView>;
  /** The accounts on screen, and each one's listing as loaded so far. */
  shown: readonly AccountView[];
  totals: readonly AccountTotals[];
}) {
  const cachedTotals = useCachedTotals();
  const dialog = flows.dialog;
  /** An account's trash as loaded so far: from the listings in view, else from the cache. */
  const totalsOf = (accountId: string) => totals[shown.findIndex((a) => a.id === accountId)] ?? cachedTotals(accountId);
  switch (dialog?.kind) {
    case 'restore-to':
      return (
        <RestoreDialog
          items={dialog.items}
          accountId={dialog.accountId}
          accountLabel={accounts.get(dialog.accountId)?.label ?? ''}
          initialFolder={dialog.folder}
          onCancel={flows.closeDialog}
          onRestore={(folder) => void flows.restoreInto(dialog.items, folder)}
        />
      );
    case 'missing-folders':
      return (
        <MissingFoldersDialog
          folders={dialog.folders}
          canRecreate={dialog.items.some((i) => accounts.get(i.accountId)?.kind !== 'docspace')}
          onCancel={flows.closeDialog}
          onConfirm={() => void flows.continueWithoutFolders(dialog)}
        />
      );
    case 'conflicts':
      return <ConflictDialog conflicts={dialog.conflicts} total={dialog.items.length} onCancel={flows.closeDialog} onResolve={(resolutions) => void flows.resolveConflicts(dialog, resolutions)} />;
    case 'delete':
      return (
        <DeleteDialog
          title="Delete permanently?"
          message={deleteMessage(dialog.items, accounts)}
          confirmLabel="Delete permanently"
          onCancel={flows.closeDialog}
          onConfirm={() => void flows.deleteForGood(dialog.items)}
        />
      );
    case 'empty':
      return (
        <DeleteDialog
          title="Empty the trash?"
          message={oneAccountEmptyMessage(accounts.get(dialog.accountId)?.label ?? 'this account', totalsOf(dialog.accountId))}
          confirmLabel="Empty trash"
          onCancel={flows.closeDialog}
          onConfirm={() => void flows.empty([dialog.accountId])}
        />
      );
    case 'empty-many':
      return (
        <EmptyTrashDialog
          accounts={shown}
          totals={new Map(shown.map((a, i) => [a.id, totals[i]!]))}
          onCancel={flows.closeDialog}
          onConfirm={(ids) => void flows.empty(ids)}
        />
      );
    default:
      return null;
  }
}
