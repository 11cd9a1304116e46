/**
 * Loaded into the browser host by the listing bench (`node --import ./bench/probe.mjs out/main/host.js`):
 * watches the main event loop (the longest gap between 5 ms ticks, and the event-loop delay
 * histogram) and, on SIGUSR2, prints one line `SALVAGE_PROBE {maxBlockMs, maxRssMb, heapUsedMb}`
 * to stdout and starts a new window. maxRssMb is the process's peak resident set since it started (peakRssMb).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

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
setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last - TICK_MS);
  last = now;
}, TICK_MS).unref();

process.on('SIGUSR2', () => {
  const figures = {
    maxBlockMs: Math.max(maxGap, histogram.max / 1e6 - TICK_MS),
    maxRssMb: peakRssMb(),
    heapUsedMb: process.memoryUsage().heapUsed / 1e6,
  };
  process.stdout.write(`SALVAGE_PROBE ${JSON.stringify(figures)}\n`);
  maxGap = 0;
  histogram.reset();
});
