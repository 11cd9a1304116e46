/**
 * The About box: product name, version, and the Electron/Chromium/Node versions it runs on.
 * macOS (and Linux) show the native panel configured by app.setAboutPanelOptions; Help → About
 * on Windows and Linux opens a message box with the same text.
 */
import type { AboutPanelOptionsOptions, BrowserWindow, Dialog, MessageBoxOptions } from 'electron';

export interface AboutInfo {
  name: string;
  version: string;
  versions: { electron?: string | undefined; chrome?: string | undefined; node?: string | undefined };
  iconPath?: string;
}

export function aboutDetail(info: AboutInfo): string {
  return [
    `Version ${info.version}`,
    '',
    'Gets deleted files back from the trash of your cloud file servers.',
    '',
    `Electron ${info.versions.electron ?? '?'} · Chromium ${info.versions.chrome ?? '?'} · Node ${info.versions.node ?? '?'}`,
  ].join('\n');
}

export function aboutPanelOptions(info: AboutInfo): AboutPanelOptionsOptions {
  return {
    applicationName: info.name,
    applicationVersion: info.version,
    version: info.versions.electron ? `Electron ${info.versions.electron}` : '',
    credits: 'Gets deleted files back from the trash of your cloud file servers.',
    copyright: 'MIT License',
    ...(info.iconPath ? { iconPath: info.iconPath } : {}),
  };
}

export function aboutMessageBox(info: AboutInfo): MessageBoxOptions {
  return {
    type: 'info',
    title: `About ${info.name}`,
    message: `${info.name} ${info.version}`,
    detail: aboutDetail(info),
    buttons: ['OK'],
    noLink: true,
  };
}

export function showAbout(dialog: Pick<Dialog, 'showMessageBox'>, win: BrowserWindow | null, info: AboutInfo): void {
  const options = aboutMessageBox(info);
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}
