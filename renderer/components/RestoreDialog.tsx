import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { FolderRef, TrashItem } from '../../shared/model';
import { useCreateFolder } from '../actions/folders';
import { describeItems } from '../lib/format';
import { folderQueries } from '../queries/folders';
import { ErrorLine } from './ErrorLine';
import { FolderTree } from './FolderTree';
import { Modal } from './Modal';
import { folderLabel } from '../../shared/location';

/**
 * "Restore to…": pick a folder of the items' account in a lazy tree, with breadcrumbs, a New
 * folder button and a summary of exactly what will happen. Also confirms a drop onto a folder.
 */
export function RestoreDialog({
  items,
  accountId,
  accountLabel,
  initialFolder,
  onCancel,
  onRestore,
}: {
  items: TrashItem[];
  accountId: string;
  accountLabel: string;
  initialFolder: FolderRef | null;
  onCancel: () => void;
  onRestore: (folder: FolderRef) => void;
}) {
  const [folder, setFolder] = useState<FolderRef | null>(initialFolder);
  const [newName, setNewName] = useState<string | null>(null);
  const root = useQuery(folderQueries.list(accountId, null));
  const current = folder ?? root.data?.folder ?? null;
  const details = useQuery({
    ...folderQueries.list(accountId, current && current.id !== root.data?.folder.id ? current.id : null),
    enabled: Boolean(current),
  });
  const breadcrumbs = details.data?.breadcrumbs ?? [];
  const create = useCreateFolder(accountId, (created) => {
    setNewName(null);
    setFolder(created);
  });
  const where = current ? (current.path ? folderLabel(current.path) : current.name) : '…';
  const summary = current?.canWrite
    ? `Restore ${describeItems(items)} to ${where}`
    : `Choose a folder you can write to for ${describeItems(items)}`;
  const canRestore = Boolean(current?.canWrite);

  return (
    <Modal title="Restore to a folder" isOpen onClose={onCancel} className="restore-dialog">
      <p className="dialog-sub">
        Folders of <strong>{accountLabel}</strong>
      </p>
      <nav aria-label="Chosen folder" className="breadcrumbs">
        <ol>
          {breadcrumbs.map((b, i) => (
            <li key={b.id || i}>
              <button
                type="button"
                className="link"
                onClick={() => setFolder(b)}
                aria-current={i === breadcrumbs.length - 1 ? 'location' : undefined}
              >
                {b.name || 'All files'}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div className="picker-tree">
        <FolderTree
          accountId={accountId}
          label="Folders to restore into"
          selectedId={current?.id ?? null}
          onSelect={setFolder}
          onDropItems={(f) => setFolder(f)}
          initiallyExpanded={breadcrumbs.map((b) => b.id)}
          testId="picker-tree"
        />
      </div>
      {newName === null ? (
        <button type="button" onClick={() => setNewName('')} disabled={!current?.canWrite}>
          New folder
        </button>
      ) : (
        <form
          className="new-folder"
          onSubmit={(e) => {
            e.preventDefault();
            if (newName.trim()) create.mutate({ parentId: current!.id, name: newName.trim() });
          }}
        >
          <label>
            New folder in {where}
            <input
              autoFocus
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
              maxLength={255}
              aria-describedby="new-folder-error"
            />
          </label>
          <button type="submit" disabled={!newName.trim() || create.isPending}>
            Create
          </button>
          <button type="button" onClick={() => setNewName(null)}>
            Cancel
          </button>
          <ErrorLine id="new-folder-error" error={create.error} />
        </form>
      )}
      <p className="restore-summary" data-testid="restore-summary" aria-live="polite">
        {summary}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button primary" isDisabled={!canRestore} onPress={() => current && onRestore(current)}>
          {`Restore ${items.length === 1 ? 'item' : `${items.length.toLocaleString('en-US')} items`} here`}
        </Button>
      </div>
    </Modal>
  );
}
