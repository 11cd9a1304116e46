import { describe, expect, it } from 'vitest';
import { DATES, dateFormats } from './format';
import {
  binsFor,
  binsRange,
  DAY,
  extentOf,
  formatBar,
  formatRange,
  formatStep,
  fromLocalInput,
  HOUR,
  initialView,
  MINUTE,
  pan,
  snapToBins,
  stepFor,
  toLocalInput,
  YEAR,
  zoom,
} from './timeRange';

const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('time ranges of the timeline', () => {
  it('picks the smallest round step that fits the bins, from minutes to weeks', () => {
    expect(stepFor(HOUR, 200)).toBe(MINUTE);
    expect(stepFor(HOUR, 20)).toBe(5 * MINUTE);
    expect(stepFor(DAY, 200)).toBe(10 * MINUTE);
    expect(stepFor(YEAR, 200)).toBe(2 * DAY);
    expect(stepFor(YEAR, 30)).toBe(14 * DAY);
    expect(stepFor(10 * YEAR, 50)).toBeGreaterThanOrEqual(73 * DAY);
  });

  it('aligns bins to local wall-clock boundaries and covers the whole view', () => {
    const view = { from: local(2026, 11, 28, 14, 7), to: local(2026, 11, 28, 15, 2) };
    const g = binsFor(view, 100);
    expect(g.step).toBe(MINUTE);
    expect(g.from).toBe(local(2026, 11, 28, 14, 7));
    const days = binsFor({ from: local(2026, 1, 3, 15), to: local(2026, 12, 20, 9) }, 200);
    expect(days.step).toBe(2 * DAY);
    expect(new Date(days.from).getHours()).toBe(0);
    expect(days.from).toBeLessThanOrEqual(local(2026, 1, 3, 15));
    expect(days.from + days.bins * days.step).toBeGreaterThanOrEqual(local(2026, 12, 20, 9));
  });

  it('finds the extent of the deletions, skipping items without a time', () => {
    expect(extentOf([{ deletedAt: null }, { deletedAt: 'garbage' }])).toBeNull();
    expect(
      extentOf([{ deletedAt: '2026-01-02T00:00:00Z' }, { deletedAt: null }, { deletedAt: '2025-12-01T00:00:00Z' }]),
    ).toEqual({
      from: Date.parse('2025-12-01T00:00:00Z'),
      to: Date.parse('2026-01-02T00:00:00Z'),
    });
  });

  it('starts on the whole trash, at least an hour across', () => {
    const t = Date.parse('2026-11-28T14:02:00Z');
    const v = initialView({ from: t, to: t }, t);
    expect(v.to - v.from).toBe(HOUR);
    expect(v.from).toBeLessThan(t);
    expect(v.to).toBeGreaterThan(t);
    const wide = initialView({ from: t - 200 * DAY, to: t }, t);
    expect(wide.from).toBeLessThan(t - 200 * DAY);
  });

  it('zooms around an anchor between an hour and the widest span, and pans by a fraction', () => {
    const v = { from: 0, to: 10 * HOUR };
    const z = zoom(v, 0.5, 2 * HOUR, YEAR);
    expect(z.to - z.from).toBe(5 * HOUR);
    expect((2 * HOUR - z.from) / (z.to - z.from)).toBeCloseTo(0.2); // the anchor stays where it was on screen
    expect(
      zoom({ from: 0, to: 2 * HOUR }, 0.1, HOUR, YEAR).to - zoom({ from: 0, to: 2 * HOUR }, 0.1, HOUR, YEAR).from,
    ).toBe(HOUR);
    const out = zoom({ from: 0, to: 200 * DAY }, 4, 100 * DAY, YEAR);
    expect(out.to - out.from).toBe(YEAR);
    expect(pan(v, -0.5)).toEqual({ from: -5 * HOUR, to: 5 * HOUR });
  });

  it('turns bars into ranges with an inclusive end, and snaps a dragged range to whole bars', () => {
    expect(binsRange(1000, 100, 3, 1)).toEqual({ from: 1100, to: 1399 });
    expect(snapToBins({ from: 1150, to: 1320 }, 1000, 100)).toEqual({ from: 1100, to: 1399 });
  });

  it('reads and writes datetime-local values, the end of a range taking its whole minute or day', () => {
    const t = local(2026, 11, 28, 14, 2);
    expect(toLocalInput(t + 42_000)).toBe('2026-11-28T14:02');
    expect(fromLocalInput('2026-11-28T14:02')).toBe(t);
    expect(fromLocalInput('2026-11-28T14:02', true)).toBe(t + MINUTE - 1);
    expect(fromLocalInput('2026-11-28', true)).toBe(local(2026, 11, 29) - 1);
    expect(fromLocalInput('28/11/2026')).toBeNaN();
  });

  // Intl puts narrow and thin spaces around times and dashes; read as plain spaces here.
  const plain = (text: string) => text.replace(/[\u202f\u2009\u00a0]/g, ' ');

  it('names a range as people say it, in the user’s locale (British and American English here)', () => {
    const gb = dateFormats('en-GB');
    const us = dateFormats('en-US');
    const minutes = { from: local(2026, 11, 28, 14, 2), to: local(2026, 11, 28, 14, 5) + 59_999 };
    expect(plain(formatRange(minutes, gb))).toBe('28 Nov 2026, 14:02–14:05');
    expect(plain(formatRange(minutes, us))).toBe('Nov 28, 2026, 2:02 – 2:05 PM');
    expect(plain(formatRange({ from: local(2026, 11, 1), to: local(2026, 11, 29) - 1 }, gb))).toBe('1 – 28 Nov 2026');
    expect(plain(formatRange({ from: local(2026, 11, 28), to: local(2026, 11, 29) - 1 }, gb))).toBe('28 Nov 2026');
    expect(plain(formatRange({ from: local(2026, 11, 27, 9), to: local(2026, 11, 28, 17, 30) }, gb))).toBe(
      '27 Nov 2026, 09:00 – 28 Nov 2026, 17:30',
    );
    expect(plain(formatRange({ from: local(2026, 11, 27, 9), to: Infinity }, gb))).toBe('Since 27 Nov 2026, 09:00');
    expect(plain(formatRange({ from: -Infinity, to: local(2026, 11, 27, 9) }, us))).toBe('Until Nov 27, 2026, 9:00 AM');
    expect(plain(formatRange({ from: local(2026, 11, 28, 14, 3), to: local(2026, 11, 28, 14, 3) + 59_999 }, gb))).toBe(
      '28 Nov 2026, 14:03',
    );
    expect(plain(formatBar(local(2026, 11, 28, 14, 0), 15 * MINUTE, gb))).toBe('28 Nov 2026, 14:00–14:15');
    expect(plain(formatBar(local(2026, 11, 28, 14, 3), MINUTE, gb))).toBe('28 Nov 2026, 14:03');
    expect(plain(formatBar(local(2026, 11, 28), 2 * DAY, gb))).toBe('28 – 29 Nov 2026');
    // Without a locale given: the user's, the same format as every other date in the window.
    expect(formatBar(local(2026, 11, 28, 14, 3), MINUTE)).toBe(DATES.dateTime.format(local(2026, 11, 28, 14, 3)));
    expect(formatStep(MINUTE)).toBe('1 minute');
    expect(formatStep(15 * MINUTE)).toBe('15 minutes');
    expect(formatStep(2 * DAY)).toBe('2 days');
  });
});
