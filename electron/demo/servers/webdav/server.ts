import { Control, listen, type RunningServer, type TransportSetting } from '../control';
import type { FileTree } from '../tree';
import type { WebDavFrontEnd } from './frontend';
import { createWebDav, type WebDavInstanceOptions } from './instance';

export interface WebDavServerOptions extends WebDavInstanceOptions {
  port?: number;
  latencyMs?: number;
  /** How answers travel (control.ts Transport); default SALVAGE_TEST_TRANSPORT, else polite. */
  transport?: TransportSetting;
}

export interface WebDavServer extends RunningServer {
  tree: FileTree;
  frontEnd: WebDavFrontEnd;
}

/** Starts an ownCloud 10, Nextcloud or oCIS test server on 127.0.0.1, with the control API (test-only). */
export async function startWebDavServer(options: WebDavServerOptions): Promise<WebDavServer> {
  const { tree, frontEnd, initialise } = createWebDav(options);
  const control = new Control(tree, initialise, options.kind);
  const running = await listen(control, frontEnd.handle, options.port ?? 0, options.transport);
  if (options.latencyMs) control.setLatency(options.latencyMs);
  return { ...running, tree, frontEnd };
}
