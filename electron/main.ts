/**
 * The Electron main process: one hardened window serving the renderer from app://salvage,
 * the dispatcher on ipcMain, and the same services the browser host runs.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell } from 'electron';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createDemoLauncher } from '../e2e/servers/demo';
import { createDispatcher } from './core/dispatcher';
import { forwardEvents, registerIpc } from './ipc';
import { FileOperationJournal } from './operations/journal';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, isAppUrl } from './security';
import { createServices } from './services/index';
import { MemoryAccountStore, MemorySecretStore } from './services/stores';
import { hardenSession, hardenWebContents, windowOptions, type WindowBounds } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/preload.cjs');

app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

function windowStateFile() {
  return join(app.getPath('userData'), 'window-state.json');
}

function loadBounds(): WindowBounds {
  try {
    const saved = JSON.parse(readFileSync(windowStateFile(), 'utf8')) as WindowBounds;
    if (saved.width >= 760 && saved.height >= 480) return saved;
  } catch {
    /* first launch */
  }
  return { width: 1200, height: 780 };
}

function saveBounds(win: BrowserWindow) {
  mkdirSync(app.getPath('userData'), { recursive: true });
  writeFileSync(windowStateFile(), JSON.stringify(win.getNormalBounds()), { mode: 0o600 });
}

function start() {
  const dataDir = app.getPath('userData');
  hardenSession(session.defaultSession);

  // Serve the built renderer from app://salvage/, refusing anything outside its folder.
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const path = normalize(join(rendererDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    const rel = relative(rendererDir, path);
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || !existsSync(path)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(path).toString());
  });

  const services = createServices({
    host: 'electron',
    version: app.getVersion(),
    platform: process.platform,
    accounts: new MemoryAccountStore(),
    secrets: new MemorySecretStore(),
    journal: new FileOperationJournal(dataDir),
    demo: createDemoLauncher(),
  });
  const dispatch = createDispatcher({
    handlers: services.handlers,
    isTrustedCaller: (caller) => caller.isMainFrame && isAppUrl(caller.frameUrl),
    onInternalError: (channel, error) => console.error(`[salvage] ${channel} failed:`, error),
  });
  registerIpc(ipcMain, dispatch);

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { openExternal: (url) => void shell.openExternal(url) });
  });

  const win = new BrowserWindow(windowOptions(preloadPath, loadBounds()));
  forwardEvents(services.bus, win.webContents);
  win.once('ready-to-show', () => win.show());
  win.on('close', () => saveBounds(win));
  void win.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
}
