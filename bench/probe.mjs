/**
 * Loaded into the browser host by the listing bench (`node --import ./bench/probe.mjs out/main/host.js`):
 * watches the main event loop (the longest gap between 5 ms ticks, and the event-loop delay
 * histogram) and, on SIGUSR2, prints one line `SALVAGE_PROBE {maxBlockMs, maxRssMb, heapUsedMb}`
 * to stdout and starts a new window. maxRssMb is the process's peak resident set since it started (peakRssMb).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

/**
 * The process's own peak resident set in MB. On Linux from /proc/self/status VmHWM: getrusage's
 * maxRSS (process.resourceUsage) survives execve, so a host spawned by a bench holding an 849 MB
 * recording reported the bench's peak as its own. Elsewhere maxRSS is all there is.
 */
function peakRssMb() {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

const TICK_MS = 5;
let last = performance.now();
let maxGap = 0;
const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
histogram.enable();
/**
 * The main thread's own time on a CPU and waiting for one, in ms, from Linux's schedstat (null
 * elsewhere): on a machine shared with other work a gap between ticks can be time spent waiting
 * for a core rather than work of main's own, and these tell the two apart.
 */
function mainThreadSched() {
  try {
    const [onCpu, waiting] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return [onCpu / 1e6, waiting / 1e6];
  } catch {
    return null;
  }
}

/**
 * The window's longest gaps [start, length, own CPU ms, ms waiting for a CPU] and the garbage collections, to tell GC
 * from work.
 */
let gaps = [];
let gcs = [];
let maxGapCpu = 0;
let lastSched = mainThreadSched();
setInterval(() => {
  const now = performance.now();
  const sched = lastSched && mainThreadSched();
  const gap = now - last - TICK_MS;
  maxGap = Math.max(maxGap, gap);
  const cpu = sched ? sched[0] - lastSched[0] : null;
  if (cpu !== null) maxGapCpu = Math.max(maxGapCpu, cpu);
  if (gap > 20)
    gaps.push([
      Math.round(last),
      Math.round(gap),
      cpu && Math.round(cpu),
      sched && Math.round(sched[1] - lastSched[1]),
    ]);
  last = now;
  lastSched = sched;
}, TICK_MS).unref();
const GC_KINDS = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak' };
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcs.push([Math.round(e.startTime), Math.round(e.duration), GC_KINDS[e.detail?.kind] ?? e.detail?.kind]);
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  const figures = {
    maxBlockMs: Math.max(maxGap, histogram.max / 1e6 - TICK_MS),
    maxRssMb: peakRssMb(),
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
    // The most CPU time main's thread spent between two ticks: its longest block less any wait for a core.
    maxBlockCpuMs: maxGapCpu,
  };
  if (process.env.SALVAGE_PROBE_DETAIL) {
    // Each gap over 20 ms with the collections that overlap it; the window's collections by kind.
    const detail = gaps
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([at, ms, cpu, waited]) => ({
        at,
        ms,
        cpu,
        waited,
        gc: gcs.filter(([s, d]) => s + d >= at && s <= at + ms + TICK_MS),
      }));
    const byKind = {};
    for (const [, d, k] of gcs) {
      const t = (byKind[k] ??= { n: 0, totalMs: 0, maxMs: 0 });
      t.n++;
      t.totalMs += d;
      t.maxMs = Math.max(t.maxMs, d);
    }
    process.stderr.write(
      `SALVAGE_PROBE_DETAIL ${JSON.stringify({ maxBlockMs: figures.maxBlockMs, maxBlockCpuMs: figures.maxBlockCpuMs, gaps: detail, gc: byKind })}\n`,
    );
  }
  gaps = [];
  gcs = [];
  maxGapCpu = 0;
  process.stdout.write(`SALVAGE_PROBE ${JSON.stringify(figures)}\n`);
  maxGap = 0;
  histogram.reset();
});
