import { describe, expect, it } from 'vitest';
import { binDeletions } from '../../shared/events';
import { binIndex, buildTimeIndex } from './timeIndex';

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('the timeline index', () => {
  it('bins exactly as binDeletions does, by count and by bytes, for ranges of any width', () => {
    const rnd = lcg(7);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const items = Array.from({ length: 3000 }, (_, i) => ({
      accountId: ['a', 'b', 'c'][i % 3]!,
      deletedAt:
        i % 97 === 0
          ? null
          : i % 89 === 0
            ? 'not a date'
            : new Date(base + Math.floor((rnd() * 90 * 86_400_000) / 60_000) * 60_000).toISOString(),
      size: i % 13 === 0 ? null : Math.floor(rnd() * 1e6),
    }));
    const index = buildTimeIndex(items);
    const cases = [
      { from: base, to: base + 90 * 86_400_000, bins: 90 },
      { from: base + 10 * 86_400_000, to: base + 11 * 86_400_000, bins: 1440 },
      { from: base + 5 * 3_600_000, to: base + 6 * 3_600_000, bins: 60 },
      { from: base - 86_400_000, to: base + 200 * 86_400_000, bins: 7 },
    ];
    for (const c of cases) {
      for (const by of ['count', 'bytes'] as const) {
        expect(binIndex(index, { ...c, by })).toEqual(binDeletions(items, { ...c, by }));
      }
    }
  });

  it('puts an item deleted exactly at the end in the last bar, and knows the extent', () => {
    const items = [
      { accountId: 'a', deletedAt: '2026-01-01T00:00:00.000Z', size: 5 },
      { accountId: 'a', deletedAt: '2026-01-01T01:00:00.000Z', size: 7 },
    ];
    const from = Date.parse(items[0]!.deletedAt);
    const to = Date.parse(items[1]!.deletedAt);
    const index = buildTimeIndex(items);
    expect(index.extent).toEqual({ from, to });
    expect(binIndex(index, { from, to, bins: 4, by: 'count' }).byAccount).toEqual({ a: [1, 0, 0, 1] });
    expect(binIndex(index, { from, to, bins: 4, by: 'bytes' }).byAccount).toEqual({ a: [5, 0, 0, 7] });
    expect(buildTimeIndex([]).extent).toBeNull();
  });
});
