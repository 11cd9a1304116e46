import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

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

export const test = base.extend<{ host: HostHandle }>({
  host: async ({}, use) => {
    const { handle, child } = await startHost();
    await use(handle);
    child.kill('SIGTERM');
  },
});

export { expect };
