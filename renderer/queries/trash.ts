import {
  experimental_streamedQuery as streamedQuery,
  queryOptions,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useMemo } from 'react';
import type { DeletionEvent } from '../../shared/events';
import { type AccountView, type Preview, type SameSecondReport, type TrashItem } from '../../shared/model';
import { call } from '../api/client';
import { errorCode, errorText } from '../lib/errorText';
import { accountTotals, type AccountTotals } from '../lib/trashTotals';
import { keys } from './keys';

/** One account's trash as it streams in, page by page. */
export interface TrashListing {
  items: TrashItem[];
  /** The server's total when it says so, else the count once complete. */
  total: number | null;
  complete: boolean;
}

const emptyListing: TrashListing = { items: [], total: null, complete: false };

/**
 * While a listing streams in, pages are handed to the list at most this often (the first at
 * once): each hand-over re-sorts and re-indexes everything loaded so far, so 100 pages of 1,000
 * must not mean 100 of those. Measured with `npm run bench` (list100k).
 */
export const STREAM_BATCH_MS = 250;
/**
 * …and, once many items are loaded, no more often than every this many ms per 1,000 items loaded
 * (100k: every second): a hand-over costs time in proportion to what is loaded, so a fixed pace
 * would spend ever more of the renderer's time on it as the list grows (the status bar still
 * counts what has arrived at each).
 */
export const STREAM_BATCH_MS_PER_1000 = 10;

/** How long after the last hand-over the next may come, with `loaded` items already handed over. */
export const handOverEveryMs = (loaded: number) =>
  Math.max(STREAM_BATCH_MS, (loaded / 1000) * STREAM_BATCH_MS_PER_1000);

async function* pages(accountId: string, signal: AbortSignal, parentId: string | null = null) {
  type Page = { items: TrashItem[]; cursor: string | null; total: number | null };
  const request = (cursor: string | null): Promise<Page> => {
    const p = call('trash:list', { accountId, parentId, cursor });
    p.catch(() => undefined); // awaited below; this only keeps an abandoned request from being "unhandled"
    return p;
  };
  let next = request(null);
  let pending: TrashItem[] = [];
  let handedAt = -Infinity;
  let handed = 0;
  for (;;) {
    const page = await next;
    if (signal.aborted) return;
    // The next page is asked for before this one is handed on, so the wire never waits for the list.
    if (page.cursor !== null) next = request(page.cursor);
    pending = pending.length ? pending.concat(page.items) : page.items;
    const now = performance.now();
    if (page.cursor === null || now - handedAt >= handOverEveryMs(handed)) {
      handed += pending.length;
      yield { items: pending, total: page.total, complete: page.cursor === null };
      pending = [];
      handedAt = performance.now();
    }
    if (page.cursor === null) return;
  }
}

export const trashQueries = {
  list: (accountId: string) =>
    queryOptions({
      queryKey: keys.trash(accountId),
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
  /** What is inside one trashed folder (items there can be restored or deleted on their own). */
  inside: (accountId: string, folderId: string) =>
    queryOptions({
      queryKey: keys.trashInside(accountId, folderId),
      queryFn: async ({ signal }): Promise<TrashListing> => {
        const items: TrashItem[] = [];
        for await (const page of pages(accountId, signal, folderId)) items.push(...page.items);
        return { items, total: items.length, complete: true };
      },
      staleTime: 60_000,
    }),
};

/**
 * A trashed file's preview, as data main fetched (null while none is asked for). Kept for the
 * session: the same item's preview does not change while it is in the trash.
 */
export function usePreview(item: TrashItem | null): { preview: Preview | undefined; loading: boolean; error: unknown } {
  const q = useQuery({
    queryKey: keys.preview(item?.accountId ?? '', item?.id ?? ''),
    queryFn: () => call('trash:preview', { accountId: item!.accountId, id: item!.id, parentId: item!.parentId }),
    enabled: item !== null && item.kind === 'file',
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    retry: false,
  });
  return { preview: q.data, loading: item !== null && item.kind === 'file' && q.isPending, error: q.error };
}

/** The listing of the trashed folder being browsed (null: none is). */
export function useTrashInside(folder: TrashItem | null) {
  const q = useQuery({ ...trashQueries.inside(folder?.accountId ?? '', folder?.id ?? ''), enabled: folder !== null });
  return { query: q, items: q.data?.items ?? [], loading: folder !== null && q.isPending, fetching: q.isFetching };
}

/**
 * What the server lost among an event's items: entries that stand for several same-named files deleted in one second,
 * and the copies lost.
 */
export interface EventLosses {
  entries: number;
  lost: number;
  /** Some server named only some of them (ownCloud 10: "at least"). */
  atLeast: boolean;
}

/**
 * Per event: the copies the servers lost among its items (same-named files deleted in the same
 * second, among each account's entries deleted within the event's time), summed over its
 * accounts, for `eventIds` only (reading a server's records costs requests: the events on screen
 * that matter, not every one). Missing while unknown, or when no
 * server tells anything. Refetched with the account's trash. Nothing is asked while `enabled` is
 * false (listings still streaming: the newest event changes with every page); what was told
 * before stays.
 */
export function useEventLosses(
  events: readonly DeletionEvent[],
  eventIds: ReadonlySet<string>,
  enabled: boolean,
): ReadonlyMap<string, EventLosses> {
  // One ask per account of the event, by its time range (main picks the entries: no ids cross over).
  const asks = useMemo(
    () =>
      events
        .filter((e) => eventIds.has(e.id))
        .flatMap((e) => e.accounts.map((accountId) => ({ eventId: e.id, accountId, from: e.from, to: e.to }))),
    [events, eventIds],
  );
  return useQueries({
    queries: asks.map((a) => ({
      queryKey: keys.sameSecond(a.accountId, a.eventId),
      queryFn: () => call('trash:sameSecond', { accountId: a.accountId, from: a.from, to: a.to }),
      enabled,
      staleTime: Infinity,
      retry: false,
    })),
    combine: (results) => {
      const out = new Map<string, EventLosses>();
      asks.forEach((a, i) => {
        const report: SameSecondReport | undefined = results[i]?.data;
        if (!report || report.source === 'none' || report.losses.length === 0) return;
        const sum = out.get(a.eventId) ?? { entries: 0, lost: 0, atLeast: false };
        sum.entries += report.losses.length;
        sum.lost += report.losses.reduce((n, l) => n + l.lost.length, 0);
        sum.atLeast ||= report.losses.some((l) => !l.complete);
        out.set(a.eventId, sum);
      });
      return out;
    },
  });
}

/** Takes items out of every cached listing as soon as an operation reports them gone. */
export function removeFromTrash(client: QueryClient, accountId: string, ids: ReadonlySet<string>) {
  if (ids.size === 0) return;
  client.setQueryData<TrashListing>(keys.trash(accountId), (old) => {
    if (!old) return old;
    const items = old.items.filter((i) => !ids.has(i.id));
    if (items.length === old.items.length) return old;
    return {
      ...old,
      items,
      total: old.total === null ? null : Math.max(0, old.total - (old.items.length - items.length)),
    };
  });
  // And from the listings of trashed folders being browsed.
  client.setQueriesData<TrashListing>({ queryKey: keys.trashInsideOf(accountId) }, (old) => {
    if (!old) return old;
    const items = old.items.filter((i) => !ids.has(i.id));
    return items.length === old.items.length ? old : { ...old, items, total: items.length };
  });
}

/**
 * How many items an account's trash holds as far as is known: exact once complete, else the server's total, else null.
 */
export const knownCount = (listing: TrashListing | undefined): number | null =>
  listing ? (listing.complete ? listing.items.length : (listing.total ?? null)) : null;

/** Each account's trash count for the sidebar, from the same cached listings the table shows (never fetched here). */
export function useTrashCounts(accounts: readonly AccountView[]): ReadonlyMap<string, number | null> {
  const listings = useQueries({ queries: accounts.map((a) => ({ ...trashQueries.list(a.id), enabled: false })) });
  return new Map(accounts.map((a, i) => [a.id, knownCount(listings[i]?.data)]));
}

/** What went wrong with an account's last listing, for its sidebar entry. */
export interface AccountProblem {
  /** 'auth': sign in again; 'unreachable': no answer (offline, refused, timed out); 'error': any other failure. */
  kind: 'auth' | 'unreachable' | 'error';
  text: string;
}

/** Each account whose trash listing failed last time, from the cached listings (never fetched here). */
export function useTrashProblems(accounts: readonly AccountView[]): ReadonlyMap<string, AccountProblem> {
  const listings = useQueries({ queries: accounts.map((a) => ({ ...trashQueries.list(a.id), enabled: false })) });
  const problems = new Map<string, AccountProblem>();
  accounts.forEach((a, i) => {
    const q = listings[i];
    if (!q?.isError) return;
    const code = errorCode(q.error);
    const kind = code === 'AUTH_FAILED' ? 'auth' : code === 'NETWORK' || code === 'TIMEOUT' ? 'unreachable' : 'error';
    problems.set(a.id, { kind, text: errorText(q.error) });
  });
  return problems;
}

/**
 * The combined listings as a class instance, not a plain object: react-query compares a combine's
 * plain result with the previous one element by element (replaceEqualDeep) to keep what did not
 * change — for 100k items, their array and each listing's again, on every page (~350 ms of a
 * 100k listing in the renderer's profile). A new listing is new anyway.
 */
class CombinedListings {
  constructor(
    readonly queries: UseQueryResult<TrashListing>[],
    readonly items: TrashItem[],
  ) {}
}

/**
 * All shown accounts' items as one array. react-query re-runs this only when a listing changes,
 * so selection changes (every frame of a marquee) never re-sort 100k rows.
 */
function combineListings(results: UseQueryResult<TrashListing>[]) {
  return new CombinedListings(
    results,
    results.flatMap((q) => q.data?.items ?? []),
  );
}

/**
 * The listings of the shown accounts and what the screen says about them: still loading or
 * streaming, which failed, which need signing in again, and each one's totals so far.
 */
export function useTrashListings(shown: readonly AccountView[]) {
  const { queries, items } = useQueries({
    queries: shown.map((a) => trashQueries.list(a.id)),
    combine: combineListings,
  });
  const errors = queries.map((q, i) => ({ q, account: shown[i]! })).filter(({ q }) => q.isError);
  const expired = shown.filter(
    (a) =>
      a.status === 'auth-expired' ||
      errors.some((e) => e.account.id === a.id && errorCode(e.q.error) === 'AUTH_FAILED'),
  );
  // Per shown account: what its listing holds so far, and whether it has answered yet.
  const totals = useMemo(() => queries.map(accountTotals), [queries]);
  return {
    items,
    errors,
    expired,
    totals,
    loading: queries.some((q) => q.isPending),
    streaming: queries.some((q) => q.data && !q.data.complete),
    fetching: queries.some((q) => q.isFetching),
  };
}

/** An account's trash as loaded so far, read from the cache when asked (for an account not on screen). */
export function useCachedTotals(): (accountId: string) => AccountTotals {
  const client = useQueryClient();
  return (accountId) => {
    const state = client.getQueryState<TrashListing>(keys.trash(accountId));
    return accountTotals({ data: state?.data, isError: state?.status === 'error' });
  };
}

export type TrashListings = ReturnType<typeof useTrashListings>;
