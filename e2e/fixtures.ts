import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDocSpaceServer, seedTestPortal, TEST_KEYS, type DocSpaceServer, type DocSpaceState } from './servers/docspace';

/** A running browser host (out/main/host.js) with its bridge address and token. */
export interface HostHandle {
  url: string;
  token: string;
  /** Calls a contract channel straight through the bridge, as the renderer would. */
  invoke<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  /** Opens the app in the page and waits for the first screen. */
  open(page: Page): Promise<void>;
}

export async function startHost(args: string[] = ['--no-demo']): Promise<{ handle: HostHandle; child: ChildProcess }> {
  const token = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, ['out/main/host.js', '--no-open', '--port', '0', ...args], {
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

export const test = base.extend<{ host: HostHandle; docspace: DocSpaceAccount }>({
  host: async ({}, use) => {
    const { handle, child } = await startHost();
    await use(handle);
    child.kill('SIGTERM');
  },
  docspace: async ({ host }, use) => {
    const server = await startDocSpaceServer({ seed: seedTrashWindowPortal, opItemMs: 5 });
    const label = 'alice@docspace.test';
    const account = await host.invoke<{ id: string }>('accounts:add', { serverUrl: server.url, kind: 'docspace', secret: TEST_KEYS.alice, label });
    await use(new DocSpaceAccount(server, account.id, label));
    await server.close();
  },
});

const DAY = 86_400_000;

/**
 * The small test portal plus what the trash-window tests need: twelve files "Batch 01.txt" …
 * "Batch 12.txt" deleted from Reports/2024 (Batch 01 most recently, so the default newest-first
 * order is fixed), and a live Projects/2024 folder to restore into.
 */
export function seedTrashWindowPortal(state: DocSpaceState): void {
  seedTestPortal(state);
  const now = state.tree.now();
  const my = state.myRoot('alice');
  const y2024 = state.folderAt('alice', 'Reports/2024')!;
  const projects = state.addFolder(my, 'Projects', { by: 'alice', at: now - 100 * DAY });
  state.addFolder(projects.id, '2024', { by: 'alice', at: now - 100 * DAY });
  for (let i = 1; i <= 12; i++) {
    state.addTrashed('alice', y2024.id, `Batch ${String(i).padStart(2, '0')}.txt`, 'file', 1000 * i, now - i * 60_000);
  }
}

/** One DocSpace account on a test server running in the test process, with views of its state. */
export class DocSpaceAccount {
  readonly kind = 'docspace';
  constructor(
    readonly server: DocSpaceServer,
    readonly id: string,
    readonly label: string,
  ) {}

  get state(): DocSpaceState {
    return this.server.state;
  }

  /** Titles of the live entries in a folder below My documents ("" for My documents itself). */
  live(path: string): string[] {
    const folder = path ? this.state.folderAt('alice', path) : this.state.tree.node(this.state.myRoot('alice'));
    if (!folder) throw new Error(`no folder ${path}`);
    return this.state
      .childrenOf(folder.id)
      .map((n) => this.state.title(n))
      .sort();
  }

  /** Titles of the top-level entries in Alice's trash. */
  trash(): string[] {
    return this.state
      .trashOf('alice')
      .map((n) => this.state.title(n))
      .sort();
  }

  /** Creates a live file (e.g. to make a name taken at a restore's destination). */
  addFile(path: string, title: string, size: number): void {
    const folder = path ? this.state.folderAt('alice', path) : this.state.tree.node(this.state.myRoot('alice'));
    if (!folder) throw new Error(`no folder ${path}`);
    this.state.addFile(folder.id, title, size, { by: 'alice' });
  }
}

export { expect };
