/**
 * The desktop main process, run against a fake electron module (the real one cannot be
 * required from Node here, and unit tests should not need it anyway). Checks what main.ts does
 * before and after `ready`: sandbox for all renderers, single-instance lock, the privileged app
 * scheme, refused certificate errors, the hardened window, the vault and accounts file in
 * userData, the IPC sender check, menus and About.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { startWebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type * as SafetyNet from '../safetyNet';
import type { SafetyNetOptions } from '../safetyNet';

const fake = vi.hoisted(() => {
  const state = {
    lock: true,
    backend: 'gnome_libsecret',
    userData: '',
    calls: [] as string[],
    appHandlers: {} as Record<string, (...args: unknown[]) => unknown>,
    ipcHandlers: {} as Record<string, (...args: unknown[]) => unknown>,
    protocolHandlers: {} as Record<string, (request: Request) => Promise<Response>>,
    windows: [] as { options: Record<string, unknown>; url?: string }[],
    menu: null as unknown,
    aboutPanel: null as unknown,
    opened: [] as string[],
    trays: [] as { menu: { label?: string; click?: () => void }[]; handlers: Record<string, () => void> }[],
    notifications: [] as { options: { title: string; body: string }; handlers: Record<string, () => void> }[],
    windowCalls: [] as string[],
  };
  const reset = (userData: string) => {
    Object.assign(state, {
      lock: true,
      backend: 'gnome_libsecret',
      userData,
      calls: [],
      appHandlers: {},
      ipcHandlers: {},
      protocolHandlers: {},
      windows: [],
      menu: null,
      aboutPanel: null,
      opened: [],
      trays: [],
      notifications: [],
      windowCalls: [],
    });
  };
  return { state, reset };
});

// The safety net would otherwise be installed on this test process (and swallow its errors).
vi.mock('../safetyNet', async (importOriginal) => {
  const real = await importOriginal<typeof SafetyNet>();
  return {
    ...real,
    installSafetyNet: vi.fn(
      (_proc: unknown, options: unknown) => (((fake.state as { safetyNet?: unknown }).safetyNet = options), () => {}),
    ),
  };
});

vi.mock('electron', () => {
  const { state } = fake;
  const fakeSession = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
    on: vi.fn(),
  };
  class BrowserWindow {
    record: { options: Record<string, unknown>; url?: string };
    webContents = {
      isDestroyed: () => false,
      send: (...args: unknown[]) => state.windowCalls.push(`send:${JSON.stringify(args)}`),
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options };
      state.windows.push(this.record);
    }
    once() {}
    on() {}
    isFocused() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {
      state.windowCalls.push('show');
    }
    focus() {
      state.windowCalls.push('focus');
    }
    restore() {}
    getNormalBounds() {
      return { x: 0, y: 0, width: 1200, height: 780 };
    }
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
  }
  class Tray {
    record = { menu: [] as { label?: string; click?: () => void }[], handlers: {} as Record<string, () => void> };
    constructor() {
      state.trays.push(this.record);
    }
    on(event: string, fn: () => void) {
      this.record.handlers[event] = fn;
    }
    setToolTip() {}
    setContextMenu(menu: { label?: string; click?: () => void }[]) {
      this.record.menu = menu;
    }
    destroy() {}
  }
  class Notification {
    static isSupported = () => true;
    record: { options: { title: string; body: string }; handlers: Record<string, () => void> };
    constructor(options: { title: string; body: string }) {
      this.record = { options, handlers: {} };
      state.notifications.push(this.record);
    }
    on(event: string, fn: () => void) {
      this.record.handlers[event] = fn;
    }
    show() {}
  }
  return {
    Tray,
    Notification,
    nativeImage: { createFromDataURL: () => ({ addRepresentation: () => undefined }) },
    app: {
      enableSandbox: () => state.calls.push('enableSandbox'),
      setAppUserModelId: () => undefined,
      setPath: (_name: string, path: string) => (state.userData = path),
      requestSingleInstanceLock: () => (state.calls.push('requestSingleInstanceLock'), state.lock),
      quit: () => state.calls.push('quit'),
      on: (event: string, handler: (...args: unknown[]) => unknown) => (state.appHandlers[event] = handler),
      whenReady: () => (state.calls.push('whenReady'), Promise.resolve()),
      getPath: () => state.userData,
      getVersion: () => '9.8.7',
      isPackaged: true,
      setAboutPanelOptions: (o: unknown) => (state.aboutPanel = o),
    },
    BrowserWindow,
    dialog: {
      showMessageBox: vi.fn(
        async (...args: unknown[]) => (
          state.calls.push(`showMessageBox:${JSON.stringify(args.at(-1))}`),
          { response: 0 }
        ),
      ),
    },
    ipcMain: {
      handle: (name: string, handler: (...args: unknown[]) => unknown) => (state.ipcHandlers[name] = handler),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (state.menu = m) },
    net: { fetch: async () => new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } }) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => {
        state.calls.push(`registerSchemesAsPrivileged:${JSON.stringify(schemes)}`);
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        (state.protocolHandlers[scheme] = handler),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => state.backend,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().slice(4),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: fakeSession },
    shell: { openExternal: (url: string) => (state.opened.push(url), Promise.resolve()) },
  };
});

async function launch(setup: (s: typeof fake.state) => void = () => {}) {
  vi.resetModules();
  fake.reset(mkdtempSync(join(tmpdir(), 'salvage-main-')));
  setup(fake.state);
  await import('./main');
  await new Promise((r) => setTimeout(r, 0));
  return fake.state;
}

const fromApp = { sender: { mainFrame: { url: 'app://salvage/index.html' } }, senderFrame: null as unknown };
const invoke = (s: typeof fake.state, channel: string, payload: unknown = {}, frame?: { url: string }) => {
  const event = { ...fromApp, senderFrame: frame ?? fromApp.sender.mainFrame };
  return s.ipcHandlers['salvage:invoke']!(event, channel, payload) as Promise<{
    ok: boolean;
    value?: Record<string, unknown>;
    error?: { code: string };
  }>;
};

describe('electron/hosts/desktop/main.ts', () => {
  beforeEach(() => vi.spyOn(console, 'warn').mockImplementation(() => {}));

  it('enables the sandbox for every renderer before anything else', async () => {
    const s = await launch();
    expect(s.calls[0]).toBe('enableSandbox');
  });

  it('registers app:// as a secure standard scheme', async () => {
    const s = await launch();
    expect(s.calls.find((c) => c.startsWith('registerSchemesAsPrivileged'))).toContain('"scheme":"app"');
    expect(s.calls.find((c) => c.startsWith('registerSchemesAsPrivileged'))).toContain('"secure":true');
  });

  it('is a single instance: a second launch quits and focuses the first', async () => {
    const second = await launch((st) => (st.lock = false));
    expect(second.calls).toContain('quit');
    expect(second.calls).not.toContain('whenReady');
    const first = await launch();
    expect(first.calls).not.toContain('quit');
    expect(first.appHandlers['second-instance']).toBeTypeOf('function');
  });

  it('refuses certificate errors by default', async () => {
    const s = await launch();
    const callback = vi.fn();
    const event = { preventDefault: vi.fn() };
    s.appHandlers['certificate-error']!(
      event,
      {},
      'https://bad.example/',
      'net::ERR_CERT_INVALID',
      { fingerprint: 'sha256/AAAA' },
      callback,
    );
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('creates one hardened window loading app://salvage, devtools off when packaged', async () => {
    const s = await launch();
    expect(s.windows).toHaveLength(1);
    const { options, url } = s.windows[0]!;
    expect(url).toBe('app://salvage/index.html');
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
    });
    expect(String((options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
  });

  it('serves the renderer from app://salvage with the CSP on the response, and nothing outside its folder', async () => {
    const s = await launch();
    const serve = s.protocolHandlers.app!;
    const page = await serve(new Request('app://salvage/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none'/);
    expect(page.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect((await serve(new Request('app://salvage/%2e%2e/package.json'))).status).toBe(404);
    expect((await serve(new Request('app://salvage/..%2f..%2fpackage.json'))).status).toBe(404);
    expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('hardens every webContents that gets created', async () => {
    const s = await launch();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    s.appHandlers['web-contents-created']!({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.on.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']),
    );
  });

  it('answers the app frame over IPC and refuses sub-frames and foreign pages', async () => {
    const s = await launch();
    const info = await invoke(s, 'app:info');
    expect(info).toMatchObject({
      ok: true,
      value: { host: 'electron', version: '9.8.7', secretStorage: 'encrypted', notices: [] },
    });
    expect(await invoke(s, 'app:info', {}, { url: 'app://salvage/index.html' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    const foreign = { url: 'https://evil.example/' };
    const event = { sender: { mainFrame: foreign }, senderFrame: foreign };
    expect(await s.ipcHandlers['salvage:invoke']!(event, 'app:info', {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('reports the weak Linux keyring through app:info instead of pretending', async () => {
    const s = await launch((st) => (st.backend = 'basic_text'));
    const info = await invoke(s, 'app:info');
    if (process.platform === 'linux') {
      expect(info.value).toMatchObject({ secretStorage: 'weak-backend' });
      expect(JSON.stringify(info.value?.notices)).toMatch(/this session only/);
    } else {
      expect(info.value).toMatchObject({ secretStorage: 'encrypted' });
    }
  });

  it('keeps watching from the tray when the window closes, and quits in one click from it', async () => {
    const s = await launch();
    expect(s.trays).toHaveLength(1);
    s.appHandlers['window-all-closed']!();
    expect(s.calls).not.toContain('quit');
    s.trays[0]!.menu.find((m) => m.label === 'Quit Salvage')!.click!();
    expect(s.calls).toContain('quit');
  });

  it('a burst of deletions the watch finds shows a notification; clicking it opens the window on that event', async () => {
    const server = await startWebDavServer({ kind: 'nextcloud' });
    try {
      const s = await launch();
      const added = await invoke(s, 'accounts:add', {
        serverUrl: server.url,
        kind: 'nextcloud',
        user: 'alice',
        secret: WEBDAV_USERS.alice.appPassword,
      });
      expect(added.ok).toBe(true);
      expect((await invoke(s, 'watch:checkNow')).ok).toBe(true);
      const start = Date.now();
      for (let i = 0; i < 60; i++)
        server.tree.trash(server.tree.writeFile('alice', `Gone/g${i}.txt`, 10, { parents: true }).id, {
          at: start + i * 100,
        });
      await invoke(s, 'watch:checkNow');
      expect(s.notifications.map((n) => n.options.title)).toEqual([
        '60 files deleted from Home / Gone within a minute',
      ]);
      s.windowCalls.length = 0;
      s.notifications[0]!.handlers.click!();
      expect(s.windowCalls).toEqual(expect.arrayContaining(['show', 'focus']));
      expect(s.windowCalls.some((c) => c.startsWith('send:') && c.includes('"watch:open"'))).toBe(true);
      const view = (await invoke(s, 'watch:get')).value as unknown as { open: string | null; alerts: { id: string }[] };
      expect(view.open).toBe(view.alerts[0]!.id);
      const after = (await invoke(s, 'watch:opened', { alertId: view.open })).value as unknown as {
        open: string | null;
      };
      expect(after.open).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('keeps its window after an error escapes: running batches stopped for Resume, the window and a message box told', async () => {
    const s = await launch();
    const options = (s as { safetyNet?: SafetyNetOptions }).safetyNet!;
    expect(options).toBeDefined();
    const { installSafetyNet } = await vi.importActual<typeof SafetyNet>('../safetyNet');
    const proc = new EventEmitter();
    installSafetyNet(proc as unknown as NodeJS.Process, options);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const told: unknown[] = [];
    options.bus!.subscribe((name, payload) => name === 'app:problem' && told.push(payload));
    proc.emit('uncaughtException', new Error('assert(!this.paused)'));
    expect(told).toEqual([{ message: expect.stringContaining('assert(!this.paused)'), interrupted: 0 }]);
    expect(s.calls.find((c) => c.startsWith('showMessageBox:'))).toContain('assert(!this.paused)');
    expect(s.calls).not.toContain('quit');
  });

  it('sets a native menu with the standard roles and an About panel with the version', async () => {
    const s = await launch();
    const json = JSON.stringify(s.menu);
    for (const role of ['undo', 'copy', 'paste', 'selectAll', 'reload', 'zoomIn', 'windowMenu', 'minimize', 'help']) {
      expect(json).toContain(`"${role}"`);
    }
    expect(json).not.toContain('toggleDevTools');
    expect(s.aboutPanel).toMatchObject({ applicationName: 'Salvage', applicationVersion: '9.8.7' });
  });
});
