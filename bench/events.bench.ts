import { detectEvents, binDeletions, type EventItem } from '../shared/events';
import { record, type Bench } from './harness';

/**
 * Deletion-event detection on 100,000 trash items (a year of noise over three accounts, plus three
 * incidents), against the floor of one pass that only parses every deletion time.
 * Figure: events_detect_100k_ms (median of 7 runs). Also the timeline histogram (1,000 bins).
 */
const bench: Bench = async () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2025, 10, 1);
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const folders = ['/Documents', '/Photos/2025', '/Projects/Client X', '/Projects/Client X/Drafts', '/Shared/Team'];
  const items: EventItem[] = [];
  for (let i = 0; i < 98_500; i++) {
    items.push({
      key: `acc${i % 3}:${i}`,
      accountId: `acc${i % 3}`,
      deletedAt: new Date(t0 + rand() * 365 * DAY).toISOString(),
      size: Math.floor(rand() * 5e6),
      originalFolder: folders[Math.floor(rand() * folders.length)]!,
    });
  }
  for (const [k, at, count] of [
    [0, 100, 800],
    [1, 200, 500],
    [2, 300, 200],
  ] as const) {
    for (let i = 0; i < count; i++) {
      items.push({
        key: `acc${k}:b${at}-${i}`,
        accountId: `acc${k}`,
        deletedAt: new Date(t0 + at * DAY + i * 300).toISOString(),
        size: 1000,
        originalFolder: '/Projects/Client X/Drafts',
      });
    }
  }
  const median = (f: () => void, runs = 7) => {
    const ts: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      f();
      ts.push(performance.now() - t);
    }
    return ts.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  let sink = 0;
  const floor = median(() => {
    for (const it of items) sink += Date.parse(it.deletedAt!);
  });
  let found = 0;
  const detect = median(() => {
    found = detectEvents(items).length;
  });
  const bins = median(() => {
    sink += binDeletions(items, { from: t0, to: t0 + 365 * DAY, bins: 1000, by: 'count' }).step;
  });
  if (found !== 3) throw new Error(`events bench: expected 3 events, found ${found} (${sink})`);
  record('events_detect_100k_ms', 'all', detect, 'ms', false, '100,000 items, 3 accounts, 3 incidents; median of 7');
  record('events_bin_100k_ms', 'all', bins, 'ms', false, '100,000 items into 1,000 bins; median of 7');
  return [
    {
      bench: 'events',
      measure: 'detect events in 100k items',
      unit: 'ms',
      baseline: floor,
      baselineLabel: 'parse dates only',
      candidate: detect,
      candidateLabel: 'detectEvents',
      target: 200,
    },
    {
      bench: 'events',
      measure: 'histogram of 100k items, 1,000 bins',
      unit: 'ms',
      baseline: floor,
      baselineLabel: 'parse dates only',
      candidate: bins,
      candidateLabel: 'binDeletions',
      target: 100,
    },
  ];
};
export default bench;
