/**
 * The Electron main process: one hardened window serving the renderer from app://salvage, the
 * dispatcher on ipcMain, and the same services the browser host runs, with the encrypted vault
 * and the accounts file in userData. Every security decision lives in a tested module:
 * window.ts (window and session), security.ts (CSP, URL checks, IPC sender check),
 * desktop/tls.ts (certificates), vault.ts, desktop/account-store.ts, desktop/window-state.ts.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { FileWatchStore } from '../../persistence/watch-store';
import type { WatchView } from '../../../shared/watch';
import { AlertNotifier } from './notify';
import { WatchTray } from './tray';
import { existsSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDemoLauncher } from '../../demo/launcher';
import { createDispatcher } from '../../services/dispatcher';
import { aboutPanelOptions, showAbout, type AboutInfo } from './about';
import { FileAccountStore } from '../../persistence/account-store';
import { FileLedgerStore } from '../../persistence/ledger-store';
import { menuTemplate } from './menu';
import { certificateErrorHandler, type PinnedServer } from '../../net/tls';
import { loadWindowState, trackWindowState } from './window-state';
import { forwardEvents, registerIpc } from './ipc';
import { FileOperationJournal } from '../../operations/journal';
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isSignInPageUrl,
  isTrustedIpcCaller,
  openExternalChecked,
} from '../security';
import { createServices } from '../../services/index';
import { installSafetyNet } from '../safetyNet';
import { setRequestTimeout } from '../../net/http';
import { safeStorageCipher, Vault } from '../../persistence/vault';
import { hardenSession, hardenWebContents, windowOptions } from './window';

// Built, this is out/main/main.js beside out/renderer and out/preload; run from its source (tests),
// the same relative paths are taken from electron/.
const here = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../..' : '.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/preload.cjs');

// Tests and portable setups may point userData elsewhere (the vault and accounts file live there).
if (process.env.SALVAGE_USER_DATA) app.setPath('userData', process.env.SALVAGE_USER_DATA);
// How long a server may take to answer each request (seconds; default 30).
if (process.env.SALVAGE_TIMEOUT) setRequestTimeout(Number(process.env.SALVAGE_TIMEOUT));

// Before anything else: every renderer sandboxed, the app scheme privileged, one instance only.
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('app.salvage.desktop'); // taskbar grouping, matches build.appId
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let pins: PinnedServer[] = [];
let mainWindow: BrowserWindow | null = null;
/** Opens the window (again, when it was closed while the watch went on); set once the app is ready. */
let openWindow: (() => BrowserWindow) | null = null;
/** The tray that keeps the watch running with the window closed; null where it could not be made. */
let tray: WatchTray | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Chromium's certificate errors: refused unless an account pinned exactly that certificate.
  app.on(
    'certificate-error',
    certificateErrorHandler(() => pins),
  );
  app.on('second-instance', () => {
    if (!mainWindow) {
      openWindow?.();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  // macOS: the dock icon opens the window the watch kept running without.
  app.on('activate', () => {
    if (!mainWindow) openWindow?.();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { openExternal: (url) => void shell.openExternal(url) });
  });
  // With the tray there, the watch goes on when the window closes (Quit Salvage in the tray ends it).
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  void app.whenReady().then(start);
}

/** Serves the built renderer from app://salvage/, refusing anything outside its folder. */
function serveRenderer() {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const path = normalize(join(rendererDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    const rel = relative(rendererDir, path);
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || !existsSync(path))
      return new Response('Not found', { status: 404 });
    // The CSP rides on the response itself too (custom-protocol responses may bypass webRequest).
    const file = await net.fetch(pathToFileURL(path).toString());
    const headers = new Headers(file.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(file.body, { status: file.status, headers });
  });
}

function start() {
  const dataDir = app.getPath('userData');
  hardenSession(session.defaultSession);
  serveRenderer();

  const accounts = new FileAccountStore(join(dataDir, 'accounts.json'));
  const secrets = new Vault({
    file: join(dataDir, 'vault.json'),
    cipher: safeStorageCipher(safeStorage, process.platform),
  });
  const refreshPins = () => {
    pins = accounts
      .list()
      .filter((a) => a.trustedCertFingerprint)
      .map((a) => ({ serverUrl: a.serverUrl, fingerprint: a.trustedCertFingerprint! }));
  };
  refreshPins();
  for (const notice of [...accounts.notices(), ...secrets.notices()]) console.warn(`[salvage] ${notice.message}`);

  const services = createServices({
    host: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    accounts,
    secrets,
    journal: new FileOperationJournal(dataDir),
    // Salvage's record of what it moved back to the trash lives with the accounts.
    ledger: new FileLedgerStore(join(dataDir, 'moves.json')),
    watchStore: new FileWatchStore(join(dataDir, 'watch.json')),
    demo: createDemoLauncher(),
    // Browser sign-ins (OpenID Connect) open in the system browser: https, or http on loopback (test servers).
    openExternal: (url) => isSignInPageUrl(url) && openExternalChecked((u) => shell.openExternal(u), url),
  });
  services.bus.subscribe((name) => {
    if (name === 'accounts:changed') refreshPins();
  });
  // An error that escapes every handler keeps the window: running batches are stopped and
  // journaled for Resume, the window gets 'app:problem', and a message box says it (one at a time).
  let problemShown = false;
  installSafetyNet(process, {
    interrupt: (reason) => services.runner.interruptRunning(reason),
    bus: services.bus,
    log: (line) => console.error(line),
    notify: (message) => {
      if (problemShown) return;
      problemShown = true;
      const box = {
        type: 'error' as const,
        title: 'Salvage',
        message: 'Something went wrong inside Salvage',
        detail: message,
        buttons: ['OK'],
      };
      void (mainWindow ? dialog.showMessageBox(mainWindow, box) : dialog.showMessageBox(box)).finally(
        () => (problemShown = false),
      );
    },
  });
  // First launch: open on the demo accounts so there is something to look at (the UI updates on accounts:changed).
  if (services.accounts.list().length === 0 && process.env.SALVAGE_NO_DEMO !== '1') {
    services.accounts
      .openDemo()
      .catch((e: unknown) => console.warn('[salvage] demo unavailable:', e instanceof Error ? e.message : e));
  }
  const dispatch = createDispatcher({
    handlers: services.handlers,
    isTrustedCaller: isTrustedIpcCaller,
    onInternalError: (channel, error) =>
      console.error(`[salvage] ${channel} failed:`, error instanceof Error ? error.message : 'error'),
  });
  registerIpc(ipcMain, dispatch);

  const about: AboutInfo = { name: 'Salvage', version: app.getVersion(), versions: process.versions };
  app.setAboutPanelOptions(aboutPanelOptions(about));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        appName: 'Salvage',
        platform: process.platform,
        devTools: !app.isPackaged,
        showAbout: () => showAbout(dialog, mainWindow, about),
        openExternal: (url) => openExternalChecked((u) => shell.openExternal(u), url),
      }),
    ),
  );

  const stateFile = join(dataDir, 'window-state.json');
  openWindow = () => {
    const state = loadWindowState(
      stateFile,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const { maximized, ...bounds } = state;
    const win = new BrowserWindow(windowOptions(preloadPath, bounds, { devTools: !app.isPackaged }));
    mainWindow = win;
    trackWindowState(win, stateFile, { onError: () => console.warn('[salvage] could not save the window position') });
    const stopForwarding = forwardEvents(services.bus, win.webContents);
    win.once('ready-to-show', () => {
      if (maximized) win.maximize();
      win.show();
    });
    win.on('closed', () => {
      stopForwarding();
      mainWindow = null;
    });
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    return win;
  };
  openWindow();

  // The watch: checks every watched account every few minutes, from the tray while the window is closed.
  const showWindow = () => {
    const win = mainWindow ?? openWindow!();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const notifier = new AlertNotifier((alertId) => {
    showWindow();
    services.watch.requestOpen(alertId);
  });
  try {
    tray = new WatchTray(
      { open: showWindow, checkNow: () => void services.watch.round(), quit: () => app.quit() },
      process.platform,
    );
  } catch (e) {
    console.warn('[salvage] no tray icon: the watch stops when the window closes.', e instanceof Error ? e.message : e);
  }
  services.bus.subscribe((name, payload) => {
    if (name === 'watch:changed') tray?.update(payload as WatchView);
    // In the window's face already when it has the focus: it shows the alert itself.
    if (name === 'watch:alert' && !mainWindow?.isFocused())
      notifier.show(payload as Parameters<AlertNotifier['show']>[0]);
  });
  services.watch.start();
  app.on('before-quit', () => {
    services.watch.stop();
    tray?.destroy();
    tray = null;
  });
}
