import { AppError, isAppError, toErrorValue } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import type { ErrorCode } from '../../../shared/errors';
import type { Conflict, FolderRef, ItemResult, Resolution, TrashItem } from '../../../shared/model';
import { defaultHttpOptions, httpOptionsForAccount, type HttpOptions } from '../../net/http';
import type { AccountConfig, BatchContext, Credentials, Landed, RestoreOptions, RestoreTarget, TrashProvider, UndoTarget } from '../types';
import { selectionClashes } from '../selection';
import { DocSpaceApi } from './api';
import {
  CONFLICT_RESOLVE,
  FOLDER_TYPE,
  OPERATION,
  canWriteInto,
  checkEntries,
  isFolderDto,
  itemId,
  parseItemId,
  toFolderRef,
  toTrashItem,
  type AutoCleanupDto,
  type DsId,
  type EntryDto,
} from './dto';
import { followOperation, pickOperation, type OperationEnd } from './operations';
import { PAGE_CONCURRENCY, PAGE_SIZE, readAllEntries, readPages } from './pages';

/** Items handed to the services per listTrash chunk. */
const CHUNK = 1000;
/** Ids per conflict pre-check request (they travel in the query string). */
const CHECK_BATCH = 100;

export interface DocSpaceProviderOptions {
  http?: HttpOptions;
  /** First poll interval for background operations (grows to maxPollMs). */
  pollMs?: number;
  maxPollMs?: number;
}

type Choice = 'none' | 'replace' | 'keep-both';

interface Sent {
  item: TrashItem;
  choice: Choice;
  conflicted: boolean;
}

const never = new AbortController().signal;
const encodeId = (id: DsId) => encodeURIComponent(String(id));
const fail = (item: TrashItem, code: ErrorCode, message: string): ItemResult => ({
  key: item.key,
  name: item.name,
  outcome: 'failed',
  finalPath: null,
  error: { code, message },
});
const joinPath = (folder: string, name: string) => (folder ? `${folder} / ${name}` : name);

/**
 * ONLYOFFICE DocSpace over its REST API with a personal API key. Moves and deletions are the
 * server's background operations (fileops): Salvage starts one per destination and resolution,
 * follows it with real progress, and afterwards reads the trash and the destination again to
 * report what really happened to each item (Skip leaves items in the trash silently; same-named
 * folders are merged).
 */
export class DocSpaceProvider implements TrashProvider {
  readonly kind = 'docspace' as const;
  private readonly api: DocSpaceApi;
  private readonly accountId: string;
  private roomsRootId: string | null = null;
  private readonly pollMs: number;
  private readonly maxPollMs: number;

  constructor(account: AccountConfig, credentials: Credentials, options: DocSpaceProviderOptions = {}) {
    this.accountId = account.id;
    this.api = new DocSpaceApi(account.serverUrl, credentials.secret.trim(), options.http ?? httpOptionsForAccount(account, defaultHttpOptions));
    this.pollMs = options.pollMs ?? 200;
    this.maxPollMs = options.maxPollMs ?? 1000;
  }

  async checkConnection(signal?: AbortSignal): Promise<{ userName: string; userId: string }> {
    const me = await this.api.call<{ id?: string; displayName?: string; userName?: string; email?: string } | null>({
      method: 'GET',
      path: 'people/@self',
      signal,
    });
    if (!me || typeof me.id !== 'string') throw new AppError('BAD_RESPONSE', 'DocSpace did not say who this API key belongs to.');
    return { userId: me.id, userName: me.displayName?.trim() || me.userName || me.email || me.id };
  }

  /** The per-user auto-cleanup policy (GET files/settings/autocleanup); null when unreadable. */
  async autoCleanup(signal?: AbortSignal): Promise<AutoCleanupDto | null> {
    try {
      const value = await this.api.call<AutoCleanupDto>({ method: 'GET', path: 'files/settings/autocleanup', signal });
      return value && typeof value === 'object' ? value : null;
    } catch (e) {
      if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) throw e;
      return null;
    }
  }

  async *listTrash(parentId: string | null, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[]; total?: number }> {
    let path = 'files/@trash';
    if (parentId !== null) {
      const parsed = parseItemId(parentId);
      if (parsed.kind !== 'folder') throw new AppError('INVALID_INPUT', 'Only trashed folders can be opened.');
      path = `files/${encodeId(parsed.dsId)}`;
    }
    // Read alongside the first page; the listing itself reports auth and network failures.
    const policy = parentId === null ? this.autoCleanup(signal).catch(() => null) : Promise.resolve(null);
    let buffer: TrashItem[] = [];
    let first = true;
    let parentPath: string | null = null;
    for await (const page of readPages(this.api, path, {}, signal)) {
      if (first && parentId !== null) parentPath = page.content.current?.title ?? null;
      const ctx = { accountId: this.accountId, policy: await policy, parentId, parentPath };
      for (const e of page.entries) buffer.push(toTrashItem(e, ctx));
      if (first || buffer.length >= CHUNK) {
        yield first ? { items: buffer, total: page.total } : { items: buffer };
        buffer = [];
        first = false;
      }
    }
    if (buffer.length > 0) yield { items: buffer };
  }

  /** DocSpace ids ("file:123") do not say which trashed folder holds them. */
  parentOf(): string | null {
    return null;
  }

  async listFolders(parentId: string | null, signal?: AbortSignal): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    if (parentId === null || parentId === '') return this.rootFolders(signal);
    const isRooms = parentId === this.roomsRootId;
    const [listing, breadcrumbs] = await Promise.all([
      readAllEntries(this.api, isRooms ? 'files/rooms' : `files/${encodeURIComponent(parentId)}`, isRooms ? {} : { filterType: 2 }, signal),
      this.breadcrumbs(parentId, signal),
    ]);
    const current = listing.current;
    if (!current) throw new AppError('BAD_RESPONSE', 'DocSpace did not describe the folder it listed.');
    if (current.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(current.id);
    const path = breadcrumbs.map((b) => b.name).join(' / ') || current.title;
    const folder = toFolderRef(current, this.accountId, path);
    const children = listing.entries.filter(isFolderDto).map((e) => toFolderRef(e, this.accountId, joinPath(path, e.title)));
    return { folder, children, breadcrumbs: breadcrumbs.length ? breadcrumbs : [folder] };
  }

  async createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    const title = name.trim();
    if (!title) throw new AppError('INVALID_INPUT', 'A folder needs a name.');
    const created = await this.api.call<EntryDto>({ method: 'POST', path: `files/folder/${encodeURIComponent(parentId)}`, body: { title }, signal });
    const [entry] = checkEntries([created], 'new folder');
    const crumbs = await this.breadcrumbs(String(entry!.id), signal).catch(() => []);
    const path = crumbs.map((b) => b.name).join(' / ') || title;
    return toFolderRef(entry!, this.accountId, path);
  }

  async findConflicts(items: TrashItem[], target: RestoreTarget, signal?: AbortSignal): Promise<{ conflicts: Conflict[]; missingFolders: string[] }> {
    const { groups, orphans } = this.groupByDestination(items, target);
    const conflicts: Conflict[] = [];
    const missing = new Set<string>();
    for (const item of orphans) missing.add(item.originalFolder || `the original folder of "${item.name}"`);
    for (const [destId, group] of groups) {
      const dest = await this.destination(destId, signal);
      if (!dest) {
        missing.add(target.kind === 'original' ? group[0]!.originalFolder || `folder ${destId}` : `folder ${destId}`);
        continue;
      }
      if (!canWriteInto(dest.entry)) throw new AppError('FORBIDDEN', `You cannot add items to "${dest.path}". Choose another folder.`);
      const conflicting = await this.preCheck(destId, group, signal);
      const existing = conflicting.size ? await this.entriesByTitle(destId, signal) : new Map<string, EntryDto[]>();
      for (const item of group) {
        if (conflicting.has(item.id)) conflicts.push(this.conflictFor(item, dest.path, existing));
      }
      // Two selected items with the same title and kind bound for this folder (DocSpace lets a file and a folder share a title).
      const asked = new Set(conflicts.map((c) => c.itemKey));
      conflicts.push(...selectionClashes(group, (item) => ({ key: titleKey(item), targetPath: joinPath(dest.path, item.name) }), asked));
    }
    return { conflicts, missingFolders: [...missing] };
  }

  async restore(items: TrashItem[], target: RestoreTarget, _options: RestoreOptions, ctx: BatchContext): Promise<void> {
    const { groups, orphans } = this.groupByDestination(items, target);
    const progress = new Progress(items.length, ctx);
    for (const item of orphans) {
      ctx.itemDone(fail(item, 'DEST_MISSING', 'The folder it was deleted from no longer exists. Restore it to a folder you choose.'));
      progress.settle(1);
    }
    for (const [destId, group] of groups) {
      if (ctx.signal.aborted) return;
      const dest = await this.destination(destId, ctx.signal);
      if (!dest) {
        for (const item of group) {
          const where = target.kind === 'original' && item.originalFolder ? `"${item.originalFolder}"` : 'The destination folder';
          ctx.itemDone(fail(item, 'DEST_MISSING', `${where} no longer exists or is in the trash. Restore it to another folder.`));
        }
        progress.settle(group.length);
        continue;
      }
      if (!canWriteInto(dest.entry)) {
        for (const item of group) ctx.itemDone(fail(item, 'FORBIDDEN', `You cannot add items to "${dest.path}".`));
        progress.settle(group.length);
        continue;
      }
      // Same-titled items of one selection go in rounds (the first of each title, then the next), so
      // a later one meets the earlier one as an ordinary conflict and gets the answer chosen for it.
      for (const round of rounds(group)) {
        if (ctx.signal.aborted) return;
        if (await this.restoreRound(destId, dest.path, round, progress, ctx)) return;
      }
    }
  }

  /** One move per answer into one folder, then a report of what really happened. True when cancelled. */
  private async restoreRound(destId: string, destPath: string, group: TrashItem[], progress: Progress, ctx: BatchContext): Promise<boolean> {
    ctx.progress({ current: `Checking names in ${destPath}` });
    const conflicting = await this.preCheck(destId, group, ctx.signal);
    const existing = conflicting.size ? await this.entriesByTitle(destId, ctx.signal) : new Map<string, EntryDto[]>();

    // Ask about every conflict at once: the runner shows them one by one and "apply to all" answers the rest.
    const conflicted = group.filter((item) => conflicting.has(item.id));
    let answers: Resolution[];
    try {
      answers = await Promise.all(
        conflicted.map((item) => {
          const chosen = ctx.resolutionFor(item.key);
          return chosen ? Promise.resolve(chosen) : ctx.ask(this.conflictFor(item, destPath, existing));
        }),
      );
    } catch (e) {
      if (ctx.signal.aborted || (isAppError(e) && e.code === 'CANCELLED')) return true;
      throw e;
    }
    const answerOf = new Map(conflicted.map((item, i) => [item.id, answers[i]!]));
    const sent: Sent[] = [];
    for (const item of group) {
      const answer = answerOf.get(item.id);
      if (answer === undefined) {
        sent.push({ item, choice: 'none', conflicted: false });
      } else if (answer === 'skip') {
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'skipped', finalPath: null, error: null });
        progress.settle(1);
      } else {
        sent.push({ item, choice: answer, conflicted: true });
      }
    }
    if (sent.length === 0) return false;

    // One move per conflict resolution. Items without a conflict ride along with "keep both"
    // (a plain move for them) or go with Skip, so a name taken in the meantime is never overwritten.
    const buckets = new Map<number, Sent[]>();
    const hasDuplicate = sent.some((s) => s.choice === 'keep-both');
    for (const s of sent) {
      const type =
        s.choice === 'replace' ? CONFLICT_RESOLVE.Overwrite : s.choice === 'keep-both' || hasDuplicate ? CONFLICT_RESOLVE.Duplicate : CONFLICT_RESOLVE.Skip;
      const list = buckets.get(type) ?? [];
      list.push(s);
      buckets.set(type, list);
    }
    const ends: OperationEnd[] = [];
    for (const [type, bucket] of buckets) {
      if (ctx.signal.aborted) break;
      ctx.progress({ current: `Restoring ${bucket.length.toLocaleString('en-US')} item${bucket.length === 1 ? '' : 's'} to ${destPath}` });
      const ids = splitIds(bucket.map((s) => s.item));
      const started = await this.api.call({
        method: 'PUT',
        path: 'files/fileops/move',
        body: {
          fileIds: ids.files,
          folderIds: ids.folders,
          destFolderId: toNumberIfDigits(destId),
          conflictResolveType: type,
          // Keep the finished result readable once (hold) and move folders themselves, not their contents.
          deleteAfter: false,
          content: false,
          returnSingleOperation: true,
        },
      });
      const end = await followOperation(this.api, pickOperation(started, OPERATION.Move), {
        signal: ctx.signal,
        onProgress: (p) => progress.partial(bucket.length, p),
        pollMs: this.pollMs,
        maxPollMs: this.maxPollMs,
      });
      progress.settle(bucket.length);
      ends.push(end);
      if (end.cancelled) break;
    }
    await this.reportRestores(sent, destId, destPath, ends, existing, ctx);
    return ends.some((e) => e.cancelled);
  }

  async remove(items: TrashItem[], ctx: BatchContext): Promise<void> {
    if (items.length === 0) return;
    const progress = new Progress(items.length, ctx);
    ctx.progress({ current: `Deleting ${items.length.toLocaleString('en-US')} item${items.length === 1 ? '' : 's'}` });
    const ids = splitIds(items);
    const started = await this.api.call({
      method: 'PUT',
      path: 'files/fileops/delete',
      body: { fileIds: ids.files, folderIds: ids.folders, deleteAfter: false, immediately: true, returnSingleOperation: true },
    });
    const end = await followOperation(this.api, pickOperation(started, OPERATION.Delete), {
      signal: ctx.signal,
      onProgress: (p) => progress.partial(items.length, p),
      pollMs: this.pollMs,
      maxPollMs: this.maxPollMs,
    });
    progress.settle(items.length);
    await this.reportDeletions(items, end, ctx);
  }

  async empty(ctx: BatchContext): Promise<void> {
    ctx.progress({ current: 'Reading the trash' });
    const known: TrashItem[] = [];
    for await (const chunk of this.listTrash(null, ctx.signal)) known.push(...chunk.items);
    if (known.length === 0 || ctx.signal.aborted) return;
    const progress = new Progress(known.length, ctx);
    ctx.progress({ current: `Emptying the trash (${known.length.toLocaleString('en-US')} items)` });
    const started = await this.api.call({ method: 'PUT', path: 'files/fileops/emptytrash', query: { single: true } });
    const end = await followOperation(this.api, pickOperation(started, OPERATION.Delete), {
      signal: ctx.signal,
      onProgress: (p) => progress.partial(known.length, p),
      pollMs: this.pollMs,
      maxPollMs: this.maxPollMs,
    });
    progress.settle(known.length);
    await this.reportDeletions(known, end, ctx);
  }

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
    const toRevert: UndoTarget[] = [];
    await forEachLimited(targets, PAGE_CONCURRENCY, ctx.signal, async (t) => {
      const { kind, dsId } = parseItemId(t.landed.ref);
      let now: EntryDto | null;
      try {
        now = await this.api.call<EntryDto>({ method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal: ctx.signal });
      } catch (e) {
        if (!isAppError(e) || e.code !== 'NOT_FOUND') throw e;
        now = null;
      }
      if (!now) return kept(t, 'NOT_FOUND', `${t.landed.name} no longer exists; nothing was moved.`);
      if (now.rootFolderType === FOLDER_TYPE.TRASH) return kept(t, 'NOT_FOUND', `${t.landed.name} is already in the trash.`);
      const sameVersion = t.landed.kind === 'folder' || (now.version ?? null) === t.landed.version;
      if (!sameVersion || (t.landed.kind === 'file' && modifiedOf(now) !== t.landed.modifiedAt)) {
        return kept(t, 'CONFLICT', `${t.landed.name} was changed since it was restored; left in place.`);
      }
      (t.landed.replaced ? toRevert : toTrash).push(t);
    });
    for (const t of toRevert) await this.revertReplace(t, ctx);
    if (toTrash.length === 0 || ctx.signal.aborted) return;
    const parsed = toTrash.map((t) => ({ t, ...parseItemId(t.landed.ref) }));
    const started = await this.api.call({
      method: 'PUT',
      path: 'files/fileops/delete',
      body: {
        fileIds: parsed.filter((p) => p.kind === 'file').map((p) => p.dsId),
        folderIds: parsed.filter((p) => p.kind === 'folder').map((p) => p.dsId),
        deleteAfter: false,
        immediately: false,
        returnSingleOperation: true,
      },
    });
    const end = await followOperation(this.api, pickOperation(started, OPERATION.Delete), {
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ fraction: p / 100 }),
      pollMs: this.pollMs,
      maxPollMs: this.maxPollMs,
    });
    const where = await this.locate(parsed.map((p) => p.t.landed.ref));
    for (const { t } of parsed) {
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
  private async revertReplace(t: UndoTarget, ctx: BatchContext): Promise<void> {
    const replaced = t.landed.replaced!;
    if (replaced.version === null) {
      ctx.itemDone({ key: t.key, name: t.name, outcome: 'kept', finalPath: null, error: { code: 'UNSUPPORTED', message: `DocSpace did not say which version of ${t.landed.name} was replaced; left as it is.` } });
      return;
    }
    const { dsId } = parseItemId(t.landed.ref);
    const version = replaced.version;
    const restoreVersion = (method: 'POST' | 'GET') =>
      this.api.call({ method, path: `files/file/${encodeId(dsId)}/restoreversion`, query: { version }, signal: ctx.signal });
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

  // Start calls (PUT fileops/…) are not given the batch's signal: once sent, an operation may be
  // running on the server, and followOperation terminates it properly when the user cancels.

  // ——— helpers ———

  private async rootFolders(signal?: AbortSignal): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    const root: FolderRef = { accountId: this.accountId, id: '', name: 'DocSpace', path: '', canWrite: false, hasChildren: true };
    const [my, rooms] = await Promise.all([
      this.api.call({ method: 'GET', path: 'files/@my', query: { count: 1, startIndex: 0 }, signal }).catch((e: unknown) => {
        if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // guests have no My documents
        throw e;
      }),
      this.api.call({ method: 'GET', path: 'files/rooms', query: { count: 1, startIndex: 0 }, signal }).catch((e: unknown) => {
        if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // a key without rooms:read
        throw e;
      }),
    ]);
    const children: FolderRef[] = [];
    const myCurrent = (my as { current?: EntryDto } | null)?.current;
    if (myCurrent) children.push({ ...toFolderRef(myCurrent, this.accountId, myCurrent.title), hasChildren: null });
    const roomsCurrent = (rooms as { current?: EntryDto } | null)?.current;
    if (roomsCurrent) {
      this.roomsRootId = String(roomsCurrent.id);
      children.push({ ...toFolderRef(roomsCurrent, this.accountId, roomsCurrent.title), canWrite: false, hasChildren: null });
    }
    return { folder: root, children, breadcrumbs: [root] };
  }

  private async breadcrumbs(folderId: string, signal?: AbortSignal): Promise<FolderRef[]> {
    const list = checkEntries(await this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}/path`, signal }), 'folder path');
    const out: FolderRef[] = [];
    let path = '';
    for (const e of list) {
      path = joinPath(path, e.title);
      if (e.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(e.id);
      out.push(toFolderRef({ ...e, fileEntryType: 1 }, this.accountId, path));
    }
    return out;
  }

  /** The destination folder and its display path, or null when it no longer exists. */
  private async destination(folderId: string, signal?: AbortSignal): Promise<{ entry: EntryDto; path: string } | null> {
    let entry: EntryDto;
    try {
      [entry] = checkEntries([await this.api.call({ method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}`, signal })], 'folder') as [EntryDto];
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    if (entry.rootFolderType === FOLDER_TYPE.TRASH) return null; // the folder itself is in the trash
    const crumbs = await this.breadcrumbs(folderId, signal).catch(() => [] as FolderRef[]);
    return { entry, path: crumbs.map((c) => c.name).join(' / ') || entry.title };
  }

  private groupByDestination(items: TrashItem[], target: RestoreTarget) {
    const groups = new Map<string, TrashItem[]>();
    const orphans: TrashItem[] = [];
    for (const item of items) {
      const dest = target.kind === 'folder' ? target.folderId : item.originalFolderId;
      if (!dest) {
        orphans.push(item);
        continue;
      }
      const list = groups.get(dest) ?? [];
      list.push(item);
      groups.set(dest, list);
    }
    return { groups, orphans };
  }

  /** `GET fileops/move`: which of these items would meet a same-named entry in the destination. */
  private async preCheck(destId: string, items: TrashItem[], signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < items.length; i += CHECK_BATCH) {
      const ids = splitIds(items.slice(i, i + CHECK_BATCH));
      const list = checkEntries(
        await this.api.call({
          method: 'GET',
          path: 'files/fileops/move',
          query: { destFolderId: destId, fileIds: ids.files, folderIds: ids.folders },
          signal,
        }),
        'conflict check',
      );
      for (const e of list) out.add(itemId(e));
    }
    return out;
  }

  /** The destination's entries by kind and title (DocSpace compares titles exactly). */
  private async entriesByTitle(destId: string, signal?: AbortSignal): Promise<Map<string, EntryDto[]>> {
    const { entries } = await readAllEntries(this.api, `files/${encodeURIComponent(destId)}`, {}, signal);
    const map = new Map<string, EntryDto[]>();
    for (const e of entries) {
      const key = `${isFolderDto(e) ? 'folder' : 'file'}:${e.title}`;
      const list = map.get(key) ?? [];
      list.push(e);
      map.set(key, list);
    }
    return map;
  }

  private conflictFor(item: TrashItem, destPath: string, existing: Map<string, EntryDto[]>): Conflict {
    const other = existing.get(`${item.kind}:${item.name}`)?.[0];
    const folder = item.kind === 'folder';
    return {
      itemKey: item.key,
      name: item.name,
      targetPath: joinPath(destPath, item.name),
      source: 'existing',
      otherKey: null,
      trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
      existing: {
        size: other ? (isFolderDto(other) ? null : (other.pureContentLength ?? 0)) : null,
        modifiedAt: other?.updated ? new Date(other.updated).toISOString() : null,
        kind: other ? (isFolderDto(other) ? 'folder' : 'file') : item.kind,
      },
      canReplace: !folder,
      note: folder
        ? 'DocSpace merges same-named folders: "Replace" moves the contents into the existing folder and overwrites same-named files in it; "Keep both" puts a second folder with the same name next to it.'
        : 'DocSpace keeps both files under the same name when you choose "Keep both".',
    };
  }

  /**
   * Where each item is now: 'trash' (top level of the trash), 'live', or 'gone'. Reads the whole
   * trash when that takes fewer requests than asking about each item.
   */
  private async locate(ids: string[], signal?: AbortSignal): Promise<Map<string, 'trash' | 'live' | 'gone'>> {
    const out = new Map<string, 'trash' | 'live' | 'gone'>();
    if (ids.length === 0) return out;
    const probe = readPages(this.api, 'files/@trash', {}, signal);
    const first = await probe.next();
    await probe.return(undefined);
    const total = first.done ? 0 : first.value.total;
    if (Math.ceil(total / PAGE_SIZE) <= ids.length) {
      const inTrash = new Set<string>();
      for await (const page of readPages(this.api, 'files/@trash', {}, signal)) for (const e of page.entries) inTrash.add(itemId(e));
      for (const id of ids) out.set(id, inTrash.has(id) ? 'trash' : 'live');
      // 'live' here means "not in the trash"; callers that need more look in the destination.
      return out;
    }
    await forEachLimited(ids, PAGE_CONCURRENCY, signal ?? never, async (id) => {
      const { kind, dsId } = parseItemId(id);
      try {
        const e = await this.api.call<EntryDto>({ method: 'GET', path: `files/${kind}/${encodeId(dsId)}`, signal });
        out.set(id, e?.rootFolderType === FOLDER_TYPE.TRASH ? 'trash' : 'live');
      } catch (err) {
        if (isAppError(err) && err.code === 'NOT_FOUND') out.set(id, 'gone');
        else throw err;
      }
    });
    return out;
  }

  private async reportRestores(
    sent: Sent[],
    destId: string,
    destPath: string,
    ends: OperationEnd[],
    before: Map<string, EntryDto[]>,
    ctx: BatchContext,
  ): Promise<void> {
    const cancelled = ends.some((e) => e.cancelled);
    const opError = ends.map((e) => e.error).find((e) => e) ?? null;
    // Read the state again without the batch's signal: after a cancel the truth is still wanted.
    const where = await this.locate(sent.map((s) => s.item.id));
    const { entries } = await readAllEntries(this.api, `files/${encodeURIComponent(destId)}`, {});
    const byId = new Map(entries.map((e) => [itemId(e), e]));
    const byTitle = new Set(entries.map((e) => `${isFolderDto(e) ? 'folder' : 'file'}:${e.title}`));
    for (const { item, choice, conflicted } of sent) {
      const state = where.get(item.id);
      const here = byId.get(item.id);
      const sameName = byTitle.has(`${item.kind}:${item.name}`);
      const base = { key: item.key, name: item.name };
      if (state === 'trash') {
        if (item.kind === 'folder' && conflicted && choice === 'replace' && sameName) {
          ctx.itemDone({
            ...base,
            outcome: 'merged',
            finalPath: joinPath(destPath, item.name),
            error: { code: 'CONFLICT', message: `Merged into the existing folder; some of its contents stayed in the trash${opError ? `: ${opError}` : '.'}` },
          });
        } else if (cancelled) {
          // not moved before the cancel: the runner reports it as cancelled
        } else if (opError) {
          ctx.itemDone(fail(item, 'SERVER', opError));
        } else {
          ctx.itemDone({
            ...base,
            outcome: 'skipped',
            finalPath: null,
            error: { code: 'CONFLICT', message: `"${item.name}" already exists in ${destPath}; DocSpace left it in the trash.` },
          });
        }
        continue;
      }
      if (here) {
        ctx.itemDone(
          { ...base, outcome: here.title !== item.name ? 'renamed' : 'restored', finalPath: joinPath(destPath, here.title), error: null },
          { bytes: item.size, landed: landedOf(here, null) },
        );
      } else if (item.kind === 'folder' && sameName) {
        // Merged into a folder that was there: not offered to Undo (the merge cannot be told apart from what was there).
        ctx.itemDone({ ...base, outcome: 'merged', finalPath: joinPath(destPath, item.name), error: null });
      } else if (item.kind === 'file' && choice === 'replace' && sameName) {
        // DocSpace's Overwrite saves the restored content as a new version of the file that was there.
        const old = before.get(titleKey(item))?.[0];
        const now = old ? byId.get(itemId(old)) : undefined;
        const replaced =
          old && now
            ? {
                name: old.title,
                ref: itemId(old),
                folder: destPath,
                fileId: itemId(old),
                size: old.pureContentLength ?? null,
                modifiedAt: modifiedOf(old),
                version: old.version ?? null,
                at: new Date().toISOString(),
              }
            : null;
        ctx.itemDone(
          { ...base, outcome: 'replaced', finalPath: joinPath(destPath, item.name), error: null },
          { bytes: item.size, ...(now && replaced ? { landed: landedOf(now, replaced) } : {}) },
        );
      } else {
        ctx.itemDone(fail(item, 'NOT_FOUND', opError || `It left the trash but is not in ${destPath}.`));
      }
    }
  }

  private async reportDeletions(items: TrashItem[], end: OperationEnd, ctx: BatchContext): Promise<void> {
    const where = await this.locate(items.map((i) => i.id));
    for (const item of items) {
      if (where.get(item.id) !== 'trash') {
        ctx.itemDone({ key: item.key, name: item.name, outcome: 'deleted', finalPath: null, error: null });
      } else if (!end.cancelled) {
        ctx.itemDone(fail(item, 'SERVER', end.error || 'DocSpace did not delete it; it is still in the trash.'));
      }
    }
  }
}

/** Whole-batch progress from the server's per-operation percentages. */
class Progress {
  private settled = 0;

  constructor(
    private readonly total: number,
    private readonly ctx: BatchContext,
  ) {}

  settle(n: number): void {
    this.settled += n;
    this.ctx.progress({ fraction: this.total ? Math.min(1, this.settled / this.total) : 1 });
  }

  partial(size: number, percent: number): void {
    if (!this.total) return;
    this.ctx.progress({ fraction: Math.min(1, (this.settled + (size * percent) / 100) / this.total) });
  }
}

function splitIds(items: { id: string }[]): { files: DsId[]; folders: DsId[] } {
  const files: DsId[] = [];
  const folders: DsId[] = [];
  for (const item of items) {
    const { kind, dsId } = parseItemId(item.id);
    (kind === 'file' ? files : folders).push(dsId);
  }
  return { files, folders };
}

const toNumberIfDigits = (s: string): DsId => (/^\d+$/.test(s) ? Number(s) : s);

/** DocSpace compares titles exactly, and a file and a folder may share one. */
const titleKey = (item: { kind: 'file' | 'folder'; name: string }) => `${item.kind}:${item.name}`;

/** Splits items bound for one folder into rounds: the first of each title, then the second, ... */
function rounds(items: TrashItem[]): TrashItem[][] {
  const out: TrashItem[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const n = seen.get(titleKey(item)) ?? 0;
    seen.set(titleKey(item), n + 1);
    (out[n] ??= []).push(item);
  }
  return out;
}

const modifiedOf = (e: EntryDto) => (e.updated ? new Date(e.updated).toISOString() : null);

/** What a restore left in the destination, for undo to check against later. */
function landedOf(e: EntryDto, replaced: Landed['replaced']): Landed {
  const folder = isFolderDto(e);
  return {
    ref: itemId(e),
    name: e.title,
    kind: folder ? 'folder' : 'file',
    fileId: itemId(e),
    etag: null,
    size: folder ? null : (e.pureContentLength ?? null),
    modifiedAt: modifiedOf(e),
    version: folder ? null : (e.version ?? null),
    replaced,
  };
}

export function createDocSpaceProvider(input: { account: AccountConfig; credentials: Credentials }, options?: DocSpaceProviderOptions): TrashProvider {
  return new DocSpaceProvider(input.account, input.credentials, options);
}
