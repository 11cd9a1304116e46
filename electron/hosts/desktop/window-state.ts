/**
 * Remembered window size, position and maximized state (userData/window-state.json, 0600).
 * A saved position is used only when the window would still be visible on one of today's
 * displays (a monitor may have been unplugged); otherwise the size is kept and the window is
 * centred by the OS.
 */
import { readIfExists, writeFileAtomic } from '../../base/files';

export const MIN_WIDTH = 800;
export const MIN_HEIGHT = 560;
export const DEFAULT_STATE: WindowState = { width: 1200, height: 780, maximized: false };

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The slice of BrowserWindow this module needs. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** At least this much of the title bar must be on a display's work area to keep a position. */
const VISIBLE_MARGIN = 64;

function visibleOn(state: Required<Pick<WindowState, 'x' | 'y' | 'width'>>, displays: Rect[]): boolean {
  return displays.some((d) => {
    const left = Math.max(state.x, d.x);
    const right = Math.min(state.x + state.width, d.x + d.width);
    return right - left >= VISIBLE_MARGIN && state.y >= d.y && state.y < d.y + d.height - VISIBLE_MARGIN / 2;
  });
}

/** Reads and checks the saved state against the current displays' work areas. Never throws. */
export function loadWindowState(file: string, displays: Rect[]): WindowState {
  let saved: Partial<WindowState>;
  try {
    const text = readIfExists(file);
    if (!text) return { ...DEFAULT_STATE };
    saved = JSON.parse(text) as Partial<WindowState>;
  } catch {
    return { ...DEFAULT_STATE };
  }
  if (!saved || !finite(saved.width) || !finite(saved.height)) return { ...DEFAULT_STATE };
  const largest = displays.reduce(
    (m, d) => ({ width: Math.max(m.width, d.width), height: Math.max(m.height, d.height) }),
    {
      width: 0,
      height: 0,
    },
  );
  const clamp = (v: number, min: number, max: number) =>
    Math.round(Math.min(Math.max(v, min), Math.max(min, max || v)));
  const state: WindowState = {
    width: clamp(saved.width, MIN_WIDTH, largest.width),
    height: clamp(saved.height, MIN_HEIGHT, largest.height),
    maximized: saved.maximized === true,
  };
  if (finite(saved.x) && finite(saved.y)) {
    const placed = { x: Math.round(saved.x), y: Math.round(saved.y), width: state.width };
    if (visibleOn(placed, displays)) {
      state.x = placed.x;
      state.y = placed.y;
    }
  }
  return state;
}

export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, `${JSON.stringify(state)}\n`);
}

/**
 * Follows a window and saves its state shortly after it stops moving or resizing, and at close.
 * Returns a function that saves at once (for before-quit).
 */
export function trackWindowState(
  win: TrackedWindow,
  file: string,
  options: { debounceMs?: number; onError?: (e: unknown) => void } = {},
) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    try {
      const bounds = win.getNormalBounds();
      saveWindowState(file, { ...bounds, maximized: win.isMaximized() });
    } catch (e) {
      options.onError?.(e);
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, options.debounceMs ?? 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, later);
  win.on('close', save);
  return save;
}
