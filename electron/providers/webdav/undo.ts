import { isAppError, toErrorValue, type AppError } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import { forEachPaced } from '../../base/pace';
import type { TrashItem } from '../../../shared/model';
import type { BatchContext, Landed, RelocateTarget, Replaced, UndoTarget } from '../types';
import { landedOf } from './batch';
import type { TrashListing } from './listing';
import { displayPath, folderSegments } from './paths';
import { movedStat, type Stat, type WebDavSession } from './requests';
import type { CollectionRestore } from './restoreCollection';

/**
 * Undo of a restore, and moving restored items to where they belong (relocate): each acts only on the very file that
 * landed.
 */
export class Undo {
  constructor(
    private readonly s: WebDavSession,
    private readonly listing: TrashListing,
    private readonly collection: CollectionRestore,
  ) {}

  /**
   * Undo, latest restore first and one at a time per folder (an item that replaced an earlier one
   * of the same batch is undone before it): each item is checked against what landed before it is
   * moved back to the trash, and the DELETE carries If-Match so a file saved over it in between is
   * never taken. A replaced file is looked up in the trash first and put back afterwards.
   */
  async undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void> {
    await this.s.prepare(ctx.signal);
    let trash: Promise<TrashedEntry[]> | null = null;
    const trashOnce = () => (trash ??= this.trashWithIds(ctx.signal));
    await forEachPaced(
      [...targets].reverse(),
      { start: this.s.concurrency, adaptive: this.s.options.concurrency === undefined },
      ctx.signal,
      async (target) => {
        const folder = target.landed.ref.slice(0, target.landed.ref.lastIndexOf('/')) || '/';
        await this.s.folderLock.run(folder, async () => {
          try {
            await this.undoOne(target, trashOnce, ctx);
          } catch (e) {
            if (isAppError(e) && e.code === 'AUTH_FAILED') throw e;
            ctx.itemDone({
              key: target.key,
              name: target.name,
              outcome: 'failed',
              finalPath: this.s.shown(target.landed.ref),
              error: toErrorValue(e),
            });
          }
        });
      },
    );
  }

  private async undoOne(
    target: UndoTarget,
    trashOnce: () => Promise<TrashedEntry[]>,
    ctx: BatchContext,
  ): Promise<void> {
    const { landed } = target;
    const signal = ctx.signal;
    const segments = folderSegments(landed.ref);
    const kept = (code: 'NOT_FOUND' | 'CONFLICT', message: string) =>
      ctx.itemDone({
        key: target.key,
        name: target.name,
        outcome: 'kept',
        finalPath: code === 'NOT_FOUND' ? null : this.s.shown(landed.ref),
        error: { code, message },
      });
    const now = await this.s.stat(segments, signal);
    if (!now)
      return kept('NOT_FOUND', `${landed.name} is no longer at ${this.s.shown(landed.ref)}; nothing was moved.`);
    const changed = changedSince(landed, now);
    if (changed) return kept('CONFLICT', `${landed.name} ${changed} since it was restored; left in place.`);
    let replacedEntry: TrashedEntry | null = null;
    if (landed.replaced) {
      replacedEntry = findReplaced(await trashOnce(), landed.replaced);
      if (!replacedEntry) {
        return kept(
          'CONFLICT',
          `The ${landed.replaced.name} it replaced is no longer in the trash, so ${landed.name} was left in place.`,
        );
      }
    }
    if (replacedEntry?.item.deletedAt)
      await this.s.pastSecondOf(Date.parse(replacedEntry.item.deletedAt), segments, signal);
    // Sabre compares ETags of files only (a folder's If-Match always fails), and reva ignores
    // If-Match: the check above is what guards folders and oCIS.
    const del = await this.s.send('DELETE', this.s.filesPath(segments), {
      signal,
      idempotent: false,
      ...(now.etag && now.kind === 'file' ? { headers: { 'If-Match': now.etag } } : {}),
      confirm: async () => (await this.s.stat(segments, new AbortController().signal)) === null,
    });
    await del.body?.cancel();
    if (del.status === 412) {
      // Sabre answers 412 also when the file vanished in between: say which.
      const gone = !(await this.s.stat(segments, new AbortController().signal).catch(() => true));
      return gone
        ? kept('NOT_FOUND', `${landed.name} is no longer at ${this.s.shown(landed.ref)}; nothing was moved.`)
        : kept('CONFLICT', `${landed.name} was changed since it was restored; left in place.`);
    }
    if (del.status === 404)
      return kept('NOT_FOUND', `${landed.name} is no longer at ${this.s.shown(landed.ref)}; nothing was moved.`);
    if (del.status !== 204 && del.status !== 200) throw await this.s.failure(del);
    if (!replacedEntry || !landed.replaced) {
      ctx.itemDone({ key: target.key, name: target.name, outcome: 'trashed', finalPath: null, error: null });
      return;
    }
    try {
      const back = await this.putBack(replacedEntry, landed.replaced, signal);
      ctx.itemDone({
        key: target.key,
        name: target.name,
        outcome: 'reverted',
        finalPath: this.s.shown(back),
        error: null,
        note:
          back === landed.replaced.ref
            ? null
            : `The file it replaced is back as ${this.s.shown(back)} (its name was taken again).`,
      });
    } catch (e) {
      const error = toErrorValue(e);
      ctx.itemDone({
        key: target.key,
        name: target.name,
        outcome: 'failed',
        finalPath: null,
        error: {
          ...error,
          message: `${landed.name} is back in the trash, but the ${landed.replaced.name} it replaced could not be put back (${error.message}); it is still in the trash.`,
        },
      });
    }
  }

  /**
   * Moves restored items to where the server's records say they belong (see RelocateTarget): each
   * only if it is still the file that landed (same id and ETag, as Undo checks), with Overwrite: F
   * so nothing is replaced; a name taken there leaves the item where it is, and says so.
   */
  async relocate(targets: RelocateTarget[], ctx: BatchContext): Promise<void> {
    await this.s.prepare(ctx.signal);
    let authError: AppError | null = null;
    await forEachLimited(targets, this.s.concurrency, ctx.signal, async (target) => {
      if (authError) return;
      const { landed } = target;
      const kept = (code: 'NOT_FOUND' | 'CONFLICT', message: string, at: string | null) =>
        ctx.itemDone({
          key: target.key,
          name: target.name,
          outcome: 'kept',
          finalPath: at === null ? null : this.s.shown(at),
          error: { code, message },
        });
      try {
        const from = folderSegments(landed.ref);
        const to = folderSegments(target.to);
        const now = await this.s.stat(from, ctx.signal);
        if (!now)
          return kept(
            'NOT_FOUND',
            `${landed.name} is no longer at ${this.s.shown(landed.ref)}; nothing was moved.`,
            null,
          );
        const changed = changedSince(landed, now);
        if (changed)
          return kept(
            'CONFLICT',
            `${landed.name} ${changed} since it was restored; left at ${this.s.shown(landed.ref)}.`,
            landed.ref,
          );
        const res = await this.s.move(
          this.s.filesPath(from),
          this.s.filesPath(to),
          false,
          ctx.signal,
          async () => (await this.s.stat(to, new AbortController().signal)) !== null,
        );
        if (res.status === 412) {
          await res.body?.cancel();
          return kept(
            'CONFLICT',
            `Something named ${to[to.length - 1] ?? ''} is already at ${this.s.shown(displayPath(to.slice(0, -1)))}; ${landed.name} was left at ${this.s.shown(landed.ref)}.`,
            landed.ref,
          );
        }
        if (res.status !== 201 && res.status !== 204) {
          throw await this.s.failure(res, {
            409: `The folder ${this.s.shown(displayPath(to.slice(0, -1)))} no longer exists; ${landed.name} was left at ${this.s.shown(landed.ref)}.`,
          });
        }
        await res.body?.cancel();
        const moved =
          movedStat(res, { kind: landed.kind, size: landed.size }) ??
          (await this.s.stat(to, new AbortController().signal).catch(() => null));
        ctx.itemDone(
          this.s.result({ key: target.key, name: target.name }, 'restored', displayPath(to)),
          moved ? { landed: landedOf(to, moved, landed.replaced) } : {},
        );
      } catch (e) {
        if (isAppError(e) && e.code === 'AUTH_FAILED') {
          authError ??= e;
          return;
        }
        if (ctx.signal.aborted) return;
        ctx.itemDone({
          key: target.key,
          name: target.name,
          outcome: 'failed',
          finalPath: this.s.shown(landed.ref),
          error: toErrorValue(e),
        });
      }
    });
    if (authError) throw authError;
  }

  /**
   * The top level of the trash with each entry's file id where the server gives it (Nextcloud's oc:fileid, ownCloud's
   * trash id).
   */
  private async trashWithIds(signal: AbortSignal): Promise<TrashedEntry[]> {
    if (this.s.dialect.spaces) {
      // oCIS: every space's trash (a Replace in a project space trashed the file there); reva's
      // listing has no oc:fileid, so entries are told by name, folder and deletion time.
      const out: TrashedEntry[] = [];
      for await (const chunk of this.listing.listTrash(null, signal))
        for (const item of chunk.items) out.push({ item, fileId: null });
      return out;
    }
    const root = this.s.trashPath(null);
    const found = await this.s.propfind(root, '1', this.s.dialect.trashPropfind, signal);
    const ctx = {
      accountId: this.s.account.id,
      parentId: null,
      listedPath: root.replace(/\/+$/, ''),
      trashRootPath: root,
    };
    const out: TrashedEntry[] = [];
    for (const r of found ?? []) {
      const item = this.s.dialect.readItem(r, ctx);
      if (item) out.push({ item, fileId: this.s.dialect.trashEntryFileId(r, item) });
    }
    return out;
  }

  /** Puts a replaced file back from the trash at its old path; answers where it is now. */
  private async putBack(entry: TrashedEntry, replaced: Replaced, signal: AbortSignal): Promise<string> {
    const to = folderSegments(replaced.ref);
    const restore = this.s.dialect.restore;
    if (restore.mode === 'restore-collection') {
      // Nextcloud puts it back at its original location itself (free again now).
      const res = await this.s.move(
        this.s.trashPath(entry.item.id),
        restore.target(this.s.ctx, entry.item),
        null,
        signal,
      );
      if (res.status !== 201 && res.status !== 204)
        throw await this.s.failure(res, { 404: 'It is no longer in the trash.' });
      await res.body?.cancel();
      const landed = await this.collection.findLanded(
        entry.item,
        entry.fileId,
        to.slice(0, -1),
        null,
        new AbortController().signal,
      );
      return landed ? displayPath([...landed.folder, landed.name]) : replaced.ref;
    }
    const res = await this.s.move(this.s.trashPath(entry.item.id), this.s.filesPath(to), false, signal);
    if (res.status === 201 || res.status === 204) {
      await res.body?.cancel();
      return replaced.ref;
    }
    throw await this.s.failure(res, {
      412: `${this.s.shown(replaced.ref)} was taken again.`,
      409: `The folder ${this.s.shown(displayPath(to.slice(0, -1)))} no longer exists.`,
      404: 'It is no longer in the trash.',
    });
  }
}

interface TrashedEntry {
  item: TrashItem;
  fileId: string | null;
}

/** Why the live item is no longer what landed (another file id, other content), or null when it is the same. */
function changedSince(landed: Landed, now: Stat): string | null {
  if (now.kind !== landed.kind) return 'was replaced by another item';
  if (landed.fileId && now.fileId && landed.fileId !== now.fileId) return 'was replaced by another file';
  if (landed.etag && now.etag) return landed.etag === now.etag ? null : 'was changed';
  if (landed.size !== now.size || landed.modifiedAt !== now.modifiedAt) return 'was changed';
  return null;
}

/**
 * The trash entry of a file a Replace moved away: same name and original folder, deleted at or
 * after the replace, the same file id where the server gives one; the first deleted after the
 * replace when several match.
 */
function findReplaced(entries: TrashedEntry[], replaced: Replaced): TrashedEntry | null {
  const since = Date.parse(replaced.at);
  const matches = entries.filter(({ item, fileId }) => {
    // The folder by its reference (the same as its display path except in oCIS project spaces).
    if (item.name !== replaced.name || (item.originalFolderId ?? item.originalFolder) !== replaced.folder) return false;
    if (replaced.fileId && fileId) return fileId === replaced.fileId;
    return item.deletedAt === null || Date.parse(item.deletedAt) >= since;
  });
  matches.sort((a, b) => Date.parse(a.item.deletedAt ?? '') - Date.parse(b.item.deletedAt ?? ''));
  return matches[0] ?? null;
}
