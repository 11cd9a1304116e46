import { binDeletions } from '../shared/events';
import { binIndex, buildTimeIndex } from '../renderer/lib/timeIndex';
import { binsFor, zoom, type TimeRange } from '../renderer/lib/timeRange';
import { record, type Bench } from './harness';

/**
 * The deletion timeline's cost per zoom step at 100,000 items (a year over three accounts): the
 * window re-bins from its sorted index (renderer/lib/timeIndex) instead of calling binDeletions,
 * which parses every date each time. Twenty wheel steps from the whole year in to an hour, ~200 bars.
 * Figures: timeline_zoom_step_100k_ms (median step), timeline_index_build_100k_ms (once per listing).
 */
const bench: Bench = async () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2025, 10, 1);
  let s = 4242;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const items = Array.from({ length: 100_000 }, (_, i) => ({
    accountId: `acc${i % 3}`,
    deletedAt: new Date(t0 + rand() * 365 * DAY).toISOString(),
    size: Math.floor(rand() * 5e6),
  }));
  // The views a user passes through zooming in on one spot, wheel step by wheel step.
  const views: TimeRange[] = [{ from: t0, to: t0 + 365 * DAY }];
  while (views.length < 20) views.push(zoom(views.at(-1)!, 0.55, t0 + 200 * DAY, 365 * DAY));
  const grids = views.map((v) => binsFor(v, 200));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const builds: number[] = [];
  let index = buildTimeIndex(items);
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    index = buildTimeIndex(items);
    builds.push(performance.now() - t);
  }
  const viaDeletions: number[] = [];
  const viaIndex: number[] = [];
  for (const g of grids) {
    const opts = { from: g.from, to: g.to, bins: g.bins, by: 'count' as const };
    let t = performance.now();
    const a = binDeletions(items, opts);
    viaDeletions.push(performance.now() - t);
    t = performance.now();
    const b = binIndex(index, opts);
    viaIndex.push(performance.now() - t);
    if (JSON.stringify(a.byAccount) !== JSON.stringify(b.byAccount))
      throw new Error('timeline bench: binIndex and binDeletions disagree');
  }
  const step = median(viaIndex);
  const stepBaseline = median(viaDeletions);
  record(
    'timeline_zoom_step_100k_ms',
    'all',
    step,
    'ms',
    false,
    '100,000 items, ~200 bars, median of 20 zoom steps (binIndex)',
  );
  record(
    'timeline_index_build_100k_ms',
    'all',
    median(builds),
    'ms',
    false,
    '100,000 items, once per listing; median of 5',
  );
  return [
    {
      bench: 'timeline',
      measure: 'one zoom step of the timeline, 100k items',
      unit: 'ms',
      baseline: stepBaseline,
      baselineLabel: 'binDeletions',
      candidate: step,
      candidateLabel: 'sorted index',
      target: 16,
    },
  ];
};
export default bench;
