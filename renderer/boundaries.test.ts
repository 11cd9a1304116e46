import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's rules in eslint.config.js, proven to fire (and to stay quiet) on code they have never
 * seen. Which renderer folder may import which (components never reach renderer/api, …) is checked on
 * resolved imports by dependency-cruiser: electron/layers.test.ts proves those rules.
 */
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const lint = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
};

describe('renderer boundaries', () => {
  it('keeps components and hooks off the cache: they call actions', async () => {
    expect(
      await lint(
        'renderer/hooks/useX.ts',
        "import { useQueryClient } from '@tanstack/react-query';\nexport const x = useQueryClient;\n",
      ),
    ).toEqual([expect.stringContaining('Components render and call actions')]);
    expect(
      await lint(
        'renderer/App.tsx',
        "import { useMutation } from '@tanstack/react-query';\nexport const x = useMutation;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint(
        'renderer/components/X.tsx',
        "import { useQueryClient } from '@tanstack/react-query';\nexport const x = useQueryClient;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint(
        'renderer/components/X.tsx',
        "import { useQuery } from '@tanstack/react-query';\nimport { useTrashWorkflows } from '../actions/trash';\nexport const x = [useQuery, useTrashWorkflows];\n",
      ),
    ).toEqual([]);
  });

  it('lets actions and queries reach main', async () => {
    expect(
      await lint('renderer/actions/x.ts', "import { call } from '../api/client';\nexport const x = call;\n"),
    ).toEqual([]);
    expect(
      await lint('renderer/queries/x.ts', "import { call } from '../api/client';\nexport const x = call;\n"),
    ).toEqual([]);
  });

  it('refuses a query key written out instead of taken from queries/keys.ts', async () => {
    const keysMessage = expect.stringContaining('renderer/queries/keys.ts');
    expect(await lint('renderer/queries/x.ts', "export const q = { queryKey: ['trash', 'a'] };\n")).toEqual([
      keysMessage,
    ]);
    expect(
      await lint(
        'renderer/actions/x.ts',
        "import type { QueryClient } from '@tanstack/react-query';\nexport const w = (c: QueryClient) => c.setQueryData(['ops'], []);\n",
      ),
    ).toEqual([keysMessage]);
    expect(
      await lint(
        'renderer/actions/x.ts',
        "import type { QueryClient } from '@tanstack/react-query';\nexport const w = (c: QueryClient) => c.invalidateQueries({ queryKey: ['folders', 'a'] });\n",
      ),
    ).toEqual([keysMessage]);
    expect(
      await lint(
        'renderer/actions/x.ts',
        "import type { QueryClient } from '@tanstack/react-query';\nimport { keys } from '../queries/keys';\nexport const w = (c: QueryClient) => c.setQueryData(keys.ops(), []);\n",
      ),
    ).toEqual([]);
  });
});
