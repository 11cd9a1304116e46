import { AppError } from '../../base/errors';
import { itemKey, type FolderRef, type TrashItem } from '../../../shared/model';

/**
 * The parts of DocSpace's DTOs Salvage reads (ASC.Files.Core.ApiModels.ResponseDto). Null fields are
 * omitted by the server (JsonIgnoreCondition.WhenWritingNull), enums are numbers, and `security`
 * is a map from FilesSecurityActions names to booleans.
 */

/** Numeric ids for portal storage, strings for third-party storage. */
export type DsId = number | string;

export interface EntryDto {
  id: DsId;
  title: string;
  /** 1 folder, 2 file (FileEntryType). */
  fileEntryType: number;
  created?: string;
  updated?: string;
  autoDelete?: string;
  rootFolderType?: number;
  rootFolderId?: DsId;
  originId?: DsId;
  originTitle?: string;
  originRoomId?: DsId;
  originRoomTitle?: string;
  security?: Record<string, boolean>;
  updatedBy?: { id?: string; displayName?: string };
  createdBy?: { id?: string; displayName?: string };
  // files
  folderId?: DsId;
  fileExst?: string;
  pureContentLength?: number;
  version?: number;
  // folders
  parentId?: DsId;
  filesCount?: number;
  foldersCount?: number;
  roomType?: number;
  /** FolderType of the folder itself. */
  type?: number;
  isRoom?: boolean;
}

export interface FolderContentDto {
  files?: EntryDto[];
  folders?: EntryDto[];
  current?: EntryDto;
  startIndex?: number;
  count?: number;
  total?: number;
}

export interface FileOperationDto {
  id: string;
  /** FileOperationType: 0 Move, 1 Copy, 2 Delete, ... — serialised with a capital O. */
  Operation?: number;
  progress?: number;
  error?: string;
  processed?: string;
  finished?: boolean;
  files?: EntryDto[];
  folders?: EntryDto[];
  status?: number;
}

export interface AutoCleanupDto {
  isAutoCleanUp?: boolean;
  /** DateToAutoCleanUp: 1 OneWeek, 2 TwoWeeks, 3 OneMonth, 4 ThirtyDays, 5 TwoMonths, 6 ThreeMonths. */
  gap?: number;
}

export const FOLDER_TYPE = { TRASH: 3, USER: 5, VirtualRooms: 14, Archive: 20 } as const;
export const OPERATION = { Move: 0, Copy: 1, Delete: 2 } as const;
export const CONFLICT_RESOLVE = { Skip: 0, Overwrite: 1, Duplicate: 2 } as const;

export const isFolderDto = (e: { fileEntryType: number }) => e.fileEntryType === 1;

/** Salvage's ids keep files and folders apart: DocSpace numbers them in separate tables. */
export const itemId = (e: { id: DsId; fileEntryType: number }) => `${isFolderDto(e) ? 'folder' : 'file'}:${e.id}`;

export function parseItemId(id: string): { kind: 'file' | 'folder'; dsId: DsId } {
  const m = /^(file|folder):(.+)$/.exec(id);
  if (!m) throw new AppError('INVALID_INPUT', `"${id}" is not a DocSpace item id.`);
  return { kind: m[1] as 'file' | 'folder', dsId: toDsId(m[2]!) };
}

/** Digits go back to numbers (portal storage), anything else stays a string (third-party storage). */
export const toDsId = (s: string): DsId => (/^\d+$/.test(s) ? Number(s) : s);

export function checkEntries(list: unknown, what: string): EntryDto[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new AppError('BAD_RESPONSE', `DocSpace sent an unreadable ${what}.`);
  for (const e of list as unknown[]) {
    const entry = e as Partial<EntryDto> | null;
    if (!entry || (typeof entry.id !== 'number' && typeof entry.id !== 'string') || typeof entry.title !== 'string') {
      throw new AppError('BAD_RESPONSE', `DocSpace sent an unreadable entry in the ${what}.`);
    }
  }
  return list as EntryDto[];
}

export function checkContent(value: unknown, what: string): FolderContentDto {
  if (!value || typeof value !== 'object') throw new AppError('BAD_RESPONSE', `DocSpace sent an unreadable ${what}.`);
  const content = value as FolderContentDto;
  return { ...content, files: checkEntries(content.files, what), folders: checkEntries(content.folders, what) };
}

const DAY = 86_400_000;

/** When an item deleted at `deletedAt` is purged under the auto-cleanup policy (null when off). */
export function expiryFromPolicy(deletedAt: string | undefined, policy: AutoCleanupDto | null): string | null {
  if (!deletedAt || !policy?.isAutoCleanUp || !policy.gap) return null;
  const at = new Date(deletedAt);
  if (Number.isNaN(at.getTime())) return null;
  switch (policy.gap) {
    case 1:
      return new Date(at.getTime() + 7 * DAY).toISOString();
    case 2:
      return new Date(at.getTime() + 14 * DAY).toISOString();
    case 3:
      at.setUTCMonth(at.getUTCMonth() + 1);
      return at.toISOString();
    case 4:
      return new Date(at.getTime() + 30 * DAY).toISOString();
    case 5:
      at.setUTCMonth(at.getUTCMonth() + 2);
      return at.toISOString();
    case 6:
      at.setUTCMonth(at.getUTCMonth() + 3);
      return at.toISOString();
    default:
      return null;
  }
}

const iso = (s: string | undefined): string | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** "Room / Folder", "Folder", or the room alone when the item was deleted from the room's top. */
export function originDisplay(e: EntryDto): string {
  const room = e.originRoomTitle?.trim();
  const folder = e.originTitle?.trim();
  if (room && folder && String(e.originRoomId) !== String(e.originId) && room !== folder) return `${room} / ${folder}`;
  return folder || room || '';
}

export interface MapContext {
  accountId: string;
  policy: AutoCleanupDto | null;
  /** The trashed folder being browsed (TrashItem id), or null for the trash itself. */
  parentId: string | null;
  /** Display path of the trashed folder being browsed. */
  parentPath: string | null;
}

export function toTrashItem(e: EntryDto, ctx: MapContext): TrashItem {
  const folder = isFolderDto(e);
  const id = itemId(e);
  const ext = folder ? '' : (e.fileExst ?? '').replace(/^\./, '').toLowerCase();
  const top = ctx.parentId === null;
  // The server stamps ModifiedOn when it moves an entry into the trash, so `updated` is when it was deleted.
  const deletedAt = top ? iso(e.updated) : null;
  const expiresAt = top ? (iso(e.autoDelete) ?? expiryFromPolicy(e.updated, ctx.policy)) : null;
  return {
    key: itemKey(ctx.accountId, id),
    accountId: ctx.accountId,
    id,
    name: e.title,
    kind: folder ? 'folder' : 'file',
    size: folder ? null : (e.pureContentLength ?? 0),
    deletedAt,
    originalFolder: top ? originDisplay(e) : (ctx.parentPath ?? ''),
    originalFolderId: top && e.originId !== undefined && e.originId !== 0 && e.originId !== '' ? String(e.originId) : null,
    expiresAt,
    mimeType: null,
    ext,
    deletedBy: top ? (e.updatedBy?.displayName ?? null) : null,
    parentId: ctx.parentId,
  };
}

/** A folder is a restore target only when its security allows MoveTo and Create; the Rooms root never is. */
export function canWriteInto(e: EntryDto): boolean {
  if (e.type === FOLDER_TYPE.VirtualRooms || e.type === FOLDER_TYPE.TRASH || e.type === FOLDER_TYPE.Archive) return false;
  if (e.rootFolderType === FOLDER_TYPE.TRASH || e.rootFolderType === FOLDER_TYPE.Archive) return false;
  return e.security?.MoveTo === true && e.security?.Create === true;
}

export function toFolderRef(e: EntryDto, accountId: string, path: string): FolderRef {
  return {
    accountId,
    id: String(e.id),
    name: e.title,
    path,
    canWrite: canWriteInto(e),
    hasChildren: e.foldersCount === undefined ? null : e.foldersCount > 0,
  };
}
