import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isAppUrl, openExternalChecked } from '../security';
import { MIN_HEIGHT, MIN_WIDTH } from './window-state';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** The BrowserWindow options: every security setting explicit, whatever Electron's defaults are. */
export function windowOptions(
  preloadPath: string,
  bounds: WindowBounds,
  options: { devTools?: boolean; icon?: string } = {},
): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    ...(options.icon ? { icon: options.icon } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: 'Salvage',
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools ?? false,
    },
  };
}

/** Session-wide rules: no permissions, the CSP header on every response, no downloads. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  session.on('will-download', (event) => event.preventDefault());
}

export interface ContentsDeps {
  /** The system browser (shell.openExternal); only ever called with URLs that passed the allow-check. */
  openExternal: (url: string) => void;
}

/** Per-window rules: no navigation away from the app, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents, deps: ContentsDeps): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalChecked(deps.openExternal, url);
    return { action: 'deny' };
  });
}
