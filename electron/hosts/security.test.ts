import { describe, expect, it, vi } from 'vitest';
import { isAppUrl, isSafeExternalUrl, isSignInPageUrl, isTrustedIpcCaller, openExternalChecked } from './security';

describe('isSafeExternalUrl / openExternalChecked', () => {
  it('allows http(s) links without credentials only', () => {
    expect(isSafeExternalUrl('https://example.com/a?b=c')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/')).toBe(true);
    for (const bad of [
      'file:///C:/Windows/system32/calc.exe',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://x/y',
      'ftp://x/',
      'https://a:b@x/',
      'vbscript:x',
      '',
    ]) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
  });
  it('never calls shell.openExternal with an unchecked URL', () => {
    const open = vi.fn();
    expect(openExternalChecked(open, 'file:///etc/passwd')).toBe(false);
    expect(openExternalChecked(open, 'https://example.com/x y')).toBe(true);
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/x%20y');
  });
});

describe('IPC sender frame check', () => {
  it("accepts only the main frame of the app's own origin", () => {
    expect(isTrustedIpcCaller({ frameUrl: 'app://salvage/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedIpcCaller({ frameUrl: 'app://salvage/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedIpcCaller({ frameUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedIpcCaller({ frameUrl: 'file:///app/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedIpcCaller({ frameUrl: null, isMainFrame: true })).toBe(false);
  });
  it('isAppUrl is exact about scheme and host', () => {
    expect(isAppUrl('app://salvage/')).toBe(true);
    expect(isAppUrl('app://salvage.evil/')).toBe(false);
    expect(isAppUrl('apps://salvage/')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});

describe('no remote module', () => {
  it('is not a dependency and is never referenced', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..', '..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty('@electron/remote');
    const sources = (readdirSync(join(root, 'electron'), { recursive: true }) as string[])
      .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
      .map((f) => readFileSync(join(root, 'electron', f), 'utf8'));
    for (const text of sources) {
      expect(text).not.toMatch(
        /@electron\/remote|enableRemoteModule|\bremote\.require|ELECTRON_DISABLE_SECURITY_WARNINGS|NODE_TLS_REJECT_UNAUTHORIZED\s*=/,
      );
    }
  });
});

describe('isSignInPageUrl (pages main opens itself for a browser sign-in)', () => {
  it('https anywhere; plain http only on a loopback address; nothing else', () => {
    expect(isSignInPageUrl('https://ocis.example.com/signin/v1/identifier/_/authorize?client_id=x')).toBe(true);
    expect(isSignInPageUrl('http://127.0.0.1:9200/signin/v1/identifier/_/authorize')).toBe(true);
    expect(isSignInPageUrl('http://localhost:9200/x')).toBe(true);
    expect(isSignInPageUrl('http://ocis.example.com/signin')).toBe(false);
    expect(isSignInPageUrl('https://user:pw@ocis.example.com/')).toBe(false);
    expect(isSignInPageUrl('file:///etc/passwd')).toBe(false);
    expect(isSignInPageUrl('javascript:alert(1)')).toBe(false);
    expect(isSignInPageUrl('not a url')).toBe(false);
  });
});
