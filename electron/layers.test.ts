import { ESLint } from 'eslint';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- the lint config is plain JavaScript
import { LAYERS } from '../eslint.config.js';

/** The layer rule in eslint.config.js, proven to fire (and to stay quiet) on code it has never seen. */
const eslint = new ESLint({ cwd: join(import.meta.dirname, '..') });
const lint = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('main-process layers', () => {
  it('has one folder per layer, and nothing else of the app beside them', () => {
    const dirs = readdirSync(join(import.meta.dirname)).filter((d) => statSync(join(import.meta.dirname, d)).isDirectory());
    expect(dirs.sort()).toEqual([...LAYERS].sort());
  });

  it('refuses an upward import', async () => {
    expect(await lint('electron/base/x.ts', "import { httpRequest } from '../net/http';\n")).toEqual([
      expect.stringContaining('electron/base is below electron/net'),
    ]);
    expect(await lint('electron/providers/webdav/x.ts', "import { OperationsRunner } from '../../operations/runner';\n")).toEqual([
      expect.stringContaining('electron/providers is below electron/operations'),
    ]);
    expect(await lint('electron/services/x.ts', "import { FileAccountStore } from '../persistence/account-store';\n")).toHaveLength(1);
  });

  it('refuses the test folder and the renderer in app code, but not in its tests', async () => {
    expect(await lint('electron/hosts/browser/x.ts', "import { test } from '../../../e2e/fixtures';\n")).toEqual([
      expect.stringContaining('never imports the test folder'),
    ]);
    expect(await lint('electron/services/x.ts', "import { App } from '../../renderer/App';\n")).toHaveLength(1);
    expect(await lint('electron/services/x.test.ts', "import { test } from '../../e2e/fixtures';\n")).toEqual([]);
  });

  it('refuses npm undici in app code and shared/ (it crashes on a server closing mid-answer), not in tests', async () => {
    expect(await lint('electron/net/x.ts', "import { Agent } from 'undici';\n")).toEqual([expect.stringContaining('No undici in app code')]);
    expect(await lint('electron/providers/webdav/x.ts', "import { fetch } from 'undici/index.js';\n")).toEqual([expect.stringContaining('No undici in app code')]);
    expect(await lint('shared/x.ts', "import type { Dispatcher } from 'undici';\n")).toEqual([expect.stringContaining('No undici in app code')]);
    expect(await lint('electron/net/x.test.ts', "import { Agent } from 'undici';\n")).toEqual([]);
  });

  it('refuses the global fetch in main-process code: requests go through httpRequest', async () => {
    const [result] = await eslint.lintText("export const get = (u: string) => fetch(u);\nexport const get2 = (u: string) => globalThis.fetch(u);\n", {
      filePath: 'electron/providers/x.ts',
    });
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules).toEqual(['no-restricted-globals', 'no-restricted-properties']);
    const [inTest] = await eslint.lintText('export const get = (u: string) => fetch(u);\n', { filePath: 'electron/providers/x.test.ts' });
    expect(inTest!.messages.filter((m) => m.ruleId === 'no-restricted-globals')).toEqual([]);
  });

  it('allows downward and sideways imports', async () => {
    expect(await lint('electron/hosts/desktop/x.ts', "import { createServices } from '../../services/index';\nimport { sleep } from '../../base/async';\n")).toEqual([]);
    expect(await lint('electron/providers/docspace/x.ts', "import { readPages } from './pages';\nimport { OPERATION } from './operations';\n")).toEqual([]);
  });
});
