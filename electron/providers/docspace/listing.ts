import { AppError, isAppError } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import type { TrashItem } from '../../../shared/model';
import type { DocSpaceApi } from './api';
import {
  encodeId,
  FOLDER_TYPE,
  folderPathDisplay,
  originDisplay,
  parseItemId,
  replies,
  toTrashItem,
  type AutoCleanupDto,
  type ItemDto,
} from './dto';
import { readNewest } from './changes';
import { PAGE_CONCURRENCY, readPages } from './pages';

/** The trash (or a trashed folder) page by page, with each origin folder's full path read once. */

/** Items handed to the services per listTrash chunk. */
const CHUNK = 1000;

/**
 * Full display paths of origin folders (GET files/folder/{id}/path), each read once: the first
 * asker starts the request, later ones wait for it. A folder that is gone, in the trash or not
 * readable has none (the entry's own origin fields stand in).
 */
class OriginPaths {
  private readonly known = new Map<string, Promise<string | null>>();
  constructor(private readonly api: DocSpaceApi) {}

  async read(ids: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string>> {
    const wanted = [...new Set(ids)];
    const fresh = wanted.filter((id) => !this.known.has(id));
    await forEachLimited(fresh, PAGE_CONCURRENCY, signal ?? new AbortController().signal, async (id) => {
      const p = this.api
        .call({ method: 'GET', path: `files/folder/${encodeURIComponent(id)}/path`, signal }, replies.folderPath)
        .then(folderPathDisplay, (e: unknown) => {
          if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) {
            this.known.delete(id);
            throw e;
          }
          return null;
        });
      this.known.set(id, p);
      await p;
    });
    const out = new Map<string, string>();
    for (const id of wanted) {
      const path = await this.known.get(id);
      if (path) out.set(id, path);
    }
    return out;
  }
}

export class DocSpaceListing {
  constructor(
    private readonly api: DocSpaceApi,
    private readonly accountId: string,
  ) {}

  /** The per-user auto-cleanup policy (GET files/settings/autocleanup); null when unreadable. */
  async autoCleanup(signal?: AbortSignal): Promise<AutoCleanupDto | null> {
    try {
      return await this.api.call({ method: 'GET', path: 'files/settings/autocleanup', signal }, replies.autoCleanup);
    } catch (e) {
      if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) throw e;
      return null;
    }
  }

  async *listTrash(
    parentId: string | null,
    signal?: AbortSignal,
  ): AsyncIterable<{ items: TrashItem[]; total?: number }> {
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
    // Each origin folder's full path, read once per listing (one request per distinct folder, not per item).
    const paths = new OriginPaths(this.api);
    for await (const page of readPages(this.api, path, {}, signal)) {
      if (first && parentId !== null) parentPath = await this.browsedPath(page.content.current ?? null, paths, signal);
      const origins =
        parentId === null
          ? page.entries.flatMap((e) => (e.originId === undefined || e.originId === null ? [] : [String(e.originId)]))
          : [];
      const ctx = {
        accountId: this.accountId,
        policy: await policy,
        parentId,
        parentPath,
        originPaths: await paths.read(origins, signal),
      };
      for (const e of page.entries) buffer.push(toTrashItem(e, ctx));
      if (first || buffer.length >= CHUNK) {
        yield first ? { items: buffer, total: page.total } : { items: buffer };
        buffer = [];
        first = false;
      }
    }
    if (buffer.length > 0) yield { items: buffer };
  }

  /**
   * The top-level items deleted at or after `after`, newest first, a page or two instead of the whole trash
   * (changes.ts).
   */
  async *listTrashNewest(after: string, signal?: AbortSignal): AsyncIterable<{ items: TrashItem[] }> {
    const policy = await this.autoCleanup(signal).catch(() => null);
    const paths = new OriginPaths(this.api);
    for await (const entries of readNewest(this.api, Date.parse(after), signal)) {
      const origins = entries.flatMap((e) =>
        e.originId === undefined || e.originId === null ? [] : [String(e.originId)],
      );
      const ctx = {
        accountId: this.accountId,
        policy,
        parentId: null,
        parentPath: null,
        originPaths: await paths.read(origins, signal),
      };
      yield { items: entries.map((e) => toTrashItem(e, ctx)) };
    }
  }

  /**
   * Where the items of a browsed trashed folder came from: the full original path of the trashed
   * folder at the top (its breadcrumbs run Trash / top / … / this folder; the top's own entry names
   * its origin), then the folders down to this one. The folder's own name when that cannot be read.
   */
  private async browsedPath(current: ItemDto | null, paths: OriginPaths, signal?: AbortSignal): Promise<string | null> {
    if (!current) return null;
    try {
      const crumbs = await this.api.call(
        { method: 'GET', path: `files/folder/${encodeId(current.id)}/path`, signal },
        replies.folderPath,
      );
      const inTrash = crumbs.findIndex((c) => c.type === FOLDER_TYPE.TRASH);
      const below = inTrash === -1 ? crumbs : crumbs.slice(inTrash + 1);
      const top = below[0];
      if (!top) return current.title;
      const topEntry = await this.api.call(
        { method: 'GET', path: `files/folder/${encodeId(top.id)}`, signal },
        replies.folder,
      );
      const originId = topEntry.originId === undefined || topEntry.originId === null ? null : String(topEntry.originId);
      const origin = originId
        ? ((await paths.read([originId], signal)).get(originId) ?? originDisplay(topEntry))
        : originDisplay(topEntry);
      return [origin, ...below.map((c) => c.title)].filter((x) => x).join(' / ');
    } catch (e) {
      if (isAppError(e) && (e.code === 'CANCELLED' || e.code === 'AUTH_FAILED')) throw e;
      return current.title;
    }
  }

  /** DocSpace ids ("file:123") do not say which trashed folder holds them. */
  parentOf(): string | null {
    return null;
  }
}
