import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint, including the process boundary: the renderer may import only shared/ and browser code;
 * shared/ imports nothing of either side; main never imports the renderer.
 */
/** The main process's layers, lowest first. */
export const LAYERS = ['base', 'net', 'providers', 'operations', 'services', 'persistence', 'demo', 'hosts'];

/**
 * npm undici up to 7.x crashes the process (assert(!this.paused)) when a server closes a connection
 * whose body is not being read, and loading it replaces the global fetch's dispatcher: app code
 * reaches servers only through electron/net/http.ts (see electron/net/transport.ts).
 */
const NO_UNDICI = {
  regex: '^undici(/|$)',
  message: 'No undici in app code: it crashes on a server that closes a connection mid-answer. Use httpRequest (electron/net/http.ts).',
};
const NO_GLOBAL_FETCH = 'Server requests go through httpRequest or netFetch (electron/net/http.ts): deadlines, byte budgets, no undici crash.';

function layerRules() {
  const outside = [
    { regex: '(^|/)renderer/', message: 'Main never imports renderer code.' },
    { regex: '(^|/)e2e/', message: 'App code never imports the test folder (e2e/): the app would ship test code.' },
    NO_UNDICI,
  ];
  return LAYERS.map((layer, i) => ({
    files: [`electron/${layer}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outside,
            ...LAYERS.slice(i + 1).map((above) => ({
              regex: `(^|/)(\\.\\./)+${above}/`,
              message: `electron/${layer} is below electron/${above}: import downwards only (${LAYERS.join(' ← ')}).`,
            })),
          ],
        },
      ],
    },
  }));
}

const BASE_SYNTAX = [{ selector: "MemberExpression[object.name='ipcRenderer'][property.name='sendSync']", message: 'No synchronous IPC.' }];

/** The renderer reaches main only through renderer/api. */
const RENDERER_BOUNDARY = { group: ['**/electron/**', 'electron', 'node:*', '**/e2e/**'], message: 'The renderer reaches main only through renderer/api (the typed contract).' };

const KEYS_MESSAGE = 'Query keys come from the key factory in renderer/queries/keys.ts (keys.trash(id), keys.ops(), …).';
/** A query key written as an array literal, as a query's key or as the key of a cache read or write. */
const LITERAL_QUERY_KEYS = [
  { selector: "Property[key.name='queryKey'] > ArrayExpression", message: KEYS_MESSAGE },
  { selector: "CallExpression[callee.property.name=/^(get|set)Query(Data|State)$/][arguments.0.type='ArrayExpression']", message: KEYS_MESSAGE },
];

const COMPONENTS_MESSAGE = 'Components render and call actions: a workflow or mutation belongs in renderer/actions, a query or cache read in renderer/queries.';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...BASE_SYNTAX],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [RENDERER_BOUNDARY] }],
      'no-restricted-syntax': ['error', ...BASE_SYNTAX, ...LITERAL_QUERY_KEYS],
    },
  },
  {
    // Components render and call actions: workflows and mutations live in renderer/actions,
    // queries and cache writes in renderer/queries; neither the api nor the cache is reached from here.
    files: ['renderer/components/**/*.{ts,tsx}', 'renderer/App.tsx', 'renderer/main.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [RENDERER_BOUNDARY, { group: ['**/api/*'], message: COMPONENTS_MESSAGE }],
          paths: [{ name: '@tanstack/react-query', importNames: ['useMutation', 'useQueryClient'], message: COMPONENTS_MESSAGE }],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/electron/**', '**/renderer/**', 'electron', 'node:*'], message: 'shared/ is the contract: no process-specific imports.' }, NO_UNDICI] },
      ],
    },
  },
  // Main-process layers, each a folder; imports flow one way only (see README, "Layout"):
  // base ← net ← providers ← operations ← services ← persistence ← demo ← hosts. No app code imports
  // the renderer or the test folder. electron/layers.test.ts proves the rule fires.
  ...layerRules(),
  {
    // The main process's global fetch is undici (Node's bundled copy, 7.x in Node 20 to 24).
    files: ['electron/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: NO_GLOBAL_FETCH }],
      'no-restricted-properties': ['error', { object: 'globalThis', property: 'fetch', message: NO_GLOBAL_FETCH }],
    },
  },
  {
    // The demo servers are the protocol-faithful servers the tests use: plain Node, no app layer but the demo launcher's types.
    files: ['e2e/**/*.ts', 'electron/demo/servers/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
