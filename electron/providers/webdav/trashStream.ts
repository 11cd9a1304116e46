import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../base/errors';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext, WebDavKind } from './dialect';
import { createTrashParse, type TrashParseSession } from './trashParse';
import { fetchAndParse, type WorkerRequest } from './trashFetch';
import type { FromWorker, ToWorker } from './trashWorker';

/**
 * Main-process side of trash listings: the listing worker sends the PROPFIND, parses the body as it
 * arrives and hands back chunks of ~1,000 items. The main event loop only receives finished
 * chunks, so a 100k-item listing never blocks it for long.
 *
 * The worker is out/main/trash-worker.js in a build (source: electron/providers/webdav/trashWorker.ts),
 * started from the TypeScript source through tsx when running from source (tests, `npm run cli`).
 * If no worker can be started, parsing runs in-thread in small slices (yielding between them).
 *
 * There is no module-wide host: the composition (electron/providers/index.ts) makes one with
 * createParseHost() and hands it to every WebDAV provider.
 */

interface FetchHandlers {
  items(items: TrashItem[]): void;
  done(): void;
  error(e: Error): void;
  /** The server answered something other than 207: the caller maps it. */
  status(status: number, body: string): void;
}

export interface ParseHost {
  readonly mode: 'worker' | 'in-thread';
  /** Sends the PROPFIND and parses its body where the host runs (the worker: off the main loop). */
  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): { abort(): void };
}

/** Where the worker can be found: a built .js next to the bundle, or the .ts source. */
export function findWorker(): { url: URL; typescript: boolean } | null {
  const override = process.env.SALVAGE_TRASH_WORKER;
  if (override) return { url: pathToFileURL(override), typescript: override.endsWith('.ts') };
  const here = import.meta.url;
  for (const candidate of ['./trash-worker.js', '../trash-worker.js', './main/trash-worker.js']) {
    const url = new URL(candidate, here);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { url, typescript: false };
  }
  const source = new URL('./trashWorker.ts', here);
  if (source.protocol === 'file:' && existsSync(fileURLToPath(source))) return { url: source, typescript: true };
  return null;
}

function startWorker(spec: { url: URL; typescript: boolean }): Worker {
  if (!spec.typescript) return new Worker(spec.url);
  // Running from source: register tsx inside the worker, then load the TypeScript entry.
  let api = createRequire(import.meta.url).resolve('tsx/esm/api');
  if (api.endsWith('.cjs') && existsSync(api.replace(/\.cjs$/, '.mjs'))) api = api.replace(/\.cjs$/, '.mjs');
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(spec.url.href)}); });`;
  return new Worker(code, { eval: true });
}

class WorkerHost implements ParseHost {
  readonly mode = 'worker' as const;
  /** The worker died before it ever answered (e.g. it cannot be loaded): use in-thread parsing from now on. */
  broken = false;
  private answered = false;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly sessions = new Map<number, FetchHandlers>();

  constructor(private readonly spec: { url: URL; typescript: boolean }) {}

  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): { abort(): void } {
    const worker = this.ensure();
    const id = this.nextId++;
    this.sessions.set(id, handlers);
    this.ref();
    worker.postMessage({ id, type: 'fetch', kind, ctx, request } satisfies ToWorker);
    return {
      abort: () => {
        if (this.sessions.delete(id)) worker.postMessage({ id, type: 'abort' } satisfies ToWorker);
        this.ref();
      },
    };
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.spec);
    worker.on('message', (m: FromWorker) => {
      this.answered = true;
      const handlers = this.sessions.get(m.id);
      if (!handlers) return;
      if (m.type === 'items') handlers.items(JSON.parse(m.json) as TrashItem[]);
      else {
        this.sessions.delete(m.id);
        this.ref();
        if (m.type === 'done') handlers.done();
        else if (m.type === 'status') handlers.status(m.status, m.body);
        else if (m.code) handlers.error(new AppError(m.code as AppError['code'], m.message));
        else handlers.error(new AppError('BAD_RESPONSE', `The server's trash listing could not be read: ${m.message}`));
      }
    });
    const die = (e: unknown) => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (!this.answered) this.broken = true;
      const error = new AppError('INTERNAL', `The listing worker stopped${e instanceof Error ? `: ${e.message}` : ''}.`);
      for (const h of this.sessions.values()) h.error(error);
      this.sessions.clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Keeps the process alive only while a listing is being parsed. */
  private ref(): void {
    if (!this.worker) return;
    if (this.sessions.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

/** Fallback: requests and parses in this thread, in slices, yielding to the event loop between them. */
export class InThreadHost implements ParseHost {
  readonly mode = 'in-thread' as const;

  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): { abort(): void } {
    const controller = new AbortController();
    const session = this.session(kind, ctx, handlers);
    void fetchAndParse(request, session, controller.signal, (m) => {
      if (m.type === 'status') handlers.status(m.status, m.body);
    }).catch((e: unknown) => {
      if (controller.signal.aborted) return;
      session.abort();
      handlers.error(e instanceof AppError ? e : new AppError('NETWORK', 'The connection broke while reading the trash.'));
    });
    return {
      abort: () => {
        controller.abort();
        session.abort();
      },
    };
  }

  /** A parse session that works through the body in 32 KiB slices, one per event-loop turn. */
  private session(kind: WebDavKind, ctx: ReadContext, handlers: FetchHandlers): TrashParseSession & { abort(): void } {
    const parse = createTrashParse(kind, ctx, (items) => handlers.items(items));
    let chain = Promise.resolve();
    let aborted = false;
    const SLICE = 32 * 1024;
    const run = (fn: () => void) => {
      chain = chain
        .then(() => new Promise<void>((r) => setImmediate(r)))
        .then(() => {
          if (!aborted) fn();
        })
        .catch((e: unknown) => {
          aborted = true;
          handlers.error(new AppError('BAD_RESPONSE', `The server's trash listing could not be read: ${e instanceof Error ? e.message : String(e)}`));
        });
    };
    return {
      write(bytes) {
        for (let i = 0; i < bytes.length; i += SLICE) {
          const slice = bytes.subarray(i, i + SLICE);
          run(() => parse.write(slice));
        }
      },
      end() {
        run(() => {
          parse.end();
          handlers.done();
        });
      },
      abort() {
        aborted = true;
      },
    };
  }
}

/**
 * The parse host the app uses: the listing worker (found with findWorker unless given), started
 * on the first listing; if it cannot be loaded, in-thread parsing from then on.
 */
export function createParseHost(spec: { url: URL; typescript: boolean } | null = null): ParseHost {
  let current: ParseHost | null = null;
  const resolve = (): ParseHost => {
    if (current instanceof WorkerHost && current.broken) current = new InThreadHost();
    if (current) return current;
    const found = spec ?? findWorker();
    current = found ? new WorkerHost(found) : new InThreadHost();
    return current;
  };
  return {
    get mode() {
      return resolve().mode;
    },
    fetch: (kind, ctx, request, handlers) => resolve().fetch(kind, ctx, request, handlers),
  };
}

/** A host on exactly this worker file, without the in-thread fallback (tests, and the build check of out/main/trash-worker.js). */
export function createWorkerHost(spec: { url: URL; typescript: boolean }): ParseHost {
  return new WorkerHost(spec);
}

/** Turns parser callbacks (push) into chunks an async generator can yield (pull). */
class ChunkQueue<T> {
  private readonly chunks: T[][] = [];
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  finished = false;

  readonly push = (chunk: T[]) => {
    this.chunks.push(chunk);
    this.notify();
  };

  readonly end = () => {
    this.finished = true;
    this.notify();
  };

  /** Ends with an error; the first one wins. */
  readonly fail = (e: unknown) => {
    this.failure ??= e;
    this.end();
  };

  async *drain(): AsyncGenerator<T[]> {
    for (;;) {
      if (this.chunks.length) {
        yield this.chunks.shift()!;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** A trash listing answered with something other than 207 Multi-Status. */
export class ListingStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Sends a trash PROPFIND through the parse host (in the worker: request, body and parsing all
 * off the main event loop) and yields chunks of items. A non-207 answer throws ListingStatusError.
 */
export async function* fetchTrashItems(
  request: WorkerRequest,
  kind: WebDavKind,
  ctx: ReadContext,
  using: ParseHost,
  signal?: AbortSignal,
): AsyncGenerator<TrashItem[]> {
  const queue = new ChunkQueue<TrashItem>();
  const handle = using.fetch(kind, ctx, request, {
    items: queue.push,
    done: queue.end,
    error: queue.fail,
    status: (status, body) => queue.fail(new ListingStatusError(status, body)),
  });
  const onAbort = () => {
    handle.abort();
    queue.fail(new AppError('CANCELLED', 'Cancelled.'));
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    yield* queue.drain();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!queue.finished) handle.abort();
  }
}
