// `npm run audit:electron`: runs Electronegativity (Doyensec's Electron security linter) over the
// main-process sources and the renderer page, then compares its findings with the reviewed list
// in scripts/audit-electron.reviewed.json. Every finding is printed; the script fails only on a
// finding nobody has reviewed yet (new code the linter worries about).
//
// Its AvailableSecurityFixesGlobalCheck needs the internet (it fetches Electron's release list)
// and is skipped; `npm outdated electron` answers the same question through the npm registry.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const reviewed = JSON.parse(readFileSync(join(root, 'scripts/audit-electron.reviewed.json'), 'utf8'));

/** One CSV line into fields (quoted fields may hold commas and doubled quotes). */
export function parseCsvLine(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

// The linter scans a folder: give it the app's own code (no tests, no node_modules).
const scan = mkdtempSync(join(tmpdir(), 'salvage-audit-'));
cpSync(join(root, 'electron'), join(scan, 'electron'), { recursive: true, filter: (src) => !/\.test\.ts$/.test(src) });
cpSync(join(root, 'renderer/index.html'), join(scan, 'renderer/index.html'));
const report = join(scan, 'report.csv');

const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
    '-i',
    scan,
    '-e',
    electronVersion,
    '-r',
    '-v',
    'false',
    '-x',
    'AvailableSecurityFixesGlobalCheck',
    '-o',
    report,
  ],
  { encoding: 'utf8' },
);
let csv;
try {
  csv = readFileSync(report, 'utf8');
} catch {
  console.error(`Electronegativity did not produce a report (exit ${run.status}).\n${run.stderr}`);
  process.exit(2);
}
rmSync(scan, { recursive: true, force: true });

const findings = csv
  .split('\n')
  .slice(1)
  .filter((l) => l.trim())
  .map((l) => {
    const [check, severity, confidence, file, location, sample, description] = parseCsvLine(l);
    return { check, severity, confidence, file: file.replace(/^\.?\/?/, ''), location, sample, description };
  });

let unreviewed = 0;
console.log(
  `Electronegativity ${electronVersion ? `(Electron ${electronVersion})` : ''}: ${findings.length} finding(s)\n`,
);
for (const f of findings) {
  const review = reviewed.find((r) => r.check === f.check && (r.file === '*' || f.file.endsWith(r.file)));
  if (!review) unreviewed++;
  console.log(
    `${review ? 'reviewed' : 'NEW     '}  ${f.check} [${f.severity}/${f.confidence}] ${f.file}:${f.location}`,
  );
  console.log(`          ${review ? review.why : f.description}`);
}
console.log(`\n${findings.length - unreviewed} reviewed, ${unreviewed} new.`);
if (unreviewed) {
  console.log('Fix the new findings, or add them with the reason to scripts/audit-electron.reviewed.json.');
  process.exit(1);
}
