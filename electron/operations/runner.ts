import { randomUUID } from 'node:crypto';
import { AppError, toErrorValue } from '../base/errors';
import { Throughput } from '../base/pace';
import type { EventBus } from '../base/events';
import { isFinished, type Conflict, type ItemResult, type OperationView, type Resolution } from '../../shared/model';
import type { BatchContext, Landed } from '../providers/types';
import type { OperationJournal, ResumeRequest, WriteAheadLog } from './journal';

type OperationKindT = OperationView['kind'];

export interface PlannedItem {
  key: string;
  name: string;
  size: number | null;
}

export interface StartOptions {
  kind: OperationKindT;
  title: string;
  accountIds: string[];
  /** The items the batch is about; totals and "cancelled" results come from this list. */
  items: PlannedItem[];
  /** Answers chosen before the batch started, by item key. */
  resolutions?: Record<string, Resolution>;
  /** Whether a finished batch can be undone (restores). */
  undoable?: boolean;
  /** How to run it again for what was not done (Retry failed, Resume after a restart); journaled. */
  resume?: ResumeRequest;
  work: (ctx: BatchContext) => Promise<void>;
  /**
   * Told of each item's result as it is reported, with what the provider said about it (Salvage's ledger of its own
   * moves listens here).
   */
  onItem?: (result: ItemResult, extra: Parameters<BatchContext['itemDone']>[1]) => void;
}

interface Pending {
  conflict: Conflict;
  resolve: (r: Resolution) => void;
  reject: (e: unknown) => void;
}

interface Record_ {
  view: OperationView;
  controller: AbortController;
  planned: Map<string, PlannedItem>;
  resolutions: Record<string, Resolution>;
  applyToAll: Resolution | null;
  questions: Pending[];
  landed: Map<string, Landed>;
  resume: ResumeRequest | undefined;
  /** Keys already reported, so a 100k-item batch stays linear. */
  reported: Set<string>;
  fraction: number;
  /** Items per second and time left, for the view. */
  throughput: Throughput;
  finished: Promise<void>;
  /** Set when interruptRunning stopped the batch from outside; its work's own ending no longer decides its state. */
  interrupted: boolean;
  /** Lets the account's queue move on at once when the batch is interrupted (its work may never end). */
  release: () => void;
}

const now = () => new Date().toISOString();
const EMIT_INTERVAL_MS = 100;
const JOURNAL_INTERVAL_MS = 2_000;

/**
 * The one runner every batch goes through: restores, deletions, emptying and undo, for every
 * server kind. It owns the operation's state (progress, current item, per-item results, the
 * question waiting for an answer), cancellation, per-account serialisation, events and the
 * journal; providers only do the work through the BatchContext they are given.
 */
export class OperationsRunner {
  private readonly ops = new Map<string, Record_>();
  /** One chain per account so two batches never race on the same server. */
  private readonly accountQueues = new Map<string, Promise<void>>();
  private readonly emitTimers = new Map<string, NodeJS.Timeout>();
  private journalSavedAt = 0;
  private journalTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly journal: OperationJournal | null = null,
    /** Told synchronously before each wave is sent and as each result lands (the command line's journal). */
    private readonly writeAhead: WriteAheadLog | null = null,
    /** Milliseconds on a monotonic clock, for items per second (tests fix it). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    for (const { view, resume } of journal?.load() ?? []) {
      this.ops.set(view.id, this.recordFor(view, undefined, resume));
    }
  }

  start(options: StartOptions): OperationView {
    const id = randomUUID();
    const bytesTotal = options.items.every((i) => i.size !== null)
      ? options.items.reduce((sum, i) => sum + (i.size ?? 0), 0)
      : null;
    const view: OperationView = {
      id,
      kind: options.kind,
      title: options.title,
      accountIds: options.accountIds,
      state: 'queued',
      total: options.items.length,
      done: 0,
      bytesTotal,
      bytesDone: bytesTotal === null ? null : 0,
      current: null,
      rate: null,
      secondsLeft: null,
      results: [],
      question: null,
      error: null,
      startedAt: now(),
      finishedAt: null,
      undoable: false,
      undoNote: null,
      resumable: false,
    };
    const record = this.recordFor(view, options);
    this.ops.set(id, record);
    this.writeAhead?.begun(view, options.resume);

    const queueKey = [...options.accountIds].sort().join('|');
    const previous = this.accountQueues.get(queueKey) ?? Promise.resolve();
    const released = new Promise<void>((r) => (record.release = r));
    record.finished = previous.then(() => Promise.race([this.run(record, options), released]));
    this.accountQueues.set(queueKey, record.finished);
    void record.finished.finally(() => {
      if (this.accountQueues.get(queueKey) === record.finished) this.accountQueues.delete(queueKey);
    });
    this.emit(record, true);
    return structuredClone(view);
  }

  get(id: string): OperationView {
    return structuredClone(this.record(id).view);
  }

  list(): OperationView[] {
    return [...this.ops.values()].map((r) => structuredClone(r.view));
  }

  /** Resolves when the operation has finished (for tests and the command line). */
  async wait(id: string): Promise<OperationView> {
    await this.record(id).finished;
    return this.get(id);
  }

  /** The keys of the items a batch is about (its plan, and any reported beyond it). */
  items(id: string): string[] {
    const record = this.record(id);
    const keys = new Set(record.planned.keys());
    for (const r of record.view.results) keys.add(r.key);
    return [...keys];
  }

  /** What each restored item of a batch was when it landed (for undo). */
  landed(id: string): Map<string, Landed> {
    return new Map(this.record(id).landed);
  }

  /** Shows a line on a running batch without touching its progress (e.g. "Still waiting for …"). */
  note(id: string, current: string): void {
    const record = this.ops.get(id);
    if (!record || isFinished(record.view) || record.view.state === 'queued') return;
    record.view.current = current;
    this.emit(record);
  }

  /** Takes away a finished batch's Undo, saying why (already undone, touched by a later batch). */
  blockUndo(id: string, note: string): void {
    const record = this.ops.get(id);
    if (!record || !record.view.undoable) return;
    record.view.undoable = false;
    record.view.undoNote = note;
    this.emit(record, true);
  }

  cancel(id: string): OperationView {
    const record = this.record(id);
    if (!isFinished(record.view)) {
      record.controller.abort();
      for (const q of record.questions.splice(0)) q.reject(new AppError('CANCELLED', 'Cancelled.'));
      record.view.question = null;
      if (record.view.state === 'queued') this.finish(record, 'cancelled');
      this.emit(record, true);
    }
    return this.get(id);
  }

  answer(id: string, resolution: Resolution, applyToAll: boolean): OperationView {
    const record = this.record(id);
    const pending = record.questions.shift();
    if (!pending) throw new AppError('INVALID_INPUT', 'This operation is not waiting for an answer.');
    if (applyToAll) record.applyToAll = resolution;
    pending.resolve(resolution);
    if (applyToAll) for (const q of record.questions.splice(0)) q.resolve(resolution);
    record.view.question = record.questions[0]?.conflict ?? null;
    if (record.view.state === 'needs-answer' && !record.view.question) record.view.state = 'running';
    this.emit(record, true);
    return this.get(id);
  }

  dismiss(id: string): void {
    const record = this.record(id);
    if (!isFinished(record.view)) throw new AppError('INVALID_INPUT', 'Cancel the operation before dismissing it.');
    this.ops.delete(id);
    this.saveJournal();
  }

  /** At most one journal write every JOURNAL_INTERVAL_MS while batches run. */
  private saveJournalSoon(): void {
    if (!this.journal || this.journalTimer) return;
    const wait = Math.max(0, this.journalSavedAt + JOURNAL_INTERVAL_MS - Date.now());
    this.journalTimer = setTimeout(() => this.saveJournal(), wait);
    this.journalTimer.unref?.();
  }

  private saveJournal(): void {
    clearTimeout(this.journalTimer ?? undefined);
    this.journalTimer = null;
    this.journalSavedAt = Date.now();
    this.journal?.save([...this.ops.values()].map((r) => ({ view: r.view, resume: r.resume })));
  }

  private record(id: string): Record_ {
    const record = this.ops.get(id);
    if (!record) throw new AppError('NOT_FOUND', 'No such operation.');
    return record;
  }

  /** How to run a batch again for what it did not do, if it can be. */
  resumeOf(id: string): ResumeRequest | undefined {
    return this.record(id).resume;
  }

  private recordFor(view: OperationView, options?: StartOptions, resume = options?.resume): Record_ {
    return {
      view,
      controller: new AbortController(),
      planned: new Map((options?.items ?? []).map((i) => [i.key, i])),
      resolutions: { ...(options?.resolutions ?? {}) },
      applyToAll: null,
      questions: [],
      landed: new Map(),
      resume,
      reported: new Set(view.results.map((r) => r.key)),
      fraction: 0,
      throughput: new Throughput(this.clock),
      finished: Promise.resolve(),
      interrupted: false,
      release: () => {},
    };
  }

  /**
   * For a host's safety net, after an error escaped that may have left batches without an end
   * (an uncaught exception): every batch not finished is stopped (no new items start), marked
   * failed with INTERRUPTED and the reason, offered for Resume (retryFailed does the items without
   * a result), and the journal is written at once, so the next launch offers Resume too even if
   * the process dies now. Results that still come in from work under way are kept. Returns the
   * interrupted batches (the command line prints what is left). Never throws.
   */
  interruptRunning(reason: string): OperationView[] {
    const stopped: OperationView[] = [];
    for (const record of this.ops.values()) {
      const view = record.view;
      if (isFinished(view)) continue;
      record.interrupted = true;
      record.controller.abort();
      for (const q of record.questions.splice(0)) q.reject(new AppError('INTERRUPTED', reason));
      view.state = 'failed';
      view.question = null;
      view.current = null;
      view.undoable = false;
      view.resumable = Boolean(record.resume);
      view.finishedAt = now();
      view.error = {
        code: 'INTERRUPTED',
        message: `Salvage stopped this batch after an unexpected error (${reason}): ${view.results.length.toLocaleString('en-US')} of ${view.total.toLocaleString('en-US')} items had a result.${record.resume ? ' Resume does the rest.' : ' Check the trash and retry.'}`,
      };
      record.release();
      stopped.push(structuredClone(view));
      try {
        this.emit(record, true);
      } catch {
        // The journal or a listener failed too: the other batches still get their state.
      }
    }
    return stopped;
  }

  private async run(record: Record_, options: StartOptions): Promise<void> {
    if (isFinished(record.view)) return; // cancelled while queued
    record.view.state = 'running';
    this.emit(record, true);
    const ctx = this.contextFor(record, options.onItem);
    try {
      await options.work(ctx);
      if (record.interrupted) return this.emit(record, true);
      if (record.controller.signal.aborted) this.finish(record, 'cancelled');
      else this.finish(record, 'done');
    } catch (e) {
      if (record.interrupted) return this.emit(record, true);
      const error = toErrorValue(e);
      if (record.controller.signal.aborted || error.code === 'CANCELLED') this.finish(record, 'cancelled');
      else this.finish(record, 'failed', error);
    }
    record.view.undoable = Boolean(options.undoable) && record.landed.size > 0;
    this.emit(record, true);
  }

  private contextFor(record: Record_, onItem?: StartOptions['onItem']): BatchContext {
    const view = record.view;
    return {
      signal: record.controller.signal,
      itemDone: (result: ItemResult, extra) => {
        if (record.reported.has(result.key)) return;
        record.reported.add(result.key);
        onItem?.(result, extra);
        view.results.push(result);
        this.writeAhead?.result(view.id, result);
        if (!record.planned.has(result.key)) view.total = Math.max(view.total, view.results.length);
        const bytes = extra?.bytes ?? record.planned.get(result.key)?.size ?? null;
        if (
          view.bytesDone !== null &&
          bytes !== null &&
          result.outcome !== 'failed' &&
          result.outcome !== 'cancelled'
        ) {
          view.bytesDone += bytes;
        }
        if (extra?.landed) record.landed.set(result.key, extra.landed);
        this.updateDone(record);
        this.emit(record);
      },
      progress: ({ current, fraction }) => {
        if (current !== undefined) view.current = current;
        if (fraction !== undefined) record.fraction = Math.min(1, Math.max(record.fraction, fraction));
        this.updateDone(record);
        this.emit(record);
      },
      sending: (keys) => this.writeAhead?.sending(view.id, keys),
      resolutionFor: (key) => record.resolutions[key] ?? record.applyToAll ?? undefined,
      ask: (conflict) => {
        const preset = record.resolutions[conflict.itemKey] ?? record.applyToAll;
        if (preset) return Promise.resolve(preset);
        if (record.controller.signal.aborted) return Promise.reject(new AppError('CANCELLED', 'Cancelled.'));
        return new Promise<Resolution>((resolve, reject) => {
          record.questions.push({ conflict, resolve, reject });
          view.question = record.questions[0]!.conflict;
          view.state = 'needs-answer';
          this.emit(record, true);
        });
      },
    };
  }

  private updateDone(record: Record_): void {
    const view = record.view;
    view.done = Math.min(view.total, Math.max(view.results.length, Math.floor(record.fraction * view.total)));
    record.throughput.update(view.done);
    const rate = record.throughput.rate();
    view.rate = rate === null ? null : Math.round(rate * 10) / 10;
    view.secondsLeft = record.throughput.secondsLeft(view.total - view.done);
  }

  private finish(
    record: Record_,
    state: 'done' | 'cancelled' | 'failed',
    error?: ReturnType<typeof toErrorValue>,
  ): void {
    const view = record.view;
    for (const item of record.planned.values()) {
      if (record.reported.has(item.key)) continue;
      view.results.push({
        key: item.key,
        name: item.name,
        outcome: state === 'done' ? 'failed' : state === 'cancelled' ? 'cancelled' : 'failed',
        finalPath: null,
        error:
          state === 'cancelled'
            ? { code: 'CANCELLED', message: 'Not done: the operation was cancelled.' }
            : (error ?? { code: 'INTERNAL', message: 'The server gave no result for this item.' }),
      });
    }
    view.state = state;
    view.error = error ?? null;
    view.question = null;
    view.current = null;
    view.done = view.results.filter((r) => r.outcome !== 'cancelled').length;
    view.total = Math.max(view.total, view.results.length);
    view.finishedAt = now();
    view.secondsLeft = null;
    this.writeAhead?.ended(view);
  }

  private emit(record: Record_, immediate = false): void {
    const id = record.view.id;
    const flush = () => {
      this.emitTimers.delete(id);
      this.bus.emit('operation:update', structuredClone(record.view));
      // Journal at the start, at the end, and every few seconds in between, so a batch cut short
      // by a crash or a closed window resumes where it stopped rather than from the start.
      if (isFinished(record.view) || record.view.state === 'queued') this.saveJournal();
      else this.saveJournalSoon();
    };
    if (immediate) {
      clearTimeout(this.emitTimers.get(id));
      flush();
    } else if (!this.emitTimers.has(id)) {
      // Every update carries the whole view: space them out as the results list grows (1 s at 100k).
      const interval = Math.max(EMIT_INTERVAL_MS, Math.floor(record.view.results.length / 100));
      this.emitTimers.set(id, setTimeout(flush, interval));
    }
  }
}
