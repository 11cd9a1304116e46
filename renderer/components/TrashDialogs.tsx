import { kindInfo } from '../../shared/kinds';
import type { AccountView, TrashItem } from '../../shared/model';
import type { TrashWorkflows } from '../actions/trash';
import { accountBusyReason } from '../lib/busy';
import { describeItems, formatBytes, plural } from '../lib/format';
import { accountNames, foldersNote, leftOutText, type AccountTotals } from '../lib/trashTotals';
import { useRunningOps } from '../queries/operations';
import { useCachedTotals } from '../queries/trash';
import { folderLabel, fullPath } from '../../shared/location';
import { AccountBadge } from './AccountBadge';
import { ConflictDialog } from './ConflictDialog';
import { DeleteDialog } from './DeleteDialog';
import { EmptyTrashDialog } from './EmptyTrashDialog';
import { MissingFoldersDialog } from './MissingFoldersDialog';
import { RestoreDialog } from './RestoreDialog';

/** Where items came from, for a confirmation sentence: one account's label, up to three names, or "4 accounts". */
function fromWhere(accountIds: Iterable<string>, accounts: ReadonlyMap<string, AccountView>): string {
  const ids = [...new Set(accountIds)];
  return accountNames(ids.map((id) => accounts.get(id)?.label ?? 'an account that was removed'));
}

function deleteMessage(items: TrashItem[], accounts: ReadonlyMap<string, AccountView>): string {
  const one = items.length === 1 ? items[0]! : null;
  const what = one
    ? `“${one.name}”${one.kind === 'folder' ? ' (a folder, with everything in it)' : one.size !== null ? ` (${formatBytes(one.size)})` : ''}`
    : describeItems(items);
  return `Permanently delete ${what} from ${fromWhere(
    items.map((i) => i.accountId),
    accounts,
  )}? This cannot be undone.`;
}

/**
 * Below the sentence: per account (when several), how many of its items go; folders going whole; what is left out and
 * why.
 */
function DeleteScope({ items, leftOut }: { items: TrashItem[]; leftOut: TrashItem[] }) {
  const byAccount = new Map<string, TrashItem[]>();
  for (const i of items) byAccount.set(i.accountId, [...(byAccount.get(i.accountId) ?? []), i]);
  const folders = items.filter((i) => i.kind === 'folder');
  const reasons = new Map<string, number>();
  for (const i of leftOut) reasons.set(i.cannotDelete ?? '', (reasons.get(i.cannotDelete ?? '') ?? 0) + 1);
  const folderLine =
    folders.length === 0 || items.length === 1
      ? null
      : folders.length <= 3
        ? `${folders.map((f) => `“${f.name}”`).join(', ')} ${folders.length === 1 ? 'is a folder and goes' : 'are folders and go'} with everything in ${folders.length === 1 ? 'it' : 'them'}.`
        : foldersNote(folders.length);
  if (byAccount.size < 2 && !folderLine && reasons.size === 0) return null;
  return (
    <ul className="empty-scope delete-scope" data-testid="delete-scope">
      {byAccount.size > 1 &&
        [...byAccount].map(([accountId, list]) => (
          <li key={accountId}>
            <AccountBadge accountId={accountId} /> {describeItems(list)}
          </li>
        ))}
      {folderLine && <li className="muted">{folderLine}</li>}
      {[...reasons].map(([reason, count]) => (
        <li key={reason} className="warn-text" data-testid="delete-left-out">
          {leftOutText({ reason, count })}
        </li>
      ))}
    </ul>
  );
}

/**
 * The trashed folders whose path is one of the missing ones (of the same accounts as the items):
 * restoring them brings the folder back instead of an empty one.
 */
function trashedFoldersAt(
  missing: readonly string[],
  items: readonly TrashItem[],
  trash: readonly TrashItem[],
): TrashItem[] {
  const accounts = new Set(items.map((i) => i.accountId));
  const wanted = new Set(missing.map((m) => folderLabel(m)));
  return trash.filter(
    (t) => t.kind === 'folder' && t.parentId === null && accounts.has(t.accountId) && wanted.has(fullPath(t)),
  );
}

/**
 * Whether a restore into this account can recreate a missing folder (the kind registry says; an account not in the list
 * counts as able).
 */
const recreatesFolders = (account: AccountView | undefined) =>
  account === undefined || kindInfo(account.kind).recreatesFolders;

/** The dialog the trash workflow waits on, if any: Restore to…, missing folders, conflicts, delete, empty. */
export function TrashDialogs({
  flows,
  accounts,
  shown,
  totals,
  trashItems,
}: {
  flows: TrashWorkflows;
  accounts: ReadonlyMap<string, AccountView>;
  /** The accounts on screen, and each one's listing as loaded so far. */
  shown: readonly AccountView[];
  totals: readonly AccountTotals[];
  /** The loaded trash (to tell which missing folders are in it themselves). */
  trashItems: readonly TrashItem[];
}) {
  const cachedTotals = useCachedTotals();
  const running = useRunningOps();
  const dialog = flows.dialog;
  // Accounts a batch still runs on: not emptied until it ends.
  const busyReasons = new Map<string, string>();
  for (const a of accounts.values()) {
    const reason = accountBusyReason(a.id, a.label, running);
    if (reason) busyReasons.set(a.id, reason);
  }
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
    case 'missing-folders': {
      const folders = trashedFoldersAt(dialog.folders, dialog.items, trashItems);
      return (
        <MissingFoldersDialog
          folders={dialog.folders}
          canRecreate={dialog.items.some((i) => recreatesFolders(accounts.get(i.accountId)))}
          trashedFolders={folders}
          onCancel={flows.closeDialog}
          onConfirm={() => void flows.continueWithoutFolders(dialog)}
          onRestoreWithFolders={() => void flows.restoreWithFolders(dialog, folders)}
        />
      );
    }
    case 'conflicts':
      return (
        <ConflictDialog
          conflicts={dialog.conflicts}
          total={dialog.items.length}
          onCancel={flows.closeDialog}
          onResolve={(resolutions) => void flows.resolveConflicts(dialog, resolutions)}
        />
      );
    case 'delete':
      return (
        <DeleteDialog
          title="Delete permanently?"
          message={deleteMessage(dialog.items, accounts)}
          confirmLabel={
            dialog.items.length === 1
              ? 'Delete permanently'
              : `Delete ${plural(dialog.items.length, 'item')} permanently`
          }
          onCancel={flows.closeDialog}
          onConfirm={() => void flows.deleteForGood(dialog.items)}
        >
          <DeleteScope items={dialog.items} leftOut={dialog.leftOut} />
        </DeleteDialog>
      );
    case 'empty': {
      const account = accounts.get(dialog.accountId);
      if (!account) return null;
      return (
        <EmptyTrashDialog
          accounts={[account]}
          totals={new Map([[account.id, totalsOf(account.id)]])}
          initiallyTicked={[account.id]}
          busyReasons={busyReasons}
          onCancel={flows.closeDialog}
          onConfirm={(ids) => void flows.empty(ids)}
        />
      );
    }
    case 'empty-many':
      return (
        <EmptyTrashDialog
          accounts={shown}
          totals={new Map(shown.map((a, i) => [a.id, totals[i]!]))}
          busyReasons={busyReasons}
          onCancel={flows.closeDialog}
          onConfirm={(ids) => void flows.empty(ids)}
        />
      );
    default:
      return null;
  }
}
