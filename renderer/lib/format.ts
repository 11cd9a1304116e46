/** Number, size and date formatting shared by every view. Pure functions, tested in format.test.ts. */

import { formatBytes } from '../../shared/bytes';

export { formatBytes };

const LOCALE = 'en-US';

/**
 * Formatters are made once: toLocaleString with options builds a new one on every call, which
 * cost the list ~0.2 ms per date — several milliseconds per frame while scrolling.
 */
const COUNT = new Intl.NumberFormat(LOCALE);
const EXACT = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'full', timeStyle: 'medium' });

export const formatCount = (n: number) => COUNT.format(n);

export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "3 minutes ago", "yesterday", "5 days ago", "2 months ago". */
export function formatRelative(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((now - t) / 1000);
  if (seconds < 0) return 'just now';
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 31) return `${days} days ago`;
  const months = Math.round(days / 30.44);
  if (months < 12) return `${plural(months, 'month')} ago`;
  const years = Math.round(days / 365.25);
  return `${plural(Math.max(1, years), 'year')} ago`;
}

/** The exact local date and time, for tooltips. */
export function formatExact(iso: string | null): string {
  if (!iso) return 'Unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'Unknown';
  return EXACT.format(t);
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

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "28 Nov 2026, 14:02": the exact local date and time, short enough to show in place (not only in a tooltip). */
export function formatDateTime(iso: string | null): string {
  if (!iso) return 'unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'unknown';
  return DATE_TIME.format(t);
}

/** "1,000 bytes", "1 byte": the exact size. */
export const formatExactBytes = (bytes: number) => plural(bytes, 'byte');

/** "77 bytes" below 1 KB, else the human size with the exact bytes: "1.5 KB (1,536 bytes)". */
export function formatSizeExact(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'size unknown';
  if (bytes < 1000) return formatExactBytes(bytes);
  return `${formatBytes(bytes)} (${formatExactBytes(bytes)})`;
}
