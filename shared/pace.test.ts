import { describe, expect, it } from 'vitest';
import { formatPace, formatRate, formatTimeLeft } from './pace';

describe('pace as people read it', () => {
  it('says items per second with a decimal only below 10', () => {
    expect(formatRate(0.42)).toBe('0.4 items/s');
    expect(formatRate(7.25)).toBe('7.3 items/s');
    expect(formatRate(123.6)).toBe('124 items/s');
    expect(formatRate(null)).toBeNull();
    expect(formatRate(0)).toBeNull();
  });

  it('says the time left in minutes, hours or days', () => {
    expect(formatTimeLeft(30)).toBe('less than a minute left');
    expect(formatTimeLeft(7 * 60 + 10)).toBe('about 7 min left');
    expect(formatTimeLeft(3 * 3600 + 20 * 60)).toBe('about 3 h 20 min left');
    expect(formatTimeLeft(2 * 3600)).toBe('about 2 h left');
    expect(formatTimeLeft(5 * 86400)).toBe('about 5 days left');
    expect(formatTimeLeft(null)).toBeNull();
  });

  it('joins what is known', () => {
    expect(formatPace(12, 420)).toBe('12 items/s · about 7 min left');
    expect(formatPace(12, null)).toBe('12 items/s');
    expect(formatPace(null, null)).toBeNull();
  });
});
