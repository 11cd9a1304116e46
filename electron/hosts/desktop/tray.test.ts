/**
 * The tray and the desktop notifications against a fake electron module (no Electron binary here):
 * what the tray's menu says and does, and what a notification shows and does when clicked.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { WatchAlert, WatchView } from '../../../shared/watch';

const fake = vi.hoisted(() => ({
  trays: [] as {
    handlers: Record<string, () => void>;
    menu: MenuItemConstructorOptions[];
    tooltip: string;
    destroyed: boolean;
  }[],
  notifications: [] as { options: Record<string, unknown>; handlers: Record<string, () => void>; shown: boolean }[],
  supported: true,
}));

vi.mock('electron', () => {
  class Tray {
    record = {
      handlers: {} as Record<string, () => void>,
      menu: [] as MenuItemConstructorOptions[],
      tooltip: '',
      destroyed: false,
    };
    constructor() {
      fake.trays.push(this.record);
    }
    on(event: string, fn: () => void) {
      this.record.handlers[event] = fn;
    }
    setToolTip(t: string) {
      this.record.tooltip = t;
    }
    setContextMenu(m: MenuItemConstructorOptions[]) {
      this.record.menu = m;
    }
    destroy() {
      this.record.destroyed = true;
    }
  }
  class Notification {
    static isSupported = () => fake.supported;
    record = { options: {} as Record<string, unknown>, handlers: {} as Record<string, () => void>, shown: false };
    constructor(options: Record<string, unknown>) {
      this.record.options = options;
      fake.notifications.push(this.record);
    }
    on(event: string, fn: () => void) {
      this.record.handlers[event] = fn;
    }
    show() {
      this.record.shown = true;
    }
  }
  return {
    Tray,
    Notification,
    Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t },
    nativeImage: { createFromDataURL: () => ({ addRepresentation: () => undefined }) },
  };
});

const { WatchTray, trayStatus } = await import('./tray');
const { AlertNotifier } = await import('./notify');

const view = (accounts: Partial<WatchView['accounts'][number]>[], alerts: WatchAlert[] = []): WatchView => ({
  intervalMinutes: 5,
  nextCheckAt: null,
  open: null,
  alerts,
  accounts: accounts.map((a, i) => ({
    accountId: `a${i}`,
    enabled: true,
    via: 'activity feed',
    lastCheckAt: null,
    error: null,
    expiring: null,
    ...a,
  })),
});

const alert = (kind: WatchAlert['kind']): WatchAlert => ({
  id: `al-${kind}`,
  kind,
  accountId: 'a0',
  title:
    kind === 'deletion'
      ? '2,140 files deleted from Home / Projects in 4 minutes'
      : '147 items will be deleted for good within 3 days',
  body: kind === 'deletion' ? 'Nextcloud, alice' : 'DocSpace, alice',
  at: '2026-12-07T10:00:00.000Z',
  event:
    kind === 'deletion'
      ? {
          id: 'ev-1',
          from: '2026-12-07T09:50:00.000Z',
          to: '2026-12-07T09:54:00.000Z',
          count: 2140,
          bytes: 0,
          topFolder: '/Projects',
          accounts: ['a0'],
        }
      : null,
  expiring: kind === 'expiring' ? { count: 147, before: '2026-12-10T10:00:00.000Z' } : null,
});

beforeEach(() => {
  fake.trays.length = 0;
  fake.notifications.length = 0;
  fake.supported = true;
});

const click = (menu: MenuItemConstructorOptions[], label: RegExp) => {
  const item = menu.find((m) => label.test(String(m.label)));
  if (!item?.click) throw new Error(`no ${String(label)} in ${menu.map((m) => m.label).join(', ')}`);
  (item.click as () => void)();
};

describe('the tray', () => {
  it('says what it watches, opens the window, checks now, and quits in one click', () => {
    const actions = { open: vi.fn(), checkNow: vi.fn(), quit: vi.fn() };
    const tray = new WatchTray(actions, 'linux');
    const t = fake.trays[0]!;
    expect(t.tooltip).toBe('Salvage — Not watching any account');
    expect(t.menu.find((m) => m.label === 'Check now')?.enabled).toBe(false);

    tray.update(
      view(
        [{ lastCheckAt: '2026-12-07T10:05:00.000Z' }, {}, { enabled: false }],
        [alert('deletion'), alert('expiring')],
      ),
    );
    expect(t.menu.map((m) => m.label ?? m.type)).toEqual([
      'Open Salvage',
      'separator',
      expect.stringMatching(/^Watching 2 accounts · checked \d\d:\d\d$/),
      '1 deletion event found — open',
      'Check now',
      'separator',
      'Quit Salvage',
    ]);
    click(t.menu, /^Check now$/);
    expect(actions.checkNow).toHaveBeenCalledTimes(1);
    click(t.menu, /^Open Salvage$/);
    t.handlers.click!();
    expect(actions.open).toHaveBeenCalledTimes(2);
    click(t.menu, /^Quit Salvage$/);
    expect(actions.quit).toHaveBeenCalledTimes(1);
    tray.destroy();
    expect(t.destroyed).toBe(true);
  });

  it('macOS: the menu-bar icon opens its menu, not the window', () => {
    new WatchTray({ open: vi.fn(), checkNow: vi.fn(), quit: vi.fn() }, 'darwin');
    expect(fake.trays[0]!.handlers.click).toBeUndefined();
  });

  it('says when an account could not be checked', () => {
    expect(trayStatus(view([{ error: { code: 'NETWORK', message: 'x' } }, {}]))).toBe('1 account could not be checked');
  });
});

describe('desktop notifications', () => {
  it('a burst of deletions: its words, a sound, and a click that opens its event', () => {
    const open = vi.fn();
    const n = new AlertNotifier(open);
    expect(n.show(alert('deletion'))).toBe(true);
    const shown = fake.notifications[0]!;
    expect(shown.shown).toBe(true);
    expect(shown.options).toMatchObject({
      title: '2,140 files deleted from Home / Projects in 4 minutes',
      body: expect.stringMatching(/^Nextcloud, alice — click/),
      silent: false,
    });
    expect(open).not.toHaveBeenCalled();
    shown.handlers.click!();
    expect(open).toHaveBeenCalledWith('al-deletion');
  });

  it('the expiry warning is quiet', () => {
    new AlertNotifier(vi.fn()).show(alert('expiring'));
    expect(fake.notifications[0]!.options).toMatchObject({
      title: '147 items will be deleted for good within 3 days',
      body: 'DocSpace, alice',
      silent: true,
      urgency: 'low',
    });
  });

  it('nothing where the system has no notifications', () => {
    fake.supported = false;
    expect(new AlertNotifier(vi.fn()).show(alert('deletion'))).toBe(false);
    expect(fake.notifications).toEqual([]);
  });
});
