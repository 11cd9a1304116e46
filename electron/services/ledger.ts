import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SalvageMove, TrashItem } from '../../shared/model';
import type { Landed, Replaced } from '../providers/types';
import type { StartupNotice } from './stores';

/**
 * Salvage's ledger of its own moves into the trash. An Undo moves restored items back to the
 * trash, and a restore with Replace moves the file in its way there; the server lists both as
 * fresh deletions ("deleted just now", under a "Keep both" name or in the folder they had been
 * restored into). The ledger remembers each such move, and where a trash listing is served
 * (TrashService) it recognises those entries again: an undone item reads with the name, place and
 * deletion time it had before Salvage restored it, a replaced file is marked, and neither is taken
 * for a new deletion event. The window and the command line read the trash through the same service,
 * so both see the same.
 *
 * Recognising an entry must never take a deletion by someone else for one of Salvage's: an entry
 * matches only a trash item deleted inside the span of Salvage's own request (give or take the
 * server's whole-second stamps), by the server's file id where both sides have one, else by name
 * and folder; and a match counts only when it is one to one (two candidates for one move, or two
 * moves for one item, leave every item as the server lists it).
 */

/**
 * How far a server's deletion stamp may lie outside the span of Salvage's own request: servers stamp
 * in whole seconds (rounded down), some a moment after they answered, and a server's clock may be a
 * few minutes off. Once a move has been seen in a listing it is bound to that very trash entry
 * (its id and deletion time), so this tolerance applies only until then.
 */
export const LEDGER_TOLERANCE_MS = 10 * 60_000;
/**
 * A move is forgotten when a complete listing no longer holds its item, if it is at least this old (the server had time
 * to list it).
 */
const FORGET_AFTER_MS = 10 * 60_000;

/** The item as the trash showed it before Salvage restored it, which an Undo gives back. */
const Original = z.object({
  name: z.string(),
  ext: z.string(),
  originalFolder: z.string(),
  originalFolderId: z.string().nullable(),
  deletedAt: z.string().nullable(),
  deletedBy: z.string().nullable(),
});

export const LedgerEntry = z.object({
  id: z.string(),
  /**
   * Whose trash it is: the account's server and user ("https://cloud.example.com|alice"), not the
   * window's account id, so the command line (a fresh account on every run) reads the same moves.
   */
  owner: z.string(),
  /** A demo account's (its servers live for one session): dropped when Salvage starts again. */
  demo: z.boolean().default(false),
  why: z.enum(['undo', 'replace']),
  /**
   * When the server may have stamped the deletion (ms since the epoch): from before Salvage's request to after its
   * answer.
   */
  from: z.number(),
  to: z.number(),
  /**
   * The trash entry as the server will list it: the live item's name and folder (as TrashItem.originalFolderId names
   * it) and its file id where known.
   */
  trashed: z.object({ name: z.string(), folder: z.string(), fileId: z.string().nullable() }),
  /** Undo: what the item was before Salvage restored it. Replace: null. */
  original: Original.nullable(),
  /** Replace: the name of the item restored in its place. */
  by: z.string().nullable(),
  /**
   * The trash entry this move was recognised as, the first time a listing showed it: from then on only that entry
   * matches.
   */
  seen: z.object({ id: z.string(), deletedAt: z.string().nullable() }).nullable().default(null),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

/** Where the ledger is kept: with the account data (persistence/ledger-store.ts) or in memory. */
export interface LedgerStore {
  load(): LedgerEntry[];
  save(entries: readonly LedgerEntry[]): void;
  /** Problems found while loading, for the startup notices. */
  notices?(): StartupNotice[];
}

/** Moves recorded close together (an Undo of 10,000 items) are written once, this long after the first. */
const SAVE_DELAY_MS = 250;

export class MemoryLedgerStore implements LedgerStore {
  private entries: LedgerEntry[] = [];
  load(): LedgerEntry[] {
    return [...this.entries];
  }
  save(entries: readonly LedgerEntry[]): void {
    this.entries = [...entries];
  }
}

/** The folder of a display path or server path ("/Documents/a.txt" → "/Documents", "/a.txt" → "/"). */
const parentOf = (ref: string) => ref.slice(0, ref.lastIndexOf('/')) || '/';
/**
 * A trash item's folder as the server names it (the same as its display path except in DocSpace and oCIS project
 * spaces).
 */
const folderOf = (item: Pick<TrashItem, 'originalFolderId' | 'originalFolder'>) =>
  item.originalFolderId ?? item.originalFolder;

/** Whether this trash item could be the one this move put into the trash. */
function matches(entry: LedgerEntry, item: TrashItem): boolean {
  if (item.parentId !== null || item.movedBySalvage) return false;
  if (entry.seen) return item.id === entry.seen.id && item.deletedAt === entry.seen.deletedAt;
  const t = item.deletedAt ? Date.parse(item.deletedAt) : NaN;
  if (!(t >= entry.from - LEDGER_TOLERANCE_MS && t <= entry.to + LEDGER_TOLERANCE_MS)) return false;
  const fileId = item.fileId ?? null;
  // The server's own id decides where both sides have one.
  if (entry.trashed.fileId !== null && fileId !== null) return entry.trashed.fileId === fileId;
  return item.name === entry.trashed.name && folderOf(item) === entry.trashed.folder;
}

/**
 * The item as the ledger knows it: marked as Salvage's move, and after an Undo with the deletion
 * time it had before, and its name and place from then where its provider restores it there
 * (`placeBack`; DocSpace restores an item to the folder and under the name its server keeps).
 */
function annotate(item: TrashItem, entry: LedgerEntry, placeBack: boolean): TrashItem {
  const move: SalvageMove = { why: entry.why, at: new Date(entry.to).toISOString(), by: entry.by, trashedAs: null };
  const o = entry.original;
  if (!o) return { ...item, movedBySalvage: move };
  if (!placeBack) return { ...item, deletedAt: o.deletedAt, deletedBy: o.deletedBy, movedBySalvage: move };
  const moved = o.name !== item.name || (o.originalFolderId ?? o.originalFolder) !== folderOf(item);
  return {
    ...item,
    name: o.name,
    ext: item.kind === 'folder' ? '' : o.ext,
    originalFolder: o.originalFolder,
    originalFolderId: o.originalFolderId,
    deletedAt: o.deletedAt,
    deletedBy: o.deletedBy,
    movedBySalvage: {
      ...move,
      trashedAs: moved ? { name: item.name, folder: item.originalFolder, folderId: item.originalFolderId } : null,
    },
  };
}

/** Entries of one account, found by the name and the file id their trash entry will have. */
class EntryIndex {
  private readonly byName = new Map<string, LedgerEntry[]>();
  private readonly byFileId = new Map<string, LedgerEntry[]>();
  constructor(readonly entries: readonly LedgerEntry[]) {
    for (const e of entries) {
      push(this.byName, e.trashed.name, e);
      if (e.trashed.fileId !== null) push(this.byFileId, e.trashed.fileId, e);
    }
  }
  candidates(item: TrashItem): LedgerEntry[] {
    const found = new Set<LedgerEntry>();
    for (const e of this.byName.get(item.name) ?? []) if (matches(e, item)) found.add(e);
    if (item.fileId) for (const e of this.byFileId.get(item.fileId) ?? []) if (matches(e, item)) found.add(e);
    return [...found];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * One top-level listing of one account read through the ledger: items no move could explain pass
 * at once; the few that could are held until the listing has ended, when each is matched one to one.
 */
export class LedgerReading {
  private readonly held: { item: TrashItem; entries: LedgerEntry[] }[] = [];
  private readonly index: EntryIndex;

  constructor(
    private readonly ledger: MoveLedger,
    readonly accountId: string,
    /** The moves recorded for this account's trash. */
    entries: readonly LedgerEntry[],
    private readonly startedAt: number,
    private readonly placeBack: boolean,
  ) {
    this.index = new EntryIndex(entries);
  }

  /** The items to pass on now; the others wait for finish(). */
  take(items: TrashItem[]): TrashItem[] {
    if (this.index.entries.length === 0) return items;
    const out: TrashItem[] = [];
    for (const item of items) {
      const entries = item.parentId === null ? this.index.candidates(item) : [];
      if (entries.length) this.held.push({ item, entries });
      else out.push(item);
    }
    return out;
  }

  /**
   * The held items, each annotated where it and one move match only each other. With `complete`
   * (the whole trash was read), moves whose item is no longer in it are forgotten.
   */
  finish(complete: boolean): TrashItem[] {
    const perEntry = new Map<LedgerEntry, number>();
    for (const h of this.held) for (const e of h.entries) perEntry.set(e, (perEntry.get(e) ?? 0) + 1);
    const seen = new Map<string, { id: string; deletedAt: string | null }>();
    const out = this.held.map(({ item, entries }) => {
      const entry = entries.length === 1 ? entries[0]! : null;
      if (!entry || perEntry.get(entry) !== 1) return item;
      if (!entry.seen) seen.set(entry.id, { id: item.id, deletedAt: item.deletedAt });
      return annotate(item, entry, this.placeBack);
    });
    if (seen.size) this.ledger.bind(seen);
    if (complete) {
      const gone = this.index.entries.filter((e) => !perEntry.has(e) && e.to < this.startedAt - FORGET_AFTER_MS);
      if (gone.length) this.ledger.forget(gone.map((e) => e.id));
    }
    this.held.length = 0;
    return out;
  }
}

/** Whose trash an account's is, as the ledger keys it (see LedgerEntry.owner); null for an account it does not know. */
export type OwnerOf = (accountId: string) => { owner: string; demo: boolean } | null;

/** The ledger of Salvage's own moves into the trash; see the top of this file. */
export class MoveLedger {
  private entries: LedgerEntry[];
  /**
   * Moves forgotten in this session, so a write that merges with the file (another Salvage wrote meanwhile) does not
   * bring them back.
   */
  private readonly dropped = new Set<string>();
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: LedgerStore,
    private readonly ownerOf: OwnerOf = (accountId) => ({ owner: accountId, demo: false }),
    private readonly now: () => number = Date.now,
  ) {
    // A demo's servers are gone once Salvage was closed: its moves with them.
    const loaded = store.load();
    this.entries = loaded.filter((e) => !e.demo);
    if (this.entries.length !== loaded.length) {
      for (const e of loaded) if (e.demo) this.dropped.add(e.id);
      this.saveSoon();
    }
  }

  /**
   * An Undo (or a Skip after the server had already restored the item) moved a restored item back
   * to the trash between `from` and `to` (ms): it reads again as `original` (the item as the trash
   * showed it before that restore).
   */
  recordUndo(accountId: string, landed: Landed, original: TrashItem, from: number, to: number = this.now()): void {
    this.add(accountId, {
      why: 'undo',
      from,
      to,
      trashed: { name: landed.name, folder: parentOf(landed.ref), fileId: landed.fileId },
      original: {
        name: original.name,
        ext: original.ext,
        originalFolder: original.originalFolder,
        originalFolderId: original.originalFolderId,
        deletedAt: original.deletedAt,
        deletedBy: original.deletedBy,
      },
      by: null,
    });
  }

  /**
   * A restore with Replace moved this live file to the trash (at or after `replaced.at`, before `to`), to put `by` in
   * its place.
   */
  recordReplace(accountId: string, replaced: Replaced, by: string, to: number = this.now()): void {
    this.add(accountId, {
      why: 'replace',
      from: Date.parse(replaced.at),
      to,
      trashed: { name: replaced.name, folder: replaced.folder, fileId: replaced.fileId },
      original: null,
      by,
    });
  }

  /**
   * Starts reading one top-level listing of an account through the ledger. `placeBack`: its provider
   * restores an item to the place and name it reads with (WebDAV), so an undone item may read with
   * the ones it had before the restore; false for DocSpace, whose server keeps both.
   */
  reading(accountId: string, options: { placeBack?: boolean } = {}): LedgerReading {
    return new LedgerReading(this, accountId, this.of(accountId), this.now(), options.placeBack ?? true);
  }

  /** Every move recorded for an account's trash. */
  of(accountId: string): LedgerEntry[] {
    const owner = this.ownerOf(accountId)?.owner;
    return owner === undefined ? [] : this.entries.filter((e) => e.owner === owner);
  }

  /** Ties moves to the trash entries a listing recognised them as (see LedgerEntry.seen). */
  bind(seen: ReadonlyMap<string, { id: string; deletedAt: string | null }>): void {
    this.entries = this.entries.map((e) => (seen.has(e.id) ? { ...e, seen: seen.get(e.id)! } : e));
    this.saveSoon();
  }

  forget(ids: readonly string[]): void {
    if (ids.length === 0) return;
    const drop = new Set(ids);
    for (const id of ids) this.dropped.add(id);
    this.entries = this.entries.filter((e) => !drop.has(e.id));
    this.saveSoon();
  }

  /** An account removed from Salvage: its moves go too. */
  forgetAccount(accountId: string): void {
    this.forget(this.of(accountId).map((e) => e.id));
  }

  /**
   * Writes what is pending now (also at the end of each batch). Another Salvage (the command line
   * beside the window) may have written moves of its own meanwhile: the file's are kept.
   */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    try {
      const mine = new Set(this.entries.map((e) => e.id));
      const theirs = this.store.load().filter((e) => !mine.has(e.id) && !this.dropped.has(e.id));
      this.entries.push(...theirs);
      this.store.save(this.entries);
    } catch (e) {
      // A full disk must not stop a batch: the moves stay known for this session and are written with the next one.
      console.error(`Salvage could not save its record of moved items: ${(e as Error).message}`);
    }
  }

  private add(accountId: string, move: Omit<LedgerEntry, 'id' | 'owner' | 'demo' | 'seen'>): void {
    const who = this.ownerOf(accountId);
    if (!who) return;
    this.entries.push({ id: randomUUID(), owner: who.owner, demo: who.demo, seen: null, ...move });
    this.saveSoon();
  }

  private saveSoon(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }
}
