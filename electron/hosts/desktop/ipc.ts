import type { IpcMain, WebContents } from 'electron';
import type { Dispatch } from '../../services/dispatcher';
import type { EventBus } from '../../base/events';

import { IPC_CHANNELS } from '../../../shared/ipc';

export const INVOKE_CHANNEL = IPC_CHANNELS.invoke;
export const EVENT_CHANNEL = IPC_CHANNELS.event;

/** Registers the one dispatcher on ipcMain; the sender's frame is checked by the dispatcher. */
export function registerIpc(ipcMain: IpcMain, dispatch: Dispatch): void {
  ipcMain.handle(INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) =>
    dispatch(channel, payload, {
      frameUrl: event.senderFrame?.url ?? null,
      isMainFrame: event.senderFrame ? event.senderFrame === event.sender.mainFrame : false,
    }),
  );
}

/** Forwards main's events to one window. */
export function forwardEvents(bus: EventBus, contents: WebContents): () => void {
  return bus.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
}
