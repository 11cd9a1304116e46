import { setMaxListeners } from 'node:events';
import { isAppError, type AppError } from '../../base/errors';
import { forEachPaced, PACE_DEFAULTS } from '../../base/pace';
import type { TrashItem } from '../../../shared/model';
import type { BatchContext, Landed, Replaced } from '../types';
import { displayPath } from './paths';
import type { Stat, WebDavSession } from './requests';

/**
 * What every batch (restore, delete) of the provider runs on: items in parallel with their failures reported, and what
 * a restore landed.
 */

/**
 * Runs fn per item, reporting failures; a 401 stops the batch and is rethrown. fn may hand the
 * rest of an item's work to `later`: it goes on outside the item's slot (so the next item
 * starts), with the same failure handling, and the batch ends when it has. `drained` is called
 * once no more items will start.
 */
export async function runBatch(
  s: WebDavSession,
  items: TrashItem[],
  ctx: BatchContext,
  fn: (item: TrashItem, later: (work: () => Promise<void>) => void) => Promise<void>,
  concurrency = s.concurrency,
  drained?: () => void,
): Promise<void> {
  let authError: AppError | null = null;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  const pending = new Set<Promise<void>>();
  // Once the batch is cancelled, an item that had not started its write is reported by the
  // runner ("cancelled"); work handed to `later` comes after a write, so its failure is reported.
  const failed = (item: TrashItem, e: unknown, afterWrite: boolean) => {
    if (isAppError(e) && e.code === 'AUTH_FAILED') {
      authError ??= e;
      stop.abort();
      return;
    }
    if (ctx.signal.aborted && (!afterWrite || (isAppError(e) && e.code === 'CANCELLED'))) return;
    ctx.itemDone(s.result(item, 'failed', null, e));
  };
  // Each request in flight listens on the batch's signal: say how many to expect (no warning on stderr).
  setMaxListeners(Math.max(10, PACE_DEFAULTS.max * 4), ctx.signal);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // As many in flight as the server keeps up with (electron/base/pace.ts); fixed when the account's options fix it.
    await forEachPaced(
      items,
      { start: concurrency, adaptive: s.options.concurrency === undefined },
      stop.signal,
      async (item) => {
        const later = (work: () => Promise<void>) => {
          const p = work().catch((e: unknown) => failed(item, e, true));
          pending.add(p);
          void p.finally(() => pending.delete(p));
        };
        try {
          ctx.progress({ current: item.name });
          await fn(item, later);
        } catch (e) {
          failed(item, e, false);
        }
      },
    );
    drained?.();
    while (pending.size) await Promise.all(pending);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (authError) throw authError;
}

/** What a restore put in place, for Undo to check later (see Landed). */
export function landedOf(final: string[], stat: Stat, replaced: Replaced | null): Landed {
  return {
    ref: displayPath(final),
    name: final[final.length - 1] ?? '',
    kind: stat.kind,
    fileId: stat.fileId,
    etag: stat.etag,
    size: stat.size,
    modifiedAt: stat.modifiedAt,
    version: null,
    replaced,
  };
}
