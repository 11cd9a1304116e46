import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutDetail, aboutMessageBox, aboutPanelOptions, showAbout } from './about';
import { menuTemplate } from './menu';

const PROJECT_URL = 'https://example.org/salvage';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label?.replace('&', ''));

describe('menuTemplate', () => {
  const deps = (platform: NodeJS.Platform, devTools = false) => ({
    appName: 'Salvage',
    platform,
    devTools,
    showAbout: vi.fn(),
    openExternal: vi.fn(),
  });

  it('has Edit, View, Window and Help with the standard roles on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const template = menuTemplate(deps(platform));
      expect(labels(template)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      expect(roles(template)).toEqual(
        expect.arrayContaining([
          'quit',
          'undo',
          'redo',
          'cut',
          'copy',
          'paste',
          'selectAll',
          'reload',
          'resetZoom',
          'zoomIn',
          'zoomOut',
          'togglefullscreen',
          'windowMenu',
          'minimize',
          'close',
          'help',
        ]),
      );
    }
  });

  it('has the app menu with About on macOS', () => {
    const template = menuTemplate(deps('darwin'));
    expect(labels(template)).toEqual(['Salvage', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(template)).toEqual(
      expect.arrayContaining(['about', 'hide', 'hideOthers', 'quit', 'front', 'zoom', 'pasteAndMatchStyle']),
    );
  });

  it('has no web link without a homepage', () => {
    const help = menuTemplate(deps('linux')).find((m) => m.role === 'help')!.submenu as MenuItemConstructorOptions[];
    expect(help.map((i) => i.label)).toEqual(['&About Salvage']);
  });

  it('offers developer tools only in development builds', () => {
    expect(roles(menuTemplate(deps('linux')))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate(deps('linux', true)))).toContain('toggleDevTools');
  });

  it('opens About and the project page through the given (checked) functions', () => {
    const d = { ...deps('linux'), homepage: PROJECT_URL };
    const help = menuTemplate(d).find((m) => m.role === 'help')!.submenu as MenuItemConstructorOptions[];
    const click = (label: RegExp) => (help.find((i) => label.test(i.label ?? ''))!.click as () => void)();
    click(/About Salvage/);
    expect(d.showAbout).toHaveBeenCalledOnce();
    click(/on the web/);
    expect(d.openExternal).toHaveBeenCalledWith(PROJECT_URL);
  });
});

describe('About', () => {
  const info = { name: 'Salvage', version: '1.2.3', versions: { electron: '45.5.0', chrome: '140.0', node: '22.1.0' } };
  it('shows the version and what it runs on', () => {
    expect(aboutDetail(info)).toContain('Version 1.2.3');
    expect(aboutDetail(info)).toContain('Electron 45.5.0');
    expect(aboutMessageBox(info)).toMatchObject({ title: 'About Salvage', message: 'Salvage 1.2.3', type: 'info' });
    expect(aboutPanelOptions(info)).toMatchObject({ applicationName: 'Salvage', applicationVersion: '1.2.3' });
  });
  it('opens a message box attached to the window', () => {
    const dialog = { showMessageBox: vi.fn().mockResolvedValue({ response: 0 }) };
    const win = {} as Parameters<typeof showAbout>[1];
    showAbout(dialog as never, win, info);
    expect(dialog.showMessageBox).toHaveBeenCalledWith(win, expect.objectContaining({ message: 'Salvage 1.2.3' }));
  });
});
