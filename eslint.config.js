import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint. Which folder may import which (the main process's layers, the renderer's folders, shared/, the
 * electron package, import cycles) is checked on resolved files by dependency-cruiser
 * (.dependency-cruiser.js), which `npm run lint` runs after eslint; electron/layers.test.ts proves
 * those rules fire. What stays here is what needs the import's names or the code's syntax.
 */
/**
 * npm undici up to 7.x crashes the process (assert(!this.paused)) when a server closes a connection
 * whose body is not being read, and loading it replaces the global fetch's dispatcher: app code
 * reaches servers only through electron/net/http.ts (see electron/net/transport.ts).
 */
const NO_UNDICI = {
  regex: '^undici(/|$)',
  message:
    'No undici in app code: it crashes on a server that closes a connection mid-answer. Use httpRequest (electron/net/http.ts).',
};
const NO_GLOBAL_FETCH =
  'Server requests go through httpRequest or netFetch (electron/net/http.ts): deadlines, byte budgets, no undici crash.';

const BASE_SYNTAX = [
  { selector: "MemberExpression[object.name='ipcRenderer'][property.name='sendSync']", message: 'No synchronous IPC.' },
];

const KEYS_MESSAGE =
  'Query keys come from the key factory in renderer/queries/keys.ts (keys.trash(id), keys.ops(), …).';
/** A query key written as an array literal, as a query's key or as the key of a cache read or write. */
const LITERAL_QUERY_KEYS = [
  { selector: "Property[key.name='queryKey'] > ArrayExpression", message: KEYS_MESSAGE },
  {
    selector: "CallExpression[callee.property.name=/^(get|set)Query(Data|State)$/][arguments.0.type='ArrayExpression']",
    message: KEYS_MESSAGE,
  },
];

const COMPONENTS_MESSAGE =
  'Components render and call actions: a workflow or mutation belongs in renderer/actions, a query or cache read in renderer/queries.';

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
      'no-restricted-syntax': ['error', ...BASE_SYNTAX, ...LITERAL_QUERY_KEYS],
    },
  },
  {
    // Components (and the hooks they use) render and call actions: workflows and mutations live in
    // renderer/actions, queries and cache writes in renderer/queries; the cache is not reached from
    // here (the api neither: dependency-cruiser's renderer rules).
    files: [
      'renderer/components/**/*.{ts,tsx}',
      'renderer/hooks/**/*.{ts,tsx}',
      'renderer/App.tsx',
      'renderer/main.tsx',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tanstack/react-query',
              importNames: ['useMutation', 'useQueryClient'],
              message: COMPONENTS_MESSAGE,
            },
          ],
        },
      ],
    },
  },
  {
    // App code (main and shared/) never loads npm undici; tests may.
    files: ['electron/**/*.ts', 'shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_UNDICI] }] },
  },
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
  // Layout is Prettier's (.prettierrc.json, checked by `npm run lint`): no eslint rule argues with it.
  eslintConfigPrettier,
);
