/**
 * Every security setting of the desktop window and its session, one test each. The electron
 * module is replaced at the boundary: the functions under test receive fake sessions and
 * webContents that record the handlers they are given.
 */
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security';
import { hardenSession, hardenWebContents, windowOptions } from './window';

vi.mock('electron', () => {
  throw new Error('window.ts must not load the electron module itself');
});

const prefs = (devTools?: boolean) =>
  windowOptions(
    '/app/out/preload/preload.cjs',
    { width: 1000, height: 700 },
    devTools === undefined ? {} : { devTools },
  ).webPreferences!;

describe('BrowserWindow options', () => {
  it('isolates the context', () => expect(prefs().contextIsolation).toBe(true));
  it('sandboxes the renderer', () => expect(prefs().sandbox).toBe(true));
  it('turns Node integration off everywhere', () => {
    expect(prefs().nodeIntegration).toBe(false);
    expect(prefs().nodeIntegrationInWorker).toBe(false);
    expect(prefs().nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and blocks insecure content', () => {
    expect(prefs().webSecurity).toBe(true);
    expect(prefs().allowRunningInsecureContent).toBe(false);
  });
  it('has no webview tag, no experimental features, no navigation by drag and drop', () => {
    expect(prefs().webviewTag).toBe(false);
    expect(prefs().experimentalFeatures).toBe(false);
    expect(prefs().navigateOnDragDrop).toBe(false);
  });
  it('disables middle-click navigation (Auxclick) and guards against dialog spam', () => {
    expect(prefs().disableBlinkFeatures).toContain('Auxclick');
    expect(prefs().safeDialogs).toBe(true);
  });
  it('has no remote module and no blink/Node feature switches turned on', () => {
    const p = prefs() as Record<string, unknown>;
    expect(p.enableRemoteModule).toBeUndefined();
    expect(p.enableBlinkFeatures).toBeUndefined();
    expect(p.additionalArguments).toBeUndefined();
  });
  it('loads only the CommonJS preload', () => expect(prefs().preload).toMatch(/preload\.cjs$/));
  it('has developer tools off unless asked for (development builds)', () => {
    expect(prefs().devTools).toBe(false);
    expect(prefs(true).devTools).toBe(true);
  });
  it('keeps the remembered bounds and the minimum size', () => {
    const o = windowOptions('/p.cjs', { x: 5, y: 6, width: 1000, height: 700 });
    expect(o).toMatchObject({ x: 5, y: 6, width: 1000, height: 700, minWidth: 800, minHeight: 560, show: false });
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
  it('denies everything by default', () => expect(directives.get('default-src')).toEqual(["'none'"]));
  it("allows only the app's own scripts: no eval, no inline, no remote hosts", () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|\*|https?:/);
  });
  it('allows no objects, no base tag, no form posts, no framing', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
  it('connects only to itself', () => expect(directives.get('connect-src')).toEqual(["'self'"]));
  it('shows only its own images and data: (trash previews arrive as data from main, never as server URLs)', () =>
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']));
});

/** A fake Session that records the handlers hardenSession installs. */
function fakeSession() {
  const handlers: Record<string, unknown> = {};
  const session = {
    setPermissionRequestHandler: (h: unknown) => (handlers.permissionRequest = h),
    setPermissionCheckHandler: (h: unknown) => (handlers.permissionCheck = h),
    setDevicePermissionHandler: (h: unknown) => (handlers.devicePermission = h),
    webRequest: { onHeadersReceived: (h: unknown) => (handlers.headers = h) },
    on: (event: string, h: unknown) => (handlers[event] = h),
  };
  hardenSession(session as never);
  return handlers;
}

describe('session', () => {
  it('denies every permission request', () => {
    const h = fakeSession();
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      (h.permissionRequest as (c: unknown, p: string, cb: (ok: boolean) => void) => void)({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
  });
  it('answers every permission check with no', () => {
    const h = fakeSession();
    expect((h.permissionCheck as (...a: unknown[]) => boolean)({}, 'media', 'app://salvage')).toBe(false);
    expect((h.devicePermission as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
  });
  it('puts the strict CSP and nosniff on every response, replacing what the response said', () => {
    const h = fakeSession();
    const callback = vi.fn();
    (h.headers as (d: unknown, cb: unknown) => void)(
      { responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["script-src 'unsafe-eval'"] } },
      callback,
    );
    const headers = callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });
  it('refuses downloads', () => {
    const h = fakeSession();
    const event = { preventDefault: vi.fn() };
    (h['will-download'] as (e: unknown) => void)(event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

/** A fake WebContents that records the handlers hardenWebContents installs. */
function fakeContents() {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const openExternal = vi.fn();
  const contents = {
    on: (event: string, h: (...args: never[]) => unknown) => (handlers[event] = h),
    setWindowOpenHandler: (h: (...args: never[]) => unknown) => (handlers.windowOpen = h),
  };
  hardenWebContents(contents as never, { openExternal });
  const navigate = (event: string, url: string) => {
    const e = { preventDefault: vi.fn() };
    (handlers[event] as unknown as (e: unknown, url: string) => void)(e, url);
    return e.preventDefault.mock.calls.length > 0;
  };
  const open = (url: string) => (handlers.windowOpen as unknown as (d: { url: string }) => { action: string })({ url });
  return { handlers, openExternal, navigate, open };
}

describe('webContents', () => {
  it('blocks navigation away from app://salvage (will-navigate)', () => {
    const c = fakeContents();
    expect(c.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.navigate('will-navigate', 'app://other/index.html')).toBe(true);
    expect(c.navigate('will-navigate', 'app://salvage/index.html')).toBe(false);
  });
  it('blocks redirects away from the app (will-redirect)', () => {
    const c = fakeContents();
    expect(c.navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
  });
  it('refuses to attach webviews', () => {
    const c = fakeContents();
    expect(c.navigate('will-attach-webview', 'app://salvage/')).toBe(true);
  });
  it('denies every new window and hands only checked links to the system browser', () => {
    const c = fakeContents();
    expect(c.open('https://docs.example.com/help')).toEqual({ action: 'deny' });
    expect(c.openExternal).toHaveBeenCalledWith('https://docs.example.com/help');
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@example.com/',
      'app://salvage/x',
      'ms-settings:',
      'not a url',
    ]) {
      expect(c.open(bad)).toEqual({ action: 'deny' });
    }
    expect(c.openExternal).toHaveBeenCalledTimes(1);
  });
});
