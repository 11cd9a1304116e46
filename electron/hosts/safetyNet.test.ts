import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../base/events';
import { OperationsRunner } from '../operations/runner';
import { describeError, installSafetyNet, interruptedSummary } from './safetyNet';

function setup() {
  const proc = new EventEmitter();
  const bus = new EventBus();
  const runner = new OperationsRunner(bus, null);
  const problems: { message: string; interrupted: number }[] = [];
  bus.subscribe((name, payload) => name === 'app:problem' && problems.push(payload as (typeof problems)[number]));
  const log: string[] = [];
  const uninstall = installSafetyNet(proc as unknown as NodeJS.Process, {
    interrupt: (r) => runner.interruptRunning(r),
    bus,
    log: (l) => log.push(l),
  });
  const stuck = () =>
    runner.start({
      kind: 'delete',
      title: 'Delete 4 items',
      accountIds: ['a'],
      items: [0, 1, 2, 3].map((i) => ({ key: `a:${i}`, name: `f${i}`, size: null })),
      resume: { kind: 'delete', items: [0, 1, 2, 3].map((i) => ({ accountId: 'a', id: String(i) })) },
      work: (ctx) => {
        ctx.itemDone({ key: 'a:0', name: 'f0', outcome: 'deleted', finalPath: null, error: null });
        return new Promise<void>(() => {});
      },
    });
  return { proc, runner, problems, log, uninstall, stuck };
}

describe('the hosts’ safety net', () => {
  it('an uncaught exception stops the running batches for Resume and tells the window; the process is not ended', async () => {
    const { proc, runner, problems, log, stuck } = setup();
    const op = stuck();
    await new Promise((r) => setTimeout(r, 10));
    proc.emit('uncaughtException', new Error('assert(!this.paused)'));
    expect(runner.get(op.id)).toMatchObject({
      state: 'failed',
      resumable: true,
      error: { code: 'INTERRUPTED', message: expect.stringContaining('assert(!this.paused)') },
    });
    expect(problems).toEqual([
      {
        message: expect.stringContaining('“Delete 4 items” was stopped with 3 items left: Resume finishes it.'),
        interrupted: 1,
      },
    ]);
    expect(log.join('\n')).toContain('assert(!this.paused)');
  });

  it('an unhandled rejection is reported, and batches go on', async () => {
    const { proc, runner, problems, stuck } = setup();
    const op = stuck();
    await new Promise((r) => setTimeout(r, 10));
    proc.emit('unhandledRejection', new TypeError('x is not a function'), Promise.resolve());
    expect(runner.get(op.id).state).toBe('running');
    expect(problems).toEqual([
      { message: 'Salvage hit an unexpected error (TypeError: x is not a function) and kept running.', interrupted: 0 },
    ]);
  });

  it('never throws itself, even when marking the batches fails, and can be removed', () => {
    const proc = new EventEmitter();
    const bus = new EventBus();
    const problems: unknown[] = [];
    bus.subscribe((name, payload) => name === 'app:problem' && problems.push(payload));
    const log: string[] = [];
    const uninstall = installSafetyNet(proc as unknown as NodeJS.Process, {
      interrupt: () => {
        throw new Error('disk full');
      },
      bus,
      log: (l) => log.push(l),
    });
    expect(() => proc.emit('uncaughtException', 'a string')).not.toThrow();
    expect(log.join('\n')).toContain('could not mark the running batches interrupted: disk full');
    expect(problems).toHaveLength(1);
    uninstall();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });

  it('describes errors in one clean, capped line', () => {
    expect(describeError(new Error('a\u001b]0;title\u0007b\nc'))).toBe('a ]0;title b c');
    expect(describeError(new RangeError('x'))).toBe('RangeError: x');
    expect(describeError('y'.repeat(1000))).toHaveLength(301);
    expect(interruptedSummary([])).toBe('');
  });
});
