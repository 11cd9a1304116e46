import { queryOptions, useQueries, useQuery, type QueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useMemo } from 'react';
import { isFinished, parseItemKey, type OperationView } from '../../shared/model';
import { call, subscribe } from '../api/client';
import type { BusyItems } from '../lib/busy';
import { keys } from './keys';
import { removeFromTrash } from './trash';

export const GONE_OUTCOMES = new Set(['restored', 'renamed', 'replaced', 'merged', 'deleted']);

export const operationQueries = {
  list: () => queryOptions({ queryKey: keys.ops(), queryFn: () => call('ops:list', {}) }),
  /** The items a batch is about; they do not change while it runs. */
  items: (operationId: string) =>
    queryOptions({
      queryKey: keys.opItems(operationId),
      queryFn: async () => (await call('ops:items', { operationId })).keys,
      staleTime: Infinity,
      gcTime: 60_000,
    }),
};

/**
 * What the window knows at once about a batch it started: the items it sent (no round trip before they show as busy).
 */
export const rememberOpItems = (client: QueryClient, operationId: string, itemKeys: readonly string[]) =>
  client.setQueryData<string[]>(keys.opItems(operationId), [...itemKeys]);

/** The batches that have not finished (queued, running, waiting for an answer). */
export function useRunningOps(): OperationView[] {
  const ops = useQuery(operationQueries.list());
  return useMemo(() => (ops.data ?? []).filter((op) => !isFinished(op)), [ops.data]);
}

const byOperation = (results: UseQueryResult<string[]>[]) => results.map((q) => q.data ?? []);

/**
 * Every item a batch that has not finished is about, with that batch, so each action that would
 * start another batch on them is held back and says why. The item lists are asked once per batch;
 * they are rebuilt into one map only when the set of running batches or a list changes, not on
 * every progress update.
 */
export function useBusyItems(): BusyItems {
  const running = useRunningOps();
  const idList = running.map((op) => op.id).join('|');
  const ids = useMemo(() => (idList ? idList.split('|') : []), [idList]);
  const lists = useQueries({ queries: ids.map((id) => operationQueries.items(id)), combine: byOperation });
  const owner = useMemo(() => {
    const map = new Map<string, string>();
    lists.forEach((keys, i) => {
      for (const key of keys) if (!map.has(key)) map.set(key, ids[i]!);
    });
    return map;
  }, [lists, ids]);
  return useMemo(() => {
    const views = new Map(running.map((op) => [op.id, op]));
    return { has: (key) => owner.has(key), batchOf: (key) => views.get(owner.get(key) ?? ''), idle: owner.size === 0 };
  }, [owner, running]);
}

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

export const upsertOp = (client: QueryClient, op: OperationView) =>
  client.setQueryData<OperationView[]>(keys.ops(), (old) => mergeOp(old, op));

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
