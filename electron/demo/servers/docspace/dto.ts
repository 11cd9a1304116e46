import { createHash } from 'node:crypto';
import type { TreeNode } from '../tree';
import { isPreviewableImage } from '../png';
import { FolderType, type DocSpaceState, type DsUser, type FileVersion, type Operation } from './state';

/**
 * DocSpace's JSON shapes as the server writes them: camelCase, null fields omitted
 * (JsonIgnoreCondition.WhenWritingNull), enums as numbers, dates as ApiDateTime
 * ("2026-11-25T20:30:00.0000000+00:00"), `security` keyed by FilesSecurityActions names, and the
 * file operation's type under a capital "Operation".
 */

export const apiDate = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000+00:00');

const EXT_TYPES: Record<string, number> = {
  // FileType: 1 Archive, 2 Video, 3 Audio, 4 Image, 5 Spreadsheet, 6 Presentation, 7 Document, 10 Pdf
  zip: 1,
  rar: 1,
  '7z': 1,
  mp4: 2,
  mov: 2,
  avi: 2,
  mp3: 3,
  wav: 3,
  jpg: 4,
  jpeg: 4,
  png: 4,
  gif: 4,
  heic: 4,
  xlsx: 5,
  xls: 5,
  ods: 5,
  csv: 5,
  pptx: 6,
  ppt: 6,
  odp: 6,
  docx: 7,
  doc: 7,
  odt: 7,
  txt: 7,
  md: 7,
  rtf: 7,
  pdf: 10,
};

export const extOf = (title: string) => {
  const dot = title.lastIndexOf('.');
  return dot > 0 ? title.slice(dot).toLowerCase() : '';
};
export const fileTypeOf = (title: string) => EXT_TYPES[extOf(title).slice(1)] ?? 0;

const humanSize = (n: number) => {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
};

const SECURITY_KEYS = [
  'Read',
  'Comment',
  'FillForms',
  'Review',
  'Create',
  'Edit',
  'Delete',
  'Rename',
  'Copy',
  'CopyTo',
  'Move',
  'MoveTo',
  'Download',
  'Duplicate',
  'Pin',
  'Mute',
  'EditAccess',
] as const;
const security = (allowed: readonly string[]) => Object.fromEntries(SECURITY_KEYS.map((k) => [k, allowed.includes(k)]));
const FULL = security(SECURITY_KEYS);
const IN_TRASH = security(['Read', 'Delete', 'Copy', 'Move', 'Download']);
const READ_ONLY = security(['Read', 'Copy', 'Download']);
const ROOMS_ROOT = security(['Read', 'Create']);

export class Dtos {
  constructor(
    private readonly state: DocSpaceState,
    private readonly baseUrl: () => string,
  ) {}

  private employees = new Map<string, { guid: string; dto: Record<string, unknown> }>();

  employee(userId: string | undefined) {
    const user = userId ? this.state.users.get(userId) : undefined;
    if (!user) return undefined;
    const cached = this.employees.get(user.id);
    if (cached && cached.guid === user.guid) return cached.dto;
    const dto = {
      id: user.guid,
      displayName: user.displayName,
      avatarSmall: '/static/images/default_user_photo_size_32-32.png',
      profileUrl: `${this.baseUrl()}/accounts/people/filter?search=${encodeURIComponent(user.email)}`,
      hasAvatar: false,
      isAnonim: false,
    };
    this.employees.set(user.id, { guid: user.guid, dto });
    return dto;
  }

  self(user: DsUser) {
    return {
      firstName: user.firstName,
      lastName: user.lastName,
      userName: user.email.split('@')[0],
      email: user.email,
      status: 1,
      activationStatus: 1,
      department: '',
      workFrom: apiDate(Date.UTC(2023, 0, 9)),
      isAdmin: user.isAdmin,
      isRoomAdmin: false,
      isLDAP: false,
      isOwner: user.isAdmin,
      isVisitor: false,
      isCollaborator: false,
      mobilePhoneActivationStatus: 0,
      isSSO: false,
      quotaLimit: -1,
      usedSpace: 0,
      ...this.employee(user.id)!,
    };
  }

  private securityOf(node: TreeNode): Record<string, boolean> {
    const { area } = this.state.locate(node);
    if (area === 'trash') return IN_TRASH;
    if (node.id === this.state.roomsRootId) return ROOMS_ROOT;
    if (
      area === 'rooms' &&
      !this.state.canWriteInto(node.kind === 'folder' ? node : this.state.tree.node(node.parent!))
    )
      return READ_ONLY;
    return FULL;
  }

  private rootInfo(node: TreeNode, viewer: DsUser): { rootFolderType: number; rootFolderId: number } {
    const { area, top } = this.state.locate(node);
    if (area === 'trash') return { rootFolderType: FolderType.TRASH, rootFolderId: viewer.trashId };
    if (area === 'rooms') return { rootFolderType: FolderType.VirtualRooms, rootFolderId: this.state.roomsRootId };
    return { rootFolderType: FolderType.USER, rootFolderId: top.id };
  }

  private folderTitle(id: number, viewer: DsUser): string | undefined {
    if (id === this.state.roomsRootId) return 'Rooms';
    if (id === viewer.trashId) return 'Trash';
    const node = this.state.node(id);
    if (!node) return undefined;
    if (node.parent === null && node.trashEntry === null) return 'My documents';
    return this.state.title(node);
  }

  /** Shared fields of FileEntryDto<int>. */
  private base(node: TreeNode, viewer: DsUser) {
    const meta = this.state.meta.get(node.id);
    const topTrash = node.trashEntry === node.id;
    const root = this.rootInfo(node, viewer);
    let origin: Record<string, unknown> = {};
    let autoDelete: string | undefined;
    if (topTrash) {
      // EntryManager.SetOriginsAsync: no origin fields at all once the origin folder is gone.
      const originId = this.state.originOf(node, node.owner);
      const originNode = this.state.node(originId);
      const room = originNode ? this.state.roomOf(originNode) : null;
      origin = originNode
        ? {
            originId,
            originTitle: this.folderTitle(originId, viewer),
            ...(room ? { originRoomId: room.id, originRoomTitle: this.state.title(room) } : {}),
          }
        : {};
      const policy = viewer.autoCleanup;
      if (policy.isAutoCleanUp) autoDelete = apiDate(addGap(node.mtime, policy.gap));
    }
    return {
      id: node.id,
      rootFolderId: root.rootFolderId,
      ...origin,
      canShare: false,
      security: this.securityOf(node),
      title: this.state.title(node),
      access: 0,
      shared: false,
      sharedForUser: false,
      sharedExternal: false,
      parentShared: false,
      shortWebUrl: '',
      created: apiDate(meta?.created ?? node.mtime),
      createdBy: this.employee(meta?.createdBy ?? (node.owner === '__rooms__' ? undefined : node.owner)),
      updated: apiDate(Math.max(node.mtime, meta?.created ?? 0)),
      autoDelete,
      rootFolderType: root.rootFolderType,
      updatedBy: this.employee(
        meta?.modifiedBy ?? meta?.createdBy ?? (node.owner === '__rooms__' ? undefined : node.owner),
      ),
    };
  }

  parentIdOf(node: TreeNode, viewer: DsUser): number {
    if (node.trashEntry === node.id) return viewer.trashId;
    return node.parent ?? 0;
  }

  /**
   * FileDto of a file's current version, or of an earlier one (GET file/{id}?version=N, the
   * file/{id}/history list): version, versionGroup, size, comment, updated and updatedBy are that
   * version's.
   */
  file(node: TreeNode, viewer: DsUser, of?: FileVersion) {
    const v = of ?? this.state.currentVersion(node);
    const title = this.state.title(node);
    const base = this.base(node, viewer);
    return {
      folderId: this.parentIdOf(node, viewer),
      version: v.version,
      versionGroup: v.versionGroup,
      contentLength: humanSize(v.size),
      pureContentLength: v.size || undefined,
      fileStatus: 0,
      mute: false,
      viewUrl: `${this.baseUrl()}/filehandler.ashx?action=download&fileid=${node.id}${of ? `&version=${v.version}` : ''}`,
      webUrl: `${this.baseUrl()}/doceditor?fileid=${node.id}&version=${v.version}`,
      fileType: fileTypeOf(title),
      fileExst: extOf(title),
      comment: v.comment,
      // Thumbnail: 1 Created for images (the thumbnail builder has run), 0 Waiting otherwise; the URL is
      // set only when Created (FileDtoHelper), with &hash= from the entry's update time.
      thumbnailStatus: isPreviewableImage(node.contentType) ? 1 : 0,
      ...(isPreviewableImage(node.contentType)
        ? {
            thumbnailUrl: `${this.baseUrl()}/filehandler.ashx?action=thumb&fileid=${node.id}&version=${v.version}&hash=${Math.abs(Math.floor(node.mtime / 1000) % 2147483647)}`,
          }
        : {}),
      formFillingStatus: 0,
      ...base,
      ...(of
        ? {
            updated: apiDate(v.modifiedOn),
            updatedBy: this.employee(v.modifiedBy ?? this.state.meta.get(node.id)?.createdBy ?? node.owner),
          }
        : {}),
      fileEntryType: 2,
    };
  }

  /**
   * EditHistoryDto (GET file/{id}/edit/history, POST file/{id}/restoreversion): id, key, version,
   * versionGroup, user {id, name}, created (the version's ModifiedOn), changes (empty: no editor
   * change log here); changesHistory and serverVersion are null and so omitted.
   */
  editHistory(node: TreeNode, v: FileVersion) {
    const meta = this.state.meta.get(node.id);
    const who = this.state.users.get(v.modifiedBy ?? meta?.createdBy ?? node.owner);
    return {
      id: node.id,
      key: docKey(node.id, v.version, meta?.created ?? node.mtime),
      version: v.version,
      versionGroup: v.versionGroup,
      user: who
        ? { id: who.guid, name: who.displayName }
        : { id: '00000000-0000-0000-0000-000000000000', name: 'Guest' },
      created: apiDate(v.modifiedOn),
      changes: [] as unknown[],
    };
  }

  folder(node: TreeNode, viewer: DsUser) {
    const children = this.state.childrenOf(node.id);
    const room = this.state.meta.get(node.id)?.room;
    const isMyRoot = node.parent === null && node.trashEntry === null && node.id !== this.state.roomsRootId;
    const isRoomsRoot = node.id === this.state.roomsRootId;
    const type = isRoomsRoot
      ? FolderType.VirtualRooms
      : isMyRoot
        ? FolderType.USER
        : room
          ? roomFolderType(room.roomType)
          : FolderType.DEFAULT;
    return {
      parentId: this.parentIdOf(node, viewer),
      filesCount: children.filter((c) => c.kind === 'file').length,
      foldersCount: children.filter((c) => c.kind === 'folder').length,
      new: 0,
      mute: false,
      pinned: false,
      private: false,
      indexing: false,
      denyDownload: false,
      roomType: room?.roomType,
      type,
      ...this.base(node, viewer),
      title: isMyRoot ? 'My documents' : isRoomsRoot ? 'Rooms' : this.state.title(node),
      fileEntryType: 1,
    };
  }

  entry(node: TreeNode, viewer: DsUser) {
    return node.kind === 'folder' ? this.folder(node, viewer) : this.file(node, viewer);
  }

  /** The Trash section itself (no tree node). */
  private trashCounts = new Map<string, { stamp: string; files: number; folders: number }>();

  trashFolder(viewer: DsUser) {
    const stamp = this.state.stamp();
    let counts = this.trashCounts.get(viewer.id);
    if (!counts || counts.stamp !== stamp) {
      let files = 0;
      for (const n of this.state.trashOf(viewer.id)) if (n.kind === 'file') files++;
      counts = { stamp, files, folders: this.state.trashOf(viewer.id).length - files };
      this.trashCounts.set(viewer.id, counts);
    }
    return {
      parentId: 0,
      filesCount: counts.files,
      foldersCount: counts.folders,
      new: 0,
      mute: false,
      pinned: false,
      private: false,
      indexing: false,
      denyDownload: false,
      type: FolderType.TRASH,
      id: viewer.trashId,
      rootFolderId: viewer.trashId,
      canShare: false,
      security: security(['Read', 'Delete']),
      title: 'Trash',
      access: 0,
      shared: false,
      created: apiDate(Date.UTC(2023, 0, 9)),
      createdBy: this.employee(viewer.id),
      updated: apiDate(Date.UTC(2023, 0, 9)),
      rootFolderType: FolderType.TRASH,
      updatedBy: this.employee(viewer.id),
      fileEntryType: 1,
    };
  }

  operation(op: Operation, viewer: DsUser) {
    let files: unknown[] | undefined;
    let folders: unknown[] | undefined;
    if (op.type !== 2 && op.result.length) {
      files = [];
      folders = [];
      for (const r of op.result) {
        const [kind, id] = r.split('_') as [string, string];
        const node = this.state.node(Number(id));
        if (!node) continue;
        if (kind === 'file' && node.kind === 'file') files.push(this.file(node, viewer));
        if (kind === 'folder' && node.kind === 'folder') folders.push(this.folder(node, viewer));
      }
    }
    return {
      id: op.id,
      Operation: op.type,
      progress: op.progress,
      error: op.error ?? undefined,
      processed: String(op.processed),
      finished: op.finished,
      files: files?.length ? files : undefined,
      folders: folders?.length ? folders : undefined,
      status: op.status,
    };
  }
}

const roomFolderType = (roomType: number) =>
  ({ 1: FolderType.FillingFormsRoom, 2: FolderType.EditingRoom, 5: FolderType.CustomRoom, 6: FolderType.PublicRoom })[
    roomType
  ] ?? FolderType.CustomRoom;

/** DateToAutoCleanUp: 1 OneWeek, 2 TwoWeeks, 3 OneMonth, 4 ThirtyDays, 5 TwoMonths, 6 ThreeMonths. */
export function addGap(ms: number, gap: number): number {
  const d = new Date(ms);
  switch (gap) {
    case 1:
      return ms + 7 * 86_400_000;
    case 2:
      return ms + 14 * 86_400_000;
    case 3:
      d.setUTCMonth(d.getUTCMonth() + 1);
      return d.getTime();
    case 5:
      d.setUTCMonth(d.getUTCMonth() + 2);
      return d.getTime();
    case 6:
      d.setUTCMonth(d.getUTCMonth() + 3);
      return d.getTime();
    default:
      return ms + 30 * 86_400_000;
  }
}

/**
 * A document key as DocumentServiceHelper.GetDocKeyAsync makes it: a hash of the file id, version
 * and creation time, base64 with everything but [0-9a-zA-Z_] turned into "_" (GenerateRevisionId).
 * Opaque to clients.
 */
export function docKey(id: number, version: number, createdOn: number): string {
  return createHash('sha256')
    .update(`teamlab_${id}_${version}_${createdOn}`)
    .digest('base64')
    .replace(/[^0-9a-zA-Z_]/g, '_');
}

/**
 * DateTime.ToString("g") in en-US as FileEntry.ModifiedOnString writes it ("1/9/2023 3:04 PM"),
 * in the tenant's time zone (UTC here).
 */
export function shortDateTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${String(d.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}
