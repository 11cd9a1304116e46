import { appendFileSync, mkdtempSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../base/events';
import type { ItemResult, OperationView } from '../../shared/model';
import {
  BatchJournalFile,
  listBatchJournals,
  pruneBatchJournals,
  readBatchJournal,
  type WriteAheadLog,
} from './journal';
import { OperationsRunner } from './runner';

const result = (key: string, outcome: ItemResult['outcome'] = 'restored'): ItemResult => ({
  key,
  name: key,
  outcome,
  finalPath: null,
  error: null,
});

describe('batch journal files (JSON Lines, written ahead)', () => {
  it('reads back what was sent, each result and the end; a line cut short by a kill is skipped', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'salvage-journal-')), 'batches');
    const file = BatchJournalFile.create(dir, 'b1', { what: 'restore' });
    file.append({ t: 'begun', operationId: 'op', title: 'Restore 3 items', total: 3 });
    file.append({ t: 'sending', keys: ['a:1', 'a:2', 'a:3'] });
    file.append({ t: 'result', result: result('a:1') });
    file.append({
      t: 'result',
      result: { ...result('a:2', 'failed'), error: { code: 'SERVER', message: 'x'.repeat(50_000) } },
    });
    file.close();
    // The process died in the middle of writing the next line.
    appendFileSync(join(dir, 'b1.jsonl'), '{"t":"result","result":{"key":"a:3","na');
    const state = readBatchJournal(join(dir, 'b1.jsonl'))!;
    expect(state).toMatchObject({
      id: 'b1',
      pid: process.pid,
      meta: { what: 'restore' },
      title: 'Restore 3 items',
      end: null,
      resumedBy: null,
    });
    expect([...state.sent]).toEqual(['a:1', 'a:2', 'a:3']);
    expect([...state.results.keys()]).toEqual(['a:1', 'a:2']);
    // A server's huge error message is kept short.
    expect(state.results.get('a:2')!.error!.message.length).toBeLessThan(2_100);
    // Private: 0600 in a 0700 folder.
    expect(statSync(join(dir, 'b1.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const again = BatchJournalFile.reopen(join(dir, 'b1.jsonl'));
    again.append({ t: 'resumed', by: 'b2', at: new Date().toISOString() });
    again.close();
    // The cut-short line stays cut short, the resumed mark after it is read.
    expect(readBatchJournal(join(dir, 'b1.jsonl'))!.resumedBy).toBe('b2');
    expect(() => BatchJournalFile.create(dir, 'b1', {})).toThrow(/EEXIST/);
  });

  it('lists newest first and prunes old ones except those still needed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-journal-'));
    for (let i = 0; i < 5; i++) {
      const f = BatchJournalFile.create(dir, `b${i}`, { keep: i === 0 }, new Date(Date.UTC(2026, 0, 1, 0, i)));
      f.close();
      utimesSync(join(dir, `b${i}.jsonl`), 1_000 + i, 1_000 + i);
    }
    expect(listBatchJournals(dir).map((s) => s.id)).toEqual(['b4', 'b3', 'b2', 'b1', 'b0']);
    pruneBatchJournals(dir, 2, (s) => (s.meta as { keep: boolean }).keep);
    expect(listBatchJournals(dir).map((s) => s.id)).toEqual(['b4', 'b3', 'b0']);
    expect(listBatchJournals(join(dir, 'none'))).toEqual([]);
  });
});

describe('the runner writes ahead', () => {
  it('tells the journal a batch began before its work runs, each wave before it is sent, each result as it lands, and the end', async () => {
    const events: string[] = [];
    const log: WriteAheadLog = {
      begun: (view) => events.push(`begun ${view.total}`),
      sending: (_, keys) => events.push(`sending ${keys.join(',')}`),
      result: (_, r) => events.push(`result ${r.key} ${r.outcome}`),
      ended: (view: OperationView) => events.push(`ended ${view.state}`),
    };
    const runner = new OperationsRunner(new EventBus(), null, log);
    const view = runner.start({
      kind: 'restore',
      title: 't',
      accountIds: ['a'],
      items: [
        { key: 'a:1', name: '1', size: null },
        { key: 'a:2', name: '2', size: null },
      ],
      work: async (ctx) => {
        events.push('work starts');
        ctx.sending?.(['a:1']);
        events.push('sent a:1');
        ctx.itemDone(result('a:1'));
        ctx.sending?.(['a:2']);
        ctx.itemDone(result('a:2', 'failed'));
      },
    });
    expect(events).toEqual(['begun 2']);
    await runner.wait(view.id);
    expect(events).toEqual([
      'begun 2',
      'work starts',
      'sending a:1',
      'sent a:1',
      'result a:1 restored',
      'sending a:2',
      'result a:2 failed',
      'ended done',
    ]);
  });
});
