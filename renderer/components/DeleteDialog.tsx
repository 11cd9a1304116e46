import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { Modal } from './Modal';

/**
 * The confirmation before anything is deleted for good. It states exactly what is lost; focus
 * starts on Cancel, so Enter cancels and only a deliberate press on the red button confirms.
 */
export function DeleteDialog({
  title,
  message,
  confirmLabel,
  onCancel,
  onConfirm,
  children,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
  /** What goes in detail, below the sentence (per account, folders, what is left out). */
  children?: ReactNode;
}) {
  return (
    <Modal title={title} isOpen onClose={onCancel} role="alertdialog" className="delete-dialog">
      <p className="delete-message" data-testid="delete-message">
        {message}
      </p>
      {children}
      <div className="dialog-actions">
        <Button className="button" autoFocus onPress={onCancel}>
          Cancel
        </Button>
        <Button className="button danger" onPress={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Modal>
  );
}
