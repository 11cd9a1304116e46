import { useEffect, useRef } from 'react';
import type { Shortcut } from '../lib/shortcuts';

/**
 * Runs `action` when the shortcut is pressed anywhere in the window, except while a dialog is open
 * (dialogs own the keyboard then). The browser's own meaning of the keys is suppressed even when
 * `enabled` is false, so the same keys never do two different things.
 */
export function useShortcut(shortcut: Shortcut, action: () => void, enabled: boolean) {
  const latest = useRef({ action, enabled });
  useEffect(() => {
    latest.current = { action, enabled };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!shortcut.matches(e) || document.querySelector('.modal-overlay')) return;
      e.preventDefault();
      if (!e.repeat && latest.current.enabled) latest.current.action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcut]);
}
