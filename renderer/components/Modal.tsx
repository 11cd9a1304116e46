import type { ReactNode } from 'react';
import { Dialog, Heading, Modal as AriaModal, ModalOverlay } from 'react-aria-components';

/**
 * The one modal frame every dialog uses: React Aria's overlay (focus trap, Escape, inert
 * background, focus restored on close) with a heading that labels it.
 */
export function Modal({
  title,
  isOpen,
  onClose,
  children,
  role = 'dialog',
  className,
  dismissable = true,
}: {
  title: string;
  isOpen: boolean;
  onClose: () => void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  dismissable?: boolean;
}) {
  return (
    <ModalOverlay
      className="modal-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => !open && onClose()}
      isDismissable={dismissable}
      isKeyboardDismissDisabled={!dismissable}
    >
      <AriaModal className={`modal ${className ?? ''}`}>
        <Dialog role={role} className="dialog">
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          {children}
        </Dialog>
      </AriaModal>
    </ModalOverlay>
  );
}
