import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Destination, ItemRef, ItemResult, OperationView, Resolution } from '../../shared/model';
import { ErrorValue } from '../../shared/result';
import { moveAside, readIfExists, writeFileAtomic } from '../base/files';

/**
 * How to run a batch again for the items that did not get done (Retry failed, and Resume after
 * Salvage was closed in the middle). Plain data, kept in the journal next to the view.
 */
export const ResumeRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('restore'),
    items: z.array(ItemRef),
    destination: Destination,
    resolutions: z.record(z.string(), Resolution),
    recreateMissingFolders: z.boolean(),
  }),
  z.object({ kind: z.literal('delete'), items: z.array(ItemRef) }),
]);
export type ResumeRequest = z.infer<typeof ResumeRequest>;

export interface JournalEntry {
  view: OperationView;
  resume?: ResumeRequest | undefined;
}

/** Where operations are remembered between launches, so a batch cut short is reported next time and can be resumed. */
export interface OperationJournal {
  load(): JournalEntry[];
  save(entries: JournalEntry[]): void;
}

const KEEP = 50;
const Entry = z.object({ view: OperationView, resume: ResumeRequest.optional() });
/** Journals written before resume requests were kept are plain arrays of views. */
const FileFormat = z.union([
  z.array(Entry),
  z.array(OperationView).transform((views) => views.map((view): z.infer<typeof Entry> => ({ view }))),
]);

export class FileOperationJournal implements OperationJournal {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'operations.json');
  }

  load(): JournalEntry[] {
    const text = readIfExists(this.file);
    if (text === null) return [];
    try {
      return FileFormat.parse(JSON.parse(text)).map(({ view: v, resume }) => ({
        resume,
        view:
          v.state === 'running' || v.state === 'queued' || v.state === 'needs-answer'
            ? {
                ...v,
                state: 'failed' as const,
                question: null,
                current: null,
                undoable: false,
                undoNote: null,
                resumable: Boolean(resume),
                finishedAt: v.finishedAt ?? new Date().toISOString(),
                error: {
                  code: 'INTERRUPTED' as const,
                  message: `Salvage was closed before this finished: ${v.results.length.toLocaleString('en-US')} of ${v.total.toLocaleString('en-US')} items had a result.${resume ? ' Resume does the rest.' : ' Check the trash and retry.'}`,
                },
              }
            : {
                ...v,
                undoable: false,
                undoNote: v.kind === 'restore' && v.undoable ? 'Undo is offered only until Salvage is closed.' : null,
              },
      }));
    } catch {
      moveAside(this.file, 'corrupt');
      return [];
    }
  }

  save(entries: JournalEntry[]): void {
    writeFileAtomic(this.file, JSON.stringify(entries.slice(-KEEP)));
  }
}

/**
 * A journal written ahead of the work: the runner tells it, synchronously and in order, that a
 * batch has begun, which items are about to be sent (before each wave goes out), each item's
 * result as it lands, and how the batch ended. Whatever kills the process after one of these
 * calls returns, the journal already says so. Implementations must not throw (a journal that
 * cannot be written says so once and lets the batch go on).
 */
export interface WriteAheadLog {
  begun(view: OperationView, resume: ResumeRequest | undefined): void;
  /** Before these items are sent to the server (a wave, or one item). */
  sending(operationId: string, keys: readonly string[]): void;
  result(operationId: string, result: ItemResult): void;
  ended(view: OperationView): void;
}

/** How a batch ended, as its journal says: 'interrupted' is written by a host that caught a crash. */
export const BatchEnd = z.enum(['done', 'cancelled', 'failed', 'interrupted']);
export type BatchEnd = z.infer<typeof BatchEnd>;

/**
 * One line of a batch journal file (JSON Lines, one file per batch, only ever appended). The
 * first line is the header with the host's own description of the batch (`meta`: what to run
 * again, never a secret); a last line cut short by a kill is ignored when reading.
 */
export const BatchRecord = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('batch'),
    v: z.literal(1),
    id: z.string(),
    startedAt: z.string(),
    pid: z.number(),
    meta: z.unknown(),
  }),
  z.object({ t: z.literal('begun'), operationId: z.string(), title: z.string(), total: z.number() }),
  z.object({ t: z.literal('sending'), keys: z.array(z.string()) }),
  z.object({ t: z.literal('result'), result: ItemResult }),
  z.object({ t: z.literal('end'), state: BatchEnd, at: z.string(), error: ErrorValue.nullable() }),
  z.object({ t: z.literal('resumed'), by: z.string(), at: z.string() }),
]);
export type BatchRecord = z.infer<typeof BatchRecord>;

/** A batch journal as read back: what was sent, what each item came to, how (and whether) it ended. */
export interface BatchState {
  file: string;
  id: string;
  startedAt: string;
  pid: number;
  meta: unknown;
  title: string | null;
  /** Keys written ahead as sent (their result may be missing: the process died in between). */
  sent: Set<string>;
  /** The last result per key. */
  results: Map<string, ItemResult>;
  /** Null: the process never got to write an end (killed, power lost). */
  end: { state: BatchEnd; at: string; error: ErrorValue | null } | null;
  /** The batch that took over what was left, if one did. */
  resumedBy: string | null;
}

/** Outcomes that settle an item: it needs nothing more. Failed and cancelled items are left to do. */
export const isSettled = (r: ItemResult | undefined): boolean =>
  // A failed result with a place is an item a restore moved out of the trash before a later step
  // failed: it is where it says, not in the trash to be done again.
  r !== undefined && r.outcome !== 'cancelled' && (r.outcome !== 'failed' || r.finalPath !== null);

/** Longest error message kept per result (a server's 100 KB error page stays out of the journal). */
const MESSAGE_MAX = 2_000;
const capped = (r: ItemResult): ItemResult =>
  r.error && r.error.message.length > MESSAGE_MAX
    ? { ...r, error: { ...r.error, message: `${r.error.message.slice(0, MESSAGE_MAX)}…` } }
    : r;

/**
 * One batch's journal file: `<dir>/<id>.jsonl`, created 0600 in a 0700 folder, written with
 * write(2) of whole lines (so a kill leaves whole lines and at most one cut-short last line). The
 * header and every `sending` and `end` line are written and flushed to disk before the call
 * returns. Results are gathered and written together once per turn of the event loop (a 100k
 * batch would otherwise cost 100k system calls); a result lost to a kill in between is found
 * again on the server when resuming.
 */
export class BatchJournalFile {
  private queued: string[] = [];
  private flushing: NodeJS.Immediate | null = null;
  /** Told when a deferred write fails (the caller's own calls throw instead). */
  onError: (e: unknown) => void = () => {};

  private constructor(
    readonly path: string,
    private fd: number | null,
    /** A line cut short by a kill ends the file: the next record starts on a line of its own. */
    private pendingNewline = false,
  ) {}

  static create(dir: string, id: string, meta: unknown, now = new Date()): BatchJournalFile {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${id}.jsonl`);
    const file = new BatchJournalFile(path, openSync(path, 'wx', 0o600));
    file.append({ t: 'batch', v: 1, id, startedAt: now.toISOString(), pid: process.pid, meta });
    return file;
  }

  /** Opens an existing journal to add a line (marking it resumed). */
  static reopen(path: string): BatchJournalFile {
    const fd = openSync(path, 'a+', 0o600);
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const cut = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    return new BatchJournalFile(path, fd, cut);
  }

  append(record: BatchRecord): void {
    if (this.fd === null) return;
    if (record.t === 'result') {
      this.queued.push(JSON.stringify({ ...record, result: capped(record.result) }));
      this.flushing ??= setImmediate(() => {
        try {
          this.flush();
        } catch (e) {
          this.onError(e);
        }
      });
      return;
    }
    this.flush(`${JSON.stringify(record)}\n`);
    if (record.t !== 'resumed') fdatasyncSync(this.fd);
  }

  /** Writes the queued results (and a line after them) in one write. */
  flush(after = ''): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    if (this.fd === null) return;
    const lines = this.queued.length ? `${this.queued.join('\n')}\n` : '';
    this.queued = [];
    if (!lines && !after) return;
    writeSync(this.fd, `${this.pendingNewline ? '\n' : ''}${lines}${after}`);
    this.pendingNewline = false;
  }

  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** Reads a batch journal; null when it has no readable header. Unreadable lines (a cut-short last one) are skipped. */
export function readBatchJournal(path: string): BatchState | null {
  const text = readIfExists(path);
  if (text === null) return null;
  let state: BatchState | null = null;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: BatchRecord;
    try {
      record = BatchRecord.parse(JSON.parse(line));
    } catch {
      continue;
    }
    if (record.t === 'batch') {
      if (state) break; // one header per file
      state = {
        file: path,
        id: record.id,
        startedAt: record.startedAt,
        pid: record.pid,
        meta: record.meta,
        title: null,
        sent: new Set(),
        results: new Map(),
        end: null,
        resumedBy: null,
      };
      continue;
    }
    if (!state) return null;
    if (record.t === 'begun') state.title = record.title;
    else if (record.t === 'sending') for (const k of record.keys) state.sent.add(k);
    else if (record.t === 'result') state.results.set(record.result.key, record.result);
    else if (record.t === 'end') state.end = { state: record.state, at: record.at, error: record.error };
    else state.resumedBy = record.by;
  }
  return state;
}

/** The batch journals in a folder, newest first (unreadable ones left out). */
export function listBatchJournals(dir: string): BatchState[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .map((n) => readBatchJournal(join(dir, n)))
    .filter((s): s is BatchState => s !== null)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * Keeps a folder of batch journals small: beyond the `keep` most recently written, a journal is
 * removed unless `keepAnyway` says it is still needed (a batch that can be resumed).
 */
export function pruneBatchJournals(dir: string, keep: number, keepAnyway: (state: BatchState) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return;
  }
  if (names.length <= keep) return;
  const byAge = names
    .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of byAge.slice(keep)) {
    const state = readBatchJournal(path);
    if (!state || !keepAnyway(state)) rmSync(path, { force: true });
  }
}
