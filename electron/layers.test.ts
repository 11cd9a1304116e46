import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { ESLint } from 'eslint';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the rules are plain JavaScript
import config, { APP_ENTRIES, EXCEPTIONS, LAYERS, TEST_SERVER_CONTROL } from '../.dependency-cruiser.js';

/**
 * The import rules (.dependency-cruiser.js, run by `npm run lint`), proven to fire on code they have
 * never seen, written into a scratch tree shaped like the app, and proven to pass on the real tree.
 * The rules judge the file an import resolves to, so an index, a dynamic import(), a type-only import
 * and a path that climbs out of electron/ and back in are caught like any other.
 */
const ROOT = join(import.meta.dirname, '..');
const rules = (config as { forbidden: { name: string }[] }).forbidden;
const exceptions = EXCEPTIONS as { rule: string; from: string; to: string }[];

async function cruiseWith(baseDir: string, options: ICruiseOptions, transpile = {}): Promise<ICruiseResult> {
  const { output } = await cruise(['electron', 'shared', 'renderer'], { ...options, baseDir }, {}, transpile);
  return output as ICruiseResult;
}

/** Every module the scratch tree's imports point at, so that each import resolves as it would in the app. */
const TARGETS = [
  ...LAYERS.flatMap((layer: string) => [`electron/${layer}/index.ts`, `electron/${layer}/mod.ts`]),
  'electron/services/trash.ts',
  'electron/hosts/desktop/window.ts',
  'shared/model.ts',
  'e2e/fixtures.ts',
  'renderer/App.tsx',
  'renderer/components/List.tsx',
  'renderer/hooks/useThing.ts',
  'renderer/actions/trash.ts',
  'renderer/queries/trash.ts',
  'renderer/api/client.ts',
  'renderer/lib/format.ts',
  // The test servers' control API and fault rules.
  ...(TEST_SERVER_CONTROL as string[]),
  // The named exceptions' files, so that each can be shown to pass only for its one import.
  ...exceptions.flatMap((e) => [e.from, e.to]),
];

/**
 * A scratch file, the code in it, and the rules it must break (none: it must pass). A cycle is reported
 * once, on one of its files: the files of one `cycle` are checked together.
 */
const CASES: { file: string; code: string; breaks: string[]; cycle?: string }[] = [
  // Upward, in every way the text-matching rule let through.
  {
    file: 'electron/providers/up-index.ts',
    code: "import { x } from '../services';\nexport const y = x;\n",
    breaks: ['layer-providers'],
  },
  {
    file: 'electron/base/up-dynamic.ts',
    code: "export const load = () => import('../net/mod');\n",
    breaks: ['layer-base'],
  },
  {
    file: 'electron/net/up-type.ts',
    code: "import type { x } from '../operations/mod';\nexport type Y = typeof x;\n",
    breaks: ['layer-net'],
  },
  {
    file: 'electron/net/up-around.ts',
    code: "import { x } from '../../electron/services/trash';\nexport const y = x;\n",
    breaks: ['layer-net'],
  },
  {
    file: 'electron/operations/up-reexport.ts',
    code: "export { x } from '../services/mod';\n",
    breaks: ['layer-operations'],
  },
  {
    file: 'electron/services/up.ts',
    code: "import { x } from '../persistence/mod';\nexport const y = x;\n",
    breaks: ['layer-services'],
  },
  {
    file: 'electron/persistence/up.ts',
    code: "import { x } from '../hosts/mod';\nexport const y = x;\n",
    breaks: ['layer-persistence'],
  },
  // persistence and demo are siblings of one rank: neither imports the other.
  {
    file: 'electron/demo/sideways.ts',
    code: "import { x } from '../persistence/mod';\nexport const y = x;\n",
    breaks: ['layer-demo'],
  },
  // Out of the main process's tree.
  {
    file: 'electron/hosts/up-renderer.ts',
    code: "import { x } from '../../renderer/lib/format';\nexport const y = x;\n",
    breaks: ['main-not-renderer'],
  },
  {
    file: 'electron/hosts/test-folder.ts',
    code: "import { x } from '../../e2e/fixtures';\nexport const y = x;\n",
    breaks: ['app-not-test-folder'],
  },
  // No bundle entry reaches the test servers' control API or fault rules, however far down; a test starter may use
  // them.
  {
    file: 'electron/demo/servers/webdav/server.ts',
    code: "import { x } from '../control';\nexport const y = x;\n",
    breaks: [],
  },
  {
    file: 'electron/hosts/browser/main.ts',
    code: "import { y } from '../../demo/servers/webdav/server';\nexport const z = y;\n",
    breaks: ['app-not-test-server-control'],
  },
  {
    file: 'electron/hosts/desktop/main.ts',
    code: "export const load = () => import('../../demo/servers/faults');\n",
    breaks: ['app-not-test-server-control'],
  },
  {
    file: 'electron/hosts/desktop/control.test.ts',
    code: "import { x } from '../../demo/servers/control';\nexport const y = x;\n",
    breaks: [],
  },
  // The electron package: the desktop host only.
  {
    file: 'electron/services/electron-pkg.ts',
    code: "import { app } from 'electron';\nexport const y = app;\n",
    breaks: ['electron-package-in-desktop-host'],
  },
  {
    file: 'electron/hosts/cli/electron-pkg.ts',
    code: "import type { App } from 'electron';\nexport type Y = App;\n",
    breaks: ['electron-package-in-desktop-host'],
  },
  {
    file: 'electron/hosts/desktop/electron-pkg.ts',
    code: "import { app } from 'electron';\nexport const y = app;\n",
    breaks: [],
  },
  // shared/ is the contract.
  {
    file: 'shared/up-main.ts',
    code: "import { x } from '../electron/services/trash';\nexport const y = x;\n",
    breaks: ['shared-is-the-contract'],
  },
  {
    file: 'shared/up-renderer.ts',
    code: "import { x } from '../renderer/api/client';\nexport const y = x;\n",
    breaks: ['shared-is-the-contract'],
  },
  {
    file: 'shared/node.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    breaks: ['shared-no-node'],
  },
  {
    file: 'shared/electron-pkg.ts',
    code: "import type { App } from 'electron';\nexport type Y = App;\n",
    breaks: ['electron-package-in-desktop-host'],
  },
  // The renderer reaches main only through renderer/api.
  {
    file: 'renderer/components/Main.tsx',
    code: "import { x } from '../../electron/services/trash';\nexport const y = x;\n",
    breaks: ['renderer-reaches-main-through-api'],
  },
  {
    file: 'renderer/actions/node.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    breaks: ['renderer-no-node'],
  },
  {
    file: 'renderer/components/Electron.tsx',
    code: "import { ipcRenderer } from 'electron';\nexport const y = ipcRenderer;\n",
    breaks: ['electron-package-in-desktop-host'],
  },
  // The renderer's folders.
  {
    file: 'renderer/Top.tsx',
    code: "import { x } from './api/client';\nexport const y = x;\n",
    breaks: ['renderer-root'],
  },
  {
    file: 'renderer/components/Api.tsx',
    code: "import { x } from '../api/client';\nexport const y = x;\n",
    breaks: ['renderer-components'],
  },
  {
    file: 'renderer/components/Up.tsx',
    code: "export const load = () => import('../App');\n",
    breaks: ['renderer-components'],
  },
  {
    file: 'renderer/hooks/useApi.ts',
    code: "import { x } from '../api/client';\nexport const y = x;\n",
    breaks: ['renderer-hooks'],
  },
  {
    file: 'renderer/hooks/useUp.ts',
    code: "import { x } from '../components/List';\nexport const y = x;\n",
    breaks: ['renderer-hooks'],
  },
  {
    file: 'renderer/actions/up.ts',
    code: "import { x } from '../hooks/useThing';\nexport const y = x;\n",
    breaks: ['renderer-actions'],
  },
  {
    file: 'renderer/actions/up2.ts',
    code: "import type { x } from '../components/List';\nexport type Y = typeof x;\n",
    breaks: ['renderer-actions'],
  },
  {
    file: 'renderer/queries/up.ts',
    code: "import { x } from '../actions/trash';\nexport const y = x;\n",
    breaks: ['renderer-queries'],
  },
  {
    file: 'renderer/api/up.ts',
    code: "import { x } from '../queries/trash';\nexport const y = x;\n",
    breaks: ['renderer-api'],
  },
  {
    file: 'renderer/api/lib.ts',
    code: "import { x } from '../lib/format';\nexport const y = x;\n",
    breaks: ['renderer-api'],
  },
  {
    file: 'renderer/lib/api.ts',
    code: "import { x } from '../api/client';\nexport const y = x;\n",
    breaks: ['renderer-lib'],
  },
  {
    file: 'renderer/lib/hook.ts',
    code: "export const load = () => import('../hooks/useThing');\n",
    breaks: ['renderer-lib'],
  },
  {
    file: 'renderer/lib/react.ts',
    code: "import { useState } from 'react';\nexport const y = useState;\n",
    breaks: ['renderer-lib-no-react'],
  },
  // A named exception covers its one import, not the file.
  {
    file: 'renderer/lib/accountErrors.ts',
    code: "import { x } from '../api/client';\nimport { q } from '../queries/trash';\nexport const y = [x, q];\n",
    breaks: ['renderer-lib'],
  },
  // Cycles, type-only ones too, in any folder.
  {
    file: 'electron/base/cycle-a.ts',
    code: "import { b } from './cycle-b';\nexport const a = () => b;\n",
    breaks: [],
    cycle: 'a value and a type-only import',
  },
  {
    file: 'electron/base/cycle-b.ts',
    code: "import type { a } from './cycle-a';\nexport const b = 1 as unknown as typeof a;\n",
    breaks: [],
    cycle: 'a value and a type-only import',
  },
  {
    file: 'electron/services/cycle-a.ts',
    code: "import { x } from './cycle-b';\nexport const y = x;\n",
    breaks: [],
    cycle: 'three files',
  },
  {
    file: 'electron/services/cycle-b.ts',
    code: "import { y } from './cycle-c';\nexport const x = y;\n",
    breaks: [],
    cycle: 'three files',
  },
  { file: 'electron/services/cycle-c.ts', code: "export { y } from './cycle-a';\n", breaks: [], cycle: 'three files' },
  {
    file: 'renderer/queries/cycle-a.ts',
    code: "export { x } from './cycle-b';\n",
    breaks: [],
    cycle: 'a re-export and a dynamic import',
  },
  {
    file: 'renderer/queries/cycle-b.ts',
    code: "export const x = 1;\nexport const load = () => import('./cycle-a');\n",
    breaks: [],
    cycle: 'a re-export and a dynamic import',
  },
  // What is allowed: downward, sideways within a layer, down the renderer's order, and tests anywhere.
  {
    file: 'electron/hosts/desktop/down.ts',
    code: "import { x } from '../../services';\nimport { y } from '../../base/mod';\nimport { z } from '../../demo/mod';\nimport type { M } from '../../../shared/model';\nexport const w = [x, y, z] as unknown as M;\n",
    breaks: [],
  },
  {
    file: 'electron/providers/sideways.ts',
    code: "import { x } from './mod';\nimport { y } from '../net/mod';\nexport const z = () => [x, y, import('../base/mod')];\n",
    breaks: [],
  },
  {
    file: 'renderer/components/Down.tsx',
    code: "import { a } from '../hooks/useThing';\nimport { b } from '../actions/trash';\nimport { c } from '../queries/trash';\nimport { d } from '../lib/format';\nimport { e } from './List';\nexport const y = [a, b, c, d, e];\n",
    breaks: [],
  },
  {
    file: 'renderer/actions/down.ts',
    code: "import { b } from '../queries/trash';\nimport { c } from '../api/client';\nimport { d } from '../lib/format';\nimport type { M } from '../../shared/model';\nexport const y = [b, c, d] as unknown as M;\n",
    breaks: [],
  },
  {
    file: 'electron/base/up.test.ts',
    code: "import { x } from '../hosts/mod';\nimport { y } from '../../e2e/fixtures';\nexport const z = [x, y];\n",
    breaks: [],
  },
];

describe('main-process layers', () => {
  it('has one folder per layer, and nothing else of the app beside them', () => {
    const dirs = readdirSync(join(import.meta.dirname)).filter((d) =>
      statSync(join(import.meta.dirname, d)).isDirectory(),
    );
    expect(dirs.sort()).toEqual([...LAYERS].sort());
  });
});

describe('import rules, on a scratch tree', () => {
  let scratch: string;
  let violations: IViolation[];
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'salvage-layers-'));
    const write = (file: string, code: string) => {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), code);
    };
    for (const file of TARGETS) write(file, 'export const x = 1;\nexport const q = 2;\n');
    for (const e of exceptions)
      write(
        e.from,
        `import { x } from './${relative(dirname(e.from), e.to).replace(/\.tsx?$/, '')}';\nexport const q = x;\n`,
      );
    for (const pkg of ['electron', 'react']) {
      write(`node_modules/${pkg}/package.json`, JSON.stringify({ name: pkg, main: 'index.js' }));
      write(`node_modules/${pkg}/index.js`, 'module.exports = {};\n');
    }
    for (const { file, code } of CASES) write(file, code);
    const { forbidden, options } = config as { forbidden: unknown; options: ICruiseOptions };
    const { tsConfig: _, ...plain } = options;
    violations = (await cruiseWith(scratch, { ...plain, validate: true, ruleSet: { forbidden } } as ICruiseOptions))
      .summary.violations;
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const broken = (file: string, cycle?: string) =>
    [
      ...new Set(
        violations.filter((v) => v.from === file && !(cycle && v.rule.name === 'no-cycle')).map((v) => v.rule.name),
      ),
    ].sort();

  for (const { file, code, breaks, cycle } of CASES) {
    const what = code.split('\n').find((l) => /import|export \{/.test(l));
    it(`${breaks.length ? `refuses (${breaks.join(', ')})` : 'allows'}: ${file}: ${what}`, () => {
      expect(broken(file, cycle)).toEqual([...breaks].sort());
    });
  }

  for (const cycle of new Set(CASES.flatMap((c) => c.cycle ?? []))) {
    it(`refuses an import cycle through ${cycle}`, () => {
      const files = CASES.filter((c) => c.cycle === cycle).map((c) => c.file);
      const reported = violations.filter((v) => v.rule.name === 'no-cycle' && files.includes(v.from));
      expect(reported).toHaveLength(1);
      expect(new Set([reported[0]!.from, ...(reported[0]!.cycle ?? []).map((step) => step.name)])).toEqual(
        new Set(files),
      );
    });
  }

  // With no named exception in the config there is nothing to let through (the last ones went with ApiError's move to
  // shared/).
  it.skipIf(exceptions.length === 0)(
    'lets each named exception through for its one import only (accountErrors.ts above: not for another)',
    () => {
      const excepted = exceptions.map((e) => `${e.from} → ${e.to}`);
      expect(violations.filter((v) => excepted.includes(`${v.from} → ${v.to}`))).toEqual([]);
      expect(
        violations.filter((v) => exceptions.some((e) => e.from === v.from)).map((v) => `${v.from} → ${v.to}`),
      ).toEqual(['renderer/lib/accountErrors.ts → renderer/queries/trash.ts']);
    },
  );

  it('has every rule in the file fire on some case', () => {
    const fired = new Set(violations.map((v) => v.rule.name));
    expect(rules.map((r) => r.name).filter((name) => !fired.has(name))).toEqual([]);
  });
});

describe('the app-not-test-server-control rule', () => {
  it('names every bundle entry of electron.vite.config.ts as an app entry', () => {
    const vite = readFileSync(join(ROOT, 'electron.vite.config.ts'), 'utf8');
    const entries = [...vite.matchAll(/'(electron\/[^']+\.ts)'/g)].map((m) => m[1]);
    expect(new Set(entries)).toEqual(new Set(APP_ENTRIES as string[]));
  });
});

describe('import rules, on the real tree', () => {
  let result: ICruiseResult;
  beforeAll(async () => {
    const { forbidden, options } = config as {
      forbidden: unknown;
      options: ICruiseOptions & { tsConfig: { fileName: string } };
    };
    const tsConfig = extractTSConfig(join(ROOT, options.tsConfig.fileName));
    result = await cruiseWith(ROOT, { ...options, validate: true, ruleSet: { forbidden } } as ICruiseOptions, {
      tsConfig,
    });
  }, 300_000);

  it('passes', () => {
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(result.summary.totalCruised).toBeGreaterThan(200);
  });

  it('still needs every named exception (a stale one fails)', () => {
    const edges = new Set(result.modules.flatMap((m) => m.dependencies.map((d) => `${m.source} → ${d.resolved}`)));
    expect(exceptions.map((e) => `${e.from} → ${e.to}`).filter((edge) => !edges.has(edge))).toEqual([]);
  });
});

describe('what stays in eslint', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: file });
    return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it('refuses npm undici in app code and shared/ (it crashes on a server closing mid-answer), not in tests', async () => {
    expect(await lint('electron/net/x.ts', "import { Agent } from 'undici';\nexport const a = Agent;\n")).toEqual([
      expect.stringContaining('No undici in app code'),
    ]);
    expect(
      await lint(
        'electron/providers/webdav/x.ts',
        "import { fetch } from 'undici/index.js';\nexport const f = fetch;\n",
      ),
    ).toEqual([expect.stringContaining('No undici in app code')]);
    expect(
      await lint('shared/x.ts', "import type { Dispatcher } from 'undici';\nexport type D = Dispatcher;\n"),
    ).toEqual([expect.stringContaining('No undici in app code')]);
    expect(await lint('electron/net/x.test.ts', "import { Agent } from 'undici';\nexport const a = Agent;\n")).toEqual(
      [],
    );
  });

  it('refuses the global fetch in main-process code: requests go through httpRequest', async () => {
    expect(
      await lint(
        'electron/providers/x.ts',
        'export const get = (u: string) => fetch(u);\nexport const get2 = (u: string) => globalThis.fetch(u);\n',
      ),
    ).toEqual([
      expect.stringMatching(/^no-restricted-globals: /),
      expect.stringMatching(/^no-restricted-properties: /),
    ]);
    expect(await lint('electron/providers/x.test.ts', 'export const get = (u: string) => fetch(u);\n')).toEqual([]);
  });
});
