/**
 * The native application menu: the standard roles (so copy/paste, zoom, window management and
 * their shortcuts behave as on every other desktop app) plus Help → About Salvage. Developer
 * tools appear only in unpackaged (development) builds.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuDeps {
  appName: string;
  platform: NodeJS.Platform;
  /** True in development (unpackaged) builds only. */
  devTools: boolean;
  showAbout: () => void;
  /** The project's home page (package.json "homepage"); no Help link when there is none. */
  homepage?: string | undefined;
  /** Opens a URL in the system browser after the allow-check (see security.ts). */
  openExternal: (url: string) => void;
}

export function menuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const mac = deps.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: deps.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: '&File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? ([{ role: 'pasteAndMatchStyle' }] as MenuItemConstructorOptions[]) : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(deps.devTools ? ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: '&Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: '&Help',
    role: 'help',
    submenu: [
      ...(deps.homepage
        ? ([
            { label: `${deps.appName} on the web`, click: () => deps.openExternal(deps.homepage!) },
          ] as MenuItemConstructorOptions[])
        : []),
      ...(mac
        ? ([{ role: 'about' }] as MenuItemConstructorOptions[])
        : ([{ label: `&About ${deps.appName}`, click: () => deps.showAbout() }] as MenuItemConstructorOptions[])),
    ],
  });
  return template;
}
