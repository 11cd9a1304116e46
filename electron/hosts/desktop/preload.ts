/**
 * The sandboxed preload (built as CommonJS): exposes exactly one object, `window.salvage`,
 * with an invoke function and an event subscription. No ipcRenderer, no Node APIs leak through.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS } from '../../../shared/ipc';

const INVOKE = IPC_CHANNELS.invoke;
const EVENT = IPC_CHANNELS.event;

const api = {
  invoke: (channel: string, payload: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE, channel, payload),
  on: (name: string, callback: (payload: unknown) => void): (() => void) => {
    const listener = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) callback(payload);
    };
    ipcRenderer.on(EVENT, listener);
    return () => {
      ipcRenderer.removeListener(EVENT, listener);
    };
  },
};

contextBridge.exposeInMainWorld('salvage', api);
