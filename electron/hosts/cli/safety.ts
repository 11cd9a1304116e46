import { isAppError } from '../../base/errors';
import { isSettled } from '../../operations/journal';
import { itemKey, type ItemResult } from '../../../shared/model';
import type { Context } from './context';
import { Out, cap, MESSAGE_MAX } from './output';
import { report } from './run-batch';

/**
 * The command line's safety net: an error nothing caught (an uncaughtException or
 * unhandledRejection, such as undici's `assert(!this.paused)` when a server closes the
 * connection under an unread body) does not end the command silently. It stops the running
 * batch from sending more, marks it interrupted in its journal, prints what was done and what is
 * left — the same report as after Ctrl+C, with the command to finish (`salvage resume <id>`) —
 * and exits 1.
 */

let active: Context | null = null;
let crashing = false;

/** The command running now, whose batch the safety net reports on. */
export function setActive(ctx: Context | null): void {
  active = ctx;
}

/** True once the safety net has taken over (main then leaves the exit to it). */
export const isCrashing = () => crashing;

/** What went wrong, in one line: the error's name, code and message (never its stack). */
export function describeCrash(error: unknown): string {
  if (isAppError(error)) return `${error.message} (${error.code})`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return cap(`${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`, MESSAGE_MAX);
  }
  return cap(String(error), MESSAGE_MAX);
}

/** Reports an escaped error on the command running now; resolves with the exit code (1). */
export async function crashReport(ctx: Context | null, error: unknown): Promise<number> {
  const message = `Salvage stopped on an unexpected error: ${describeCrash(error)}`;
  // The command's own output stops here; the report below takes its place.
  ctx?.out.mute();
  ctx?.err.mute();
  const out = new Out(ctx?.out.stream ?? process.stdout);
  const err = new Out(ctx?.err.stream ?? process.stderr);
  const json = ctx?.json ?? false;
  const current = ctx?.journal.current;
  if (!ctx || !current || current.ended) {
    await (json ? err.json({ error: { code: 'INTERNAL', message } }) : err.line(`salvage: ${message}`));
    return 1;
  }
  const { journal, services } = ctx;
  let accountId = 'cli';
  if (current.operationId) {
    try {
      accountId = services.runner.get(current.operationId).accountIds[0] ?? accountId;
      services.runner.cancel(current.operationId); // send nothing more
    } catch {
      /* not started */
    }
  }
  const left = journal.left();
  journal.end('interrupted', { code: 'INTERRUPTED', message });
  const done = [...current.results.values()].filter((r) => isSettled(r));
  const notDone = left.map((i): ItemResult => ({
    key: itemKey(accountId, i.id),
    name: i.name,
    outcome: 'cancelled',
    finalPath: null,
    error: { code: 'INTERRUPTED', message: 'Not done: Salvage stopped on an unexpected error.' },
  }));
  const title = current.title ?? `${current.meta.command[0]!.toUpperCase()}${current.meta.command.slice(1)}`;
  return report(
    { ...ctx, out, err },
    {
      kind: current.meta.command,
      title,
      state: 'failed',
      error: { code: 'INTERRUPTED', message },
      results: [...done, ...notDone],
    },
    current.id,
  );
}

/** Installs the safety net (the command line's entry point only; never in tests that call main()). */
export function installSafetyNet(): void {
  const onError = (error: unknown) => {
    if (crashing) return; // a second error while reporting the first: the exit below still comes
    crashing = true;
    process.exitCode = 1;
    // Should the report itself hang (a stream that never drains), leave anyway.
    setTimeout(() => process.exit(1), 10_000).unref();
    void crashReport(active, error)
      .catch(() => 1)
      .then((code) => {
        // Let the streams drain before exiting.
        process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
      });
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
}
