import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Control } from '../electron/demo/servers/control';
import { startDocSpaceServer, seedTestPortal, TEST_KEYS, type DocSpaceState } from '../electron/demo/servers/docspace';
import type { FileTree } from '../electron/demo/servers/tree';
import { startWebDavServer } from '../electron/demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../electron/demo/servers/webdav/seed';

/** A running browser host (out/main/host.js) with its bridge address and token. */
export interface HostHandle {
  url: string;
  token: string;
  /** Calls a contract channel straight through the bridge, as the renderer would. */
  invoke<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  /** Opens the app in the page and waits for the first screen. */
  open(page: Page): Promise<void>;
}

/** `nodeArgs` go before the host's script (e.g. `--import` of a module a test plants). */
export async function startHost(
  args: string[] = ['--no-demo'],
  nodeArgs: string[] = [],
): Promise<{ handle: HostHandle; child: ChildProcess }> {
  const token = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, [...nodeArgs, 'out/main/host.js', '--no-open', '--port', '0', ...args], {
    env: { ...process.env, SALVAGE_BRIDGE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host did not start: ${out}${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /SALVAGE_BRIDGE_URL=(\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
  const handle: HostHandle = {
    url,
    token,
    async invoke<T>(channel: string, payload: unknown = {}) {
      const res = await fetch(`${url}/api/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Salvage-Token': token },
        body: JSON.stringify({ channel, payload }),
      });
      const result = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
      if (!result.ok) throw new Error(`${channel}: ${result.error?.code} ${result.error?.message}`);
      return result.value as T;
    },
    async open(page: Page) {
      await page.goto(`${url}/#token=${token}`);
      await expect(page.getByRole('heading', { name: 'Salvage', level: 1 })).toBeVisible();
    },
  };
  return { handle, child };
}

export const artifactsDir = join('e2e', 'artifacts');

/** Saves a screenshot under e2e/artifacts/ (light and dark are separate calls). */
export async function screenshot(page: Page, name: string) {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: false });
}

/** The server kinds the trash-window tests run against (oCIS: alice's personal space, app token as Basic). */
export type ServerKind = 'docspace' | 'nextcloud' | 'owncloud10' | 'ocis';
export const SERVER_KINDS: ServerKind[] = ['docspace', 'nextcloud', 'owncloud10', 'ocis'];

export const test = base.extend<{
  host: HostHandle;
  serverKind: ServerKind;
  account: TestAccount;
  docspace: TestAccount;
}>({
  host: async ({}, use) => {
    const { handle, child } = await startHost();
    await use(handle);
    child.kill('SIGTERM');
  },
  serverKind: ['docspace', { option: true }],
  /** A test server of `serverKind` in the test process with the trash-window seed, added as an account. */
  account: async ({ host, serverKind }, use) => {
    const account = await startTestAccount(serverKind, host);
    await use(account);
    await account.close();
  },
  docspace: async ({ host }, use) => {
    const account = await startTestAccount('docspace', host);
    await use(account);
    await account.close();
  },
});

const DAY = 86_400_000;
/** The folder the "restore to a folder" tests restore into. */
export const TARGET_FOLDER = 'Clients/2024';

/**
 * What the trash-window tests need on top of each server's small test seed: twelve files
 * "Batch 01.txt" … "Batch 12.txt" (1,000 × n bytes) deleted from Reports/2024, Batch 01 most
 * recently (so the default newest-first order is fixed), and a live Clients/2024 folder.
 */
export function seedTrashWindowPortal(state: DocSpaceState): void {
  seedTestPortal(state);
  const now = state.tree.now();
  const my = state.myRoot('alice');
  const y2024 = state.folderAt('alice', 'Reports/2024')!;
  const clients = state.addFolder(my, 'Clients', { by: 'alice', at: now - 100 * DAY });
  state.addFolder(clients.id, '2024', { by: 'alice', at: now - 100 * DAY });
  for (let i = 1; i <= 12; i++) {
    state.addTrashed('alice', y2024.id, `Batch ${String(i).padStart(2, '0')}.txt`, 'file', 1000 * i, now - i * 60_000);
  }
}

export function seedTrashWindowTree(tree: FileTree): void {
  seedTestState(tree);
  const now = Date.now();
  tree.mkdirs('alice', TARGET_FOLDER);
  tree.mkdirs('alice', 'Reports/2024');
  for (let i = 1; i <= 12; i++) {
    const node = tree.writeFile('alice', `Reports/2024/Batch ${String(i).padStart(2, '0')}.txt`, 1000 * i, {
      mtime: now - DAY,
    });
    tree.trash(node.id, { at: now - i * 60_000 });
  }
}

/** One account on a test server running in the test process, with views of the server's state. */
export interface TestAccount {
  kind: ServerKind;
  id: string;
  label: string;
  control: Control;
  /** Names of the live entries in a folder below the user's root ("" for the root). */
  live(path: string): string[];
  /** Sizes of the live entries in a folder whose names start with `prefix`, ascending. */
  sizes(path: string, prefix: string): number[];
  /** Names of the top-level entries in the user's trash. */
  trash(): string[];
  /** Creates a live file (e.g. to take a name at a restore's destination). */
  addFile(path: string, name: string, size: number): void;
  /** Puts a file deleted from this folder into the trash (e.g. a second one of the same name). */
  trashFile(path: string, name: string, size: number): void;
  /** Makes each step of a batch slow enough to cancel in the middle. */
  slowDown(ms: number): void;
  close(): Promise<void>;
}

async function startTestAccount(kind: ServerKind, host: HostHandle): Promise<TestAccount> {
  const label = `alice@${kind}.test`;
  if (kind === 'docspace') {
    const server = await startDocSpaceServer({ seed: seedTrashWindowPortal, opItemMs: 5 });
    const { id } = await host.invoke<{ id: string }>('accounts:add', {
      serverUrl: server.url,
      kind,
      secret: TEST_KEYS.alice,
      label,
    });
    const state = server.state;
    const folder = (path: string) => {
      const f = path ? state.folderAt('alice', path) : state.tree.node(state.myRoot('alice'));
      if (!f) throw new Error(`no folder ${path}`);
      return f;
    };
    return {
      kind,
      id,
      label,
      control: server.control,
      live: (path) =>
        state
          .childrenOf(folder(path).id)
          .map((n) => state.title(n))
          .sort(),
      sizes: (path, prefix) =>
        state
          .childrenOf(folder(path).id)
          .filter((n) => state.title(n).startsWith(prefix))
          .map((n) => n.size)
          .sort((a, b) => a - b),
      trash: () =>
        state
          .trashOf('alice')
          .map((n) => state.title(n))
          .sort(),
      addFile: (path, name, size) => void state.addFile(folder(path).id, name, size, { by: 'alice' }),
      trashFile: (path, name, size) =>
        void state.addTrashed('alice', folder(path).id, name, 'file', size, state.tree.now()),
      slowDown: (ms) => void (state.opItemMs = ms),
      close: () => server.close(),
    };
  }
  const server = await startWebDavServer({ kind, seed: seedTrashWindowTree });
  const user = WEBDAV_USERS.alice;
  const { id } = await host.invoke<{ id: string }>('accounts:add', {
    serverUrl: server.url,
    kind,
    user: user.id,
    secret: user.appPassword,
    label,
  });
  const tree = server.tree;
  const folder = (path: string) => {
    const f = path ? tree.resolve('alice', path) : tree.node(tree.user('alice').rootId);
    if (!f) throw new Error(`no folder ${path}`);
    return f;
  };
  return {
    kind,
    id,
    label,
    control: server.control,
    live: (path) =>
      tree
        .children(folder(path).id)
        .map((n) => n.name)
        .sort(),
    sizes: (path, prefix) =>
      tree
        .children(folder(path).id)
        .filter((n) => n.name.startsWith(prefix))
        .map((n) => n.size)
        .sort((a, b) => a - b),
    trash: () =>
      tree
        .trashOf('alice')
        .map((e) => tree.node(e.nodeId).name)
        .sort(),
    addFile: (path, name, size) => void tree.writeFile('alice', path ? `${path}/${name}` : name, size),
    trashFile: (path, name, size) => void tree.trash(tree.writeFile('alice', path ? `${path}/${name}` : name, size).id),
    slowDown: (ms) => server.control.setLatency(ms),
    close: () => server.close(),
  };
}

export { expect };
