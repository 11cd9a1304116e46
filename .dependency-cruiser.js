/**
 * Which folder may import which, checked on the files imports RESOLVE to (dependency-cruiser), not on
 * the text of the import: an index ('../services'), a dynamic import(), a type-only import, a path
 * that climbs out and back in ('../../electron/services/…') all count. `npm run lint` runs it after
 * eslint; electron/layers.test.ts proves every rule fires on code that breaks it and that the tree
 * passes. Tests (*.test.ts) may reach across layers and renderer folders and use Node; the cycle rule,
 * shared/'s rules, the electron package's and "the renderer never imports electron/ or e2e/" hold for
 * them too. A breach that cannot be fixed at once goes in EXCEPTIONS, by name and with its reason.
 */

/** The main process's layers, lowest first; a rank may hold siblings, which do not import each other. */
export const LAYER_RANKS = [
  ['base'],
  ['net'],
  ['providers'],
  ['operations'],
  ['services'],
  ['persistence', 'demo'],
  ['hosts'],
];
/** Every layer folder under electron/. */
export const LAYERS = LAYER_RANKS.flat();
const LAYER_PICTURE = LAYER_RANKS.map((rank) => rank.join('/')).join(' ← ');

/**
 * The renderer's folders and what each may import besides itself and shared/: components render and
 * call hooks, actions and queries; hooks hold UI state over actions and queries; actions run workflows
 * and mutations over queries and the api; queries read through the api; the api is the typed contract
 * with main; lib holds pure helpers (no React, no api). 'root' is renderer/'s top files (App.tsx, main.tsx).
 */
export const RENDERER_IMPORTS = {
  root: ['components', 'hooks', 'actions', 'queries', 'lib'],
  components: ['hooks', 'actions', 'queries', 'lib'],
  hooks: ['actions', 'queries', 'lib'],
  actions: ['queries', 'api', 'lib'],
  queries: ['api', 'lib'],
  api: [],
  lib: [],
};

/**
 * Known breaches, each named with its reason. Removing the import removes the need; the rule test
 * checks every entry still matches a real import, so a stale entry fails.
 */
export const EXCEPTIONS = [];

const TESTS = '\\.test\\.tsx?$';
const esc = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const either = (names) => `(${names.join('|')})`;

/**
 * A rule with its named exceptions taken out: the excepted source leaves the rule (from.pathNot) and
 * gets a twin of it that holds for every target but the excepted one.
 */
function withExceptions(rule) {
  const hits = EXCEPTIONS.filter((e) => e.rule === rule.name);
  if (hits.length === 0) return [rule];
  const skipped = `^${either(hits.map((e) => esc(e.from)))}$`;
  const base = {
    ...rule,
    from: { ...rule.from, pathNot: rule.from.pathNot ? `${rule.from.pathNot}|${skipped}` : skipped },
  };
  const twins = hits.map((e) => ({
    ...rule,
    from: { path: `^${esc(e.from)}$` },
    to: { ...rule.to, pathNot: rule.to.pathNot ? `${rule.to.pathNot}|^${esc(e.to)}$` : `^${esc(e.to)}$` },
  }));
  return [base, ...twins];
}

function layerRules() {
  return LAYER_RANKS.flatMap((rank, i) => {
    const forbidden = [...LAYER_RANKS.slice(i + 1).flat()];
    return rank.map((layer) => {
      const barred = [...forbidden, ...rank.filter((sibling) => sibling !== layer)];
      return {
        name: `layer-${layer}`,
        comment: `electron/${layer} imports only layers below it (${LAYER_PICTURE}); not ${barred.map((b) => `electron/${b}`).join(', ')}.`,
        severity: 'error',
        from: { path: `^electron/${layer}/`, pathNot: TESTS },
        to: { path: `^electron/${either(barred)}/` },
      };
    });
  }).filter((rule) => !rule.to.path.endsWith('()/'));
}

const rendererPath = (folder) => (folder === 'root' ? 'renderer/[^/]+$' : `renderer/${folder}/`);

function rendererRules() {
  const folderRules = Object.entries(RENDERER_IMPORTS).map(([folder, allowed]) => ({
    name: `renderer-${folder}`,
    comment:
      folder === 'lib'
        ? 'renderer/lib holds pure helpers: nothing of the renderer but lib itself (a hook goes to renderer/hooks, an api call to actions or queries).'
        : `${folder === 'root' ? 'App.tsx and main.tsx' : `renderer/${folder}`} may import ${allowed.length ? allowed.map((f) => `renderer/${f}`).join(', ') : 'nothing of the renderer'} besides ${folder === 'root' ? 'each other' : 'itself'} and shared/${folder === 'root' || folder === 'components' || folder === 'hooks' ? ' (main is reached through actions and queries)' : ''}.`,
    severity: 'error',
    from: { path: `^${rendererPath(folder)}`, pathNot: TESTS },
    to: { path: '^renderer/', pathNot: `^${either([folder, ...allowed].map(rendererPath))}` },
  }));
  return [
    ...folderRules,
    {
      name: 'renderer-lib-no-react',
      comment: 'renderer/lib holds pure helpers: no React, no query cache (a hook goes to renderer/hooks).',
      severity: 'error',
      from: { path: '^renderer/lib/', pathNot: TESTS },
      to: { path: '^node_modules/(react|react-dom|react-aria|react-aria-components|@tanstack|@viselect)/' },
    },
  ];
}

/** The npm packages that are Electron itself. */
const ELECTRON_PACKAGE = '^node_modules/electron/';

/**
 * The app's bundle entries (electron.vite.config.ts: main, host, cli, trash-worker, preload): what
 * they reach is what ships in out/. electron/layers.test.ts checks the list against the config.
 */
export const APP_ENTRIES = [
  'electron/hosts/desktop/main.ts',
  'electron/hosts/desktop/preload.ts',
  'electron/hosts/browser/main.ts',
  'electron/hosts/cli/main.ts',
  'electron/providers/webdav/trashWorker.ts',
];

/**
 * The test servers' control API (reset, seed, faults, latency, transports, request log) and fault
 * rules: test-only. Tests, benches, the e2e fixtures and `npm run servers` start servers with them
 * (webdav/server.ts, docspace/server.ts); demo mode serves the same front ends without them
 * (http.ts serve()).
 */
export const TEST_SERVER_CONTROL = ['electron/demo/servers/control.ts', 'electron/demo/servers/faults.ts'];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...[
      ...layerRules(),
      {
        name: 'main-not-renderer',
        comment: 'Main never imports renderer code.',
        severity: 'error',
        from: { path: '^electron/', pathNot: TESTS },
        to: { path: '^renderer/' },
      },
      {
        name: 'app-not-test-folder',
        comment: 'App code never imports the test folder (e2e/): the app would ship test code.',
        severity: 'error',
        from: { path: '^(electron|renderer|shared)/', pathNot: TESTS },
        to: { path: '^e2e/' },
      },
      {
        name: 'app-not-test-server-control',
        comment:
          "The app never carries the test servers' control API or fault rules (electron/demo/servers/control.ts, faults.ts): no bundle entry reaches them, through any chain of imports. Demo mode serves through electron/demo/servers/http.ts; a test starts a server with control through webdav/server.ts or docspace/server.ts.",
        severity: 'error',
        from: { path: `^${either(APP_ENTRIES.map(esc))}$` },
        to: { path: `^${either(TEST_SERVER_CONTROL.map(esc))}$`, reachable: true },
      },
      {
        name: 'electron-package-in-desktop-host',
        comment:
          'Only the desktop host (electron/hosts/desktop) imports the electron package: the other hosts and every layer run in plain Node too.',
        severity: 'error',
        from: { path: '^(electron|renderer|shared)/', pathNot: '^electron/hosts/desktop/' },
        to: { path: ELECTRON_PACKAGE },
      },
      {
        name: 'shared-is-the-contract',
        comment: 'shared/ is the contract: nothing of electron/, renderer/, Node or Electron.',
        severity: 'error',
        from: { path: '^shared/' },
        to: { path: '^(electron|renderer)/' },
      },
      {
        name: 'shared-no-node',
        comment: 'shared/ is the contract: nothing of electron/, renderer/, Node or Electron.',
        severity: 'error',
        from: { path: '^shared/' },
        to: { dependencyTypes: ['core'] },
      },
      {
        name: 'renderer-reaches-main-through-api',
        comment:
          'The renderer reaches main only through renderer/api (the typed contract): no electron/, no Node, no test folder.',
        severity: 'error',
        from: { path: '^renderer/' },
        to: { path: '^(electron|e2e)/' },
      },
      {
        name: 'renderer-no-node',
        comment:
          'The renderer reaches main only through renderer/api (the typed contract): no electron/, no Node, no test folder.',
        severity: 'error',
        from: { path: '^renderer/', pathNot: TESTS },
        to: { dependencyTypes: ['core'] },
      },
      ...rendererRules(),
      {
        name: 'no-cycle',
        comment:
          'No import cycles (type-only imports count): a module in a cycle can run before what it imports is defined.',
        severity: 'error',
        from: { path: '^(electron|renderer|shared)/' },
        to: { circular: true },
      },
    ].flatMap(withExceptions),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    // Type-only imports are dependencies too (they vanish from the JavaScript, not from the design).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
