import { describe, expect, it } from 'vitest';
import type { OperationView } from '../../shared/model';
import { keys } from '../queries/keys';
import { answer, dismiss, emptyTrash, steer } from './operations';
import { fakeContext, operation } from './testing';

const list = (client: ReturnType<typeof fakeContext>['client']) => client.getQueryData<OperationView[]>(keys.ops());

describe('operation commands', () => {
  it('cancel, retry and undo put the batch’s new picture into the cache', async () => {
    const t = fakeContext({
      'ops:cancel': ({ operationId }) => operation(operationId, { state: 'cancelled' }),
      'ops:undo': ({ operationId }) => operation(operationId, { state: 'done', undoable: false }),
    });
    t.client.setQueryData(keys.ops(), [
      operation('x', { state: 'running' }),
      operation('y', { state: 'done', undoable: true }),
    ]);
    await steer(t.ctx, 'ops:cancel', 'x');
    await steer(t.ctx, 'ops:undo', 'y');
    expect(list(t.client)?.map((o) => [o.id, o.state, o.undoable])).toEqual([
      ['x', 'cancelled', false],
      ['y', 'done', false],
    ]);
    expect(t.calls).toEqual([
      { channel: 'ops:cancel', payload: { operationId: 'x' } },
      { channel: 'ops:undo', payload: { operationId: 'y' } },
    ]);
  });

  it('an answer goes to main with the batch’s id and applies to the cache', async () => {
    const t = fakeContext({ 'ops:answer': ({ operationId }) => operation(operationId, { state: 'running' }) });
    await answer(t.ctx, 'x', 'keep-both', true);
    expect(t.calls[0]!.payload).toEqual({ operationId: 'x', resolution: 'keep-both', applyToAll: true });
    expect(list(t.client)?.map((o) => o.state)).toEqual(['running']);
  });

  it('dismiss takes the batch off the list once main has', async () => {
    const t = fakeContext({ 'ops:dismiss': () => ({}) });
    t.client.setQueryData(keys.ops(), [operation('x'), operation('y')]);
    await dismiss(t.ctx, 'x');
    expect(list(t.client)?.map((o) => o.id)).toEqual(['y']);
  });

  it('a failed dismiss leaves the list as it was', async () => {
    const t = fakeContext({
      'ops:dismiss': () => {
        throw new Error('offline');
      },
    });
    t.client.setQueryData(keys.ops(), [operation('x')]);
    await expect(dismiss(t.ctx, 'x')).rejects.toThrow('offline');
    expect(list(t.client)?.map((o) => o.id)).toEqual(['x']);
  });

  it('emptying several accounts goes on past a failure and names the accounts that failed', async () => {
    const t = fakeContext({
      'ops:empty': ({ accountId }) => {
        if (accountId !== 'b') throw new Error('down');
        return operation('e-b', { kind: 'empty' });
      },
    });
    await expect(emptyTrash(t.ctx, ['a', 'b', 'c'], (id) => id.toUpperCase())).rejects.toThrow(
      /^Could not empty the trash of A, C: /,
    );
    expect(list(t.client)?.map((o) => o.id)).toEqual(['e-b']);
  });
});
