import { AppError, toErrorValue } from '../../base/errors';
import { isSettled } from '../../operations/journal';
import { parseItemKey, type ItemResult, type OperationView, type Resolution } from '../../../shared/model';
import { formatPace } from '../../../shared/pace';
import type { ErrorValue } from '../../../shared/result';
import type { CliBatchMeta } from './batches';
import type { Context } from './context';
import { cap, LINE_MAX, MESSAGE_MAX, plural, resultLine, shellWord } from './output';

/** What a batch came to, as report() prints it (an OperationView, or a resume that needed no batch). */
export interface BatchSummary {
  kind: CliBatchMeta['command'];
  title: string;
  state: OperationView['state'];
  error: ErrorValue | null;
  results: ItemResult[];
}

/** How often a running batch's progress goes to stderr (SALVAGE_PROGRESS_MS overrides). */
const PROGRESS_MS = 5_000;

/**
 * Runs an operation to the end, answering mid-batch questions with the chosen policy; says how far it is every few
 * seconds.
 */
export async function finish(ctx: Context, view: OperationView, policy: Resolution): Promise<OperationView> {
  const { runner, bus } = ctx.services;
  // Progress on stderr every PROGRESS_MS while the batch runs: how far, items per second, time left.
  const every = Number(ctx.env.SALVAGE_PROGRESS_MS) || PROGRESS_MS;
  let shownAt = Date.now();
  const unsubscribe = bus.subscribe((name, payload) => {
    if (name !== 'operation:update') return;
    const op = payload as OperationView;
    if (op.id === view.id && op.state === 'running' && Date.now() - shownAt >= every) {
      shownAt = Date.now();
      const pace = formatPace(op.rate, op.secondsLeft);
      if (ctx.json)
        void ctx.err.json({
          progress: { done: op.done, total: op.total, itemsPerSecond: op.rate, secondsLeft: op.secondsLeft },
        });
      else
        void ctx.err.line(
          `${op.title}: ${op.done.toLocaleString('en-US')} of ${op.total.toLocaleString('en-US')}${pace ? ` · ${pace}` : ''}`,
        );
    }
    if (op.id === view.id && op.state === 'needs-answer' && op.question) {
      try {
        runner.answer(op.id, policy, true);
      } catch {
        /* answered already */
      }
    }
  });
  // Ctrl+C stops after the items in flight (a second one quits at once); report() then says what is left.
  const interrupt = () => {
    process.stderr.write('\nsalvage: stopping after the items in progress (Ctrl+C again to quit at once)…\n');
    runner.cancel(view.id);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await runner.wait(view.id);
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
  }
}

/**
 * Journals a batch and runs it: the journal's header (every item, what to do with them) is
 * written before `start` asks the runner for anything; a batch that could not even start is
 * ended in the journal with its reason.
 */
export async function runBatch(
  ctx: Context,
  meta: CliBatchMeta,
  start: () => Promise<OperationView>,
  before: ItemResult[] = [],
  /** The summary's title when not the batch's own (a resume names the batch it finishes). */
  title?: string,
): Promise<number> {
  const batchId = ctx.journal.open(meta);
  for (const r of before) ctx.journal.settledBefore(r);
  let view: OperationView;
  try {
    view = await start();
  } catch (e) {
    ctx.journal.end('failed', toErrorValue(e));
    throw e;
  }
  const ended = await finish(ctx, view, meta.policy);
  return report(ctx, { ...ended, kind: meta.command, title: title ?? ended.title }, batchId, before);
}

/** The command that finishes what a batch left, when it fits on one line. */
function finishCommand(summary: BatchSummary, left: ItemResult[]): string | null {
  if (summary.kind === 'empty') return 'salvage empty --yes (again)';
  const line = `salvage ${summary.kind} ${left.map((r) => shellWord(parseItemKey(r.key).id)).join(' ')} …`;
  return line.length < LINE_MAX - 200 ? line : null;
}

/**
 * Prints a batch's results (one line or JSON object per item), then, in words, what was not done
 * and how to finish it; when the batch as a whole failed or stopped, the reason, last, on stderr
 * (a sentence, or with --json one object {"error": {code, message}, "left": [ids], "resume": …}).
 * Answers the exit code: 0 when everything asked was done, 1 otherwise.
 */
export async function report(
  ctx: Context,
  summary: BatchSummary,
  batchId: string | null,
  before: ItemResult[] = [],
): Promise<number> {
  const { out, err, json } = ctx;
  const results = [...before, ...summary.results];
  for (const r of results) await (json ? out.json(r) : out.line(resultLine(r)));
  const left = results.filter((r) => !isSettled(r));
  const resume = batchId && ctx.journal.written && left.length > 0 ? `salvage resume ${batchId.slice(0, 8)}` : null;
  if (!json) {
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
    if (results.length > 0 || summary.state === 'done') {
      await out.line(`${summary.title}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do'}.`);
    }
    const codes = new Set(results.map((r) => r.error?.code));
    if (codes.has('DEST_MISSING')) {
      await out.line(
        'Some folders they go to do not exist: add --recreate-folders to make missing original folders, or --to <folder> (see `salvage folders`).',
      );
    }
    const moved = results.filter((r) => r.outcome === 'failed' && r.finalPath);
    if (moved.length) {
      await out.line(`Out of the trash, but not where asked: ${plural(moved.length, 'item')}:`);
      for (const r of moved) await out.line(`  ${cap(r.name)} is at ${cap(r.finalPath ?? '')}`);
    }
    if (counts.get('skipped') && summary.kind === 'restore') {
      await out.line(
        'Skipped items are still in the trash; --on-conflict replace or keep-both restores them over or beside what is there.',
      );
    }
    if (left.length) {
      const command = finishCommand(summary, left);
      await out.line(
        command
          ? `Not done: ${plural(left.length, 'item')}. To finish, run the same command with just these ids: ${command}`
          : `Not done: ${plural(left.length, 'item')} (too many to list here; --json prints each).`,
      );
      if (resume) await out.line(`Or finish exactly what is left: ${resume}`);
    }
  }
  if (summary.state === 'failed' && summary.error?.code === 'AUTH_FAILED')
    throw new AppError('AUTH_FAILED', summary.error.message);
  const reason = reasonOf(summary, results, left);
  if (reason) {
    if (json)
      await err.json({ error: reason, left: left.map((r) => parseItemKey(r.key).id), ...(resume ? { resume } : {}) });
    else await err.line(`salvage: ${cap(reason.message, MESSAGE_MAX)} (${reason.code})`);
  }
  return reason ? 1 : 0;
}

/** Why a batch did not do everything asked: the batch's own error, a stop, or its items' failures. */
function reasonOf(summary: BatchSummary, results: ItemResult[], left: ItemResult[]): ErrorValue | null {
  if (summary.state === 'failed')
    return summary.error ?? { code: 'INTERNAL', message: 'The batch failed without a reason.' };
  if (summary.state === 'cancelled')
    return { code: 'CANCELLED', message: `Stopped before the end: ${plural(left.length, 'item')} not done.` };
  if (left.length === 0) return null;
  const codes = new Map<string, number>();
  for (const r of left) if (r.error) codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
  const code = ([...codes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'SERVER') as ErrorValue['code'];
  const first = left.find((r) => r.error?.code === code)?.error?.message;
  return {
    code,
    message: `${left.length.toLocaleString('en-US')} of ${plural(results.length, 'item')} not done${first ? `: ${first}` : '.'}`,
  };
}
