import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../base/events';
import type { Conflict, OperationView } from '../../shared/model';
import type { Landed } from '../providers/types';
import { FileOperationJournal } from './journal';
import { forEachLimited } from '../base/async';
import { OperationsRunner } from './runner';

const landedAt = (ref: string): Landed => ({
  ref,
  name: ref.slice(1),
  kind: 'file',
  fileId: null,
  etag: null,
  size: null,
  modifiedAt: null,
  version: null,
  replaced: null,
});
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `a:${i}`, name: `file-${i}.txt`, size: 10 }));
const conflict = (key: string): Conflict => ({
  itemKey: key,
  name: key,
  targetPath: `/x/${key}`,
  source: 'existing',
  otherKey: null,
  trashed: { size: 1, deletedAt: null, kind: 'file' },
  existing: { size: 2, modifiedAt: null, kind: 'file' },
  canReplace: true,
  note: null,
});

function collect(bus: EventBus) {
  const updates: OperationView[] = [];
  bus.subscribe((name, payload) => {
    if (name === 'operation:update') updates.push(payload as OperationView);
  });
  return updates;
}

describe('OperationsRunner', () => {
  it('says items per second and time left while running (on its clock), and no time left once finished', async () => {
    let now = 0;
    const runner = new OperationsRunner(new EventBus(), null, null, () => now);
    const seen: OperationView[] = [];
    const op = runner.start({
      kind: 'restore',
      title: 'pace',
      accountIds: ['a'],
      items: items(100),
      work: async (ctx) => {
        for (let i = 0; i < 50; i++) {
          now += 100; // ten items a second
          ctx.itemDone({ key: `a:${i}`, name: `file-${i}.txt`, outcome: 'restored', finalPath: null, error: null });
          if (i === 10 || i === 49) seen.push(runner.get(op.id));
        }
        for (let i = 50; i < 100; i++)
          ctx.itemDone({ key: `a:${i}`, name: `file-${i}.txt`, outcome: 'restored', finalPath: null, error: null });
      },
    });
    const done = await runner.wait(op.id);
    // Before 2 s had passed: nothing promised yet.
    expect(seen[0]).toMatchObject({ rate: null, secondsLeft: null });
    expect(seen[1]!.rate).toBeCloseTo(10, 0);
    expect(seen[1]!.secondsLeft).toBe(5);
    expect(done.secondsLeft).toBeNull();
  });

  it('names every item a batch is about from the start, before any has a result (the window holds back other batches on them)', async () => {
    const runner = new OperationsRunner(new EventBus());
    let release!: () => void;
    const op = runner.start({
      kind: 'restore',
      title: 'Restore 3 items',
      accountIds: ['a'],
      items: items(3),
      work: () => new Promise<void>((r) => (release = r)),
    });
    expect(runner.items(op.id)).toEqual(['a:0', 'a:1', 'a:2']);
    await new Promise((r) => setTimeout(r, 0));
    release();
    await runner.wait(op.id);
  });

  it('tells a listener of each item as it is reported, with what the provider said (the ledger of Salvage’s moves listens)', async () => {
    const runner = new OperationsRunner(new EventBus());
    const heard: string[] = [];
    const op = runner.start({
      kind: 'undo',
      title: 'Undo',
      accountIds: ['a'],
      items: items(1),
      work: async (ctx) =>
        ctx.itemDone(
          { key: 'a:0', name: 'file-0.txt', outcome: 'trashed', finalPath: null, error: null },
          { landed: landedAt('/file-0.txt') },
        ),
      onItem: (result, extra) => heard.push(`${result.key} ${result.outcome} ${extra?.landed?.ref}`),
    });
    await runner.wait(op.id);
    expect(heard).toEqual(['a:0 trashed /file-0.txt']);
  });

  it('reports per-item results, progress in items and bytes, and a final done state', async () => {
    const bus = new EventBus();
    const updates = collect(bus);
    const runner = new OperationsRunner(bus);
    const op = runner.start({
      kind: 'restore',
      title: 'Restore 3 items',
      accountIds: ['a'],
      items: items(3),
      undoable: true,
      work: async (ctx) => {
        ctx.itemDone(
          { key: 'a:0', name: 'file-0.txt', outcome: 'restored', finalPath: '/file-0.txt', error: null },
          { landed: landedAt('/file-0.txt') },
        );
        ctx.itemDone({ key: 'a:1', name: 'file-1.txt', outcome: 'skipped', finalPath: null, error: null });
        ctx.itemDone({
          key: 'a:2',
          name: 'file-2.txt',
          outcome: 'failed',
          finalPath: null,
          error: { code: 'DEST_MISSING', message: 'gone' },
        });
      },
    });
    expect(op.state).toBe('queued');
    const done = await runner.wait(op.id);
    expect(done.state).toBe('done');
    expect(done.done).toBe(3);
    expect(done.bytesTotal).toBe(30);
    expect(done.bytesDone).toBe(20); // the failed item's bytes are not counted
    expect(done.results.map((r) => r.outcome)).toEqual(['restored', 'skipped', 'failed']);
    expect(done.undoable).toBe(true);
    expect(runner.landed(op.id).get('a:0')?.ref).toBe('/file-0.txt');
    expect(updates.at(-1)?.state).toBe('done');
    expect(updates.some((u) => u.state === 'running')).toBe(true);
  });

  it('cancels: unreported items come back as cancelled and the work sees the abort', async () => {
    const runner = new OperationsRunner(new EventBus());
    let sawAbort = false;
    const op = runner.start({
      kind: 'delete',
      title: 'Delete',
      accountIds: ['a'],
      items: items(4),
      work: async (ctx) => {
        ctx.itemDone({ key: 'a:0', name: 'file-0.txt', outcome: 'deleted', finalPath: null, error: null });
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        sawAbort = ctx.signal.aborted;
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    runner.cancel(op.id);
    const done = await runner.wait(op.id);
    expect(sawAbort).toBe(true);
    expect(done.state).toBe('cancelled');
    expect(done.results.filter((r) => r.outcome === 'cancelled')).toHaveLength(3);
    expect(done.results.find((r) => r.key === 'a:0')?.outcome).toBe('deleted');
  });

  it('pauses only the asking item on a mid-batch conflict and applies "apply to all" to later ones', async () => {
    const runner = new OperationsRunner(new EventBus());
    const answers: string[] = [];
    const op = runner.start({
      kind: 'restore',
      title: 'Restore',
      accountIds: ['a'],
      items: items(3),
      resolutions: { 'a:2': 'skip' },
      work: async (ctx) => {
        await Promise.all(
          ['a:0', 'a:1', 'a:2'].map(async (key) => {
            const answer = await ctx.ask(conflict(key));
            answers.push(`${key}=${answer}`);
            ctx.itemDone({
              key,
              name: key,
              outcome: answer === 'skip' ? 'skipped' : 'replaced',
              finalPath: null,
              error: null,
            });
          }),
        );
      },
    });
    await new Promise((r) => setTimeout(r, 10));
    const waiting = runner.get(op.id);
    expect(waiting.state).toBe('needs-answer');
    expect(waiting.question?.itemKey).toBe('a:0');
    expect(answers).toEqual(['a:2=skip']); // the pre-chosen answer did not wait
    runner.answer(op.id, 'replace', true);
    const done = await runner.wait(op.id);
    expect(answers.sort()).toEqual(['a:0=replace', 'a:1=replace', 'a:2=skip']);
    expect(done.results.map((r) => r.outcome).sort()).toEqual(['replaced', 'replaced', 'skipped']);
  });

  it('uses server-reported fractions for progress in batch operations', async () => {
    const bus = new EventBus();
    const runner = new OperationsRunner(bus);
    let mid: OperationView | null = null;
    const op = runner.start({
      kind: 'empty',
      title: 'Empty',
      accountIds: ['a'],
      items: items(10),
      work: async (ctx) => {
        ctx.progress({ fraction: 0.5, current: 'half way' });
        mid = runner.get(op.id);
        for (let i = 0; i < 10; i++)
          ctx.itemDone({ key: `a:${i}`, name: `f${i}`, outcome: 'deleted', finalPath: null, error: null });
      },
    });
    await runner.wait(op.id);
    expect(mid).toMatchObject({ done: 5, current: 'half way', state: 'running' });
  });

  it('runs batches on the same account one after the other', async () => {
    const runner = new OperationsRunner(new EventBus());
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name}:end`);
    };
    const a = runner.start({ kind: 'delete', title: 'A', accountIds: ['acc'], items: [], work: slow('A') });
    const b = runner.start({ kind: 'delete', title: 'B', accountIds: ['acc'], items: [], work: slow('B') });
    await Promise.all([runner.wait(a.id), runner.wait(b.id)]);
    expect(order).toEqual(['A:start', 'A:end', 'B:start', 'B:end']);
  });

  it('a failing batch keeps the error value; the journal reports an interrupted batch at next launch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-journal-'));
    const journal = new FileOperationJournal(dir);
    const runner = new OperationsRunner(new EventBus(), journal);
    const op = runner.start({
      kind: 'restore',
      title: 'Restore',
      accountIds: ['a'],
      items: items(2),
      work: async () => {
        throw Object.assign(new Error('boom'), {});
      },
    });
    const failed = await runner.wait(op.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('INTERNAL');
    // Simulate a crash mid-batch: a journal entry still marked running.
    const resume = { kind: 'delete' as const, items: [{ accountId: 'a', id: '1' }] };
    journal.save([{ view: { ...failed, id: 'interrupted', state: 'running', finishedAt: null, results: [] }, resume }]);
    expect(JSON.parse(readFileSync(join(dir, 'operations.json'), 'utf8'))).toHaveLength(1);
    const next = new OperationsRunner(new EventBus(), new FileOperationJournal(dir));
    const restored = next.get('interrupted');
    expect(restored.state).toBe('failed');
    expect(restored.error).toMatchObject({
      code: 'INTERRUPTED',
      message: expect.stringContaining('closed before this finished'),
    });
    expect(restored.error?.message).toContain('Resume does the rest');
    expect(next.resumeOf('interrupted')).toEqual(resume);
  });

  it('interruptRunning: a batch whose work never ends is stopped, journaled for Resume, and its account queue moves on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-journal-interrupt-'));
    const runner = new OperationsRunner(new EventBus(), new FileOperationJournal(dir));
    const resume = { kind: 'delete' as const, items: [0, 1, 2].map((i) => ({ accountId: 'a', id: String(i) })) };
    let report!: () => void;
    let workSignal!: AbortSignal;
    const stuck = runner.start({
      kind: 'delete',
      title: 'Delete 3',
      accountIds: ['a'],
      items: items(3),
      resume,
      work: (ctx) => {
        workSignal = ctx.signal;
        ctx.itemDone({ key: 'a:0', name: 'file-0.txt', outcome: 'deleted', finalPath: null, error: null });
        report = () =>
          ctx.itemDone({ key: 'a:1', name: 'file-1.txt', outcome: 'deleted', finalPath: null, error: null });
        return new Promise<void>(() => {}); // e.g. a request whose socket died with an uncaught error
      },
    });
    const queued = runner.start({ kind: 'delete', title: 'Next', accountIds: ['a'], items: [], work: async () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.get(stuck.id).state).toBe('running');

    const stopped = runner.interruptRunning('Boom in a socket');
    expect(stopped.map((v) => v.id).sort()).toEqual([stuck.id, queued.id].sort());
    const view = runner.get(stuck.id);
    expect(view).toMatchObject({ state: 'failed', resumable: true, error: { code: 'INTERRUPTED' } });
    expect(view.error!.message).toContain('Boom in a socket');
    expect(view.error!.message).toContain('1 of 3 items had a result. Resume does the rest.');
    expect(workSignal.aborted).toBe(true);
    // Nothing waits on the stuck work any more.
    await runner.wait(stuck.id);
    await runner.wait(queued.id);
    // A result that still comes in is kept; the state stays interrupted.
    report();
    expect(runner.get(stuck.id)).toMatchObject({ state: 'failed', results: [{ key: 'a:0' }, { key: 'a:1' }] });

    // Written at once: the next launch offers Resume for it.
    const next = new OperationsRunner(new EventBus(), new FileOperationJournal(dir));
    expect(next.get(stuck.id)).toMatchObject({ state: 'failed', resumable: true, error: { code: 'INTERRUPTED' } });
    expect(next.resumeOf(stuck.id)).toEqual(resume);
    expect(runner.interruptRunning('again')).toEqual([]);
  });

  it('reads a journal written before resume requests were kept (a plain list of views)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-journal-old-'));
    const runner = new OperationsRunner(new EventBus(), null);
    const op = runner.start({
      kind: 'delete',
      title: 'Delete',
      accountIds: ['a'],
      items: items(1),
      work: async () => {},
    });
    const view = await runner.wait(op.id);
    writeFileSync(join(dir, 'operations.json'), JSON.stringify([{ ...view, state: 'running' }]));
    const next = new OperationsRunner(new EventBus(), new FileOperationJournal(dir));
    expect(next.get(op.id)).toMatchObject({
      state: 'failed',
      error: { code: 'INTERRUPTED', message: expect.stringContaining('Check the trash and retry') },
    });
    expect(next.resumeOf(op.id)).toBeUndefined();
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once and stops starting work after abort', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const controller = new AbortController();
    await forEachLimited([...Array(20).keys()], 3, controller.signal, async (i) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      if (i === 5) controller.abort();
    });
    expect(peak).toBe(3);
    expect(started.length).toBeLessThan(20);
  });
});
