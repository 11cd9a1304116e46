import { Button } from 'react-aria-components';
import type { TrashItem } from '../../shared/model';
import { folderLabel } from '../../shared/location';
import { formatDateTime } from '../lib/format';
import { Modal } from './Modal';

/** The last folder of a path as people say it: "/Projects/Client X/Drafts" → "Drafts". */
const lastName = (path: string) => folderLabel(path).split(' / ').at(-1) ?? path;

/**
 * Before a restore whose original folders are gone: says which, in the window's own words
 * ("Home / Projects / Client X / Drafts"), and what will happen — WebDAV servers get the folders
 * made again; DocSpace cannot restore into a folder that no longer exists, so those items stay in
 * the trash for "Restore to…". Where a missing folder is itself in the trash, it says so and offers
 * to restore it with the items (they go back inside it) instead of making an empty one.
 */
export function MissingFoldersDialog({
  folders,
  canRecreate,
  trashedFolders,
  onCancel,
  onConfirm,
  onRestoreWithFolders,
}: {
  folders: string[];
  canRecreate: boolean;
  /** Missing folders that are in the trash themselves (a trashed folder whose path is the missing one). */
  trashedFolders: readonly TrashItem[];
  onCancel: () => void;
  onConfirm: () => void;
  onRestoreWithFolders: () => void;
}) {
  const shown = folders.slice(0, 8);
  const more = folders.length - shown.length;
  const one = folders.length === 1;
  const inTrash = trashedFolders.length > 0;
  const title = one
    ? `“${lastName(folders[0]!)}” is no longer there`
    : `${folders.length} original folders are no longer there`;
  return (
    <Modal title={title} isOpen onClose={onCancel} className="missing-folders-dialog">
      <p>
        {one
          ? 'The items go back into a folder that no longer exists:'
          : 'The items go back into folders that no longer exist:'}
      </p>
      <ul className="missing-folders" data-testid="missing-folders">
        {shown.map((f) => (
          <li key={f}>{folderLabel(f)}</li>
        ))}
        {more > 0 && <li>and {more} more</li>}
      </ul>
      {inTrash && (
        <p className="missing-in-trash" data-testid="missing-in-trash">
          {trashedFolders.length === 1 ? (
            <>
              “{trashedFolders[0]!.name}” itself is in the trash (deleted {formatDateTime(trashedFolders[0]!.deletedAt)}
              ). Restore it with these items: it comes back with everything still in it, and the items go back inside
              it.
            </>
          ) : (
            <>
              {trashedFolders.map((f) => `“${f.name}”`).join(', ')} are in the trash themselves. Restore them with these
              items: they come back with everything still in them, and the items go back inside.
            </>
          )}
        </p>
      )}
      <p>
        {canRecreate
          ? `${inTrash ? 'Or Salvage' : 'Salvage'} makes ${one ? 'the folder' : 'the folders'} again, empty, and puts the items back inside.`
          : `The server cannot put items back into a folder that no longer exists: those items stay in the trash and are listed as not restored. Use “Restore to…” to choose another folder for them.`}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button className={`button${inTrash ? '' : ' primary'}`} autoFocus={!inTrash} onPress={onConfirm}>
          {canRecreate
            ? one
              ? 'Make the folder again and restore'
              : 'Make the folders again and restore'
            : 'Restore the others'}
        </Button>
        {inTrash && (
          <Button
            className="button primary"
            autoFocus
            onPress={onRestoreWithFolders}
            data-testid="restore-with-folders"
          >
            {trashedFolders.length === 1
              ? `Restore with “${trashedFolders[0]!.name}”`
              : `Restore with the ${trashedFolders.length} folders`}
          </Button>
        )}
      </div>
    </Modal>
  );
}
