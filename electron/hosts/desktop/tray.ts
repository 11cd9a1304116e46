/**
 * The tray icon (the menu bar on macOS) that keeps the watch running while the window is closed:
 * what it watches, Open Salvage, Check now, and Quit Salvage one click away (quitting stops the
 * watch). Clicking the icon opens the window on Windows and Linux; on macOS it opens the menu.
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { WatchView } from '../../../shared/watch';
import { TRAY_ICON_16, TRAY_ICON_32 } from './tray-icon';

export interface TrayActions {
  open(): void;
  checkNow(): void;
  quit(): void;
}

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * One line on what the watch does: "Watching 2 accounts · checked 14:05", "1 account could not be checked", "Not
 * watching any account".
 */
export function trayStatus(view: WatchView | null): string {
  const watched = view?.accounts.filter((a) => a.enabled) ?? [];
  if (watched.length === 0) return 'Not watching any account';
  const failed = watched.filter((a) => a.error !== null).length;
  if (failed) return `${failed} account${failed === 1 ? '' : 's'} could not be checked`;
  const last = watched.map((a) => (a.lastCheckAt ? Date.parse(a.lastCheckAt) : 0)).reduce((a, b) => Math.max(a, b), 0);
  return `Watching ${watched.length} account${watched.length === 1 ? '' : 's'}${last ? ` · checked ${time.format(last)}` : ''}`;
}

export function trayMenu(view: WatchView | null, actions: TrayActions): MenuItemConstructorOptions[] {
  const found = view?.alerts.filter((a) => a.kind === 'deletion').length ?? 0;
  return [
    { label: 'Open Salvage', click: () => actions.open() },
    { type: 'separator' },
    { label: trayStatus(view), enabled: false },
    ...(found
      ? ([
          { label: `${found} deletion event${found === 1 ? '' : 's'} found — open`, click: () => actions.open() },
        ] as MenuItemConstructorOptions[])
      : []),
    { label: 'Check now', click: () => actions.checkNow(), enabled: view?.accounts.some((a) => a.enabled) ?? false },
    { type: 'separator' },
    { label: 'Quit Salvage', click: () => actions.quit() },
  ];
}

export class WatchTray {
  private readonly tray: Tray;

  constructor(
    private readonly actions: TrayActions,
    platform: NodeJS.Platform,
  ) {
    const image = nativeImage.createFromDataURL(TRAY_ICON_16);
    image.addRepresentation({ scaleFactor: 2, dataURL: TRAY_ICON_32 });
    this.tray = new Tray(image);
    if (platform !== 'darwin') this.tray.on('click', () => actions.open());
    this.update(null);
  }

  update(view: WatchView | null): void {
    this.tray.setToolTip(`Salvage — ${trayStatus(view)}`);
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(view, this.actions)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
