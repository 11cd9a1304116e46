import { parentPort } from 'node:worker_threads';
import type { TrashItem } from '../../../shared/model';
import { isAppError } from '../../base/errors';
import type { ReadContext, WebDavKind } from './dialect';
import { ChunkCredit, fetchAndParse, type WorkerRequest } from './trashFetch';
import { createTrashParse, type TrashParseSession } from './trashParse';
import type { XmlScanStats } from './xmlScan';

/**
 * A listing worker: requests and parses trash PROPFIND bodies off the main process's event loop.
 * The main side (trashStream.ts) gives each account its own worker; several listings of one
 * account share it, each a session keyed by id:
 *
 *   → {id, type: 'fetch', kind, ctx, request}   the worker sends the PROPFIND itself and parses
 *                                                the body as it arrives (main never sees the bytes)
 *   → {id, type: 'taken'}                       main's reader took one chunk of items: the worker
 *                                                reads the body on while fewer than CHUNKS_AHEAD
 *                                                chunks are waiting there (trashFetch.ts)
 *   → {id, type: 'abort'}                       ← {id, type: 'aborted'} once it stopped reading
 *   ← {type: 'ready'} once loaded
 *   → {type: 'ping'}                            ← {type: 'pong'} (main ends a worker that stops answering)
 *   ← {id, type: 'items', json}  ← {id, type: 'done', stats}  ← {id, type: 'status', status, body} (not 207)
 *   ← {id, type: 'error', message, code?, stats?}
 *
 * Built as out/main/trash-worker.js; started from the TypeScript source in tests and `npm run cli`.
 */
export type ToWorker =
  | { id: number; type: 'fetch'; kind: WebDavKind; ctx: ReadContext; request: WorkerRequest }
  | { id: number; type: 'taken' }
  | { id: number; type: 'abort' }
  | { type: 'ping' };

export type FromWorker =
  /**
   * A chunk of items as JSON text: JSON.parse on the main thread is ~3× cheaper than structured-clone deserialisation.
   */
  | { id: number; type: 'items'; json: string }
  | { id: number; type: 'done'; stats: XmlScanStats }
  | { id: number; type: 'status'; status: number; body: string }
  | { id: number; type: 'error'; message: string; code?: string; stats?: XmlScanStats }
  | { id: number; type: 'aborted' }
  | { type: 'ready' }
  | { type: 'pong' };

const port = parentPort;
if (port) {
  const fetches = new Map<number, { controller: AbortController; credit: ChunkCredit }>();
  const post = (m: FromWorker) => port.postMessage(m);
  const fail = (id: number, e: unknown, session?: TrashParseSession) => {
    fetches.delete(id);
    post({
      id,
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      ...(isAppError(e) ? { code: e.code } : {}),
      ...(session ? { stats: { ...session.stats } } : {}),
    });
  };
  const parseFor = (id: number, kind: WebDavKind, ctx: ReadContext, credit: ChunkCredit) =>
    createTrashParse(kind, ctx, (items: TrashItem[]) => {
      credit.sent();
      post({ id, type: 'items', json: JSON.stringify(items) });
    });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'ping') {
      post({ type: 'pong' });
      return;
    }
    try {
      switch (m.type) {
        case 'fetch': {
          const controller = new AbortController();
          const credit = new ChunkCredit();
          fetches.set(m.id, { controller, credit });
          const session = parseFor(m.id, m.kind, m.ctx, credit);
          void fetchAndParse(
            m.request,
            session,
            controller.signal,
            (msg) => {
              fetches.delete(m.id);
              post(
                msg.type === 'done' ? { id: m.id, type: 'done', stats: { ...session.stats } } : { id: m.id, ...msg },
              );
            },
            credit,
          ).catch((e: unknown) => {
            if (!controller.signal.aborted) fail(m.id, e, session);
          });
          break;
        }
        case 'taken':
          fetches.get(m.id)?.credit.taken();
          break;
        case 'abort': {
          const f = fetches.get(m.id);
          f?.controller.abort();
          f?.credit.release();
          fetches.delete(m.id);
          post({ id: m.id, type: 'aborted' });
          break;
        }
      }
    } catch (e) {
      fail(m.id, e);
    }
  });
  post({ type: 'ready' });
}
