import { describe, expect, it } from 'vitest';
import { eachSliced, filterSliced, SLICE_MS } from './async';

describe('eachSliced and filterSliced', () => {
  it('visit every item in order and keep what filterSliced accepts', async () => {
    const items = Array.from({ length: 25_003 }, (_, i) => i);
    const seen: number[] = [];
    await eachSliced(items, (i) => void seen.push(i), 1_000);
    expect(seen).toEqual(items);
    expect(await filterSliced(items, (i) => i % 7 === 0, 1_000)).toEqual(items.filter((i) => i % 7 === 0));
    expect(await filterSliced(new Set([1, 2, 3]), (i) => i > 1)).toEqual([2, 3]);
  });

  it('give the event loop a turn after at most `slice` items', async () => {
    let turns = 0;
    const tick = () => {
      turns++;
      if (turns < 100) setImmediate(tick);
    };
    setImmediate(tick);
    await eachSliced(
      Array.from({ length: 10_000 }, (_, i) => i),
      () => undefined,
      1_000,
    );
    expect(turns).toBeGreaterThanOrEqual(9);
  });

  it('give the event loop a turn once a slice has taken SLICE_MS, however few items that is', async () => {
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      longest = Math.max(longest, performance.now() - last);
      last = performance.now();
    }, 1);
    const busy = () => {
      const until = performance.now() + 0.1;
      while (performance.now() < until);
    };
    // 5,000 items of 0.1 ms: one pass without turns would hold the loop for 500 ms.
    last = performance.now();
    await eachSliced(
      Array.from({ length: 5_000 }, (_, i) => i),
      busy,
    );
    clearInterval(timer);
    // A slice ends within 64 items of SLICE_MS (the clock is read every 64): ~10 ms; a busy machine
    // adds its own pauses, but nothing near the 500 ms of one pass.
    expect(longest).toBeLessThan(SLICE_MS + 64 * 0.1 + 250);
  });
});
