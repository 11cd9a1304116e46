import { parentPort } from 'node:worker_threads';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext, WebDavKind } from './dialect';
import { createTrashParse, type TrashParseSession } from './trashParse';

/**
 * The listing worker: parses trash PROPFIND bodies off the main process's event loop. Several
 * listings share one worker; each is a session the main side opens, feeds and ends:
 *
 *   → {id, type: 'open', kind, ctx}   → {id, type: 'bytes', bytes}   → {id, type: 'end'}   → {id, type: 'abort'}
 *   ← {id, type: 'items', items}      ← {id, type: 'done'}           ← {id, type: 'error', message}
 *
 * Built as out/main/trash-worker.js; started from the TypeScript source in tests and `npm run cli`.
 */
export type ToWorker =
  | { id: number; type: 'open'; kind: WebDavKind; ctx: ReadContext }
  | { id: number; type: 'bytes'; bytes: Uint8Array }
  | { id: number; type: 'end' }
  | { id: number; type: 'abort' };

export type FromWorker =
  | { id: number; type: 'items'; items: TrashItem[] }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; message: string };

const port = parentPort;
if (port) {
  const sessions = new Map<number, TrashParseSession>();
  const fail = (id: number, e: unknown) => {
    sessions.delete(id);
    port.postMessage({ id, type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
  };
  port.on('message', (m: ToWorker) => {
    try {
      switch (m.type) {
        case 'open':
          sessions.set(
            m.id,
            createTrashParse(m.kind, m.ctx, (items) => port.postMessage({ id: m.id, type: 'items', items } satisfies FromWorker)),
          );
          break;
        case 'bytes':
          sessions.get(m.id)?.write(m.bytes);
          break;
        case 'end': {
          const session = sessions.get(m.id);
          if (!session) break;
          session.end();
          sessions.delete(m.id);
          port.postMessage({ id: m.id, type: 'done' } satisfies FromWorker);
          break;
        }
        case 'abort':
          sessions.delete(m.id);
          break;
      }
    } catch (e) {
      fail(m.id, e);
    }
  });
}
