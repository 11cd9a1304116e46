import type { EventBus } from '../base/events';
import type { OperationView } from '../../shared/model';

/**
 * The hosts' last line: an error that escaped every handler (an exception thrown from a callback
 * nobody awaits) must not end the app silently. The desktop app and the browser host install this
 * on their process; the command line may use `interruptedSummary` for its own net.
 *
 * - An uncaught exception may have left batches without an end (their request's callbacks died
 *   with it), and Node cannot say which: every running batch is stopped and marked INTERRUPTED,
 *   offered for Resume, and the journal written at once (OperationsRunner.interruptRunning).
 * - An unhandled rejection leaves nothing running in an unknown state: it is reported, batches go on.
 * Both are logged and sent to the window as 'app:problem'. The handler itself never throws.
 */
export interface SafetyNetOptions {
  /** Stops every running batch (journaled, resumable); returns them. */
  interrupt: (reason: string) => OperationView[];
  bus: EventBus | null;
  log: (line: string) => void;
  /** Also tells the user outside the window (the desktop app: a message box). */
  notify?: (message: string) => void;
}

/** One line about an error, for people: its message, capped, without control characters. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim() || 'unknown error';
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

/** "2 running batches were stopped: Resume finishes them." (or nothing when none ran). */
export function interruptedSummary(stopped: OperationView[]): string {
  if (stopped.length === 0) return '';
  const left = stopped.reduce((n, v) => n + Math.max(0, v.total - v.results.length), 0);
  const which =
    stopped.length === 1 ? `“${stopped[0]!.title}” was stopped` : `${stopped.length} running batches were stopped`;
  return ` ${which} with ${left.toLocaleString('en-US')} item${left === 1 ? '' : 's'} left: Resume finishes ${stopped.length === 1 ? 'it' : 'them'}.`;
}

export function installSafetyNet(proc: Pick<NodeJS.Process, 'on' | 'off'>, options: SafetyNetOptions): () => void {
  let handling = false;
  const handle = (kind: 'exception' | 'rejection') => (error: unknown) => {
    if (handling) return; // an error while reporting one: never a loop
    handling = true;
    try {
      const reason = describeError(error);
      options.log(
        `[salvage] unexpected ${kind === 'exception' ? 'error' : 'unhandled rejection'}: ${error instanceof Error ? (error.stack ?? reason) : reason}`,
      );
      let stopped: OperationView[] = [];
      if (kind === 'exception') {
        try {
          stopped = options.interrupt(reason);
        } catch (e) {
          options.log(`[salvage] could not mark the running batches interrupted: ${describeError(e)}`);
        }
      }
      const message = `Salvage hit an unexpected error (${reason}) and kept running.${interruptedSummary(stopped)}`;
      try {
        options.bus?.emit('app:problem', { message: message.slice(0, 2000), interrupted: stopped.length });
      } catch {
        // The window is gone: the log has it.
      }
      try {
        options.notify?.(message);
      } catch {
        // As above.
      }
    } catch {
      // Nothing may escape from here: a throw in an uncaughtException handler ends the process.
    } finally {
      handling = false;
    }
  };
  const onException = handle('exception');
  const onRejection = handle('rejection');
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
