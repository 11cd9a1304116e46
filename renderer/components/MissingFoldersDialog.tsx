import { Button } from 'react-aria-components';
import { Modal } from './Modal';

/**
 * Before a restore whose original folders are gone: says which, and what will happen — WebDAV
 * servers get the folders created again; DocSpace cannot restore into a folder that no longer
 * exists, so those items are left in the trash for "Restore to…".
 */
export function MissingFoldersDialog({
  folders,
  canRecreate,
  onCancel,
  onConfirm,
}: {
  folders: string[];
  canRecreate: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const shown = folders.slice(0, 8);
  const more = folders.length - shown.length;
  const one = folders.length === 1;
  return (
    <Modal title={one ? 'The original folder is gone' : `${folders.length} original folders are gone`} isOpen onClose={onCancel} className="missing-folders-dialog">
      <p>{one ? 'This folder no longer exists:' : 'These folders no longer exist:'}</p>
      <ul className="missing-folders" data-testid="missing-folders">
        {shown.map((f) => (
          <li key={f}>{f}</li>
        ))}
        {more > 0 && <li>and {more} more</li>}
      </ul>
      <p>
        {canRecreate
          ? `Salvage will create ${one ? 'it' : 'them'} again and put the items back inside.`
          : `The server cannot put items back into a folder that no longer exists: those items stay in the trash and are listed as not restored. Use “Restore to…” to choose another folder for them.`}
      </p>
      <div className="dialog-actions">
        <Button className="button" onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button primary" autoFocus onPress={onConfirm}>
          {canRecreate ? 'Recreate and restore' : 'Restore the others'}
        </Button>
      </div>
    </Modal>
  );
}
