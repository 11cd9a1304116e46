import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  AccountKind,
  Destination,
  ItemKind,
  itemKey,
  parseItemKey,
  Resolution,
  type ItemResult,
  type OperationView,
} from '../../../shared/model';
import type { ErrorValue } from '../../../shared/result';
import {
  BatchJournalFile,
  isSettled,
  listBatchJournals,
  pruneBatchJournals,
  type BatchEnd,
  type BatchState,
  type WriteAheadLog,
} from '../../operations/journal';

/**
 * The command line's batch journals: one file per restore, delete or empty, in
 * `<data folder>/batches/`, written ahead of the work (the header with every item before the
 * batch starts, the items of each wave before it is sent, each result as it lands, how it
 * ended). `salvage resume` reads them back. Never a secret: the server, kind and user name,
 * the items and what to do with them.
 */

/** Where the command line keeps its journals unless --data-dir (or SALVAGE_DATA_DIR) says otherwise. */
export function defaultCliDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Salvage', 'cli');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Salvage', 'cli');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'salvage');
}

/** What the command line needs to run a batch again for what it left (the journal header's meta). */
export const CliBatchMeta = z.object({
  command: z.enum(['restore', 'delete', 'empty']),
  account: z.object({ server: z.string(), kind: AccountKind, user: z.string().nullable() }),
  /**
   * The items as named on the command line or found by a range, with where they were (to look for them after a kill).
   */
  items: z.array(
    z.object({
      id: z.string(),
      parentId: z.string().nullable(),
      name: z.string(),
      kind: ItemKind.nullable(),
      originalFolder: z.string().nullable(),
      originalFolderId: z.string().nullable(),
    }),
  ),
  destination: Destination,
  policy: Resolution,
  recreateFolders: z.boolean(),
  /** The batch this one finishes (salvage resume). */
  resumes: z.string().nullable(),
});
export type CliBatchMeta = z.infer<typeof CliBatchMeta>;
export type CliBatchItem = CliBatchMeta['items'][number];

/** How many journals are kept beyond those that can still be resumed. */
const KEEP = 50;

/** A journal read back, with what is left of it. */
export interface CliBatch {
  state: BatchState;
  meta: CliBatchMeta;
  /** Items without a result that settles them (failed, cancelled, or none). */
  left: CliBatchItem[];
  done: number;
  /** Why it stopped: 'killed' when it never wrote an end (or its process is gone). */
  how: BatchEnd | 'killed' | 'running';
}

const alive = (pid: number) => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** A journal as the command line reads it; null when it is not one of its own. */
export function cliBatch(state: BatchState): CliBatch | null {
  const meta = CliBatchMeta.safeParse(state.meta);
  if (!meta.success) return null;
  const results = new Map([...state.results].map(([key, r]) => [parseItemKey(key).id, r]));
  const left = meta.data.items.filter((i) => !isSettled(results.get(i.id)));
  const how = state.end?.state ?? (alive(state.pid) ? 'running' : 'killed');
  return { state, meta: meta.data, left, done: meta.data.items.length - left.length, how };
}

/** Batches that stopped with items left and were not taken over by a later one: what `salvage resume` offers. */
export function resumable(batch: CliBatch): boolean {
  return batch.how !== 'done' && batch.how !== 'running' && batch.left.length > 0 && batch.state.resumedBy === null;
}

export function listCliBatches(dir: string): CliBatch[] {
  return listBatchJournals(join(dir, 'batches'))
    .map(cliBatch)
    .filter((b): b is CliBatch => b !== null);
}

/**
 * The command line's WriteAheadLog: one batch at a time, in a file opened by `open` before the
 * batch is started. It also keeps what it wrote in memory (results, what was sent), so the safety
 * net can say what is left even when the file could not be written. A journal that cannot be
 * written is said once on stderr; the batch goes on without it.
 */
export class CliJournal implements WriteAheadLog {
  private file: BatchJournalFile | null = null;
  /** The current batch's journal file could not be written (or there is none). */
  private broken = true;
  private warned = false;
  /** The batch now running: its id, header and results so far. */
  current: {
    id: string;
    meta: CliBatchMeta;
    results: Map<string, ItemResult>;
    operationId: string | null;
    title: string | null;
    ended: boolean;
  } | null = null;

  constructor(
    /** The data folder; null: no journal (only memory). */
    readonly dir: string | null,
    private readonly warn: (text: string) => void,
  ) {}

  /** Starts the journal of the next batch (before it is started): answers its id. */
  open(meta: CliBatchMeta): string {
    const id = randomUUID();
    this.current = { id, meta, results: new Map(), operationId: null, title: null, ended: false };
    this.broken = this.dir === null;
    if (this.dir) {
      const dir = join(this.dir, 'batches');
      this.attempt(() => {
        const file = BatchJournalFile.create(dir, id, meta);
        file.onError = (e) =>
          this.attempt(() => {
            throw e;
          });
        this.file = file;
        pruneBatchJournals(dir, KEEP, (state) => {
          const batch = cliBatch(state);
          return batch !== null && (resumable(batch) || batch.how === 'running');
        });
      });
    }
    return id;
  }

  /** Marks a batch as taken over by the one now running. */
  markResumed(batch: CliBatch, by: string): void {
    try {
      const file = BatchJournalFile.reopen(batch.state.file);
      try {
        file.append({ t: 'resumed', by, at: new Date().toISOString() });
      } finally {
        file.close();
      }
    } catch (e) {
      this.warn(
        `salvage: could not mark batch ${batch.state.id.slice(0, 8)} as resumed (${(e as Error).message}); \`salvage resume\` may still list it.`,
      );
    }
  }

  /** Results found before the batch started (items a resumed batch finds already done). */
  settledBefore(result: ItemResult): void {
    this.record(result);
  }

  begun(view: OperationView): void {
    if (!this.current) return;
    this.current.operationId = view.id;
    this.current.title = view.title;
    this.attempt(() => this.file?.append({ t: 'begun', operationId: view.id, title: view.title, total: view.total }));
  }

  sending(operationId: string, keys: readonly string[]): void {
    if (this.current?.operationId !== operationId) return;
    this.attempt(() => this.file?.append({ t: 'sending', keys: [...keys] }));
  }

  result(operationId: string, result: ItemResult): void {
    if (this.current?.operationId !== operationId) return;
    this.record(result);
  }

  ended(view: OperationView): void {
    if (this.current?.operationId !== view.id) return;
    this.end(view.state === 'done' ? 'done' : view.state === 'cancelled' ? 'cancelled' : 'failed', view.error);
  }

  /** Ends the current batch's journal (the safety net writes 'interrupted'). */
  end(state: BatchEnd, error: ErrorValue | null): void {
    if (!this.current || this.current.ended) return;
    this.current.ended = true;
    this.attempt(() => {
      this.file?.append({ t: 'end', state, at: new Date().toISOString(), error });
      this.file?.close();
    });
    this.file = null;
  }

  /** The current batch's items without a settling result. */
  left(): CliBatchItem[] {
    const current = this.current;
    if (!current) return [];
    return current.meta.items.filter((i) => !isSettled(current.results.get(i.id)));
  }

  /** Whether the current batch is in a file that `salvage resume` can read. */
  get written(): boolean {
    return this.current !== null && !this.broken;
  }

  private record(result: ItemResult): void {
    if (!this.current) return;
    this.current.results.set(parseItemKey(result.key).id, result);
    this.attempt(() => this.file?.append({ t: 'result', result }));
  }

  private attempt(write: () => void): void {
    try {
      write();
    } catch (e) {
      this.file = null;
      this.broken = true;
      if (this.warned) return;
      this.warned = true;
      this.warn(
        `salvage: cannot keep the batch journal in ${this.dir} (${(e as Error).message}); if this batch is interrupted, it cannot be resumed.`,
      );
    }
  }
}

/** Item references of a journal's items, for an account of this run. */
export const refsFor = (accountId: string, items: CliBatchItem[]) =>
  items.map((i) => ({ accountId, id: i.id, ...(i.parentId ? { parentId: i.parentId } : {}) }));

/** The key an item of a journal has for an account of this run. */
export const keyFor = (accountId: string, item: CliBatchItem) => itemKey(accountId, item.id);
