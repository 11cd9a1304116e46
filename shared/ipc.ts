/**
 * The two Electron IPC channels everything travels on (one invoke channel carrying the contract's
 * channel name, one event channel). The sandboxed preload and main both read them from here; this
 * file imports nothing, so the preload bundle stays tiny.
 */
export const IPC_CHANNELS = { invoke: 'salvage:invoke', event: 'salvage:event' } as const;
