import { isAppError, toErrorValue } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import type { ErrorCode } from '../../../shared/errors';
import type { BatchContext, Replaced, UndoTarget } from '../types';
import type { DocSpaceApi } from './api';
import { encodeId, FOLDER_TYPE, OPERATION, parseItemId, replies, type ItemDto } from './dto';
import { deleteCall, type FileOps } from './fileops';
import { PAGE_CONCURRENCY } from './pages';
import { modifiedOf } from './restore';

/** Undo of a restore: back to the trash, or the replaced version made current again. */
export class DocSpaceUndo {
  constructor(
    private readonly api: DocSpaceApi,
    private readonly ops: FileOps,
  ) {}

  /**
   * Undo: each target is read again and left in place unless it is still what landed (same id,
   * version and modification time, not in the trash). Plain restores go back to the trash in one
   * delete operation; a Replace is undone by making the version it replaced current again
   * (DocSpace saved the restored content as a new version of that file, not as a file of its own).
   */
  async undoRestore(targets: UndoTarget[], ctx: BatchContext): Promise<void> {
    const kept = (t: UndoTarget, code: ErrorCode, message: string) =>
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'kept', finalPath: null, error: { code, message } });
    const toTrash: UndoTarget[] = [];
    const toRevert: { t: UndoTarget; replaced: Replaced }[] = [];
    await forEachLimited(targets, PAGE_CONCURRENCY, ctx.signal, async (t) => {
      const { kind, dsId } = parseItemId(t.landed.ref);
      let now: ItemDto | null;
      try {
        now = await this.api.call(
          { method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal: ctx.signal },
          replies.item,
        );
      } catch (e) {
        if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
        now = null;
      }
      if (!now) return kept(t, 'NOT_FOUND', `${t.landed.name} no longer exists; nothing was moved.`);
      if (now.rootFolderType === FOLDER_TYPE.TRASH)
        return kept(t, 'NOT_FOUND', `${t.landed.name} is already in the trash.`);
      const sameVersion = t.landed.kind === 'folder' || (now.version ?? null) === t.landed.version;
      if (!sameVersion || (t.landed.kind === 'file' && modifiedOf(now) !== t.landed.modifiedAt)) {
        return kept(t, 'CONFLICT', `${t.landed.name} was changed since it was restored; left in place.`);
      }
      if (t.landed.replaced) toRevert.push({ t, replaced: t.landed.replaced });
      else toTrash.push(t);
    });
    for (const { t, replaced } of toRevert) await this.revertReplace(t, replaced, ctx);
    if (toTrash.length === 0 || ctx.signal.aborted) return;
    const refs = toTrash.map((t) => ({ id: t.landed.ref }));
    const end = await this.ops.runOperation(
      OPERATION.Delete,
      deleteCall(refs, { immediately: false }),
      (p) => ctx.progress({ fraction: p / 100 }),
      ctx.signal,
    );
    const where = await this.ops.locate(toTrash.map((t) => t.landed.ref));
    for (const t of toTrash) {
      const state = where.get(t.landed.ref);
      if (state === 'trash') {
        ctx.itemDone({ key: t.key, name: t.name, outcome: 'trashed', finalPath: null, error: null });
      } else if (!end.cancelled) {
        ctx.itemDone({
          key: t.key,
          name: t.name,
          outcome: 'failed',
          finalPath: null,
          error:
            state === 'gone'
              ? { code: 'NOT_FOUND', message: 'It is no longer where it was restored to.' }
              : { code: 'SERVER', message: end.error || 'DocSpace did not move it back to the trash.' },
        });
      }
    }
  }

  /**
   * Makes the version a Replace overwrote current again: POST files/file/{id}/restoreversion
   * (DocSpace 3.6 and later; earlier portals take GET and answer 405 to POST).
   */
  private async revertReplace(t: UndoTarget, replaced: Replaced, ctx: BatchContext): Promise<void> {
    if (replaced.version === null) {
      ctx.itemDone({
        key: t.key,
        name: t.name,
        outcome: 'kept',
        finalPath: null,
        error: {
          code: 'UNSUPPORTED',
          message: `DocSpace did not say which version of ${t.landed.name} was replaced; left as it is.`,
        },
      });
      return;
    }
    const { dsId } = parseItemId(t.landed.ref);
    const version = replaced.version;
    const restoreVersion = (method: 'POST' | 'GET') =>
      this.api.send({
        method,
        path: `files/file/${encodeId(dsId)}/restoreversion`,
        query: { version },
        signal: ctx.signal,
      });
    try {
      await restoreVersion('POST').catch((e: unknown) => {
        if (isAppError(e) && e.details?.status === 405) return restoreVersion('GET');
        throw e;
      });
    } catch (e) {
      if (isAppError(e) && (e.code === 'AUTH_FAILED' || e.code === 'CANCELLED')) throw e;
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'failed', finalPath: null, error: toErrorValue(e) });
      return;
    }
    ctx.itemDone({
      key: t.key,
      name: t.name,
      outcome: 'reverted',
      finalPath: null,
      error: null,
      note: `The version of ${t.landed.name} that was replaced is current again; the restored content stays in the file's version history (version ${t.landed.version ?? '?'}).`,
    });
  }
}
