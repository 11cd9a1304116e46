/**
 * Keyboard shortcuts for actions on the selection. Pure; tested in shortcuts.test.ts.
 *
 * Restore is Ctrl+Shift+R (⌘⇧R on macOS). Plain Enter and double-click on a row do nothing: a
 * restore is always a deliberate press. Ctrl/⌘+R stays the window's Reload (View menu); in the
 * browser host, Ctrl+Shift+R restores instead of hard-reloading while the trash is open.
 */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Shortcut {
  /** As shown in a tooltip: "Ctrl+Shift+R" or "⌘⇧R". */
  label: string;
  /** The aria-keyshortcuts value: "Control+Shift+R" or "Meta+Shift+R". */
  aria: string;
  matches: (e: KeyLike) => boolean;
}

export function restoreShortcut(mac: boolean): Shortcut {
  return {
    label: mac ? '⌘⇧R' : 'Ctrl+Shift+R',
    aria: mac ? 'Meta+Shift+R' : 'Control+Shift+R',
    matches: (e) =>
      e.key.toLowerCase() === 'r' &&
      e.shiftKey &&
      !e.altKey &&
      (mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey),
  };
}

export const isMacPlatform = () => typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** Restore's shortcut on this machine. */
export const RESTORE_SHORTCUT = restoreShortcut(isMacPlatform());
