import { AppError, isAppError } from '../../base/errors';
import type { Resolution, TrashItem } from '../../../shared/model';
import type { BatchContext, RestoreTarget } from '../types';
import { landedOf } from './batch';
import { prop } from './dialect';
import { writable, type Folders } from './folders';
import { displayPath, folderSegments, restoredName } from './paths';
import type { Placing } from './placing';
import { movedStat, OC, STAT_BODY, type Stat, type WebDavSession } from './requests';

/**
 * Nextcloud's restores: through its restore collection, which puts an item back where the server
 * decides; then finding where it landed and finishing what the user chose (a Replace, a Skip, a
 * move into the chosen folder).
 */
export class CollectionRestore {
  constructor(
    private readonly s: WebDavSession,
    private readonly folders: Folders,
    private readonly placing: Placing,
  ) {}

  /**
   * Nextcloud: MOVE the item to trashbin/<user>/restore/<name> (no Overwrite header: Nextcloud 32
   * answers 412 to "Overwrite: F" there even when nothing is in the way). The server puts it back
   * at its original location, renamed "name (restored).ext" when that name is taken, in the root
   * when the folder is gone, or — when several same-named files were deleted in one second and it
   * kept one trash file for them — where the first of them was. It does not say which, so the item
   * is found by its file id (taken from the listing). With `later`, finding and finishing it go on
   * after this returns (the batch's slot is free for the next MOVE; see LandingFinder).
   */
  async restoreThroughCollection(
    item: TrashItem,
    restorePath: string,
    target: RestoreTarget,
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
    /** The batch's listing had nothing at dest: the server should put it there under its own name. */
    expectFree = false,
    later?: (work: () => Promise<void>) => void,
  ): Promise<void> {
    const signal = ctx.signal;
    const trashPath = this.s.trashPath(item.id);
    // The file id lets us find the item after the server placed it: the listing's, else read it.
    let fileId = item.fileId ?? null;
    if (!fileId) {
      const self = await this.s.propfind(trashPath, '0', STAT_BODY, signal);
      if (!self?.[0]) throw new AppError('NOT_FOUND', 'This item is no longer in the trash.', { status: 404 });
      fileId = prop(self[0], OC('fileid'));
    }

    // Where the server puts it back (its own record of the original place; for an item an Undo of
    // Salvage put back, not the place and name it reads with: see serverPlace).
    const onServer = serverPlace(item);
    const originalFolder = onServer.folder;
    const intoOriginal = displayPath(originalFolder) === displayPath(dest.folder);
    // Without a file id the landed item is told by a name that was not there before.
    const before = intoOriginal || fileId ? null : await this.s.children(originalFolder, signal);
    // Restoring elsewhere, the server first puts it back at its original place: free there too?
    const batch = this.placing.batches.get(ctx);
    const freeAtOriginal = intoOriginal
      ? expectFree
      : batch !== undefined &&
        (await this.placing.listingOf(batch, originalFolder, signal).catch(() => null))?.has(onServer.name) === false &&
        !(batch.placed.get(displayPath(originalFolder))?.has(onServer.name) ?? false);

    const res = await this.s.move(trashPath, restorePath, null, signal);
    if (res.status !== 201 && res.status !== 204) {
      throw await this.s.failure(res, {
        404: 'This item is no longer in the trash.',
        403: 'You may not restore this item.',
        409: 'The server could not restore this item (its trash record is incomplete).',
        507: 'Not enough storage space on the server to restore this item.',
      });
    }
    await res.body?.cancel();
    const finish = () =>
      this.finishCollectionRestore(
        item,
        fileId,
        { originalFolder, serverName: onServer.name, intoOriginal, freeAtOriginal, before },
        dest,
        resolution,
        ctx,
      );
    if (later) later(finish);
    else await finish();
  }

  /**
   * Where a restore through the restore collection landed, and what follows: report it, or move it on (see
   * restoreThroughCollection).
   */
  private async finishCollectionRestore(
    item: TrashItem,
    fileId: string | null,
    how: {
      originalFolder: string[];
      serverName: string;
      intoOriginal: boolean;
      freeAtOriginal: boolean;
      before: Map<string, Stat> | null;
    },
    dest: { folder: string[]; name: string },
    resolution: Resolution | null,
    ctx: BatchContext,
  ): Promise<void> {
    const { originalFolder, serverName, intoOriginal, freeAtOriginal, before } = how;
    // Found by the name the server gave it (an item an Undo of Salvage put back reads with its old name).
    const asOnServer = { ...item, name: serverName };
    // The item is out of the trash now: finish finding and placing it even if the batch is cancelled.
    const committed = new AbortController().signal;
    let landed: { folder: string[]; name: string; stat: Stat } | null;
    try {
      landed = await this.locate(
        ctx,
        asOnServer,
        fileId,
        {
          expected: intoOriginal ? dest.folder : originalFolder,
          freeAt: freeAtOriginal ? originalFolder : null,
          before,
        },
        committed,
      );
    } catch (e) {
      // Out of the trash, but where could not be read (a refused sign-in, the server gone): say where it most likely
      // is.
      const error = isAppError(e) ? e : new AppError('INTERNAL', 'Finding the restored item failed.');
      const likely = [...originalFolder, serverName];
      ctx.itemDone(
        this.s.result(
          item,
          'failed',
          displayPath(likely),
          new AppError(
            error.code,
            `The server restored ${item.name}, most likely to ${this.s.shown(displayPath(likely))}, but Salvage could not check where it put it: ${error.message}`,
            error.details,
          ),
        ),
      );
      if (error.code === 'AUTH_FAILED') throw error;
      return;
    }
    if (!landed) {
      throw new AppError(
        'BAD_RESPONSE',
        `The server restored ${item.name} but Salvage could not find where it put it.`,
      );
    }
    const landedPath = [...landed.folder, landed.name];

    if (
      intoOriginal &&
      displayPath(landed.folder) !== displayPath(dest.folder) &&
      (await this.sameSecondLanding(landed.folder, dest.folder))
    ) {
      // One trash file for several same-named deletions: the server put it where the first was.
      await this.placing.done(
        ctx,
        item,
        landed.name === item.name ? 'restored' : 'renamed',
        landedPath,
        null,
        landed.stat,
        {
          note: sameSecondNote(item, this.s.shown(displayPath(landed.folder)), this.s.shown(displayPath(dest.folder))),
          movableTo: this.s.shown(displayPath([...dest.folder, dest.name])),
        },
      );
      return;
    }

    if (intoOriginal && displayPath(landed.folder) === displayPath(dest.folder)) {
      if (landed.name === dest.name) {
        await this.placing.done(ctx, item, 'restored', landedPath, null, landed.stat);
        return;
      }
      // From here on the item is out of the trash: whatever fails, it is reported with where it is.
      let choice = resolution;
      try {
        // The server renamed it because the name is taken.
        if (!choice) {
          const existing = await this.s.stat([...dest.folder, dest.name], committed);
          choice = existing
            ? await ctx
                .ask(this.folders.conflictFor(item, dest.folder, dest.name, existing))
                .catch(() => 'keep-both' as const)
            : 'replace';
        }
        if (choice === 'keep-both') {
          await this.placing.done(ctx, item, 'renamed', landedPath, null, landed.stat);
          return;
        }
        if (choice === 'skip') {
          await this.trashFilesPath(landedPath, committed);
          // Back in the trash by Salvage's hand (its ledger keeps the item's old name and time).
          ctx.itemDone(this.s.result(item, 'skipped', null), { trashedBack: landedOf(landedPath, landed.stat, null) });
          return;
        }
        const replaced = await this.placing.replacedAt([...dest.folder, dest.name], committed);
        const move = await this.s.move(
          this.s.filesPath(landedPath),
          this.s.filesPath([...dest.folder, dest.name]),
          true,
          committed,
        );
        if (move.status !== 201 && move.status !== 204) throw await this.s.failure(move);
        await move.body?.cancel();
        await this.placing.done(
          ctx,
          item,
          replaced ? 'replaced' : 'restored',
          [...dest.folder, dest.name],
          replaced,
          movedStat(move, item),
        );
      } catch (e) {
        const error = isAppError(e) ? e : new AppError('INTERNAL', 'Finishing the restore failed.');
        this.stranded(
          ctx,
          item,
          landedPath,
          landed.stat,
          choice === 'skip' ? 'could not put it back in the trash (Skip)' : `could not replace ${dest.name}`,
          error,
        );
        if (error.code === 'AUTH_FAILED') throw error;
      }
      return;
    }

    // Second step: move it from where the server put it into the chosen folder.
    ctx.progress({
      current: `${item.name}: restored to ${displayPath(landedPath)}, moving to ${displayPath(dest.folder)}`,
    });
    try {
      await this.placing.moveOutOfTrash(
        item,
        this.s.filesPath(landedPath),
        dest,
        resolution,
        ctx,
        'restored',
        async () => {
          await this.trashFilesPath(landedPath, committed);
          return landedOf(landedPath, landed.stat, null);
        },
      );
    } catch (e) {
      const error = isAppError(e) ? e : new AppError('INTERNAL', 'Moving the restored item failed.');
      if (error.code === 'CANCELLED' || (ctx.signal.aborted && error.code !== 'AUTH_FAILED')) {
        // Cancelled between the two steps: it is restored, where the server put it.
        await this.placing.done(ctx, item, 'restored', landedPath, null, landed.stat);
        return;
      }
      this.stranded(ctx, item, landedPath, landed.stat, `could not move it into ${displayPath(dest.folder)}`, error);
      // A refused sign-in stops the batch; the item has its own result first, with where it is.
      if (error.code === 'AUTH_FAILED') throw error;
    }
  }

  /**
   * Whether a restore to the original place that landed in another folder did so because the
   * server kept one trash file for several same-named files deleted in one second (it restores to
   * the first one's folder) — rather than because the listed folder is gone (it restores to the root).
   */
  private async sameSecondLanding(landedFolder: string[], listedFolder: string[]): Promise<boolean> {
    if (landedFolder.length > 0) return true;
    // In the root: the listed folder gone, or not writable (the server's fallback), is the other reason.
    const folder = await this.s.stat(listedFolder, new AbortController().signal).catch(() => null);
    return folder?.kind === 'folder' && writable(folder.permissions);
  }

  /**
   * Where a just-restored item is: by its file id through the batch's landing finder (one lookup
   * for many items); else where the batch expected it (one Depth 0 read proves it by file id), else
   * by listing the expected folder and the root.
   */
  private async locate(
    ctx: BatchContext,
    item: TrashItem,
    fileId: string | null,
    where: { expected: string[]; freeAt: string[] | null; before: Map<string, Stat> | null },
    signal: AbortSignal,
  ): Promise<{ folder: string[]; name: string; stat: Stat } | null> {
    const finder = this.placing.batches.get(ctx)?.finder;
    if (fileId && finder) {
      // A failed lookup (other than a refused sign-in) leaves the item to be looked up the other way.
      const found = await finder.find(fileId).catch((e: unknown) => {
        if (isAppError(e) && e.code === 'AUTH_FAILED') throw e;
        return null;
      });
      if (found && found.segments.length > 0)
        return {
          folder: found.segments.slice(0, -1),
          name: found.segments[found.segments.length - 1]!,
          stat: found.stat,
        };
    }
    if (where.freeAt && fileId) {
      const stat = await this.s.stat([...where.freeAt, item.name], signal).catch(() => null);
      if (stat && stat.fileId === fileId) return { folder: where.freeAt, name: item.name, stat };
    }
    return this.findLanded(item, fileId, where.expected, where.before, signal);
  }

  /**
   * An item the restore moved out of the trash whose next step failed: reported failed, with where
   * it is now (and what landed, so Undo can put it back in the trash), never as if it were still
   * in the trash.
   */
  private stranded(
    ctx: BatchContext,
    item: TrashItem,
    at: string[],
    stat: Stat | null,
    what: string,
    error: AppError,
  ): void {
    const place = displayPath(at);
    ctx.itemDone(
      this.s.result(
        item,
        'failed',
        place,
        new AppError(error.code, `Restored to ${this.s.shown(place)}, but ${what}: ${error.message}`, error.details),
      ),
      stat ? { landed: landedOf(at, stat, null) } : {},
    );
  }

  /** Finds a just-restored item: by file id in the expected folder, then in the root. */
  async findLanded(
    item: TrashItem,
    fileId: string | null,
    expected: string[],
    before: Map<string, Stat> | null,
    signal: AbortSignal,
  ): Promise<{ folder: string[]; name: string; stat: Stat } | null> {
    const places = displayPath(expected) === '/' ? [expected] : [expected, []];
    for (const folder of places) {
      const children = await this.s.children(folder, signal);
      if (!children) continue;
      if (fileId) {
        for (const [name, stat] of children) if (stat.fileId === fileId) return { folder, name, stat };
        continue;
      }
      // No file id: the item's name, or the first "(restored …)" name that was not there before.
      const candidates = [
        item.name,
        ...Array.from({ length: 50 }, (_, i) => restoredName(item.name, i + 1, item.kind === 'folder')),
      ];
      for (const name of candidates) {
        const stat = children.get(name);
        if (stat && !(before?.has(name) ?? false)) return { folder, name, stat };
      }
    }
    return null;
  }

  /** Moves a live item to the trash (undo, and Skip after the server already restored). */
  private async trashFilesPath(segments: string[], signal?: AbortSignal): Promise<void> {
    const res = await this.s.send('DELETE', this.s.filesPath(segments), {
      signal,
      idempotent: false,
      confirm: async () => (await this.s.stat(segments, new AbortController().signal)) === null,
    });
    if (res.status !== 204 && res.status !== 200)
      throw await this.s.failure(res, { 404: `${displayPath(segments)} is no longer there.` });
    await res.body?.cancel();
  }
}

/**
 * Why a restore to where it was landed in another folder: several same-named files deleted in one second, one trash
 * file kept.
 */
function sameSecondNote(item: TrashItem, landedFolder: string, listedFolder: string): string {
  const when = item.deletedAt ? ` (${item.deletedAt.slice(0, 19).replace('T', ' ')} UTC)` : '';
  return (
    `Several files named ${item.name} were deleted in the same second${when}, and the server kept only the last of them (the one from ${listedFolder}, as listed). ` +
    `It put that file back in ${landedFolder}, where the first of them was deleted from: the copy deleted from ${landedFolder} is lost on the server, as are any deleted from other folders in that second.`
  );
}

/**
 * Where the server itself puts an item back when asked to restore it (Nextcloud's restore
 * collection): its own record of the item's place and name. Salvage's ledger gives an item an Undo
 * moved back the name and place it had before that restore (services/ledger.ts); the server still
 * keeps it under the name and folder it had when it was moved (a "Keep both" name, the folder it
 * had been restored into), which `trashedAs` says.
 */
function serverPlace(item: TrashItem): { folder: string[]; name: string } {
  const as = item.movedBySalvage?.trashedAs;
  if (as) return { folder: as.folderId !== null ? folderSegments(as.folderId) : [], name: as.name };
  return { folder: item.originalFolderId !== null ? folderSegments(item.originalFolderId) : [], name: item.name };
}
