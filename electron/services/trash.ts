import { randomUUID } from 'node:crypto';
import { filterSliced } from '../base/async';
import { ShardedMap } from '../base/shardedMap';
import { AppError } from '../base/errors';
import { kindInfo } from '../../shared/kinds';
import { itemKey, type ItemRef, type Preview, type SameSecondReport, type TrashItem } from '../../shared/model';
import { none } from '../providers/preview';
import type { AccountsService } from './accounts';
import { MemoryLedgerStore, MoveLedger } from './ledger';

/**
 * Most items per trash:list page: a page holds what the provider has read by then, up to this.
 * Checking and sending 5,000 items costs main ~15 ms; fewer, larger pages keep a 100k listing
 * from paying a round trip per 1,000 (measured with `npm run bench`, list100k).
 */
export const PAGE_SIZE = 5000;
/** A listing nobody has asked about for this long is dropped. */
const LISTING_IDLE_MS = 5 * 60_000;
/** A complete top-level listing younger than this stands for the trash when emptying it (no second read). */
export const LISTING_FRESH_MS = 2 * 60_000;

/** How many names of items that left the trash are kept (the oldest go first). */
const GONE_NAMES = 200_000;

/**
 * A name read from a server id when no listing has it: the last path segment, without Nextcloud's
 * and ownCloud's ".d<unix time>" trash suffix ("Projects.d1796605326/Asset 26.svg.d1796605326" →
 * "Asset 26.svg"); DocSpace and oCIS ids carry no name, so they read as "an item no longer in the trash".
 */
export function readableName(id: string): string {
  const last = id.slice(id.lastIndexOf('/') + 1);
  // DocSpace "file:123", ownCloud 10's numeric ids and oCIS's "<space>!<uuid>" keys say nothing about the name.
  if (
    /^(file|folder):/.test(id) ||
    /^\d+$/.test(last) ||
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i.test(last) ||
    last === ''
  )
    return 'An item no longer in the trash';
  return last.replace(/\.d\d{9,}$/, '');
}

interface Listing {
  accountId: string;
  parentId: string | null;
  buffer: TrashItem[];
  total: number | null;
  seen: number;
  done: boolean;
  error: unknown;
  /** Wakes a waiting page request when items arrive or the listing ends. */
  wake: (() => void) | null;
  controller: AbortController;
  idleTimer: NodeJS.Timeout | null;
}

/**
 * Trash listings, served to the renderer page by page while the provider is still reading,
 * and a cache of every item seen so operations can be asked for by {accountId, id}.
 */
export class TrashService {
  private readonly listings = new Map<string, Listing>();
  /**
   * accountId → item id → item, for the root listing and browsed folders alike (sharded: no long rehash at 100k+
   * items).
   */
  private readonly cache = new Map<string, ShardedMap<TrashItem>>();
  /** Names of items that left the trash (restored, deleted), by item key, so later results can still name them. */
  private readonly gone = new Map<string, string>();
  /**
   * accountId → its last complete top-level listing and when it completed; `stale` once an item of
   * it may have left the cache (forget), until lastListing next drops what has.
   */
  private readonly complete = new Map<string, { items: TrashItem[]; at: number; stale: boolean }>();
  /**
   * accountId → the top-level listing being read for the window now; settles when it ends, true if it read to the end.
   */
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(
    private readonly accounts: AccountsService,
    /** Salvage's own moves into the trash, recognised in every top-level listing served here. */
    readonly ledger: MoveLedger = new MoveLedger(new MemoryLedgerStore()),
  ) {}

  async page(accountId: string, parentId: string | null, cursor: string | null) {
    const id = cursor ?? this.open(accountId, parentId);
    const listing = this.listings.get(id);
    if (!listing || listing.accountId !== accountId) {
      throw new AppError('INVALID_INPUT', 'That listing has expired; reload the trash.');
    }
    this.touch(id, listing);
    while (listing.buffer.length === 0 && !listing.done) {
      await new Promise<void>((resolve) => (listing.wake = resolve));
    }
    if (listing.error && listing.buffer.length === 0) {
      this.close(id);
      throw listing.error;
    }
    const items = listing.buffer.splice(0, PAGE_SIZE);
    const finished = listing.done && listing.buffer.length === 0 && !listing.error;
    if (finished) this.close(id);
    return {
      items,
      cursor: finished ? null : id,
      total: listing.total ?? (listing.done ? listing.seen : null),
    };
  }

  /**
   * Looks up items by reference, reading the trash again for any not seen yet: the top level,
   * then each trashed folder that holds a missing item (named by the ref, or by the item's id
   * where the server's ids say it, e.g. WebDAV "Project.d1795…/a.txt").
   */
  async resolve(refs: ItemRef[]): Promise<{ found: TrashItem[]; missing: ItemRef[] }> {
    const found: TrashItem[] = [];
    const take = (pending: ItemRef[]) => {
      const left: ItemRef[] = [];
      for (const ref of pending) {
        const item = this.cache.get(ref.accountId)?.get(ref.id);
        if (item) found.push(item);
        else left.push(ref);
      }
      return left;
    };
    let missing = take(refs);
    for (const accountId of new Set(missing.map((m) => m.accountId))) {
      const mine = missing.filter((m) => m.accountId === accountId);
      const parents = await this.accounts.withProvider(accountId, async (p) =>
        mine.map((m) => m.parentId ?? p.parentOf(m.id)),
      );
      if (parents.includes(null)) await this.readAll(accountId, null); // first: it starts the account's cache afresh
      for (const parent of new Set(parents.filter((x): x is string => x !== null))) {
        await this.readAll(accountId, parent).catch((e: unknown) => {
          // A trashed folder that is gone leaves its items missing; anything else is the user's to see.
          if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
        });
      }
      missing = take(missing);
    }
    return { found, missing };
  }

  /** A trashed file's preview as data, through its account's provider (never a URL). */
  async preview(ref: ItemRef, signal?: AbortSignal): Promise<Preview> {
    const { found } = await this.resolve([ref]);
    const item = found[0];
    if (!item) throw new AppError('NOT_FOUND', 'That item is no longer in the trash.');
    return this.accounts.withProvider(ref.accountId, async (provider) =>
      provider.preview
        ? provider.preview(item, signal)
        : none('unsupported', 'This server makes no previews of trashed files.'),
    );
  }

  /**
   * Which of these items stand for several same-named files deleted in one second, and which
   * copies the server lost, as far as it tells; nothing ('none') where it cannot happen or the
   * server tells nothing. Uses the account's last complete listing when there is one.
   */
  async sameSecondLosses(accountId: string, items: TrashItem[], signal?: AbortSignal): Promise<SameSecondReport> {
    const listed = this.lastListing(accountId) ?? undefined;
    return this.accounts.withProvider(
      accountId,
      (p) => p.sameSecondLosses?.(items, listed, signal) ?? Promise.resolve({ source: 'none' as const, losses: [] }),
    );
  }

  /**
   * Same-second losses among the account's top-level entries deleted from `from` to `to`
   * (inclusive; an event's range): taken from its last complete listing, else from what has been
   * listed of it, in slices (see filterSliced).
   */
  async sameSecondLossesBetween(
    accountId: string,
    from: string,
    to: string,
    signal?: AbortSignal,
  ): Promise<SameSecondReport> {
    const last = this.lastListing(accountId);
    const pool = last ?? [...(this.cache.get(accountId)?.values() ?? [])];
    const lo = Date.parse(from);
    const hi = Date.parse(to);
    const items = await filterSliced(pool, (i) => {
      if (i.deletedAt === null || (!last && i.parentId !== null)) return false;
      const t = Date.parse(i.deletedAt);
      return t >= lo && t <= hi;
    });
    return this.sameSecondLosses(accountId, items, signal);
  }

  /**
   * Reads a listing and hands it on chunk by chunk without keeping it (the command line's list):
   * the next chunk is read once `each` has settled, so memory stays at a few chunks whatever the
   * size of the trash (the listing worker reads no further ahead, see CHUNKS_AHEAD). Items that
   * may be Salvage's own moves still wait for the end of the listing, as in every listing.
   */
  async each(
    accountId: string,
    parentId: string | null,
    each: (items: TrashItem[]) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.accounts.withProvider(accountId, async (provider) => {
      const reading = parentId ? null : this.readingFor(accountId);
      let complete = false;
      try {
        for await (const chunk of provider.listTrash(parentId, signal)) {
          const items = reading ? reading.take(chunk.items) : chunk.items;
          if (items.length) await each(items);
        }
        complete = true;
      } finally {
        const rest = reading?.finish(complete) ?? [];
        if (rest.length && complete) await each(rest);
      }
    });
  }

  /** Reads a whole listing (command line, resolve, empty's count). */
  async readAll(accountId: string, parentId: string | null, signal?: AbortSignal): Promise<TrashItem[]> {
    const all: TrashItem[] = [];
    await this.accounts.withProvider(accountId, async (provider) => {
      if (!parentId) this.startTopLevel(accountId);
      const reading = parentId ? null : this.readingFor(accountId);
      const take = (items: TrashItem[]) => {
        this.remember(accountId, items);
        all.push(...items);
      };
      let complete = false;
      try {
        for await (const chunk of provider.listTrash(parentId, signal))
          take(reading ? reading.take(chunk.items) : chunk.items);
        complete = true;
      } finally {
        if (reading) take(reading.finish(complete));
      }
    });
    if (!parentId) this.complete.set(accountId, { items: all.slice(), at: Date.now(), stale: false });
    return all;
  }

  /**
   * The account's whole top level for a reader beside the window (the watch's first check): the
   * listing the window is reading now, awaited and shared rather than read a second time (a
   * 380,000-item trash is a 300 MB answer), else a read of its own. A listing that ended before
   * this call is not used: it may lack deletions made since. `joined`: the items come from a
   * listing begun before this call, so a deletion made between its start and the call may be
   * missing from them.
   */
  async wholeTopLevel(
    accountId: string,
    signal?: AbortSignal,
  ): Promise<{ items: readonly TrashItem[]; joined: boolean }> {
    // A listing cut short (the window reloaded) may be followed by the next one: wait for that too.
    for (let tries = 0; tries < 3; tries++) {
      const running = this.running.get(accountId);
      if (!running) break;
      const completed = await running;
      signal?.throwIfAborted();
      const last = completed ? this.lastListing(accountId) : null;
      if (last) return { items: last, joined: true };
    }
    return { items: await this.readAll(accountId, null, signal), joined: false };
  }

  /**
   * The account's top-level trash as its last listing read it to the end, less what has left it
   * since (restored, deleted); null when there is none, it failed, or it is older than
   * LISTING_FRESH_MS. The same array for every caller until an item leaves (read it, never change
   * it): a 100k listing asked for by every event on the timeline is not copied each time.
   */
  lastListing(accountId: string, now = Date.now()): readonly TrashItem[] | null {
    const last = this.complete.get(accountId);
    const cached = this.cache.get(accountId);
    if (!last || !cached || now - last.at > LISTING_FRESH_MS) return null;
    if (last.stale) {
      const items: TrashItem[] = [];
      for (const { id } of last.items) {
        const item = cached.get(id);
        if (item) items.push(item);
      }
      last.items = items;
      last.stale = false;
    }
    return last.items;
  }

  /**
   * Forgets items the server no longer has (after restores and deletions); their names stay known for results that
   * mention them.
   */
  forget(accountId: string, ids: Iterable<string>): void {
    const cached = this.cache.get(accountId);
    if (!cached) return;
    for (const id of ids) {
      const item = cached.get(id);
      if (!item) continue;
      cached.delete(id);
      const last = this.complete.get(accountId);
      if (last) last.stale = true;
      this.gone.set(itemKey(accountId, id), item.name);
      if (this.gone.size > GONE_NAMES) this.gone.delete(this.gone.keys().next().value!);
    }
  }

  /**
   * An item's name as the user knows it, for a result line about an item that is no longer in the
   * trash: from the listing, else from an earlier one, else read from its server id (never the raw
   * trash entry name such as "Asset 26.svg.d1796605326").
   */
  nameOf(ref: ItemRef): string {
    return (
      this.cache.get(ref.accountId)?.get(ref.id)?.name ??
      this.gone.get(itemKey(ref.accountId, ref.id)) ??
      readableName(ref.id)
    );
  }

  forgetAccount(accountId: string): void {
    this.cache.delete(accountId);
    this.complete.delete(accountId);
    for (const [id, listing] of this.listings) if (listing.accountId === accountId) this.close(id);
  }

  /** Starts reading a listing in the background; returns its cursor. */
  private open(accountId: string, parentId: string | null): string {
    this.accounts.config(accountId); // NOT_FOUND early for an unknown account
    const listing: Listing = {
      accountId,
      parentId,
      buffer: [],
      total: null,
      seen: 0,
      done: false,
      error: null,
      wake: null,
      controller: new AbortController(),
      idleTimer: null,
    };
    const id = randomUUID();
    this.listings.set(id, listing);
    if (!parentId) this.startTopLevel(accountId);
    const listed: TrashItem[] = [];
    // Items that may be Salvage's own moves wait for the end of the listing (ledger.ts).
    const reading = parentId ? null : this.readingFor(accountId);
    const take = (items: TrashItem[]) => {
      this.remember(accountId, items);
      if (!parentId) for (const item of items) listed.push(item);
      listing.buffer.push(...items);
      listing.seen += items.length;
      listing.wake?.();
    };
    let completed = false;
    const ended = this.accounts
      .withProvider(accountId, async (provider) => {
        let complete = false;
        try {
          for await (const chunk of provider.listTrash(parentId, listing.controller.signal)) {
            if (chunk.total !== undefined) listing.total = chunk.total;
            take(reading ? reading.take(chunk.items) : chunk.items);
          }
          complete = !listing.controller.signal.aborted;
        } finally {
          if (reading) take(reading.finish(complete));
        }
        if (!parentId && complete) {
          this.complete.set(accountId, { items: listed, at: Date.now(), stale: false });
          completed = true;
        }
      })
      .catch((e: unknown) => {
        listing.error = e;
      })
      .finally(() => {
        listing.done = true;
        listing.wake?.();
      });
    if (!parentId) {
      const settled = ended.then(() => completed);
      this.running.set(accountId, settled);
      void settled.finally(() => {
        if (this.running.get(accountId) === settled) this.running.delete(accountId);
      });
    }
    return id;
  }

  /**
   * A top-level listing read through Salvage's ledger of its own moves (WebDAV restores to the place and name it reads
   * with; DocSpace keeps an item's place and name itself).
   */
  private readingFor(accountId: string) {
    return this.ledger.reading(accountId, {
      placeBack: kindInfo(this.accounts.config(accountId).kind).family === 'webdav',
    });
  }

  /** A new top-level listing starts the account's cache afresh; until it completes there is no complete listing. */
  private startTopLevel(accountId: string): void {
    this.cache.set(accountId, new ShardedMap());
    this.complete.delete(accountId);
  }

  private remember(accountId: string, items: TrashItem[]): void {
    let cached = this.cache.get(accountId);
    if (!cached) this.cache.set(accountId, (cached = new ShardedMap()));
    for (const item of items) cached.set(item.id, item);
  }

  private touch(id: string, listing: Listing): void {
    if (listing.idleTimer) clearTimeout(listing.idleTimer);
    listing.idleTimer = setTimeout(() => this.close(id), LISTING_IDLE_MS);
    listing.idleTimer.unref?.();
  }

  private close(id: string): void {
    const listing = this.listings.get(id);
    if (!listing) return;
    if (listing.idleTimer) clearTimeout(listing.idleTimer);
    if (!listing.done) listing.controller.abort();
    this.listings.delete(id);
  }
}
