import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir';

describe('defaultDataDir', () => {
  it("matches Electron's userData for the app name Salvage", () => {
    expect(defaultDataDir('linux', {}, '/home/a')).toBe(join('/home/a', '.config', 'Salvage'));
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/a')).toBe(join('/x', 'Salvage'));
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe(
      join('/Users/a', 'Library', 'Application Support', 'Salvage'),
    );
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe(
      join('C:\\Users\\a\\AppData\\Roaming', 'Salvage'),
    );
  });
});
