import { useRef } from 'react';
import { Menu, MenuItem, Popover } from 'react-aria-components';

export type ContextAction = 'restore' | 'restore-to' | 'details' | 'delete';

/**
 * The rows' context menu (right click, the Menu key or Shift+F10), at the pointer or the focused
 * row: Restore, Restore to…, Show details, Delete permanently — for the selection, as the toolbar's buttons.
 */
export function TrashContextMenu({
  at,
  count,
  disabled,
  onAction,
  onClose,
}: {
  /** Where to open it (window coordinates); null when closed. */
  at: { x: number; y: number } | null;
  /** How many items the actions act on. */
  count: number;
  disabled: ContextAction[];
  onAction: (action: ContextAction) => void;
  onClose: () => void;
}) {
  const anchor = useRef<HTMLDivElement>(null);
  return (
    <>
      <div ref={anchor} className="context-anchor" style={{ left: at?.x ?? 0, top: at?.y ?? 0 }} aria-hidden="true" />
      <Popover
        className="popover"
        triggerRef={anchor}
        isOpen={at !== null}
        onOpenChange={(open) => !open && onClose()}
        placement="bottom start"
        offset={2}
      >
        <Menu
          className="menu"
          aria-label={count === 1 ? 'Actions on the selected item' : `Actions on ${count} selected items`}
          autoFocus="first"
          disabledKeys={disabled}
          onAction={(key) => {
            onClose();
            onAction(key as ContextAction);
          }}
        >
          <MenuItem className="menu-item" id="restore">
            Restore
          </MenuItem>
          <MenuItem className="menu-item" id="restore-to">
            Restore to…
          </MenuItem>
          <MenuItem className="menu-item" id="details">
            Show details
          </MenuItem>
          <MenuItem className="menu-item danger" id="delete">
            Delete permanently
          </MenuItem>
        </Menu>
      </Popover>
    </>
  );
}
