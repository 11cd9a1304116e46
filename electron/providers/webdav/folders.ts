import { AppError } from '../../base/errors';
import { forEachLimited } from '../../base/async';
import type { Conflict, FolderRef, TrashItem } from '../../../shared/model';
import type { RestoreTarget } from '../types';
import { selectionClashes } from '../selection';
import { decodeHref, displayPath, folderSegments } from './paths';
import { STAT_BODY, statOf, type Stat, type WebDavSession } from './requests';

/**
 * The live files tree as a restore sees it: folders to pick and create, where each item would go, and what is in the
 * way there.
 */

const folderName = (segments: string[]) => segments[segments.length - 1] ?? '';

/** A folder may take new items unless its ownCloud permissions say otherwise (C/K create rights). */
export const writable = (permissions: string | null) => permissions === null || /[CK]/.test(permissions);

export class Folders {
  constructor(private readonly s: WebDavSession) {}

  // ---------------------------------------------------------------- folders

  private folderRef(segments: string[], stat: Stat | null): FolderRef {
    return {
      accountId: this.s.account.id,
      id: displayPath(segments),
      name: this.s.dialect.spaces
        ? this.s.dialect.spaces.folderName(this.s.ctx, segments)
        : segments.length
          ? folderName(segments)
          : 'Home',
      path: this.s.dialect.spaces ? this.s.dialect.spaces.show(this.s.ctx, segments) : displayPath(segments),
      canWrite: writable(stat?.permissions ?? null),
      hasChildren: null,
    };
  }

  async listFolders(parentId: string | null, signal?: AbortSignal) {
    const segments = folderSegments(parentId);
    await this.s.prepare(signal);
    const found = await this.s.propfind(this.s.filesPath(segments), '1', STAT_BODY, signal);
    if (!found) throw new AppError('NOT_FOUND', `The folder ${displayPath(segments)} does not exist.`);
    const self = this.s.filesPath(segments).replace(/\/+$/, '');
    let selfStat: Stat | null = null;
    const children: FolderRef[] = [];
    for (const r of found) {
      const path = decodeHref(r.href).replace(/\/+$/, '');
      if (path === self) {
        selfStat = statOf(r);
        continue;
      }
      if (!r.collection) continue;
      children.push(this.folderRef([...segments, path.slice(path.lastIndexOf('/') + 1)], statOf(r)));
    }
    children.sort((a, b) => a.name.localeCompare(b.name));
    // oCIS: the personal root also leads into each project space (a viewer's cannot take restores).
    if (this.s.dialect.spaces && segments.length === 0) {
      for (const space of this.s.ctx.spaces ?? []) {
        if (!space.personal)
          children.push({
            ...this.folderRef(this.s.dialect.spaces.rootOf(space), null),
            canWrite: space.role !== 'viewer',
          });
      }
    }
    const breadcrumbs = segments.map((_, i) => this.folderRef(segments.slice(0, i), null));
    return {
      folder: this.folderRef(segments, selfStat),
      children,
      breadcrumbs: [...breadcrumbs, this.folderRef(segments, selfStat)],
    };
  }

  async createFolder(parentId: string, name: string, signal?: AbortSignal): Promise<FolderRef> {
    const clean = name.trim();
    if (
      !clean ||
      clean === '.' ||
      clean === '..' ||
      clean.includes('/') ||
      clean.includes('\\') ||
      clean.includes('\0')
    ) {
      throw new AppError('INVALID_INPUT', 'A folder name cannot be empty or contain "/" or "\\".');
    }
    const segments = [...folderSegments(parentId), clean];
    await this.s.prepare(signal);
    const res = await this.s.send('MKCOL', this.s.filesPath(segments), { signal, idempotent: false });
    if (res.status === 405) {
      await res.body?.cancel();
      throw new AppError('CONFLICT', `A folder or file named "${clean}" already exists here.`, { status: 405 });
    }
    if (res.status !== 201) {
      throw await this.s.failure(res, {
        409: `The folder ${displayPath(segments.slice(0, -1))} does not exist.`,
        403: 'You may not create folders here.',
      });
    }
    await res.body?.cancel();
    return this.folderRef(segments, null);
  }

  // ---------------------------------------------------------------- conflicts

  /** Where an item would go: its target folder segments and name. Throws when the original place is unknown. */
  destination(item: TrashItem, target: RestoreTarget): { folder: string[]; name: string } {
    if (target.kind === 'folder') {
      const folder = folderSegments(target.folderId);
      const refusal = this.s.dialect.spaces?.restoreRefusal(this.s.ctx, item, folder);
      if (refusal) throw refusal;
      return { folder, name: item.name };
    }
    if (item.originalFolderId === null) {
      throw new AppError(
        'BAD_RESPONSE',
        'The server did not give a usable original location for this item; restore it into a folder instead.',
      );
    }
    const folder = folderSegments(item.originalFolderId);
    const refusal = this.s.dialect.spaces?.restoreRefusal(this.s.ctx, item, folder);
    if (refusal) throw refusal;
    return { folder, name: item.name };
  }

  conflictFor(item: TrashItem, folder: string[], name: string, existing: Stat): Conflict {
    return {
      itemKey: item.key,
      name,
      targetPath: displayPath([...folder, name]),
      source: 'existing',
      otherKey: null,
      trashed: { size: item.size, deletedAt: item.deletedAt, kind: item.kind },
      existing: { size: existing.size, modifiedAt: existing.modifiedAt, kind: existing.kind },
      canReplace: true,
      note:
        existing.kind === 'folder' && item.kind === 'folder'
          ? 'Replace moves the existing folder, with everything in it, to the trash.'
          : 'Replace moves the existing item to the trash.',
    };
  }

  async findConflicts(items: TrashItem[], target: RestoreTarget, signal?: AbortSignal) {
    const conflicts: Conflict[] = [];
    const missing = new Set<string>();
    const listings = new Map<string, Promise<Map<string, Stat> | null>>();
    const controller = signal ?? new AbortController().signal;
    await this.s.prepare(signal);
    await forEachLimited(items, this.s.concurrency, controller, async (item) => {
      let dest: { folder: string[]; name: string };
      try {
        dest = this.destination(item, target);
      } catch {
        return;
      }
      const key = displayPath(dest.folder);
      let listing = listings.get(key);
      if (!listing) {
        listing = this.s.children(dest.folder, signal);
        listings.set(key, listing);
      }
      const children = await listing;
      if (!children) {
        missing.add(key);
        return;
      }
      const existing = children.get(dest.name);
      if (existing) conflicts.push(this.conflictFor(item, dest.folder, dest.name, existing));
    });
    // Two selected items bound for the same path (a file and a folder cannot share a name here).
    const asked = new Set(conflicts.map((c) => c.itemKey));
    const placeOf = (item: TrashItem) => {
      try {
        const dest = this.destination(item, target);
        const targetPath = displayPath([...dest.folder, dest.name]);
        return { key: targetPath, targetPath };
      } catch {
        return null;
      }
    };
    conflicts.push(...selectionClashes(items, placeOf, asked));
    return { conflicts, missingFolders: [...missing] };
  }
}
