import { AppError, isAppError } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import type { FolderRef, TrashItem } from '../../../shared/model';
import type { DocSpaceApi } from './api';
import { FOLDER_TYPE, isFolderDto, parseItemId, replies, toFolderRef, type ItemDto } from './dto';
import { PAGE_CONCURRENCY, readAllEntries } from './pages';

/** The live folders: My documents and the rooms, their paths, creating one, and where a restore may go. */

export const joinPath = (folder: string, name: string) => (folder ? `${folder} / ${name}` : name);

export class DocSpaceFolders {
  private roomsRootId: string | null = null;

  constructor(
    private readonly api: DocSpaceApi,
    private readonly accountId: string,
  ) {}

  async listFolders(
    parentId: string | null,
    signal?: AbortSignal,
  ): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    if (parentId === null || parentId === '') return this.rootFolders(signal);
    const isRooms = parentId === this.roomsRootId;
    const [listing, breadcrumbs] = await Promise.all([
      readAllEntries(
        this.api,
        isRooms ? 'files/rooms' : `files/${encodeURIComponent(parentId)}`,
        isRooms ? {} : { filterType: 2 },
        signal,
      ),
      this.breadcrumbs(parentId, signal),
    ]);
    const current = listing.current;
    if (!current) throw new AppError('BAD_RESPONSE', 'DocSpace did not describe the folder it listed.');
    if (current.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(current.id);
    const path = breadcrumbs.map((b) => b.name).join(' / ') || current.title;
    const folder = toFolderRef(current, this.accountId, path);
    const children = listing.entries
      .filter(isFolderDto)
      .map((e) => toFolderRef(e, this.accountId, joinPath(path, e.title)));
    return { folder, children, breadcrumbs: breadcrumbs.length ? breadcrumbs : [folder] };
  }

  async createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    const title = name.trim();
    if (!title) throw new AppError('INVALID_INPUT', 'A folder needs a name.');
    const entry = await this.api.call(
      { method: 'POST', path: `files/folder/${encodeURIComponent(parentId)}`, body: { title }, signal },
      replies.newFolder,
    );
    const crumbs = await this.breadcrumbs(String(entry.id), signal).catch(() => []);
    const path = crumbs.map((b) => b.name).join(' / ') || title;
    return toFolderRef(entry, this.accountId, path);
  }

  private async rootFolders(
    signal?: AbortSignal,
  ): Promise<{ folder: FolderRef; children: FolderRef[]; breadcrumbs: FolderRef[] }> {
    const root: FolderRef = {
      accountId: this.accountId,
      id: '',
      name: 'DocSpace',
      path: '',
      canWrite: false,
      hasChildren: true,
    };
    const [my, rooms] = await Promise.all([
      this.api
        .call({ method: 'GET', path: 'files/@my', query: { count: 1, startIndex: 0 }, signal }, replies.folderContent)
        .catch((e: unknown) => {
          if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // guests have no My documents
          throw e;
        }),
      this.api
        .call({ method: 'GET', path: 'files/rooms', query: { count: 1, startIndex: 0 }, signal }, replies.folderContent)
        .catch((e: unknown) => {
          if (isAppError(e) && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null; // a key without rooms:read
          throw e;
        }),
    ]);
    const children: FolderRef[] = [];
    const myCurrent = my?.current;
    if (myCurrent) children.push({ ...toFolderRef(myCurrent, this.accountId, myCurrent.title), hasChildren: null });
    const roomsCurrent = rooms?.current;
    if (roomsCurrent) {
      this.roomsRootId = String(roomsCurrent.id);
      children.push({
        ...toFolderRef(roomsCurrent, this.accountId, roomsCurrent.title),
        canWrite: false,
        hasChildren: null,
      });
    }
    return { folder: root, children, breadcrumbs: [root] };
  }

  private async breadcrumbs(folderId: string, signal?: AbortSignal): Promise<FolderRef[]> {
    const list = await this.api.call(
      { method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}/path`, signal },
      replies.folderPath,
    );
    const out: FolderRef[] = [];
    let path = '';
    for (const e of list) {
      path = joinPath(path, e.title);
      if (e.type === FOLDER_TYPE.VirtualRooms) this.roomsRootId = String(e.id);
      out.push(toFolderRef(e, this.accountId, path));
    }
    return out;
  }

  /**
   * Places for ordering a restore to original places (providers/places.ts): a folder item comes back
   * as its own id; an item's original folder lies within every folder of that folder's path (asked
   * once per folder: GET files/folder/{id}/path, which for a folder inside a trashed one runs
   * through the trashed one). Folders that are gone give no place.
   */
  async restorePlaces(
    items: TrashItem[],
    signal?: AbortSignal,
  ): Promise<Map<string, { self: string | null; within: string[] }>> {
    const chains = new Map<string, string[] | null>();
    for (const item of items) if (item.originalFolderId) chains.set(item.originalFolderId, null);
    await forEachLimited(
      [...chains.keys()],
      PAGE_CONCURRENCY,
      signal ?? new AbortController().signal,
      async (folderId) => {
        try {
          const list = await this.api.call(
            { method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}/path`, signal },
            replies.folderPath,
          );
          const ids = list.map((e) => String(e.id));
          if (ids[ids.length - 1] !== folderId) ids.push(folderId);
          chains.set(folderId, ids);
        } catch (e) {
          if (!(isAppError(e) && e.code === 'NOT_FOUND')) throw e;
        }
      },
    );
    const out = new Map<string, { self: string | null; within: string[] }>();
    for (const item of items) {
      const within = item.originalFolderId ? chains.get(item.originalFolderId) : null;
      if (!within) continue;
      out.set(item.key, { self: item.kind === 'folder' ? String(parseItemId(item.id).dsId) : null, within });
    }
    return out;
  }

  /** The destination folder and its display path, or null when it no longer exists. */
  async destination(folderId: string, signal?: AbortSignal): Promise<{ entry: ItemDto; path: string } | null> {
    let entry: ItemDto;
    try {
      entry = await this.api.call(
        { method: 'GET', path: `files/folder/${encodeURIComponent(folderId)}`, signal },
        replies.folder,
      );
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    if (entry.rootFolderType === FOLDER_TYPE.TRASH) return null; // the folder itself is in the trash
    const crumbs = await this.breadcrumbs(folderId, signal).catch(() => [] as FolderRef[]);
    return { entry, path: crumbs.map((c) => c.name).join(' / ') || entry.title };
  }
}
