import { describe, expect, it } from 'vitest';
import type { OperationView } from '../../shared/model';
import { arrangeActivity, finishedLine, progressParts } from './activity';

type R = OperationView['results'][number];
const result = (outcome: R['outcome']): R => ({ key: `k${Math.random()}`, name: 'x', outcome }) as R;
const op = (id: string, state: OperationView['state'], results: R[] = [], extra: Partial<OperationView> = {}) =>
  ({ id, state, results, resumable: false, done: results.length, total: results.length, ...extra }) as OperationView;

describe('arrangeActivity', () => {
  it('puts running and resumable batches on top, then the newest finished one, and folds the rest', () => {
    const ops = [
      op('a', 'done'),
      op('b', 'running'),
      op('c', 'failed', [], { resumable: true }),
      op('d', 'done'),
      op('e', 'cancelled'),
    ];
    const { active, latest, older } = arrangeActivity(ops);
    expect(active.map((o) => o.id)).toEqual(['b', 'c']);
    expect(latest?.id).toBe('a');
    expect(older.map((o) => o.id)).toEqual(['d', 'e']);
  });
  it('has nothing to fold with one finished batch or none', () => {
    expect(arrangeActivity([op('a', 'done')]).older).toEqual([]);
    expect(arrangeActivity([]).latest).toBeNull();
  });
});

describe('finishedLine', () => {
  it('counts the folded batches and those with failures', () => {
    expect(finishedLine([op('a', 'done'), op('b', 'done', [result('failed')]), op('c', 'failed')])).toBe(
      '3 more batches finished · 2 with failures',
    );
    expect(finishedLine([op('a', 'done', [result('restored')])])).toBe('1 more batch finished');
  });
});

describe('progressParts', () => {
  it('shows failures as their own part of the bar', () => {
    const failed = Array.from({ length: 7 }, () => result('failed'));
    expect(progressParts(op('a', 'done', [...failed, result('restored')]))).toEqual({ ok: 12.5, failed: 87.5 });
    expect(progressParts({ ...op('b', 'running', [result('restored')]), total: 4 })).toEqual({ ok: 25, failed: 0 });
    expect(progressParts({ ...op('c', 'done'), total: 0 })).toEqual({ ok: 100, failed: 0 });
  });
});
