import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_STATE,
  loadWindowState,
  MIN_HEIGHT,
  MIN_WIDTH,
  trackWindowState,
  type TrackedWindow,
} from './window-state';

const displays = [{ x: 0, y: 0, width: 1920, height: 1050 }];
let file: string;
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'salvage-ws-')), 'window-state.json');
});

describe('loadWindowState', () => {
  it('uses the defaults on first launch and for a damaged file', () => {
    expect(loadWindowState(file, displays)).toEqual(DEFAULT_STATE);
    writeFileSync(file, 'nope');
    expect(loadWindowState(file, displays)).toEqual(DEFAULT_STATE);
  });

  it('restores a visible position, size and maximized state', () => {
    writeFileSync(file, JSON.stringify({ x: 100, y: 80, width: 1000, height: 700, maximized: true }));
    expect(loadWindowState(file, displays)).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true });
  });

  it('drops a position that is on a display that is gone, but keeps the size', () => {
    writeFileSync(file, JSON.stringify({ x: 2500, y: 100, width: 1000, height: 700, maximized: false }));
    expect(loadWindowState(file, displays)).toEqual({ width: 1000, height: 700, maximized: false });
  });

  it('keeps sizes between the minimum and the largest display', () => {
    writeFileSync(file, JSON.stringify({ width: 10, height: 10 }));
    expect(loadWindowState(file, displays)).toMatchObject({ width: MIN_WIDTH, height: MIN_HEIGHT });
    writeFileSync(file, JSON.stringify({ width: 9000, height: 9000 }));
    expect(loadWindowState(file, displays)).toMatchObject({ width: 1920, height: 1050 });
  });
});

describe('trackWindowState', () => {
  it('saves after moves settle and at close, 0600', () => {
    vi.useFakeTimers();
    const listeners: Record<string, () => void> = {};
    let bounds = { x: 10, y: 20, width: 900, height: 600 };
    const win: TrackedWindow = {
      getNormalBounds: () => bounds,
      isMaximized: () => false,
      isDestroyed: () => false,
      on: (event, listener) => (listeners[event] = listener),
    };
    trackWindowState(win, file, { debounceMs: 100 });
    listeners.move!();
    expect(() => readFileSync(file)).toThrow();
    vi.advanceTimersByTime(150);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...bounds, maximized: false });
    bounds = { x: 30, y: 40, width: 1000, height: 700 };
    listeners.close!();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...bounds, maximized: false });
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    vi.useRealTimers();
  });
});
