import { AppError } from '../../base/errors';
import type { Conflict, TrashItem } from '../../../shared/model';
import type { RestoreTarget } from '../types';
import { selectionClashes } from '../selection';
import type { DocSpaceApi } from './api';
import { canWriteInto, isFolderDto, itemId, replies, splitIds, type EntryDto } from './dto';
import { joinPath, type DocSpaceFolders } from './folders';
import { readAllEntries } from './pages';

/** Which items would meet a same-titled entry where they go (GET fileops/move), and what is there. */

/** Ids per conflict pre-check request (they travel in the query string). */
const CHECK_BATCH = 100;

/** DocSpace compares titles exactly, and a file and a folder may share one. */
export const titleKey = (item: { kind: 'file' | 'folder'; name: string }) => `${item.kind}:${item.name}`;

export const entryTitleKey = (e: EntryDto) => titleKey({ kind: isFolderDto(e) ? 'folder' : 'file', name: e.title });

export class DocSpaceConflicts {
  constructor(
    private readonly api: DocSpaceApi,
    private readonly folders: DocSpaceFolders,
  ) {}

  async findConflicts(
    items: TrashItem[],
    target: RestoreTarget,
    signal?: AbortSignal,
  ): Promise<{ conflicts: Conflict[]; missingFolders: string[] }> {
    const { groups, orphans } = this.groupByDestination(items, target);
    const conflicts: Conflict[] = [];
    const missing = new Set<string>();
    for (const item of orphans) missing.add(item.originalFolder || `the original folder of "${item.name}"`);
    for (const [destId, group] of groups) {
      const dest = await this.folders.destination(destId, signal);
      if (!dest) {
        missing.add(target.kind === 'original' ? group[0]!.originalFolder || `folder ${destId}` : `folder ${destId}`);
        continue;
      }
      if (!canWriteInto(dest.entry))
        throw new AppError('FORBIDDEN', `You cannot add items to "${dest.path}". Choose another folder.`);
      const conflicting = await this.preCheck(destId, group, signal);
      const existing = conflicting.size ? await this.entriesByTitle(destId, signal) : new Map<string, EntryDto[]>();
      for (const item of group) {
        if (conflicting.has(item.id)) conflicts.push(this.conflictFor(item, dest.path, existing));
      }
      // Two selected items with the same title and kind bound for this folder (DocSpace lets a file and a folder share
      // a title).
      const asked = new Set(conflicts.map((c) => c.itemKey));
      conflicts.push(
        ...selectionClashes(
          group,
          (item) => ({ key: titleKey(item), targetPath: joinPath(dest.path, item.name) }),
          asked,
        ),
      );
    }
    return { conflicts, missingFolders: [...missing] };
  }

  groupByDestination(items: TrashItem[], target: RestoreTarget) {
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
  async preCheck(destId: string, items: TrashItem[], signal?: AbortSignal): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < items.length; i += CHECK_BATCH) {
      const ids = splitIds(items.slice(i, i + CHECK_BATCH));
      const list = await this.api.call(
        {
          method: 'GET',
          path: 'files/fileops/move',
          query: { destFolderId: destId, fileIds: ids.files, folderIds: ids.folders },
          signal,
        },
        replies.conflicts,
      );
      for (const e of list) out.add(itemId(e));
    }
    return out;
  }

  /** The destination's entries by kind and title (DocSpace compares titles exactly). */
  async entriesByTitle(destId: string, signal?: AbortSignal): Promise<Map<string, EntryDto[]>> {
    const { entries } = await readAllEntries(this.api, `files/${encodeURIComponent(destId)}`, {}, signal);
    const map = new Map<string, EntryDto[]>();
    for (const e of entries) {
      const key = entryTitleKey(e);
      const list = map.get(key) ?? [];
      list.push(e);
      map.set(key, list);
    }
    return map;
  }

  conflictFor(item: TrashItem, destPath: string, existing: Map<string, EntryDto[]>): Conflict {
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
}
