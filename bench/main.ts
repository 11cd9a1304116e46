/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports a default Bench) in one process and
 * prints one table of ratios. Targets are checked here and reported, never asserted in tests.
 * Also writes bench/results/latest.json: the figures the benches recorded (worst server kind per
 * key) and the machine they were measured on.
 *
 * `npm run bench -- <part> …` runs only the benches whose file name holds one of the parts (and
 * writes bench/results/partial-<parts>.json). real.bench.ts starts the real-server kits (or uses
 * SALVAGE_REAL_*) and skips itself, with its reason, on a machine without them.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { figures, renderTable, type Bench, type BenchRow } from './harness';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
/**
 * Benches left out of a full run: real.bench.ts when SALVAGE_BENCH_REAL=0 (it starts the real-server
 * kits where they are, and skips itself where they are not). Named as an argument, they run.
 */
const OPT_IN = process.env.SALVAGE_BENCH_REAL === '0' ? ['real.bench.ts'] : [];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) =>
    OPT_IN.includes(f)
      ? only.some((o) => o === f || `${o}.bench.ts` === f)
      : only.length === 0 || only.some((o) => f.includes(o)),
  )
  .sort();

const startedAt = new Date();
const loadBefore = loadavg();
const rows: BenchRow[] = [];
// A bench that throws is reported (in the table's footer and the JSON's `failed`) and the others
// still run and write their figures: one broken measure never costs the whole run.
const failed: { bench: string; error: string }[] = [];
for (const file of files) {
  process.stderr.write(`running ${file}…\n`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
    rows.push(...(await mod.default()));
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`${file} failed: ${error}\n`);
    failed.push({ bench: file, error: e instanceof Error ? e.message : String(e) });
  }
}
console.log(renderTable(rows));
for (const f of failed) console.log(`\n${f.bench} FAILED: ${f.error}`);
const missed = rows.filter(
  (r) => r.target !== null && (r.higherIsBetter ? r.candidate < r.target : r.candidate > r.target),
);
console.log(
  missed.length
    ? `\n${missed.length} target(s) missed.`
    : `\nAll ${rows.filter((r) => r.target !== null).length} targets met.`,
);

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: here, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
})();
const round = (n: number) => Math.round(n * 1000) / 1000;
const out = {
  ...Object.fromEntries([...figures].map(([k, f]) => [k, round(f.value)])),
  details: Object.fromEntries(
    [...figures].map(([k, f]) => [
      k,
      {
        worstKind: f.kind,
        unit: f.unit,
        byKind: Object.fromEntries(Object.entries(f.byKind).map(([kk, v]) => [kk, round(v)])),
        ...(f.note ? { note: f.note } : {}),
        ...(f.runs ? { runs: Object.fromEntries(Object.entries(f.runs).map(([kk, v]) => [kk, v.map(round)])) } : {}),
      },
    ]),
  ),
  benches: files,
  failed,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: round(totalmem() / 1e9),
    freeMemoryGbAtEnd: round(freemem() / 1e9),
    platform: `${platform()} ${release()}`,
    node: process.version,
    loadAverageAtStart: loadBefore.map(round),
    loadAverageAtEnd: loadavg().map(round),
  },
  commit,
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  table: rows,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
// A run of only some benches writes its own file, so latest.json stays the full run.
const name = only.length ? `partial-${only.join('-').replace(/[^a-z0-9-]/gi, '')}.json` : 'latest.json';
writeFileSync(join(dir, name), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nFigures written to bench/results/${name}.`);
if (failed.length) process.exitCode = 1;
