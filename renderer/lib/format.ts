/** Number, size and date formatting shared by every view. Pure functions, tested in format.test.ts. */

import { formatBytes } from '../../shared/bytes';

export { formatBytes };

const LOCALE = 'en-US';

/**
 * The window's one way of writing dates and times, in the user's locale (the system's in the
 * desktop app, the browser's in the browser host): a medium date and a short time — "Dec 4, 2026,
 * 2:02 PM" in en-US, "4 Dec 2026, 14:02" in en-GB — with seconds where exactness matters (on hover).
 * Lists say how long ago ("3 days ago") and give this on hover. Made once per locale:
 * toLocaleString with options builds a formatter on every call, which cost the list ~0.2 ms per
 * date — several milliseconds per frame while scrolling.
 */
export function dateFormats(locale?: string) {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    dateTime,
    exact: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }),
    date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
    time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
    /** Timeline ticks: "Dec 4" / "4 Dec", "Dec 2026". */
    dayMonth: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }),
    monthYear: new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' }),
    /** A span in that format, as the locale joins two ends: "Dec 4, 2026, 2:02 – 2:06 PM". */
    span: (from: number, to: number) => (from === to ? dateTime.format(from) : dateTime.formatRange(from, to)),
  };
}
export type DateFormats = ReturnType<typeof dateFormats>;

/** The user's locale's formats, used everywhere in the window. */
export const DATES: DateFormats = dateFormats();

const COUNT = new Intl.NumberFormat(LOCALE);

export const formatCount = (n: number) => COUNT.format(n);

export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Relative times in words (Intl): "yesterday" for one day back, numbers for every other unit ("1 month ago"). */
const AGO = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'always' });
const AGO_DAYS = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

/**
 * "just now", "3 minutes ago", "yesterday", "5 days ago", "2 months ago": the unit is the largest that
 * has passed (rounded), the words are Intl.RelativeTimeFormat's.
 */
export function formatRelative(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return AGO.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return AGO.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 31) return AGO_DAYS.format(-days, 'day');
  const months = Math.round(days / 30.44);
  if (months < 12) return AGO.format(-months, 'month');
  return AGO.format(-Math.max(1, Math.round(days / 365.25)), 'year');
}

/** The local date and time to the second (DATES), for tooltips and the details pane. */
export function formatExact(iso: string | null, dates: DateFormats = DATES): string {
  if (!iso) return 'Unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'Unknown';
  return dates.exact.format(t);
}

/** Whole days until the server deletes the item for good; null when unknown. 0 means today. */
export function daysLeft(expiresAt: string | null, now: number = Date.now()): number | null {
  if (!expiresAt) return null;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.floor((t - now) / 86_400_000));
}

export function formatDaysLeft(expiresAt: string | null, now: number = Date.now()): string {
  const days = daysLeft(expiresAt, now);
  if (days === null) return 'unknown';
  if (days === 0) return 'today';
  return `in ${plural(days, 'day')}`;
}

/** "37 items (1.2 GB)", leaving out the size when unknown for every item. */
export function describeItems(items: { size: number | null; kind?: string }[]): string {
  const known = items.filter((i) => i.size !== null);
  const bytes = known.reduce((sum, i) => sum + (i.size ?? 0), 0);
  const count = plural(items.length, 'item');
  return known.length > 0 ? `${count} (${formatBytes(bytes)})` : count;
}

/** "1,204 items (3.4 GB)". */
export const countAndSize = (count: number, bytes: number) => `${plural(count, 'item')} (${formatBytes(bytes)})`;

/** "Nov 28, 2026, 2:02 PM" / "28 Nov 2026, 14:02" (DATES): the local date and time, short enough to show in place. */
export function formatDateTime(iso: string | null, dates: DateFormats = DATES): string {
  if (!iso) return 'unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  return dates.dateTime.format(t);
}

/** "1,000 bytes", "1 byte": the exact size. */
export const formatExactBytes = (bytes: number) => plural(bytes, 'byte');

/** "77 bytes" below 1 KB, else the human size with the exact bytes: "1.5 KB (1,536 bytes)". */
export function formatSizeExact(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'size unknown';
  if (bytes < 1000) return formatExactBytes(bytes);
  return `${formatBytes(bytes)} (${formatExactBytes(bytes)})`;
}
