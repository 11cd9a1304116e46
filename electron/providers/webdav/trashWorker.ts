import { parentPort } from 'node:worker_threads';
import type { TrashItem } from '../../../shared/model';
import { isAppError } from '../../base/errors';
import type { ReadContext, WebDavKind } from './dialect';
import { fetchAndParse, type WorkerRequest } from './trashFetch';
import { createTrashParse } from './trashParse';

/**
 * The listing worker: requests and parses trash PROPFIND bodies off the main process's event
 * loop. Several listings share one worker; each is a session keyed by id:
 *
 *   → {id, type: 'fetch', kind, ctx, request}   the worker sends the PROPFIND itself and parses
 *                                                the body as it arrives (main never sees the bytes)
 *   → {id, type: 'abort'}
 *   ← {id, type: 'items', json}  ← {id, type: 'done'}  ← {id, type: 'status', status, body} (not 207)
 *   ← {id, type: 'error', message, code?}
 *
 * Built as out/main/trash-worker.js; started from the TypeScript source in tests and `npm run cli`.
 */
export type ToWorker =
  | { id: number; type: 'fetch'; kind: WebDavKind; ctx: ReadContext; request: WorkerRequest }
  | { id: number; type: 'abort' };

export type FromWorker =
  /** A chunk of items as JSON text: JSON.parse on the main thread is ~3× cheaper than structured-clone deserialisation. */
  | { id: number; type: 'items'; json: string }
  | { id: number; type: 'done' }
  | { id: number; type: 'status'; status: number; body: string }
  | { id: number; type: 'error'; message: string; code?: string };

const port = parentPort;
if (port) {
  const fetches = new Map<number, AbortController>();
  const fail = (id: number, e: unknown) => {
    fetches.delete(id);
    port.postMessage({ id, type: 'error', message: e instanceof Error ? e.message : String(e), ...(isAppError(e) ? { code: e.code } : {}) } satisfies FromWorker);
  };
  const parseFor = (id: number, kind: WebDavKind, ctx: ReadContext) =>
    createTrashParse(kind, ctx, (items: TrashItem[]) => port.postMessage({ id, type: 'items', json: JSON.stringify(items) } satisfies FromWorker));
  port.on('message', (m: ToWorker) => {
    try {
      switch (m.type) {
        case 'fetch': {
          const controller = new AbortController();
          fetches.set(m.id, controller);
          void fetchAndParse(m.request, parseFor(m.id, m.kind, m.ctx), controller.signal, (msg) => {
            fetches.delete(m.id);
            port.postMessage({ id: m.id, ...msg } satisfies FromWorker);
          }).catch((e: unknown) => {
            if (!controller.signal.aborted) fail(m.id, e);
          });
          break;
        }
        case 'abort':
          fetches.get(m.id)?.abort();
          fetches.delete(m.id);
          break;
      }
    } catch (e) {
      fail(m.id, e);
    }
  });
}
