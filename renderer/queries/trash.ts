import { experimental_streamedQuery as streamedQuery, queryOptions, type QueryClient } from '@tanstack/react-query';
import type { TrashItem } from '../../shared/model';
import { call } from '../api/client';

/** One account's trash as it streams in, page by page. */
export interface TrashListing {
  items: TrashItem[];
  /** The server's total when it says so, else the count once complete. */
  total: number | null;
  complete: boolean;
}

const emptyListing: TrashListing = { items: [], total: null, complete: false };

async function* pages(accountId: string, signal: AbortSignal) {
  let cursor: string | null = null;
  do {
    const page: { items: TrashItem[]; cursor: string | null; total: number | null } = await call('trash:list', { accountId, parentId: null, cursor });
    if (signal.aborted) return;
    cursor = page.cursor;
    yield { items: page.items, total: page.total, complete: cursor === null };
  } while (cursor !== null);
}

export const trashQueries = {
  all: () => ['trash'] as const,
  list: (accountId: string) =>
    queryOptions({
      queryKey: ['trash', accountId] as const,
      queryFn: streamedQuery({
        streamFn: ({ signal }) => pages(accountId, signal),
        refetchMode: 'replace',
        initialValue: emptyListing,
        reducer: (acc: TrashListing, page: TrashListing): TrashListing => ({
          items: acc.items.length ? acc.items.concat(page.items) : page.items,
          total: page.total ?? acc.total,
          complete: page.complete,
        }),
      }),
      // 100k items: comparing old and new deeply on every page would cost more than it saves.
      structuralSharing: false,
      staleTime: 60_000,
    }),
};

/** Takes items out of every cached listing as soon as an operation reports them gone. */
export function removeFromTrash(client: QueryClient, accountId: string, ids: ReadonlySet<string>) {
  if (ids.size === 0) return;
  client.setQueryData<TrashListing>(['trash', accountId], (old) => {
    if (!old) return old;
    const items = old.items.filter((i) => !ids.has(i.id));
    if (items.length === old.items.length) return old;
    return { ...old, items, total: old.total === null ? null : Math.max(0, old.total - (old.items.length - items.length)) };
  });
}
