import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One line of the benchmark table: a measure of Salvage's way against a baseline, in one run. */
export interface BenchRow {
  bench: string;
  measure: string;
  unit: string;
  baseline: number;
  baselineLabel: string;
  candidate: number;
  candidateLabel: string;
  /** The target as "candidate ≤ target" (or ≥ when higherIsBetter); null when only reported. */
  target: number | null;
  higherIsBetter?: boolean;
}

export type Bench = () => Promise<BenchRow[]>;

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3));

export function renderTable(rows: BenchRow[]): string {
  const header = ['bench', 'measure', 'baseline', 'salvage', 'ratio (baseline/salvage)', 'target', 'met'];
  const body = rows.map((r) => {
    const ratio = r.higherIsBetter ? r.candidate / r.baseline : r.baseline / r.candidate;
    const met =
      r.target === null ? '—' : (r.higherIsBetter ? r.candidate >= r.target : r.candidate <= r.target) ? 'yes' : 'NO';
    return [
      r.bench,
      r.measure,
      `${fmt(r.baseline)} ${r.unit} (${r.baselineLabel})`,
      `${fmt(r.candidate)} ${r.unit} (${r.candidateLabel})`,
      Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : 'n/a',
      r.target === null ? '—' : `${r.higherIsBetter ? '≥' : '≤'} ${fmt(r.target)} ${r.unit}`,
      met,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** One figure for bench/results/latest.json: the worst server kind's value is kept per key. */
export interface Figure {
  value: number;
  kind: string;
  unit: string;
  /** Every kind measured, by kind. */
  byKind: Record<string, number>;
  note?: string;
  /** Where the value was the median of several runs: every run's value, by kind. */
  runs?: Record<string, number[]>;
}

export const figures = new Map<string, Figure>();

/** Records a figure for one server kind; the key's value is the worst kind's (lowest when higher is better). */
export function record(
  key: string,
  kind: string,
  value: number,
  unit: string,
  higherIsBetter: boolean,
  note?: string,
  runs?: number[],
): void {
  const prev = figures.get(key);
  const byKind = { ...(prev?.byKind ?? {}), [kind]: value };
  const worse = !prev || (higherIsBetter ? value < prev.value : value > prev.value);
  const allRuns = runs ? { ...(prev?.runs ?? {}), [kind]: runs } : prev?.runs;
  figures.set(key, {
    value: worse ? value : prev.value,
    kind: worse ? kind : prev.kind,
    unit,
    byKind,
    ...((note ?? prev?.note) ? { note: note ?? prev?.note } : {}),
    ...(allRuns ? { runs: allRuns } : {}),
  });
}

/** The median of several runs' values (the lower middle one for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

/** "min–max over n runs" for a note. */
export function spread(values: number[], digits = 2): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} over ${values.length} runs`;
}

/**
 * Starts a test-server script in its own process (so its work does not share the measured event
 * loop) and resolves with the JSON it prints on its first line ({url, …}) and a stop function.
 */
export async function startServerProcess<T extends { url: string }>(
  script: URL,
  args: string[],
): Promise<T & { stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`test server ${script.pathname} exited (${code})`)));
  });
  return { ...(JSON.parse(line) as T), stop: () => child.kill('SIGTERM') };
}
