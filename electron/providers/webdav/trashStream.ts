import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../base/errors';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext, WebDavKind } from './dialect';
import { createTrashParse, type TrashParseSession } from './trashParse';
import { ChunkCredit, fetchAndParse, type WorkerRequest } from './trashFetch';
import type { FromWorker, ToWorker } from './trashWorker';
import { hostOf } from './multistatus';
import type { XmlScanStats } from './xmlScan';

/**
 * Main-process side of trash listings: a listing worker sends the PROPFIND, parses the body as it
 * arrives and hands back chunks of ~1,000 items. The main event loop only receives finished
 * chunks, so a 100k-item listing never blocks it for long.
 *
 * One listing cannot hold up another: each account gets its own worker (WorkerHost), so a
 * hostile or huge answer from one server is parsed on a thread no other account waits on. Chosen
 * over one shared worker with a pool that ends runaway parses, because a worker's parse cannot be
 * interrupted from outside except by ending the worker, and with one worker per account ending it
 * touches that account alone. Each worker is also bounded from outside:
 * - an abort the worker does not acknowledge within abortGraceMs ends it;
 * - it is pinged every pingMs while it has listings; one that has not answered for
 *   unresponsiveMs (a parse that runs away, which the linear tokenizer should make impossible) is
 *   ended and its listings fail with BAD_RESPONSE naming the server;
 * - its heap is capped (maxHeapMb): running out ends that worker and its listings only;
 * - it is ended after idleMs without listings, so idle accounts hold no memory;
 * - at most maxWorkers run at once; beyond that an idle one is ended to make room, else the account
 *   shares the least busy worker (still ended alone by the same bounds).
 * Cost (`npm run bench listing-workers`, bench/listing-workers.bench.ts; the shared 2-core machine,
 * load average 7–10 while measured, after net/ moved to node:http): a worker from the built bundle
 * (835 KB) takes 150–400 ms to its 'ready' and adds ~23 MB resident idle; four accounts listing at
 * once took 114–116 MB against 32–40 MB for one shared worker (~28 MB per extra account). Each
 * account pays the start-up on its first listing (in parallel with the others), and its memory
 * until idleMs after its last.
 * What it buys: a hostile or runaway answer costs its own account alone (e2e/faults/hostile.test.ts:
 * a worker spinning forever, one out of memory, one that ignores an abort; another account lists
 * its 1,000 items meanwhile). With the linear tokenizer a shared worker interleaves two healthy
 * listings about as well: a small listing beside a 38 MB one took 110–220 ms shared and
 * 160–440 ms on its own worker (the extra thread competing for two busy cores).
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
  /**
   * The tokenizer's counters for this listing, just before done() or a parse error (tests, the hostile-server suite).
   */
  stats?(stats: XmlScanStats): void;
  /**
   * True: the reader says when it has taken each chunk (FetchHandle.taken) and the body is read no
   * further than CHUNKS_AHEAD chunks ahead of it. Otherwise a chunk counts as taken once handed to
   * items(), and the body is read as fast as it comes.
   */
  paced?: boolean;
}

export interface ParseHost {
  readonly mode: 'worker' | 'in-thread';
  /**
   * Sends the PROPFIND and parses its body where the host runs (a worker: off the main loop).
   * With `handlers.paced`, `taken()` says the reader took one chunk handed to `handlers.items`: the
   * body is read on while fewer than CHUNKS_AHEAD are waiting (trashFetch.ts).
   */
  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): FetchHandle;
}

export interface FetchHandle {
  abort(): void;
  taken(): void;
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

function startWorker(spec: { url: URL; typescript: boolean }, maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (!spec.typescript) return new Worker(spec.url, { resourceLimits });
  // Running from source: register tsx inside the worker, then load the TypeScript entry.
  let api = createRequire(import.meta.url).resolve('tsx/esm/api');
  if (api.endsWith('.cjs') && existsSync(api.replace(/\.cjs$/, '.mjs'))) api = api.replace(/\.cjs$/, '.mjs');
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(spec.url.href)}); });`;
  return new Worker(code, { eval: true, resourceLimits });
}

export interface WorkerHostOptions {
  /** Workers alive at once (default 4). */
  maxWorkers?: number;
  /** A worker without listings is ended after this long (default 30 s). */
  idleMs?: number;
  /** How often a worker with listings is pinged (default 2 s). */
  pingMs?: number;
  /**
   * A worker that has not answered for this long while it has listings is ended (default 15 s; 60 s before it is ready,
   * while it loads).
   */
  unresponsiveMs?: number;
  /** An aborted listing the worker has not let go of after this long ends the worker (default 2 s). */
  abortGraceMs?: number;
  /** Heap cap per worker, MB (default 256; a 100k-item listing needs ~30). */
  maxHeapMb?: number;
}

const DEFAULTS: Required<WorkerHostOptions> = {
  maxWorkers: 4,
  idleMs: 30_000,
  pingMs: 2_000,
  unresponsiveMs: 15_000,
  abortGraceMs: 2_000,
  maxHeapMb: 256,
};
/** Allowed silence before a worker's first message (loading the bundle, or tsx compiling the source). */
const FIRST_ANSWER_MS = 60_000;

interface Session {
  handlers: FetchHandlers;
  host: string;
}

/** One worker and the accounts it serves. */
interface Slot {
  worker: Worker;
  accounts: Set<string>;
  sessions: Map<number, Session>;
  /** When the worker last sent anything. */
  heard: number;
  answered: boolean;
  pinger: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
  /** Aborted listings awaiting the worker's 'aborted'. */
  graces: Map<number, NodeJS.Timeout>;
}

/** A worker per account (see the header): tests reach it through createWorkerHost. */
export class WorkerHost implements ParseHost {
  readonly mode = 'worker' as const;
  /** A worker died before it ever answered (e.g. it cannot be loaded): use in-thread parsing from now on. */
  broken = false;
  private nextId = 1;
  private readonly slots = new Set<Slot>();
  private readonly byAccount = new Map<string, Slot>();
  private readonly options: Required<WorkerHostOptions>;

  constructor(
    private readonly spec: { url: URL; typescript: boolean },
    options: WorkerHostOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The workers alive now: which accounts each serves, its thread id and open listings (tests). */
  workers(): Array<{ threadId: number; accounts: string[]; listings: number }> {
    return [...this.slots].map((s) => ({
      threadId: s.worker.threadId,
      accounts: [...s.accounts],
      listings: s.sessions.size,
    }));
  }

  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): FetchHandle {
    const slot = this.slotFor(ctx.accountId);
    const id = this.nextId++;
    slot.sessions.set(id, { handlers, host: hostOf(request.url) });
    this.busy(slot);
    slot.worker.postMessage({ id, type: 'fetch', kind, ctx, request } satisfies ToWorker);
    return {
      abort: () => this.abort(slot, id),
      taken: () => {
        if (slot.sessions.has(id) && this.slots.has(slot))
          slot.worker.postMessage({ id, type: 'taken' } satisfies ToWorker);
      },
    };
  }

  /** Ends every worker now (their listings fail as cancelled). */
  async close(): Promise<void> {
    await Promise.all([...this.slots].map((s) => this.end(s, new AppError('CANCELLED', 'Cancelled.'))));
  }

  private slotFor(account: string): Slot {
    const mine = this.byAccount.get(account);
    if (mine) return mine;
    if (this.slots.size >= this.options.maxWorkers) {
      const idle = [...this.slots].find((s) => s.sessions.size === 0);
      if (idle) void this.end(idle, null);
      else {
        // Every worker is busy: share the least busy one.
        const least = [...this.slots].reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
        least.accounts.add(account);
        this.byAccount.set(account, least);
        return least;
      }
    }
    const slot = this.start();
    slot.accounts.add(account);
    this.byAccount.set(account, slot);
    return slot;
  }

  private start(): Slot {
    const worker = startWorker(this.spec, this.options.maxHeapMb);
    const slot: Slot = {
      worker,
      accounts: new Set(),
      sessions: new Map(),
      heard: Date.now(),
      answered: false,
      pinger: null,
      idle: null,
      graces: new Map(),
    };
    this.slots.add(slot);
    worker.on('message', (m: FromWorker) => this.receive(slot, m));
    const die = (e: unknown) => {
      if (!this.slots.has(slot)) return;
      if (!slot.answered) this.broken = true;
      const oom = e instanceof Error && (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      void this.end(slot, (host) =>
        oom
          ? new AppError(
              'BAD_RESPONSE',
              `The trash listing from ${host} needed more than ${this.options.maxHeapMb} MB to read and was stopped.`,
            )
          : new AppError('INTERNAL', `The listing worker stopped${e instanceof Error ? `: ${e.message}` : ''}.`),
      );
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`exit code ${code}`)));
    return slot;
  }

  private receive(slot: Slot, m: FromWorker): void {
    slot.heard = Date.now();
    slot.answered = true;
    if (m.type === 'pong' || m.type === 'ready') return;
    if (m.type === 'aborted') {
      clearTimeout(slot.graces.get(m.id));
      slot.graces.delete(m.id);
      return;
    }
    const session = slot.sessions.get(m.id);
    if (!session) return;
    const { handlers, host } = session;
    if (m.type === 'items') {
      handlers.items(JSON.parse(m.json) as TrashItem[]);
      if (!handlers.paced) slot.worker.postMessage({ id: m.id, type: 'taken' } satisfies ToWorker);
      return;
    }
    slot.sessions.delete(m.id);
    this.settle(slot);
    if (m.type === 'done') {
      handlers.stats?.(m.stats);
      handlers.done();
    } else if (m.type === 'status') handlers.status(m.status, m.body);
    else {
      if (m.stats) handlers.stats?.(m.stats);
      if (m.code) handlers.error(new AppError(m.code as AppError['code'], m.message));
      else
        handlers.error(new AppError('BAD_RESPONSE', `The trash listing from ${host} could not be read: ${m.message}.`));
    }
  }

  private abort(slot: Slot, id: number): void {
    if (!slot.sessions.delete(id) || !this.slots.has(slot)) return;
    slot.worker.postMessage({ id, type: 'abort' } satisfies ToWorker);
    // A worker stuck in a parse never reads the abort: end it rather than let it hold the account.
    const grace = setTimeout(
      () =>
        void this.end(
          slot,
          (host) =>
            new AppError('BAD_RESPONSE', `Reading the trash from ${host} did not stop when asked, so it was ended.`),
        ),
      this.options.abortGraceMs,
    );
    grace.unref();
    slot.graces.set(id, grace);
    this.settle(slot);
  }

  /** A worker with listings: kept alive, pinged, not idle. */
  private busy(slot: Slot): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.worker.ref();
    if (slot.pinger) return;
    slot.heard = Date.now();
    slot.pinger = setInterval(() => {
      const silent = Date.now() - slot.heard;
      if (silent > (slot.answered ? this.options.unresponsiveMs : FIRST_ANSWER_MS)) {
        void this.end(
          slot,
          (host) =>
            new AppError(
              'BAD_RESPONSE',
              `Reading the trash from ${host} took too long (the listing worker stopped answering for ${Math.round(silent / 1000)} s), so it was ended.`,
            ),
        );
      } else slot.worker.postMessage({ type: 'ping' } satisfies ToWorker);
    }, this.options.pingMs);
    slot.pinger.unref();
  }

  /** A worker whose last listing ended: not pinged, does not keep the process alive, ended after idleMs. */
  private settle(slot: Slot): void {
    if (slot.sessions.size > 0 || !this.slots.has(slot)) return;
    if (slot.pinger) clearInterval(slot.pinger);
    slot.pinger = null;
    slot.worker.unref();
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.sessions.size === 0 && slot.graces.size === 0) void this.end(slot, null);
    }, this.options.idleMs);
    slot.idle.unref();
  }

  /** Ends a worker; its listings fail with the error made for each (none when it had none). */
  private async end(slot: Slot, error: ((host: string) => AppError) | AppError | null): Promise<void> {
    if (!this.slots.delete(slot)) return;
    for (const account of slot.accounts) if (this.byAccount.get(account) === slot) this.byAccount.delete(account);
    if (slot.pinger) clearInterval(slot.pinger);
    if (slot.idle) clearTimeout(slot.idle);
    for (const g of slot.graces.values()) clearTimeout(g);
    const sessions = [...slot.sessions.values()];
    slot.sessions.clear();
    for (const { handlers, host } of sessions) {
      handlers.error(
        error instanceof AppError
          ? error
          : error
            ? error(host)
            : new AppError('INTERNAL', 'The listing worker stopped.'),
      );
    }
    await slot.worker.terminate().catch(() => undefined);
  }
}

/** Fallback: requests and parses in this thread, in slices, yielding to the event loop between them. */
export class InThreadHost implements ParseHost {
  readonly mode = 'in-thread' as const;

  fetch(kind: WebDavKind, ctx: ReadContext, request: WorkerRequest, handlers: FetchHandlers): FetchHandle {
    const controller = new AbortController();
    const credit = new ChunkCredit();
    // A body the parser refused is not read on: the request is cancelled.
    const counted = handlers.paced
      ? { ...handlers, items: (items: TrashItem[]) => (credit.sent(), handlers.items(items)) }
      : handlers;
    const session = this.session(kind, ctx, hostOf(request.url), counted, () => {
      controller.abort();
      credit.release();
    });
    void fetchAndParse(
      request,
      session,
      controller.signal,
      (m) => {
        if (m.type === 'status') handlers.status(m.status, m.body);
      },
      credit,
    ).catch((e: unknown) => {
      if (controller.signal.aborted) return;
      session.abort();
      handlers.error(
        e instanceof AppError ? e : new AppError('NETWORK', 'The connection broke while reading the trash.'),
      );
    });
    return {
      abort: () => {
        controller.abort();
        credit.release();
        session.abort();
      },
      taken: () => credit.taken(),
    };
  }

  /**
   * A parse session that works through the body in 32 KiB slices, one per event-loop turn; write()
   * resolves once its slices are parsed, so the body is not read faster than it is parsed.
   */
  private session(
    kind: WebDavKind,
    ctx: ReadContext,
    host: string,
    handlers: FetchHandlers,
    stop: () => void,
  ): TrashParseSession & { abort(): void } {
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
          stop();
          handlers.stats?.({ ...parse.stats });
          handlers.error(
            new AppError(
              'BAD_RESPONSE',
              `The trash listing from ${host} could not be read: ${e instanceof Error ? e.message : String(e)}.`,
            ),
          );
        });
    };
    return {
      get stats() {
        return parse.stats;
      },
      write(bytes) {
        for (let i = 0; i < bytes.length; i += SLICE) {
          const slice = bytes.subarray(i, i + SLICE);
          run(() => parse.write(slice));
        }
        return chain;
      },
      end() {
        run(() => {
          parse.end();
          handlers.stats?.({ ...parse.stats });
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

/**
 * A host on exactly this worker file, without the in-thread fallback (tests, and the build check of
 * out/main/trash-worker.js).
 */
export function createWorkerHost(spec: { url: URL; typescript: boolean }, options: WorkerHostOptions = {}): WorkerHost {
  return new WorkerHost(spec, options);
}

/** Turns parser callbacks (push) into chunks an async generator can yield (pull). */
class ChunkQueue<T> {
  private readonly chunks: T[][] = [];
  /** Called as the reader takes each chunk. */
  onTaken: () => void = () => undefined;
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
        const chunk = this.chunks.shift()!;
        this.onTaken();
        yield chunk;
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
    paced: true,
  });
  queue.onTaken = handle.taken;
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
