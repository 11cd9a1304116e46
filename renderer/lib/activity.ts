/** How the activity area arranges batches so it stays small. Pure; tested in activity.test.ts. */
import { isFinished, type OperationView } from '../../shared/model';
import { plural } from './format';

type Op = Pick<OperationView, 'id' | 'state' | 'results' | 'resumable'>;

/** Items of a batch that did not get done (failed, or not done because it was cancelled). */
export const failedCount = (op: Pick<OperationView, 'results'>) =>
  op.results.filter((r) => r.outcome === 'failed' || r.outcome === 'cancelled').length;

/** Whether a finished batch left something to look at: a stop, or items that failed. */
export const hasFailures = (op: Pick<OperationView, 'state' | 'results'>) =>
  op.state === 'failed' || failedCount(op) > 0;

/**
 * Batches newest first, split into what is on screen as a card — running ones (and ones waiting
 * to be resumed) on top, then the newest finished one — and the older finished ones, which fold
 * into one line.
 */
export function arrangeActivity<T extends Op>(
  newestFirst: readonly T[],
): { active: T[]; latest: T | null; older: T[] } {
  const active = newestFirst.filter((op) => !isFinished(op) || op.resumable);
  const finished = newestFirst.filter((op) => isFinished(op) && !op.resumable);
  return { active, latest: finished[0] ?? null, older: finished.slice(1) };
}

/** "3 more finished · 1 with failures" */
export function finishedLine(older: readonly Pick<OperationView, 'state' | 'results'>[]): string {
  const failures = older.filter(hasFailures).length;
  return `${plural(older.length, 'more batch', 'more batches')} finished${failures ? ` · ${failures} with failures` : ''}`;
}

/** How much of a progress bar is done well and how much failed, in percent of the whole. */
export function progressParts(op: Pick<OperationView, 'done' | 'total' | 'state' | 'results'>): {
  ok: number;
  failed: number;
} {
  if (!op.total) return { ok: isFinished(op) ? 100 : 0, failed: 0 };
  const failed = Math.min(failedCount(op), op.done);
  const pct = (n: number) => Math.round((n / op.total) * 1000) / 10;
  return { ok: pct(op.done - failed), failed: pct(failed) };
}
