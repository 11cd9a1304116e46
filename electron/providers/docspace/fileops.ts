import { isAppError } from '../../base/errors';
import { forEachLimited, sleep } from '../../base/async';
import type { ErrorCode } from '../../../shared/errors';
import type { ItemResult, TrashItem } from '../../../shared/model';
import type { BatchContext } from '../types';
import type { ApiCall, DocSpaceApi } from './api';
import { encodeId, FOLDER_TYPE, itemId, parseItemId, replies, splitIds } from './dto';
import { followOperation, pickOperation, type OperationEnd } from './operations';
import { PAGE_CONCURRENCY, PAGE_SIZE, readPages } from './pages';

/**
 * DocSpace's background operations (fileops) as the jobs start them: started, followed to their
 * end with progress, waited out when a start's answer was lost; and where items are afterwards.
 */

const never = new AbortController().signal;
/** Failures after which a write may have happened on the server all the same. */
const LOST_ANSWER: ReadonlySet<string> = new Set(['NETWORK', 'TIMEOUT', 'BAD_RESPONSE']);
export const fail = (item: TrashItem, code: ErrorCode, message: string): ItemResult => ({
  key: item.key,
  name: item.name,
  outcome: 'failed',
  finalPath: null,
  error: { code, message },
});

/** PUT fileops/delete: into the trash (undo), or for good (`immediately`). */
export function deleteCall(items: { id: string }[], { immediately }: { immediately: boolean }): ApiCall {
  const ids = splitIds(items);
  return {
    method: 'PUT',
    path: 'files/fileops/delete',
    body: { fileIds: ids.files, folderIds: ids.folders, deleteAfter: false, immediately, returnSingleOperation: true },
  };
}

/** Whole-batch progress from the server's per-operation percentages. */
export class Progress {
  private settled = 0;

  constructor(
    private readonly total: number,
    private readonly ctx: BatchContext,
  ) {}

  settle(n: number): void {
    if (n === 0) return;
    this.settled += n;
    this.ctx.progress({ fraction: this.total ? Math.min(1, this.settled / this.total) : 1 });
  }

  partial(size: number, percent: number): void {
    if (!this.total) return;
    this.ctx.progress({ fraction: Math.min(1, (this.settled + (size * percent) / 100) / this.total) });
  }
}

export class FileOps {
  constructor(
    private readonly api: DocSpaceApi,
    private readonly pollMs: number,
    private readonly maxPollMs: number,
  ) {}

  // Start calls (PUT fileops/…) are not given the batch's signal: once sent, an operation may be
  // running on the server, and followOperation terminates it properly when the user cancels.

  /**
   * Starts a background operation (fileops/…) and follows it to its end, reporting its percentages.
   * A start whose answer is lost (connection reset, cut off, unreadable) may still have started the
   * operation: then wait until the user's operations of that type have settled, and let the caller
   * read the trash and the destination to report what really happened — never "failed" by default.
   */
  async runOperation(
    type: number,
    start: ApiCall,
    onProgress: (percent: number) => void,
    signal: AbortSignal,
  ): Promise<OperationEnd> {
    let started: unknown;
    try {
      started = await this.api.call(start, replies.operations);
    } catch (e) {
      if (!isAppError(e) || !LOST_ANSWER.has(e.code)) throw e;
      await this.settle(signal, type);
      return { error: `${e.message} (what the server did was read back)`, cancelled: false };
    }
    return followOperation(this.api, pickOperation(started, type), {
      signal,
      onProgress,
      pollMs: this.pollMs,
      maxPollMs: this.maxPollMs,
    });
  }

  /** Waits (bounded) until no operation of this type (of any type when left out) is running for the user. */
  async settle(signal: AbortSignal = new AbortController().signal, type?: number): Promise<void> {
    for (let i = 0; i < 100 && !signal.aborted; i++) {
      const list = await this.api
        .call({ method: 'GET', path: 'files/fileops', signal }, replies.operations)
        .catch(() => []);
      if (
        !list.some(
          (o) =>
            !o.finished &&
            (type === undefined || o.Operation === undefined || o.Operation === null || o.Operation === type),
        )
      )
        return;
      await sleep(Math.min(this.maxPollMs, this.pollMs * (i + 1)), signal).catch(() => undefined);
    }
  }

  /**
   * Where each item is now: 'trash' (top level of the trash), 'live', or 'gone'. Reads the whole
   * trash when that takes fewer requests than asking about each item.
   */
  async locate(ids: string[], signal?: AbortSignal): Promise<Map<string, 'trash' | 'live' | 'gone'>> {
    const out = new Map<string, 'trash' | 'live' | 'gone'>();
    if (ids.length === 0) return out;
    const probe = readPages(this.api, 'files/@trash', {}, signal);
    const first = await probe.next();
    await probe.return(undefined);
    const total = first.done ? 0 : first.value.total;
    if (Math.ceil(total / PAGE_SIZE) <= ids.length) {
      const inTrash = new Set<string>();
      for await (const page of readPages(this.api, 'files/@trash', {}, signal))
        for (const e of page.entries) inTrash.add(itemId(e));
      for (const id of ids) out.set(id, inTrash.has(id) ? 'trash' : 'live');
      // 'live' here means "not in the trash"; callers that need more look in the destination.
      return out;
    }
    await forEachLimited(ids, PAGE_CONCURRENCY, signal ?? never, async (id) => {
      const { kind, dsId } = parseItemId(id);
      try {
        const e = await this.api.call({ method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal }, replies.item);
        out.set(id, e.rootFolderType === FOLDER_TYPE.TRASH ? 'trash' : 'live');
      } catch (err) {
        if (isAppError(err) && err.code === 'NOT_FOUND') out.set(id, 'gone');
        else throw err;
      }
    });
    return out;
  }
}
