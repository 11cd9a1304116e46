/**
 * The sandboxed preload exposes exactly one object, window.salvage, with invoke and on — no
 * ipcRenderer, no Node API, no generic send. The electron module is replaced at the boundary.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  listeners: new Map<string, (...args: unknown[]) => void>(),
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 })),
  removed: [] as unknown[],
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    invoke: fake.invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => fake.listeners.set(channel, listener),
    removeListener: (_channel: string, listener: unknown) => fake.removed.push(listener),
    send: () => {
      throw new Error('the preload must not use send');
    },
  },
}));

type Api = {
  invoke: (c: string, p: unknown) => Promise<unknown>;
  on: (n: string, cb: (p: unknown) => void) => () => void;
};

beforeAll(async () => {
  await import('./preload');
});

describe('preload', () => {
  it('exposes only window.salvage with invoke and on', () => {
    expect([...fake.exposed.keys()]).toEqual(['salvage']);
    const api = fake.exposed.get('salvage') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('sends every call through the one invoke channel the dispatcher checks', async () => {
    const api = fake.exposed.get('salvage') as Api;
    await api.invoke('app:info', {});
    expect(fake.invoke).toHaveBeenCalledWith('salvage:invoke', 'app:info', {});
  });

  it('delivers only the named event, without the IpcRendererEvent, and unsubscribes', () => {
    const api = fake.exposed.get('salvage') as Api;
    const got: unknown[] = [];
    const off = api.on('operation:update', (p) => got.push(p));
    const listener = fake.listeners.get('salvage:event')!;
    listener({ sender: 'ipc internals' }, 'accounts:changed', ['x']);
    listener({ sender: 'ipc internals' }, 'operation:update', { id: 'op' });
    expect(got).toEqual([{ id: 'op' }]);
    off();
    expect(fake.removed).toContain(listener);
  });
});
