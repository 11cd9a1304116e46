/**
 * Time ranges for the deletion timeline and the date-range filter: bin steps that read well, zoom
 * and pan within bounds, presets, and the texts that name a range. Pure; tested in timeRange.test.ts.
 */
import { DATES, type DateFormats } from './format';

/** ms since the epoch, both ends inclusive; -Infinity or Infinity for an open end. */
export interface TimeRange {
  from: number;
  to: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The closest the timeline zooms in: one hour across. */
export const MIN_SPAN = HOUR;
/** The farthest it zooms out: a year across, or the whole trash when it spans more. */
export const YEAR = 365 * DAY;

/** Bin widths the timeline uses, smallest first: each reads as a round amount of time. */
export const STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/** The smallest round step that cuts `span` into at most `maxBins` bins. */
export function stepFor(span: number, maxBins: number): number {
  const bins = Math.max(1, Math.floor(maxBins));
  return STEPS.find((s) => span / s <= bins) ?? Math.ceil(span / bins / DAY) * DAY;
}

/** Local wall-clock alignment: a day step starts at local midnight, an hour step on the hour. */
const offsetAt = (t: number) => new Date(t).getTimezoneOffset() * MINUTE;
const floorTo = (t: number, step: number) => {
  const off = offsetAt(t);
  return Math.floor((t - off) / step) * step + off;
};

/** The bins that cover `view`: their first start, width and count (for binDeletions). */
export function binsFor(view: TimeRange, maxBins: number): { from: number; to: number; step: number; bins: number } {
  const step = stepFor(Math.max(1, view.to - view.from), maxBins);
  const from = floorTo(view.from, step);
  const bins = Math.max(1, Math.ceil((view.to - from + 1) / step));
  return { from, to: from + bins * step, step, bins };
}

/** The earliest and latest deletion, or null when nothing has a deletion time. */
export function extentOf(items: readonly { deletedAt: string | null }[]): TimeRange | null {
  let from = Infinity;
  let to = -Infinity;
  for (const i of items) {
    if (!i.deletedAt) continue;
    const t = Date.parse(i.deletedAt);
    if (Number.isNaN(t)) continue;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return from === Infinity ? null : { from, to };
}

/** What the timeline shows first: the whole trash with a little room either side (at least an hour, at most a year). */
export function initialView(extent: TimeRange | null, now: number): TimeRange {
  if (!extent) return { from: now - 30 * DAY, to: now };
  const span = Math.max(MIN_SPAN, extent.to - extent.from);
  const pad = span * 0.02;
  return clampSpan({ from: extent.from - pad, to: extent.to + pad }, maxSpanFor(extent));
}

/** The widest view: a year, or the trash's whole span when it is longer. */
export const maxSpanFor = (extent: TimeRange | null) => Math.max(YEAR, extent ? (extent.to - extent.from) * 1.04 : 0);

/** Keeps the span within [MIN_SPAN, maxSpan], around the same centre. */
function clampSpan(view: TimeRange, maxSpan: number): TimeRange {
  const span = Math.min(maxSpan, Math.max(MIN_SPAN, view.to - view.from));
  const mid = (view.from + view.to) / 2;
  return { from: Math.round(mid - span / 2), to: Math.round(mid + span / 2) };
}

/**
 * Zooms by `factor` (<1 in, >1 out) keeping `anchor` (a time) where it is on screen; from an hour
 * across up to `maxSpan`.
 */
export function zoom(view: TimeRange, factor: number, anchor: number, maxSpan: number): TimeRange {
  const span = view.to - view.from;
  const next = Math.min(maxSpan, Math.max(MIN_SPAN, span * factor));
  const at = span > 0 ? Math.min(1, Math.max(0, (anchor - view.from) / span)) : 0.5;
  const from = Math.round(anchor - next * at);
  return { from, to: from + Math.round(next) };
}

/** Moves the view by `fraction` of its width (negative: back in time). */
export function pan(view: TimeRange, fraction: number): TimeRange {
  const d = Math.round((view.to - view.from) * fraction);
  return { from: view.from + d, to: view.to + d };
}

/** A view that shows `range` with some room either side (an hour across at least). */
export function viewAround(range: TimeRange, maxSpan: number): TimeRange {
  const span = Math.max(range.to - range.from, 1);
  return clampSpan({ from: range.from - span * 0.25, to: range.to + span * 0.25 }, maxSpan);
}

/** The ready-made ranges of the date-range control, ending now. */
export const PRESETS: { label: string; span: number }[] = [
  { label: 'Last hour', span: HOUR },
  { label: 'Last 24 hours', span: DAY },
  { label: 'Last 7 days', span: 7 * DAY },
  { label: 'Last 30 days', span: 30 * DAY },
  { label: 'Last 12 months', span: YEAR },
];

export const presetRange = (span: number, now: number): TimeRange => ({ from: now - span, to: now });

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The value of an `<input type="datetime-local">` for a time, local, to the minute. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * The time an `<input type="datetime-local">` (or `type="date"`) value means, local; `end` takes
 * the last millisecond of that minute (or day), so a range's end is inclusive. NaN when invalid.
 */
export function fromLocalInput(value: string, end = false): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) return NaN;
  const [, y, mo, d, h, mi] = m;
  const dateOnly = h === undefined;
  const t = new Date(
    Number(y),
    Number(mo) - 1,
    Number(d),
    dateOnly ? 0 : Number(h),
    dateOnly ? 0 : Number(mi),
  ).getTime();
  if (!end) return t;
  return t + (dateOnly ? DAY : MINUTE) - 1;
}

const isMidnight = (t: number) => {
  const d = new Date(t);
  return d.getHours() === 0 && d.getMinutes() === 0;
};
const isEndOfDay = (t: number) => {
  const d = new Date(t);
  return d.getHours() === 23 && d.getMinutes() === 59;
};

/**
 * A range as the user's locale says it, in the window's one date format (DATES): "Nov 28, 2026,
 * 2:02 – 2:05 PM", "Nov 1 – 28, 2026" (whole days), "Since Nov 3, 2026, 2:00 PM" (an open end).
 */
export function formatRange(r: TimeRange, dates: DateFormats = DATES): string {
  const at = (t: number) => (isMidnight(t) ? dates.date.format(t) : dates.dateTime.format(t));
  if (!Number.isFinite(r.from) && !Number.isFinite(r.to)) return 'Any time';
  if (!Number.isFinite(r.from)) return `Until ${at(r.to)}`;
  if (!Number.isFinite(r.to)) return `Since ${at(r.from)}`;
  if (isMidnight(r.from) && isEndOfDay(r.to)) return dates.date.formatRange(r.from, r.to);
  // To the minute: a range ending at hh:mm:59.999 ends at hh:mm.
  return dates.span(r.from, Math.floor(r.to / MINUTE) * MINUTE);
}

/**
 * One bar of the timeline: "Nov 28, 2026, 2:00 – 2:15 PM" (the end as the clock shows it when the
 * bar ends), "Nov 28, 2026, 2:03 PM" for a one-minute bar, whole days as formatRange says them.
 */
export function formatBar(start: number, step: number, dates: DateFormats = DATES): string {
  if (step >= DAY) return formatRange({ from: start, to: start + step - 1 }, dates);
  if (step <= MINUTE) return dates.dateTime.format(start);
  return dates.span(start, start + step);
}

/** How wide a bin is, in words: "1 minute", "15 minutes", "1 day", "7 days". */
export function formatStep(step: number): string {
  const n = (v: number, unit: string) => `${v} ${unit}${v === 1 ? '' : 's'}`;
  if (step < HOUR) return n(Math.round(step / MINUTE), 'minute');
  if (step < DAY) return n(Math.round(step / HOUR), 'hour');
  return n(Math.round(step / DAY), 'day');
}

/** The whole bins [i, j] (either order) of a binning as a range, the end inclusive. */
export const binsRange = (start: number, step: number, i: number, j: number): TimeRange => ({
  from: start + Math.min(i, j) * step,
  to: start + (Math.max(i, j) + 1) * step - 1,
});

/** Widens a range to whole bins of a binning. */
export function snapToBins(r: TimeRange, start: number, step: number): TimeRange {
  const i = Math.floor((r.from - start) / step);
  const j = Math.floor((r.to - start) / step);
  return binsRange(start, step, i, j);
}
