// `npm test`: every check, in order, with one summary line at the end that sums every runner:
// typecheck, lint, the import rules (lint:imports) and build count as one check each; vitest and Playwright count their
// tests.
// `--real-only` runs just the real-server suite (npm run test:real); `--deployment-only` just the
// integration suites in the deployment transport (npm run test:deployment).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const bin = (name) => `node_modules/.bin/${name}`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** Each failed test, named, for the lines just above the summary (CI shows only the end of the output). */
const failedTests = [];

function run(label, command, args, env = {}) {
  console.log(`\n━━ ${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(label);
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

mkdirSync('test-results', { recursive: true });

const partial = process.argv.includes('--real-only') || process.argv.includes('--deployment-only');
if (!partial) {
  check('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  check('lint', bin('eslint'), ['--max-warnings', '0', '.']);
  check('lint:imports', bin('depcruise'), [
    '--config',
    '.dependency-cruiser.js',
    '--output-type',
    'err-long',
    'electron',
    'shared',
    'renderer',
  ]);
}

/**
 * One vitest run with its JSON report counted into the totals. A run that fails without failing a
 * test (a suite that did not load, an error outside any test) counts as one failed check.
 */
function vitestPass(label, args, env = {}) {
  const file = `test-results/vitest-${label.replace(/[^a-z0-9]+/gi, '-')}.json`;
  rmSync(file, { force: true });
  const ok = run(
    label,
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${file}`],
    env,
  );
  const report = readJson(file);
  if (!report) {
    totals.failed += 1;
    failures.push(`${label} (no report)`);
    return;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests > 0 || !ok) {
    if (report.numFailedTests === 0) totals.failed += 1; // a suite that failed to load, an unhandled error
    failures.push(label);
  }
  for (const suite of report.testResults ?? []) {
    const where = suite.name ? suite.name.replace(`${process.cwd()}/`, '') : '?';
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((t) => t.status === 'failed')) {
      failedTests.push(`${label}: ${where}: ${firstLine(suite.message)}`);
    }
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'failed')
        failedTests.push(`${label}: ${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
}

function firstLine(text) {
  return (
    String(text ?? '')
      .split('\n')
      .find((line) => line.trim())
      ?.trim()
      .slice(0, 300) ?? ''
  );
}

function summary() {
  console.log('');
  for (const line of failedTests) console.log(`✗ ${line}`);
  if (failures.length) console.log(`Failed: ${failures.join(', ')}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

/**
 * The integration suites that talk to the WebDAV and DocSpace test servers (and the contract suite's test-server
 * targets).
 */
const INTEGRATION = ['electron/providers/webdav', 'electron/providers/docspace', 'electron/services', 'e2e/real'];
/** The real-server contract suite's targets come from these; the deployment pass runs without them. */
const noRealServers = { SALVAGE_REAL_NEXTCLOUD: '', SALVAGE_REAL_OWNCLOUD: '' };

const only = process.argv.includes('--deployment-only')
  ? 'deployment'
  : process.argv.includes('--real-only')
    ? 'real'
    : null;

if (only === null) {
  // Unit and integration tests (vitest), the real-server suite apart (below).
  vitestPass('vitest', ['--exclude', 'e2e/real/**']);
}

if (only === null || only === 'real') {
  // The real-server contract suite and the differential check: against the real servers named by
  // SALVAGE_REAL_NEXTCLOUD / SALVAGE_REAL_OWNCLOUD (.ci/run starts the kits; without them those
  // tests skip and say why) and against the test servers. Both kinds at once (different servers).
  for (const error of (process.env.SALVAGE_KIT_ERRORS ?? '')
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    console.log(`\nReal server: ${error}`);
    totals.failed += 1;
    failures.push(`real server: ${error}`);
  }
  vitestPass('real servers', ['e2e/real', '--maxWorkers=3']);
}

if (only === 'deployment' || (only === null && process.env.CI)) {
  // Once more, the integration suites with every test server answering as deployments do
  // (Connection: close, a slow first byte, chunked and close-delimited bodies, small writes).
  // CI runs it (.ci/run sets CI); locally: npm run test:deployment.
  vitestPass('deployment transport', INTEGRATION, { SALVAGE_TEST_TRANSPORT: 'deployment', ...noRealServers });
}

if (only !== null) summary();

// End-to-end tests (Playwright in Debian's Chromium against the browser host).
check('build', process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']);
const chromium = process.env.SALVAGE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(
    `\nNo Chromium at ${chromium}: install it (apt-get install chromium) to run the end-to-end tests. Counting them as failed.`,
  );
  totals.failed += 1;
  failures.push('e2e (no chromium)');
} else {
  rmSync('test-results/playwright.json', { force: true });
  const e2eOk = run('playwright', bin('playwright'), ['test']);
  const report = readJson('test-results/playwright.json');
  if (report?.stats) {
    const { expected, unexpected, skipped, flaky } = report.stats;
    totals.passed += expected;
    totals.failed += unexpected + flaky;
    totals.skipped += skipped;
    if (unexpected + flaky > 0 || !e2eOk) failures.push('playwright');
    namePlaywrightFailures(report.suites ?? [], []);
    if (!e2eOk && unexpected + flaky === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
    failures.push('playwright (no report)');
  }
}

summary();

/**
 * Playwright's report nests suites (file › describe › …) down to specs; a spec whose test was unexpected or flaky is
 * named.
 */
function namePlaywrightFailures(suites, titles) {
  for (const suite of suites) {
    const path = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const error = test.results?.find((r) => r.error)?.error?.message;
        failedTests.push(
          `playwright (${test.status}): ${[...path, spec.title].join(' › ')}: ${firstLine(stripVTControlCharacters(error ?? ''))}`,
        );
      }
    }
    namePlaywrightFailures(suite.suites ?? [], path);
  }
}
