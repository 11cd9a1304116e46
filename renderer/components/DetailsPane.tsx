import { accountWithKind } from '../../shared/kinds';
import type { AccountView, TrashItem } from '../../shared/model';
import { FILE_TYPE_LABELS, fileTypeOf } from '../lib/fileType';
import { describeItems, formatExact, formatSizeExact } from '../lib/format';
import { fullPath } from '../../shared/location';
import { retentionNote } from '../lib/retention';
import { errorText } from '../lib/errorText';
import { usePreview } from '../queries/trash';
import { AccountSwatch } from './AccountBadge';
import { FileIcon } from './FileIcon';
import { salvageMoveText } from './SalvageMoveTag';

/** The item's preview, fetched by main and shown from data; or why there is none. */
function ItemPreview({ item }: { item: TrashItem }) {
  const { preview, loading, error } = usePreview(item);
  if (item.kind === 'folder') return null;
  if (loading)
    return (
      <div className="details-preview details-preview-empty muted" data-testid="details-preview-loading">
        Loading preview…
      </div>
    );
  if (error)
    return (
      <div className="details-preview details-preview-empty muted" data-testid="details-no-preview">
        No preview: {errorText(error)}
      </div>
    );
  if (!preview) return null;
  if (preview.kind === 'none') {
    return (
      <div className="details-preview details-preview-empty muted" data-testid="details-no-preview">
        {preview.message}
      </div>
    );
  }
  return (
    <div className="details-preview">
      <img
        data-testid="details-preview"
        src={`data:${preview.mimeType};base64,${preview.base64}`}
        alt={`Preview of ${item.name}`}
      />
    </div>
  );
}

/** One selected item in full: where it came from, when it was deleted, size, type, account, expiry. */
function ItemDetails({ item, account }: { item: TrashItem; account: AccountView | undefined }) {
  const type = fileTypeOf(item);
  return (
    <>
      <h3 className="details-name">
        <FileIcon type={type} />
        <span>{item.name}</span>
      </h3>
      <ItemPreview item={item} />
      <dl className="details-list">
        <dt>Original path</dt>
        <dd data-testid="details-path">{fullPath(item)}</dd>
        <dt>Account</dt>
        <dd className="details-account">
          <AccountSwatch accountId={item.accountId} />
          {account ? accountWithKind(account) : item.accountId}
        </dd>
        <dt>Deleted</dt>
        <dd>
          {formatExact(item.deletedAt)}
          {item.deletedBy ? ` by ${item.deletedBy}` : ''}
        </dd>
        {item.movedBySalvage && (
          <>
            <dt>{item.movedBySalvage.why === 'replace' ? 'Moved here by Salvage' : 'Moved back by Salvage'}</dt>
            <dd data-testid="details-moved">{salvageMoveText(item.movedBySalvage)}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>{item.kind === 'folder' && item.size === null ? 'not given by the server' : formatSizeExact(item.size)}</dd>
        <dt>Type</dt>
        <dd>
          {type === 'folder'
            ? 'Folder'
            : `${FILE_TYPE_LABELS[type].replace(/s$/, '')}${item.mimeType ? ` (${item.mimeType})` : item.ext ? ` (.${item.ext})` : ''}`}
        </dd>
        <dt>Deleted for good</dt>
        <dd data-testid="details-expiry">
          {item.expiresAt
            ? formatExact(item.expiresAt)
            : account
              ? retentionNote(account.kind, item.deletedAt).long
              : 'Unknown: the server does not say.'}
        </dd>
        {(item.cannotRestore || item.cannotDelete) && (
          <>
            <dt>What you can do</dt>
            <dd data-testid="details-limits">
              {item.cannotRestore
                ? `Cannot be restored: ${item.cannotRestore}`
                : `Can be restored. Cannot be deleted for good: ${item.cannotDelete}`}
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

/** Beside the list: the details of the selected item (or how many are selected), with Close. */
export function DetailsPane({
  selected,
  accounts,
  onClose,
}: {
  selected: readonly TrashItem[];
  accounts: ReadonlyMap<string, AccountView>;
  onClose: () => void;
}) {
  const one = selected.length === 1 ? selected[0]! : null;
  return (
    <aside className="details-pane" aria-label="Details" data-testid="details-pane">
      <div className="details-head">
        <h2>Details</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      {one ? (
        <ItemDetails item={one} account={accounts.get(one.accountId)} />
      ) : (
        <p className="muted">
          {selected.length
            ? `${describeItems([...selected])} selected.`
            : 'Select an item to see where it came from, when it was deleted and until when it can be restored.'}
        </p>
      )}
    </aside>
  );
}
