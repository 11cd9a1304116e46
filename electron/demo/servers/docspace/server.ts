import { Control, listen, type RunningServer, type TransportSetting } from '../control';
import { createDocSpace, type DocSpaceOptions } from './api';
import { docSpaceHistory } from './history';
import type { DocSpaceState } from './state';

export { requiredScopes } from './api';

export interface DocSpaceServerOptions extends DocSpaceOptions {
  port?: number;
  latencyMs?: number;
  /** How answers travel (control.ts Transport); default SALVAGE_TEST_TRANSPORT, else polite. */
  transport?: TransportSetting;
}

export interface DocSpaceServer extends RunningServer {
  state: DocSpaceState;
}

/** Starts a DocSpace test server (api.ts) on 127.0.0.1, with the control API (test-only). */
export async function startDocSpaceServer(options: DocSpaceServerOptions = {}): Promise<DocSpaceServer> {
  const portal = createDocSpace(options);
  const control = new Control(portal.tree, portal.initialise, 'docspace');
  control.historyOps = docSpaceHistory(portal.state);
  let baseUrl = '';
  const running = await listen(
    control,
    portal.handler(() => baseUrl),
    options.port ?? 0,
    options.transport,
  );
  baseUrl = running.url;
  if (options.latencyMs) control.setLatency(options.latencyMs);
  return {
    ...running,
    state: portal.state,
    close: async () => {
      portal.stop();
      await running.close();
    },
  };
}
