import { describe, expect, it } from 'vitest';
import {
  countAndSize,
  dateFormats,
  daysLeft,
  describeItems,
  formatBytes,
  formatDateTime,
  formatDaysLeft,
  formatExact,
  formatExactBytes,
  formatRelative,
  formatSizeExact,
  plural,
} from './format';

const NOW = Date.parse('2026-06-15T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('format', () => {
  it('bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB');
    expect(formatBytes(3_400_000_000)).toBe('3.4 GB');
    expect(formatBytes(999_999)).toBe('1 MB');
    expect(formatBytes(null)).toBe('—');
  });

  it('counts with separators and plurals', () => {
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(1204, 'item')).toBe('1,204 items');
    expect(countAndSize(1204, 3_400_000_000)).toBe('1,204 items (3.4 GB)');
    expect(describeItems([{ size: 1000 }, { size: null }])).toBe('2 items (1 KB)');
    expect(describeItems([{ size: null }])).toBe('1 item');
  });

  it('relative times', () => {
    expect(formatRelative(ago(10_000), NOW)).toBe('just now');
    expect(formatRelative(ago(3 * 60_000), NOW)).toBe('3 minutes ago');
    expect(formatRelative(ago(60 * 60_000), NOW)).toBe('1 hour ago');
    expect(formatRelative(ago(30 * 3600_000), NOW)).toBe('yesterday');
    expect(formatRelative(ago(5 * 86_400_000), NOW)).toBe('5 days ago');
    expect(formatRelative(ago(65 * 86_400_000), NOW)).toBe('2 months ago');
    expect(formatRelative(ago(35 * 86_400_000), NOW)).toBe('1 month ago');
    expect(formatRelative(ago(800 * 86_400_000), NOW)).toBe('2 years ago');
    expect(formatRelative(ago(-60_000), NOW)).toBe('just now');
    expect(formatRelative(null, NOW)).toBe('—');
  });

  it('days until deleted for good', () => {
    const inDays = (d: number) => new Date(NOW + d * 86_400_000 + 1000).toISOString();
    expect(daysLeft(inDays(29), NOW)).toBe(29);
    expect(formatDaysLeft(inDays(1), NOW)).toBe('in 1 day');
    expect(formatDaysLeft(inDays(0), NOW)).toBe('today');
    expect(formatDaysLeft(new Date(NOW - 5000).toISOString(), NOW)).toBe('today');
    expect(formatDaysLeft(null, NOW)).toBe('unknown');
  });
});

describe('exact dates and sizes', () => {
  it('one date and time format, in the user’s locale: medium date, short time; seconds on hover', () => {
    const plain = (text: string) => text.replace(/[\u202f\u2009\u00a0]/g, ' ');
    const t = new Date(2026, 10, 28, 14, 2, 9).toISOString();
    expect(formatDateTime(t, dateFormats('en-GB'))).toBe('28 Nov 2026, 14:02');
    expect(plain(formatDateTime(t, dateFormats('en-US')))).toBe('Nov 28, 2026, 2:02 PM');
    expect(plain(formatExact(t, dateFormats('en-US')))).toBe('Nov 28, 2026, 2:02:09 PM');
    expect(formatDateTime(new Date(2026, 0, 5, 9, 7).toISOString(), dateFormats('en-GB'))).toBe('5 Jan 2026, 09:07');
    expect(formatDateTime(t)).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(t)),
    );
    expect(formatDateTime(null)).toBe('unknown');
    expect(formatDateTime('not a date')).toBe('unknown');
  });

  it('exact bytes next to the human size', () => {
    expect(formatExactBytes(1)).toBe('1 byte');
    expect(formatExactBytes(1_234_567)).toBe('1,234,567 bytes');
    expect(formatSizeExact(77)).toBe('77 bytes');
    expect(formatSizeExact(0)).toBe('0 bytes');
    expect(formatSizeExact(1000)).toBe('1 KB (1,000 bytes)');
    expect(formatSizeExact(1536)).toBe('1.5 KB (1,536 bytes)');
    expect(formatSizeExact(null)).toBe('size unknown');
  });
});
