import { Control, listen, type RunningServer, type TransportSetting } from '../control';
import { FileTree } from '../tree';
import { WebDavFrontEnd, type WebDavServerKind } from './frontend';
import { seedTestState } from './seed';

export interface WebDavServerOptions {
  kind: WebDavServerKind;
  port?: number;
  /** Builds the initial state (also after /__control/reset). Defaults to the small test state. */
  seed?: (tree: FileTree) => void;
  latencyMs?: number;
  /** Admin turned off deleting from the trash (Nextcloud: files.delete_from_trash = false). */
  deleteFromTrash?: boolean;
  /** How answers travel (control.ts Transport); default SALVAGE_TEST_TRANSPORT, else polite. */
  transport?: TransportSetting;
}

export interface WebDavServer extends RunningServer {
  tree: FileTree;
  frontEnd: WebDavFrontEnd;
}

/** Starts an ownCloud 10 or Nextcloud test server on 127.0.0.1. */
export async function startWebDavServer(options: WebDavServerOptions): Promise<WebDavServer> {
  const tree = new FileTree();
  // ownCloud 10 and Nextcloud lose a copy when one name is trashed twice in a second; oCIS keys its trash by node id.
  tree.sameSecondCollisions = options.kind !== 'ocis';
  const seed = options.seed ?? seedTestState;
  const control = new Control(tree, (t) => seed(t), options.kind);
  seed(tree);
  const frontEnd = new WebDavFrontEnd(tree, { kind: options.kind, deleteFromTrash: options.deleteFromTrash ?? true });
  const running = await listen(control, frontEnd.handle, options.port ?? 0, options.transport);
  if (options.latencyMs) control.setLatency(options.latencyMs);
  return { ...running, tree, frontEnd };
}
