/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports a default Bench) in one process and
 * prints one table of ratios. Targets are checked here and reported, never asserted in tests.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderTable, type Bench, type BenchRow } from './harness';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  process.stderr.write(`running ${file}…\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  rows.push(...(await mod.default()));
}
console.log(renderTable(rows));
const missed = rows.filter((r) => r.target !== null && (r.higherIsBetter ? r.candidate < r.target : r.candidate > r.target));
console.log(missed.length ? `\n${missed.length} target(s) missed.` : `\nAll ${rows.filter((r) => r.target !== null).length} targets met.`);
