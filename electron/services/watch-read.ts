import type { TrashItem } from '../../shared/model';
import type { ErrorValue } from '../../shared/result';
import type { TrashProvider } from '../providers/types';
import type { TrashService } from './trash';

/**
 * The watch's reading of one account's trash (services/watch.ts): what it keeps of each item,
 * its per-account state, and the three ways it reads the trash (whole on the first check, whole
 * as a listing that also tells what is new, newest first where the server sorts its trash).
 */

/** What the watch keeps of a trash item. */
export type Known = Pick<
  TrashItem,
  'key' | 'accountId' | 'deletedAt' | 'size' | 'originalFolder' | 'kind' | 'expiresAt'
>;

const keep = (i: TrashItem): Known => ({
  key: i.key,
  accountId: i.accountId,
  deletedAt: i.deletedAt,
  size: i.size,
  originalFolder: i.originalFolder,
  kind: i.kind,
  expiresAt: i.expiresAt,
});

export const timeOf = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

export interface AccountState {
  /** The trash as last read, by item id; null until the first reading of this run. */
  known: Map<string, Known> | null;
  /** The newest deletion time known (ms). */
  newest: number;
  cursor: string | null;
  /** 'cheap': the cheap check decides; 'listing': the server has none, or it missed deletions. */
  mode: 'cheap' | 'listing';
  via: string | null;
  /** Deletions the feed reported since the last reading. */
  pending: number;
  /** When the whole trash was last read (ms). */
  listedAt: number;
  /** Every cheap check since that listing said 'same'. */
  quietSinceListing: boolean;
  /** Keys of the items of events already announced (or there before the watch began). */
  announced: Set<string>;
  lastCheckAt: number | null;
  error: ErrorValue | null;
}

/** An account's state before its first reading of this run. */
export function newAccountState(): AccountState {
  return {
    known: null,
    newest: -Infinity,
    cursor: null,
    mode: 'cheap',
    via: null,
    pending: 0,
    listedAt: 0,
    quietSinceListing: true,
    announced: new Set(),
    lastCheckAt: null,
    error: null,
  };
}

/** A whole listing: what is not known yet is new; what is gone from it is forgotten. */
export async function readWhole(
  trash: TrashService,
  accountId: string,
  st: AccountState,
  now: () => number,
): Promise<TrashItem[]> {
  const known = st.known ?? new Map<string, Known>();
  const next = new Map<string, Known>();
  const fresh: TrashItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await trash.page(accountId, null, cursor);
    for (const item of page.items) {
      if (isNew(known, item)) fresh.push(item);
      next.set(item.id, keep(item));
    }
    cursor = page.cursor;
  } while (cursor);
  st.known = next;
  st.newest = newestOf(next);
  st.listedAt = now();
  st.quietSinceListing = true;
  return fresh;
}

/** What was deleted since the newest item known, newest first (DocSpace): a page or two. */
export async function readNewest(p: TrashProvider, st: AccountState): Promise<TrashItem[]> {
  const known = st.known!;
  const fresh = new Map<string, TrashItem>();
  // From one second before the newest known: stamps are whole seconds on some servers.
  for await (const chunk of p.listTrashNewest!(new Date(st.newest - 1000).toISOString())) {
    for (const item of chunk.items) if (isNew(known, item)) fresh.set(item.id, item);
  }
  // Taken in only once the reading ended (a reading given up on leaves `known` as it was).
  for (const [id, item] of fresh) {
    known.set(id, keep(item));
    const t = timeOf(item.deletedAt);
    if (t > st.newest) st.newest = t;
  }
  return [...fresh.values()];
}

/**
 * Takes a whole reading as what is known, in slices with a turn of the event loop between them (a million items would
 * hold it for a second).
 */
export async function replaceKnown(st: AccountState, items: readonly TrashItem[], slice = 20_000): Promise<void> {
  const known = new Map<string, Known>();
  for (let i = 0; i < items.length; i += slice) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const item of items.slice(i, i + slice)) known.set(item.id, keep(item));
  }
  st.known = known;
  st.newest = newestOf(known);
}

/**
 * Not in the trash at the last reading, or in it again since (DocSpace keeps an item's id when it comes back: a new
 * deletion time).
 */
const isNew = (known: ReadonlyMap<string, Known>, item: TrashItem) => known.get(item.id)?.deletedAt !== item.deletedAt;

function newestOf(known: ReadonlyMap<string, Known>): number {
  let newest = -Infinity;
  for (const k of known.values()) {
    const t = timeOf(k.deletedAt);
    if (t > newest) newest = t;
  }
  return newest;
}
