import { setImmediate as nextTurn, setTimeout as wait } from 'node:timers/promises';
import { AppError } from './errors';

/**
 * Generic async helpers every layer may use: bounded concurrency, a cancellable sleep and a
 * per-key lock. They import nothing of the app but errors. The waits are Node's (timers/promises);
 * forEachLimited and KeyedLock are a dozen lines each, less than a dependency (p-limit, p-map) would
 * bring, and the adaptive concurrency a restore runs at is pace.ts.
 */

/** Runs fn over items with at most `limit` at a time; stops starting new ones once the signal aborts. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Waits, or rejects with CANCELLED as soon as the signal aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await wait(ms, undefined, { signal });
  } catch (e) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    throw e;
  }
}

/** One holder at a time per key, in the order they asked (e.g. one restore at a time per target folder). */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = previous.then(() => mine);
    this.tails.set(key, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === chained) this.tails.delete(key);
    }
  }
}

/** How long one slice of a pass over many items may hold the event loop (see eachSliced). */
export const SLICE_MS = 4;

/**
 * The items `keep` accepts, in order, in slices with a turn of the event loop between them: a
 * million items never hold the loop for more than a slice's worth (see eachSliced).
 */
export async function filterSliced<T>(items: Iterable<T>, keep: (item: T) => boolean, slice = 10_000): Promise<T[]> {
  const out: T[] = [];
  await eachSliced(items, (item) => void (keep(item) && out.push(item)), slice);
  return out;
}

/**
 * Calls `each` on every item, in order, with a turn of the event loop (setImmediate) after at most
 * `slice` items or SLICE_MS, whichever comes first: the loop is never held much longer than
 * SLICE_MS, however many items there are and however busy the machine is.
 */
export async function eachSliced<T>(items: Iterable<T>, each: (item: T) => void, slice = 10_000): Promise<void> {
  let n = 0;
  let since = performance.now();
  for (const item of items) {
    each(item);
    // The clock is read every 64 items: reading it costs more than most `each`.
    if (++n % slice === 0 || (n % 64 === 0 && performance.now() - since >= SLICE_MS)) {
      await nextTurn();
      n = 0;
      since = performance.now();
    }
  }
}
