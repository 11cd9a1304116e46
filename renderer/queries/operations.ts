import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { isFinished, parseItemKey, type OperationView } from '../../shared/model';
import { call, subscribe } from '../api/client';
import { keys } from './keys';
import { removeFromTrash } from './trash';

export const GONE_OUTCOMES = new Set(['restored', 'renamed', 'replaced', 'merged', 'deleted']);

export const operationQueries = {
  list: () => queryOptions({ queryKey: keys.ops(), queryFn: () => call('ops:list', {}) }),
};

const rank = (op: OperationView) => (isFinished(op) ? 2 : op.state === 'queued' ? 0 : 1);

/**
 * Puts an operation view into the list unless the list already holds a later picture of it.
 * Events and call responses race (an event can overtake the response that started the batch),
 * so a view never moves back from finished to running, from running to queued, or to fewer results.
 */
export function mergeOp(list: readonly OperationView[] | undefined, op: OperationView): OperationView[] {
  const old = list ?? [];
  const i = old.findIndex((o) => o.id === op.id);
  if (i < 0) return [...old, op];
  const current = old[i]!;
  if (rank(op) < rank(current) || op.results.length < current.results.length) return old as OperationView[];
  const next = old.slice();
  next[i] = op;
  return next;
}

export const upsertOp = (client: QueryClient, op: OperationView) => client.setQueryData<OperationView[]>(keys.ops(), (old) => mergeOp(old, op));

/** Takes a dismissed operation out of the list. */
export const dropOp = (client: QueryClient, operationId: string) =>
  client.setQueryData<OperationView[]>(keys.ops(), (old) => (old ?? []).filter((o) => o.id !== operationId));

/**
 * Keeps the operations cache live from 'operation:update' events, takes restored and deleted items
 * out of the trash listings as their results arrive, and refreshes the listings (and folder
 * trees) of the accounts a batch touched once it ends. Returns the unsubscribe function.
 */
export function followOperations(client: QueryClient): () => void {
  const seenResults = new Map<string, number>();
  const finished = new Set<string>();
  const apply = (op: OperationView) => {
    upsertOp(client, op);
    const from = seenResults.get(op.id) ?? 0;
    if (op.results.length > from && op.kind !== 'undo') {
      const gone = new Map<string, Set<string>>();
      for (const r of op.results.slice(from)) {
        if (!GONE_OUTCOMES.has(r.outcome)) continue;
        const { accountId, id } = parseItemKey(r.key);
        let set = gone.get(accountId);
        if (!set) gone.set(accountId, (set = new Set()));
        set.add(id);
      }
      for (const [accountId, ids] of gone) removeFromTrash(client, accountId, ids);
    }
    seenResults.set(op.id, op.results.length);
    if (isFinished(op) && !finished.has(op.id)) {
      finished.add(op.id);
      for (const accountId of op.accountIds) {
        void client.invalidateQueries({ queryKey: keys.trash(accountId) });
        void client.invalidateQueries({ queryKey: keys.foldersOf(accountId) });
      }
    }
  };
  return subscribe('operation:update', apply);
}
