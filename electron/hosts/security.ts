/**
 * Security settings of the desktop window, stated once in code and tested in window.test.ts.
 * The renderer is served from the privileged `app://salvage` scheme (never file://), so the
 * app's own origin is exact and everything else is foreign.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'salvage';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Strict CSP for the renderer: only our own scripts, no eval, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Links the app may hand to the system browser: http(s) only, no credentials in the URL. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/**
 * A sign-in page main opens itself (OpenID Connect): https, or plain http only on a loopback address (the test
 * servers).
 */
export function isSignInPageUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (!isSafeExternalUrl(raw)) return false;
    return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Opens a URL in the system browser only after the allow-check; anything else (file:, smb:,
 * javascript:, custom schemes, URLs with credentials) is dropped. Returns whether it opened.
 */
export function openExternalChecked(open: (url: string) => unknown, url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void open(new URL(url).toString());
  return true;
}

/**
 * The IPC sender check the dispatcher uses in the desktop app: only the main frame of the app's
 * own page may call main (not a sub-frame, not another origin, not a page navigated elsewhere).
 */
export function isTrustedIpcCaller(caller: { frameUrl: string | null; isMainFrame: boolean }): boolean {
  return caller.isMainFrame && isAppUrl(caller.frameUrl);
}

/** True for a frame URL of the app itself (the top frame served from app://salvage). */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}
