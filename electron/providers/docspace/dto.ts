import { z } from 'zod';
import { AppError } from '../../base/errors';
import { itemKey, type FolderRef, type TrashItem } from '../../../shared/model';

/**
 * The parts of DocSpace's DTOs Salvage reads (ASC.Files.Core.ApiModels.ResponseDto), as zod
 * schemas the API client checks every answer against (see Reply). Null fields are omitted by the
 * server (JsonIgnoreCondition.WhenWritingNull), so every field but the ones Salvage cannot do
 * without is optional, and an explicit null is taken as absent too. Extra fields are welcome and
 * dropped: the objects strip rather than pass through, because copying the ~30 fields Salvage
 * does not read made a 1,000-entry page ~10× dearer to check (dto.test.ts measures it). Enums
 * are numbers, and `security` is a map from FilesSecurityActions names to booleans.
 */

/** A field the server may omit (or, in older versions, send as null). */
const maybe = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Numeric ids for portal storage, strings for third-party storage. */
export const DsId = z.union([z.number(), z.string()]);
export type DsId = z.infer<typeof DsId>;

const Person = z.object({ id: maybe(z.string()), displayName: maybe(z.string()) });

/** The fields of a file or folder entry (FileEntryDto, FileDto, FolderDto) that Salvage reads. */
const entryFields = {
  id: DsId,
  title: z.string(),
  /** 1 folder, 2 file (FileEntryType). */
  fileEntryType: z.number(),
  /** When it was modified; for a trashed entry, when it was deleted. */
  updated: maybe(z.string()),
  autoDelete: maybe(z.string()),
  rootFolderType: maybe(z.number()),
  originId: maybe(DsId),
  originTitle: maybe(z.string()),
  originRoomId: maybe(DsId),
  originRoomTitle: maybe(z.string()),
  /** FilesSecurityActions the user has on it; Salvage reads MoveTo and Create. */
  security: maybe(z.object({ MoveTo: maybe(z.boolean()), Create: maybe(z.boolean()) })),
  updatedBy: maybe(Person),
  // files
  fileExst: maybe(z.string()),
  pureContentLength: maybe(z.number()),
  version: maybe(z.number()),
  /** Thumbnail (ASC.Files.Core.Thumbnail): 0 Waiting, 1 Created, 2 Error, 3 NotRequired, 4 Creating. */
  thumbnailStatus: maybe(z.number()),
  /** Set only when the thumbnail is Created: <portal>/filehandler.ashx?action=thumb&fileid=…&version=…&hash=…. */
  thumbnailUrl: maybe(z.string()),
  // folders
  foldersCount: maybe(z.number()),
  /** FolderType of the folder itself. */
  type: maybe(z.number()),
};

/** An entry of a listing, where fileEntryType tells files and folders apart. */
export const EntryDto = z.object(entryFields);
export type EntryDto = z.infer<typeof EntryDto>;

/**
 * One item read on its own (a folder's info, a breadcrumb, a file's state for undo): the same
 * fields, with fileEntryType not needed (the route says what it is).
 */
export const ItemDto = z.object({ ...entryFields, fileEntryType: maybe(z.number()) });
export type ItemDto = z.infer<typeof ItemDto>;

export const FolderContentDto = z.object({
  files: maybe(z.array(EntryDto)),
  folders: maybe(z.array(EntryDto)),
  current: maybe(ItemDto),
  startIndex: maybe(z.number()),
  count: maybe(z.number()),
  total: maybe(z.number()),
});
export type FolderContentDto = z.infer<typeof FolderContentDto>;

export const FileOperationDto = z.object({
  id: z.string(),
  /** FileOperationType: 0 Move, 1 Copy, 2 Delete, ... — serialised with a capital O. */
  Operation: maybe(z.number()),
  progress: maybe(z.number()),
  error: maybe(z.string()),
  finished: maybe(z.boolean()),
});
export type FileOperationDto = z.infer<typeof FileOperationDto>;

/**
 * The operations a fileops call lists. Entries that are not operations of ours (no string id) are
 * passed over, as older portals list every operation of the user.
 */
export const FileOperationList = z.array(z.unknown()).transform((list) =>
  list.flatMap((o) => {
    const parsed = FileOperationDto.safeParse(o);
    return parsed.success ? [parsed.data] : [];
  }),
);

export const AutoCleanupDto = z.object({
  isAutoCleanUp: maybe(z.boolean()),
  /** DateToAutoCleanUp: 1 OneWeek, 2 TwoWeeks, 3 OneMonth, 4 ThirtyDays, 5 TwoMonths, 6 ThreeMonths. */
  gap: maybe(z.number()),
});
export type AutoCleanupDto = z.infer<typeof AutoCleanupDto>;

/** people/@self (EmployeeFullDto): who the API key belongs to. */
export const SelfDto = z.object({
  id: z.string(),
  displayName: maybe(z.string()),
  userName: maybe(z.string()),
  email: maybe(z.string()),
});

/** What a call's answer must look like, and what to call it when it does not. */
export interface Reply<T> {
  readonly schema: z.ZodType<T>;
  /** "folder listing": said in the error ("DocSpace sent an unreadable folder listing …"). */
  readonly what: string;
}

/** The answers Salvage reads, one per kind of call. */
export const replies = {
  self: { schema: SelfDto, what: 'description of the signed-in user' },
  autoCleanup: { schema: AutoCleanupDto, what: 'auto-cleanup setting' },
  folderContent: { schema: FolderContentDto, what: 'folder listing' },
  folder: { schema: ItemDto, what: 'folder' },
  item: { schema: ItemDto, what: 'file or folder' },
  newFolder: { schema: ItemDto, what: 'new folder' },
  folderPath: { schema: z.array(ItemDto), what: 'folder path' },
  conflicts: { schema: z.array(EntryDto), what: 'conflict check' },
  operations: { schema: FileOperationList, what: 'operation status' },
} satisfies Record<string, Reply<unknown>>;

/**
 * Checks a server answer against its schema: the value, or BAD_RESPONSE naming the first field
 * that is off ("files.3.title: expected string, received number").
 */
export function parseReply<T>(reply: Reply<T>, value: unknown, call?: { method: string; path: string }): T {
  const parsed = reply.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '';
  const why = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'unexpected shape';
  throw new AppError('BAD_RESPONSE', `DocSpace sent an unreadable ${reply.what} (${why}).`, {
    ...(call ? { request: `${call.method} ${call.path}` } : {}),
    ...(field ? { field } : {}),
  });
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

/** An id as it goes into a URL path. */
export const encodeId = (id: DsId) => encodeURIComponent(String(id));

/** Files and folders apart, as fileops calls take them. */
export function splitIds(items: { id: string }[]): { files: DsId[]; folders: DsId[] } {
  const files: DsId[] = [];
  const folders: DsId[] = [];
  for (const item of items) {
    const { kind, dsId } = parseItemId(item.id);
    (kind === 'file' ? files : folders).push(dsId);
  }
  return { files, folders };
}

const DAY = 86_400_000;

/** When an item deleted at `deletedAt` is purged under the auto-cleanup policy (null when off). */
export function expiryFromPolicy(deletedAt: string | null | undefined, policy: AutoCleanupDto | null): string | null {
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

const iso = (s: string | null | undefined): string | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * What the entry itself says of where it came from, when its folder's full path could not be read:
 * "Room / Folder", "Folder", or the room alone when the item was deleted from the room's top.
 */
export function originDisplay(e: ItemDto): string {
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
  /** Display path of the trashed folder being browsed: its original folder's full path, then its own name. */
  parentPath: string | null;
  /**
   * Full display paths of origin folders by id ("My documents / Reports / 2024", "Rooms / Marketing / Q4"), where read.
   */
  originPaths?: ReadonlyMap<string, string>;
}

/**
 * A folder's full display path from its breadcrumbs (GET files/folder/{id}/path): "My documents /
 * Reports / 2024", "Rooms / Marketing / Q4" — the names the folder tree shows. Null for a folder
 * that is itself in the trash (its place is no longer a place to go back to).
 */
export function folderPathDisplay(crumbs: readonly ItemDto[]): string | null {
  if (crumbs.length === 0 || crumbs.some((c) => c.type === FOLDER_TYPE.TRASH || c.rootFolderType === FOLDER_TYPE.TRASH))
    return null;
  return crumbs.map((c) => c.title).join(' / ');
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
    originalFolder: top
      ? ((e.originId !== undefined && e.originId !== null ? ctx.originPaths?.get(String(e.originId)) : undefined) ??
        originDisplay(e))
      : (ctx.parentPath ?? ''),
    originalFolderId:
      top && e.originId !== undefined && e.originId !== null && e.originId !== 0 && e.originId !== ''
        ? String(e.originId)
        : null,
    expiresAt,
    mimeType: null,
    ext,
    deletedBy: top ? (e.updatedBy?.displayName ?? null) : null,
    parentId: ctx.parentId,
    // DocSpace keeps an item's id in and out of the trash.
    fileId: id,
  };
}

/** A folder is a restore target only when its security allows MoveTo and Create; the Rooms root never is. */
export function canWriteInto(e: ItemDto): boolean {
  if (e.type === FOLDER_TYPE.VirtualRooms || e.type === FOLDER_TYPE.TRASH || e.type === FOLDER_TYPE.Archive)
    return false;
  if (e.rootFolderType === FOLDER_TYPE.TRASH || e.rootFolderType === FOLDER_TYPE.Archive) return false;
  return e.security?.MoveTo === true && e.security?.Create === true;
}

export function toFolderRef(e: ItemDto, accountId: string, path: string): FolderRef {
  return {
    accountId,
    id: String(e.id),
    name: e.title,
    path,
    canWrite: canWriteInto(e),
    hasChildren: e.foldersCount === undefined || e.foldersCount === null ? null : e.foldersCount > 0,
  };
}
