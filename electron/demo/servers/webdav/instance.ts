import { FileTree } from '../tree';
import type { WebDavServerKind } from './common';
import { WebDavFrontEnd } from './frontend';
import { seedTestState } from './seed';

export interface WebDavInstanceOptions {
  kind: WebDavServerKind;
  /** Builds the initial state (also after /__control/reset). Defaults to the small test state. */
  seed?: (tree: FileTree) => void;
  /** Admin turned off deleting from the trash (Nextcloud: files.delete_from_trash = false). */
  deleteFromTrash?: boolean;
}

export interface WebDavInstance {
  tree: FileTree;
  frontEnd: WebDavFrontEnd;
  /** Puts a tree into the initial state (the seed); already done on `tree`. */
  initialise: (tree: FileTree) => void;
}

/**
 * An ownCloud 10, Nextcloud or oCIS server's state and front end, seeded, not yet listening: demo
 * mode serves it as it is (demo.ts), tests with the control API (server.ts).
 */
export function createWebDav(options: WebDavInstanceOptions): WebDavInstance {
  const tree = new FileTree();
  // ownCloud 10 and Nextcloud lose a copy when one name is trashed twice in a second; oCIS keys its trash by node id.
  tree.sameSecondCollisions = options.kind !== 'ocis';
  const seed = options.seed ?? seedTestState;
  const initialise = (t: FileTree) => seed(t);
  initialise(tree);
  const frontEnd = new WebDavFrontEnd(tree, { kind: options.kind, deleteFromTrash: options.deleteFromTrash ?? true });
  return { tree, frontEnd, initialise };
}
