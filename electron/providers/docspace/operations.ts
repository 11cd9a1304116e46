import { isAppError } from '../../base/errors';
import type { DocSpaceApi } from './api';
import { parseReply, replies, type FileOperationDto } from './dto';

/**
 * Following one DocSpace background operation (fileops move / delete / emptytrash) to its end.
 *
 * The server keeps an operation in a per-user queue; `GET fileops?id=` lists it while it runs and,
 * when it was started with `deleteAfter: false` (hold), reports the finished state exactly once
 * before dropping it. "No longer listed" therefore also means "done": the caller confirms the
 * outcome by reading the trash and the destination again.
 */

export interface OperationEnd {
  /** The operation's last `error` (DocSpace keeps only the last one). */
  error: string | null;
  /** The user cancelled and the operation was terminated. */
  cancelled: boolean;
}

export interface FollowOptions {
  signal: AbortSignal;
  /** Called with 0..100 whenever the server reports progress. */
  onProgress?: (percent: number) => void;
  pollMs?: number;
  maxPollMs?: number;
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<boolean>((resolve) => {
    if (signal.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Picks the operation a start call created. With `returnSingleOperation` honoured the list has one
 * entry; older portals answer every operation of the user, so take the newest unfinished one of the
 * right type that was not there before.
 */
export function pickOperation(
  list: unknown,
  type: number,
  known: ReadonlySet<string> = new Set(),
): FileOperationDto | null {
  const ops = parseReply(replies.operations, list);
  if (ops.length === 1) return ops[0]!;
  const candidates = ops.filter(
    (o) => (o.Operation === undefined || o.Operation === null || o.Operation === type) && !known.has(o.id),
  );
  const running = candidates.filter((o) => !o.finished);
  return running.at(-1) ?? candidates.at(-1) ?? null;
}

export async function terminate(api: DocSpaceApi, id: string): Promise<void> {
  try {
    await api.send({ method: 'PUT', path: `files/fileops/terminate/${encodeURIComponent(id)}` });
  } catch {
    // The operation may already be gone; the caller re-reads the state either way.
  }
}

/** Polls until finished or no longer listed; terminates it when the signal aborts. */
export async function followOperation(
  api: DocSpaceApi,
  op: FileOperationDto | null,
  options: FollowOptions,
): Promise<OperationEnd> {
  if (!op) return { error: null, cancelled: options.signal.aborted };
  let last = op;
  options.onProgress?.(last.progress ?? 0);
  let delay = options.pollMs ?? 200;
  const maxDelay = options.maxPollMs ?? 1000;
  while (!last.finished) {
    if (!(await wait(delay, options.signal))) {
      await terminate(api, op.id);
      return { error: last.error ?? null, cancelled: true };
    }
    delay = Math.min(maxDelay, Math.round(delay * 1.5));
    let list: FileOperationDto[];
    try {
      list = await api.call(
        { method: 'GET', path: 'files/fileops', query: { id: op.id }, signal: options.signal },
        replies.operations,
      );
    } catch (e) {
      if (isAppError(e) && e.code === 'CANCELLED') {
        await terminate(api, op.id);
        return { error: last.error ?? null, cancelled: true };
      }
      throw e;
    }
    // Older portals ignore ?id= and list every operation: look ours up by id.
    const current = list.find((o) => o.id === op.id);
    if (!current) return { error: last.error ?? null, cancelled: false };
    last = current;
    options.onProgress?.(Math.max(0, Math.min(100, last.progress ?? 0)));
  }
  return { error: last.error || null, cancelled: false };
}
