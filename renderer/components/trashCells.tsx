import type { ReactElement } from 'react';
import type { AccountView, TrashItem } from '../../shared/model';
import { folderLabel } from '../../shared/location';
import { FILE_TYPE_LABELS, fileTypeOf } from '../lib/fileType';
import { formatBytes, formatDaysLeft, formatExact, formatRelative } from '../lib/format';
import { retentionNote } from '../lib/retention';
import type { ColumnId } from '../lib/trashColumns';
import { AccountBadge, AccountSwatch } from './AccountBadge';
import { FileIcon } from './FileIcon';
import { SalvageMoveTag } from './SalvageMoveTag';

export interface CellProps {
  item: TrashItem;
  account: AccountView | undefined;
  /** In a folder-grouped view, this row starts its folder's group. */
  groupStart: boolean;
  /** The Account column is hidden in All accounts: the location carries the account's badge. */
  accountTag: boolean;
}

/**
 * How each column's cell renders, by column id (the columns themselves, their headers, widths and
 * sorts are lib/trashColumns.ts): a column without a cell here, or a cell without a column, does not compile.
 * The row calls these as plain functions (no component, no fiber of their own): no hooks in them
 * (components inside, like AccountBadge, may have theirs), and each gives its root its column id as key.
 */
export const CELLS = {
  name: function NameCell({ item }: CellProps) {
    const type = fileTypeOf(item);
    return (
      <div key="name" role="gridcell" className="cell-name" title={item.name}>
        <FileIcon type={type} />
        <span className="name-text">{item.name}</span>
        {item.movedBySalvage && <SalvageMoveTag move={item.movedBySalvage} />}
        {item.cannotRestore && (
          <span className="row-limit" title={item.cannotRestore} data-testid="row-limit">
            view only
          </span>
        )}

        <span className="visually-hidden">
          , {type === 'folder' ? 'folder' : FILE_TYPE_LABELS[type].replace(/s$/, '').toLowerCase()}
        </span>
      </div>
    );
  },
  originalFolder: function FolderCell({ item, groupStart, accountTag }: CellProps) {
    return (
      <div
        key="originalFolder"
        role="gridcell"
        className={`cell-folder ${groupStart ? 'cell-group' : 'cell-muted'}${accountTag ? ' with-account' : ''}`}
        title={folderLabel(item.originalFolder)}
      >
        {/* Narrow windows hide the Account column: the account leads the location (the name keeps its room). */}
        {accountTag && <AccountBadge accountId={item.accountId} />}
        {accountTag ? (
          <span className="folder-text">{folderLabel(item.originalFolder)}</span>
        ) : (
          folderLabel(item.originalFolder)
        )}
      </div>
    );
  },
  deletedAt: function DeletedCell({ item }: CellProps) {
    return (
      <div key="deletedAt" role="gridcell" title={formatExact(item.deletedAt)}>
        {formatRelative(item.deletedAt)}
      </div>
    );
  },
  size: function SizeCell({ item }: CellProps) {
    return (
      <div key="size" role="gridcell" className="align-end">
        {item.kind === 'folder' && item.size === null ? '—' : formatBytes(item.size)}
      </div>
    );
  },
  account: function AccountCell({ item, account }: CellProps) {
    return (
      <div
        key="account"
        role="gridcell"
        className="cell-muted cell-account"
        title={account ? `${account.label} — ${account.serverUrl}` : undefined}
      >
        <AccountSwatch accountId={item.accountId} />
        <span className="cell-account-text">{account?.label ?? item.accountId}</span>
      </div>
    );
  },
  expiresAt: function ExpiresCell({ item, account }: CellProps) {
    return (
      <div
        key="expiresAt"
        role="gridcell"
        className={item.expiresAt ? undefined : 'cell-muted'}
        title={
          item.expiresAt
            ? formatExact(item.expiresAt)
            : account
              ? retentionNote(account.kind, item.deletedAt).long
              : 'The server does not say when it empties its trash'
        }
      >
        {formatDaysLeft(item.expiresAt)}
      </div>
    );
  },
} satisfies Record<ColumnId, (props: CellProps) => ReactElement>;
