import { AppError } from '../../base/errors';
import type { Outcome, Resolution, SameSecondLoss, TrashItem } from '../../../shared/model';
import type { BatchContext, Landed, Replaced, RestoreOptions } from '../types';
import { landedOf } from './batch';
import type { Folders } from './folders';
import type { LandingFinder } from './landing';
import { displayPath, folderSegments, restoredName } from './paths';
import { movedStat, type Stat, type WebDavSession } from './requests';
import type { Found } from './search';

/**
 * Where a restore puts each item: the batch's knowledge of its destination folders (each checked,
 * made and listed once), free "Keep both" names, the MOVE out of the trash that follows the
 * user's choice, and the report of what landed.
 */

/**
 * What one restore batch learnt about its destination folders, so that each is checked and listed
 * once for the whole batch rather than once per item: whether it exists, what was in it, the
 * names this batch put there or set aside for items (so "Keep both" names never collide).
 */
export interface RestoreBatch {
  folders: Map<string, Promise<void>>;
  listings: Map<string, Promise<Map<string, Stat> | null>>;
  /** Per folder: names items of this batch are bound for or were given ("Keep both"). */
  reserved: Map<string, Set<string>>;
  /** Per folder: what this batch put in place, by name. */
  placed: Map<string, Map<string, Stat>>;
  /**
   * Finds restored items by file id, many per request (Nextcloud's DAV SEARCH); null where the server kind needs none.
   */
  finder: LandingFinder<Found> | null;
  /** ownCloud 10: items that stand for several same-named files deleted in one second, by key (see sameSecond.ts). */
  sameSecond: Map<string, SameSecondLoss>;
}

export const inFolder = <V>(map: Map<string, V>, folder: string[], make: () => V): V => {
  const key = displayPath(folder);
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
};

export class Placing {
  /** The running restore batch of a context (its folder listings and names in use). */
  readonly batches = new WeakMap<BatchContext, RestoreBatch>();

  constructor(
    private readonly s: WebDavSession,
    private readonly folders: Folders,
  ) {}

  /** Once per folder and batch: the folder exists (or is made); a failure is not kept, so the next item tries again. */
  folderReady(batch: RestoreBatch, folder: string[], options: RestoreOptions, signal: AbortSignal): Promise<void> {
    const key = displayPath(folder);
    let ready = batch.folders.get(key);
    if (!ready) {
      ready = this.ensureFolder(folder, options, signal);
      batch.folders.set(key, ready);
      ready.catch(() => batch.folders.delete(key));
    }
    return ready;
  }

  /** Once per folder and batch: what was in it when the batch started (null: it does not exist). */
  listingOf(batch: RestoreBatch, folder: string[], signal: AbortSignal): Promise<Map<string, Stat> | null> {
    const key = displayPath(folder);
    let listing = batch.listings.get(key);
    if (!listing) {
      listing = this.s.children(folder, signal);
      batch.listings.set(key, listing);
      listing.catch(() => batch.listings.delete(key));
    }
    return listing;
  }

  /** What is at folder/name as far as this batch knows: what it put there, else the batch's listing. */
  async knownAt(batch: RestoreBatch, folder: string[], name: string, signal: AbortSignal): Promise<Stat | null> {
    const placed = batch.placed.get(displayPath(folder))?.get(name);
    if (placed) return placed;
    return (await this.listingOf(batch, folder, signal))?.get(name) ?? null;
  }

  /**
   * Reports a restored item with what landed: its file id and ETag read back from the server, so
   * Undo can later prove it is still this file. Without that proof the item is reported restored
   * but is not offered to Undo.
   */
  async done(
    ctx: BatchContext,
    item: TrashItem,
    outcome: Outcome,
    final: string[],
    replaced: Replaced | null = null,
    known?: Stat | null,
    extra: { note?: string; movableTo?: string } = {},
  ): Promise<void> {
    const stat = known ?? (await this.s.stat(final, new AbortController().signal).catch(() => null));
    const landed = stat ? landedOf(final, stat, replaced) : undefined;
    // Later items of the same batch see the name as taken.
    const batch = this.batches.get(ctx);
    const loss = batch?.sameSecond.get(item.key);
    if (loss?.keptFrom && !extra.note) {
      const from = this.s.shown(loss.keptFrom);
      extra = {
        note: keptContentNote(item, from, this.s.shown(displayPath(final))),
        movableTo: this.s.shown(displayPath([...folderSegments(loss.keptFrom), item.name])),
      };
    }
    if (batch) {
      const placed: Stat = stat ?? {
        kind: item.kind,
        size: item.size,
        modifiedAt: null,
        fileId: null,
        etag: null,
        permissions: null,
      };
      inFolder(batch.placed, final.slice(0, -1), () => new Map<string, Stat>()).set(
        final[final.length - 1] ?? '',
        placed,
      );
    }
    ctx.itemDone(
      { ...this.s.result(item, outcome, displayPath(final)), ...extra },
      { bytes: item.size, ...(landed ? { landed } : {}) },
    );
  }

  /** What a Replace is about to move out of the way (into the trash), or null when nothing is there. */
  async replacedAt(to: string[], signal: AbortSignal): Promise<Replaced | null> {
    const before = await this.s.stat(to, signal);
    if (!before) return null;
    return {
      name: to[to.length - 1] ?? '',
      ref: displayPath(to),
      folder: displayPath(to.slice(0, -1)),
      fileId: before.fileId,
      size: before.size,
      modifiedAt: before.modifiedAt,
      version: null,
      // Servers stamp deletions in whole seconds.
      at: new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString(),
    };
  }

  /**
   * A free "keep both" name in a folder: "a (restored).txt", "a (restored 2).txt", ... Within a
   * restore batch it comes from the batch's one listing of the folder, skipping every name the
   * batch put there or set aside, and is set aside itself, so two items never get the same one.
   */
  private async freeName(
    folder: string[],
    name: string,
    isFolder: boolean,
    signal?: AbortSignal,
    batch?: RestoreBatch,
  ): Promise<string> {
    const children =
      (batch
        ? await this.listingOf(batch, folder, signal ?? new AbortController().signal)
        : await this.s.children(folder, signal)) ?? new Map<string, Stat>();
    const reserved = batch ? inFolder(batch.reserved, folder, () => new Set<string>()) : new Set<string>();
    const placed = batch?.placed.get(displayPath(folder));
    const taken = (n: string) => children.has(n) || (placed?.has(n) ?? false);
    // The item's own name is set aside for it; it is free only when nothing is there.
    if (!taken(name)) return name;
    for (let n = 1; n < 10_000; n++) {
      const candidate = restoredName(name, n, isFolder);
      if (!taken(candidate) && !reserved.has(candidate)) {
        reserved.add(candidate);
        return candidate;
      }
    }
    throw new AppError('CONFLICT', `No free name for ${name}.`);
  }

  private async ensureFolder(folder: string[], options: RestoreOptions, signal: AbortSignal): Promise<void> {
    const stat = await this.s.stat(folder, signal);
    if (stat?.kind === 'folder') return;
    if (stat) throw new AppError('DEST_MISSING', `${displayPath(folder)} is a file, not a folder.`);
    if (!options.recreateMissingFolders) {
      throw new AppError(
        'DEST_MISSING',
        `The folder ${displayPath(folder)} no longer exists. Recreate it, or restore into another folder.`,
      );
    }
    await this.mkdirs(folder, signal);
  }

  private async mkdirs(segments: string[], signal?: AbortSignal): Promise<void> {
    for (let i = 1; i <= segments.length; i++) {
      const part = segments.slice(0, i);
      const res = await this.s.send('MKCOL', this.s.filesPath(part), { signal, idempotent: false });
      await res.body?.cancel();
      if (res.status === 201 || res.status === 405) continue; // 405: already there
      throw await this.s.failure(res, { 409: `Could not create ${displayPath(part)}.` });
    }
  }

  /**
   * Moves something (a trash item, or a just-restored file) to dest with Overwrite semantics that
   * follow the user's choice; a name taken meanwhile (412) asks again.
   */
  async moveOutOfTrash(
    item: TrashItem,
    fromPath: string,
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
    outcomeIfPlain: Outcome = 'restored',
    /** Undoes what the server already did (the restore of the first step); says what it moved back to the trash. */
    onSkip?: () => Promise<Landed | void>,
  ): Promise<void> {
    const signal = ctx.signal;
    let choice = resolution;
    for (let attempt = 0; attempt < 6; attempt++) {
      let name = dest.name;
      if (choice === 'skip') {
        const trashedBack = await onSkip?.();
        ctx.itemDone(this.s.result(item, 'skipped', null), trashedBack ? { trashedBack } : undefined);
        return;
      }
      if (choice === 'keep-both')
        name = await this.freeName(dest.folder, dest.name, item.kind === 'folder', signal, this.batches.get(ctx));
      const to = [...dest.folder, name];
      const replace = choice === 'replace';
      const replaced = replace ? await this.replacedAt(to, signal) : null;
      if (replaced && item.deletedAt) await this.s.pastSecondOf(Date.parse(item.deletedAt), to, signal);
      const arrived = async () => (await this.s.stat(to, new AbortController().signal)) !== null;
      let res = await this.s.move(fromPath, this.s.filesPath(to), replace, signal, arrived);
      if (replace && res.status === 403) {
        // ownCloud ≥ 10.12 refuses a restore over an existing node (even with Overwrite: T):
        // move the existing one to the trash first, then restore.
        await res.body?.cancel();
        const del = await this.s.send('DELETE', this.s.filesPath(to), {
          signal,
          idempotent: false,
          confirm: async () => !(await arrived()),
        });
        if (del.status !== 204 && del.status !== 404) throw await this.s.failure(del);
        await del.body?.cancel();
        res = await this.s.move(fromPath, this.s.filesPath(to), false, signal, arrived);
      }
      if (res.status === 201 || res.status === 204) {
        await res.body?.cancel();
        const outcome: Outcome = replace && replaced ? 'replaced' : name !== dest.name ? 'renamed' : outcomeIfPlain;
        // ownCloud answers with the file's id and ETag: no need to read it back.
        await this.done(ctx, item, outcome, to, replaced, movedStat(res, item));
        return;
      }
      if (res.status === 412) {
        await res.body?.cancel();
        // Taken since the listing: later "Keep both" names of this batch skip it too.
        const batch = this.batches.get(ctx);
        const existing = await this.s.stat(to, signal);
        if (existing && batch) {
          const listing = await this.listingOf(batch, dest.folder, signal).catch(() => null);
          listing?.set(name, existing);
        }
        if (!existing) continue; // gone again: try once more
        choice =
          choice === 'keep-both'
            ? 'keep-both'
            : await ctx.ask(this.folders.conflictFor(item, dest.folder, name, existing));
        continue;
      }
      throw await this.s.failure(res, {
        404: 'This item is no longer in the trash.',
        409: `The folder ${displayPath(dest.folder)} does not exist.`,
        403: `You may not restore into ${displayPath(dest.folder)}.`,
        507: 'Not enough storage space on the server to restore this item.',
      });
    }
    throw new AppError('CONFLICT', `The name ${dest.name} kept being taken while restoring.`);
  }
}

/**
 * ownCloud 10: a restored entry that stood for several same-named deletions in one second holds the last one's content.
 */
function keptContentNote(item: TrashItem, keptFrom: string, at: string): string {
  const when = item.deletedAt ? ` (${item.deletedAt.slice(0, 19).replace('T', ' ')} UTC)` : '';
  return (
    `Several files named ${item.name} were deleted in the same second${when}, and the server kept only the last of them, the one from ${keptFrom}, ` +
    `but listed it as deleted from ${item.originalFolder}, where the first was: ${at} is ${keptFrom}'s ${item.name}. The copy deleted from ${item.originalFolder} is lost on the server, as are any deleted from other folders in that second.`
  );
}
