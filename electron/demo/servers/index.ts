import type { RunningServer, TransportSetting } from './control';
import { startDocSpaceServer } from './docspace/index';
import type { ServerKind } from './faults';
import { startWebDavServer } from './webdav/server';

export type { ServerKind } from './faults';

export interface StartServerOptions {
  kind: ServerKind;
  /** 0 (default) picks a free port. */
  port?: number;
  latencyMs?: number;
  /** How answers travel (control.ts Transport); default SALVAGE_TEST_TRANSPORT, else polite. */
  transport?: TransportSetting;
}

/** Starts one protocol-faithful test server; answers its URL, close() and the control API. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const port = options.port ?? 0;
  switch (options.kind) {
    case 'owncloud10':
    case 'nextcloud':
    case 'ocis':
      return startWebDavServer({
        kind: options.kind,
        port,
        ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
        ...(options.transport ? { transport: options.transport } : {}),
      });
    case 'docspace':
      return startDocSpaceServer({
        port,
        ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
        ...(options.transport ? { transport: options.transport } : {}),
      });
  }
}

export { startWebDavServer } from './webdav/server';
export { WEBDAV_USERS, seedTestState, seedDemoState } from './webdav/seed';
export {
  errorResponse,
  loginPage,
  malformedResponse,
  nginxErrorPage,
  docSpaceErrorBody,
  type FaultResponse,
  type ErrorResponseOptions,
} from './faults';
export { revaErrorBody } from './webdav/sabre';
export type { Fault, FaultKind, FaultHandle, Transport, TransportPreset, TransportSetting, Framing } from './control';
export { TRANSPORT_PRESETS, parseTransport } from './control';
