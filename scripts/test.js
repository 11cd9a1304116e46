// `npm test`: every check, in order, with one summary line at the end that sums every runner:
// typecheck, lint and build count as one check each; vitest and Playwright count their tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

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

check('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
check('lint', bin('eslint'), ['--max-warnings', '0', '.']);

// Unit and integration tests (vitest).
rmSync('test-results/vitest.json', { force: true });
const vitestOk = run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
  if (vitest.numFailedTests > 0 || (!vitestOk && vitest.numFailedTests === 0)) {
    if (vitest.numFailedTests === 0) totals.failed += 1; // a suite that failed to load
    failures.push('vitest');
  }
} else {
  totals.failed += 1;
  failures.push('vitest (no report)');
}

// End-to-end tests (Playwright in Debian's Chromium against the browser host).
check('build', process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']);
const chromium = process.env.SALVAGE_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`\nNo Chromium at ${chromium}: install it (apt-get install chromium) to run the end-to-end tests. Counting them as failed.`);
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
    if (!e2eOk && unexpected + flaky === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
    failures.push('playwright (no report)');
  }
}

console.log('');
if (failures.length) console.log(`Failed: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
