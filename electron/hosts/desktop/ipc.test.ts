import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type Handlers } from '../../services/dispatcher';
import { EventBus } from '../../base/events';
import { EVENT_CHANNEL, forwardEvents, INVOKE_CHANNEL, registerIpc } from './ipc';
import { isTrustedIpcCaller } from '../security';

vi.mock('electron', () => {
  throw new Error('ipc.ts must not load the electron module itself');
});

const handlers = {
  'app:info': vi.fn(async () => ({
    name: 'Salvage',
    version: '1',
    platform: 'linux',
    host: 'electron',
    secretStorage: 'encrypted',
    notices: [],
  })),
};

function setup() {
  let handler: ((event: unknown, channel: unknown, payload: unknown) => Promise<unknown>) | null = null;
  const ipcMain = { handle: (name: string, h: typeof handler) => (name === INVOKE_CHANNEL ? (handler = h) : null) };
  registerIpc(
    ipcMain as never,
    createDispatcher({ handlers: handlers as unknown as Handlers, isTrustedCaller: isTrustedIpcCaller }),
  );
  const mainFrame = { url: 'app://salvage/index.html' };
  const call = (senderFrame: { url: string } | null) =>
    handler!({ sender: { mainFrame }, senderFrame }, 'app:info', {});
  return { mainFrame, call };
}

describe('registerIpc: the sender frame check', () => {
  it("serves the app's main frame", async () => {
    const { mainFrame, call } = setup();
    await expect(call(mainFrame)).resolves.toMatchObject({ ok: true });
  });
  it('refuses a sub-frame, even of the app', async () => {
    const { call } = setup();
    await expect(call({ url: 'app://salvage/index.html' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });
  it('refuses a main frame that navigated to another origin', async () => {
    const { mainFrame, call } = setup();
    mainFrame.url = 'https://evil.example/';
    await expect(call(mainFrame)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
  it('refuses a call whose frame is gone', async () => {
    const { call } = setup();
    await expect(call(null)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});

describe('forwardEvents', () => {
  it('sends events to a live window only', () => {
    const bus = new EventBus();
    let destroyed = false;
    const contents = { isDestroyed: () => destroyed, send: vi.fn() };
    forwardEvents(bus, contents as never);
    bus.emit('accounts:changed', []);
    expect(contents.send).toHaveBeenCalledWith(EVENT_CHANNEL, 'accounts:changed', []);
    destroyed = true;
    bus.emit('accounts:changed', []);
    expect(contents.send).toHaveBeenCalledTimes(1);
  });
});
