import { describe, expect, it } from 'vitest';
import { restoreShortcut } from './shortcuts';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('restore shortcut', () => {
  it('is Ctrl+Shift+R, and not Enter, Ctrl+R (reload) or Ctrl+Alt+Shift+R', () => {
    const s = restoreShortcut(false);
    expect(s.label).toBe('Ctrl+Shift+R');
    expect(s.aria).toBe('Control+Shift+R');
    expect(s.matches(key('R', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(s.matches(key('r', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(s.matches(key('Enter'))).toBe(false);
    expect(s.matches(key('r', { ctrlKey: true }))).toBe(false);
    expect(s.matches(key('R', { ctrlKey: true, shiftKey: true, altKey: true }))).toBe(false);
    expect(s.matches(key('R', { metaKey: true, shiftKey: true }))).toBe(false);
  });

  it('is ⌘⇧R on macOS', () => {
    const s = restoreShortcut(true);
    expect(s.aria).toBe('Meta+Shift+R');
    expect(s.matches(key('R', { metaKey: true, shiftKey: true }))).toBe(true);
    expect(s.matches(key('R', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });
});
