import { z } from 'zod';
import { KIND_AUTHS, KIND_IDS } from './kinds';
import { ErrorValue } from './result';

/** The server kinds Salvage speaks to: the ids of the kind registry (shared/kinds.ts). */
export const AccountKind = z.enum(KIND_IDS);
export type AccountKind = z.infer<typeof AccountKind>;

/** Where an account's secret lives. The renderer is told which, never the secret itself. */
/** 'plaintext': browser host only, after the user opted in to keeping passwords in a 0600 file. */
export const SecretStorage = z.enum(['encrypted', 'session', 'plaintext', 'none']);
export type SecretStorage = z.infer<typeof SecretStorage>;
/** Where a secret just saved went: every SecretStorage but 'none'. */
export type SavedSecretStorage = Exclude<SecretStorage, 'none'>;

/**
 * How the secret store of this run keeps secrets (app:info): 'encrypted' (safeStorage),
 * 'memory-only', 'weak-backend' (Linux without a keyring: kept for the session only),
 * 'plaintext-file' (browser host with --persist-secrets).
 */
export const SecretStoreMode = z.enum(['encrypted', 'memory-only', 'weak-backend', 'plaintext-file']);
export type SecretStoreMode = z.infer<typeof SecretStoreMode>;

/** Everything the renderer may know about an account. No credentials, ever. */
export const AccountView = z.object({
  id: z.string(),
  kind: AccountKind,
  label: z.string(),
  serverUrl: z.string(),
  userName: z.string(),
  status: z.enum(['ok', 'auth-expired', 'unknown']),
  secretStorage: SecretStorage,
  demo: z.boolean(),
  insecureHttp: z.boolean(),
  /** Signed in through the browser (OpenID Connect): "Sign in again" runs that sign-in again. */
  browserSignIn: z.boolean().optional(),
});
export type AccountView = z.infer<typeof AccountView>;

export const ItemKind = z.enum(['file', 'folder']);

/**
 * How an item came into the trash through Salvage rather than by a deletion, from Salvage's ledger
 * of its own moves (electron/services/ledger.ts). 'undo': an Undo (or a Skip after the server had
 * already restored it) moved a restored item back; the item then reads with its name, place and
 * deletion time from before that restore, and `trashedAs` says how the server keeps it where that
 * differs. 'replace': a restore with Replace moved the file that stood in the way (`by` names the
 * item restored over it); it keeps the server's deletion time but is no deletion event.
 */
export const SalvageMove = z.object({
  why: z.enum(['undo', 'replace']),
  /** When Salvage moved it (ISO 8601). */
  at: z.string(),
  /** Replace: the name of the restored item that took its place. */
  by: z.string().nullable(),
  /**
   * Undo: the name and folder the server keeps it under (`folder` displayed, `folderId` as the
   * server names it), when not those it reads with (a "Keep both" name, a folder it was restored into).
   */
  trashedAs: z.object({ name: z.string(), folder: z.string(), folderId: z.string().nullable() }).nullable(),
});
export type SalvageMove = z.infer<typeof SalvageMove>;

/** One entry in a server's trash. `key` is unique across accounts: itemKey(accountId, id). */
export const TrashItem = z.object({
  key: z.string(),
  accountId: z.string(),
  /** The server's id: a WebDAV trash entry name (ownCloud file id, Nextcloud `name.d123`) or a DocSpace id. */
  id: z.string(),
  name: z.string(),
  kind: ItemKind,
  /** Bytes; null when the server does not say. */
  size: z.number().nullable(),
  /** ISO 8601. */
  deletedAt: z.string().nullable(),
  /** Display path of the folder it was deleted from, e.g. "/Documents/2024" or "My documents / Reports". */
  originalFolder: z.string(),
  /** Server-side reference to that folder (WebDAV path, DocSpace folder id). */
  originalFolderId: z.string().nullable(),
  /** When the server will delete it for good (ISO 8601), where known. */
  expiresAt: z.string().nullable(),
  mimeType: z.string().nullable(),
  /** Lower-case extension without the dot, "" for none and for folders. */
  ext: z.string(),
  deletedBy: z.string().nullable(),
  /** For items inside a trashed folder: the id of the trashed folder being browsed. */
  parentId: z.string().nullable(),
  /**
   * Why the user may not restore this item (e.g. a viewer of an oCIS space), known before trying; null or absent:
   * allowed.
   */
  cannotRestore: z.string().nullable().optional(),
  /** Why the user may not delete this item for good (only a space's managers may); null or absent: allowed. */
  cannotDelete: z.string().nullable().optional(),
  /**
   * The server's id of the file itself, where its listing gives one (Nextcloud's oc:fileid, ownCloud
   * 10's trash id, DocSpace's id); it stays the same while the file goes in and out of the trash,
   * and the restored file keeps it: a restore finds where it landed by it.
   */
  fileId: z.string().max(256).nullable().optional(),
  /** Salvage itself put this item into the trash (Undo, Replace); see SalvageMove. Absent: a deletion by someone. */
  movedBySalvage: SalvageMove.nullable().optional(),
});
export type TrashItem = z.infer<typeof TrashItem>;

/**
 * A trashed file's preview, fetched by main with the account's credentials and handed over as
 * data (never a URL): a small image (PNG, JPEG, GIF or WebP, at most PREVIEW_MAX_BYTES), or why
 * there is none, in words the details pane shows.
 */
export const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
export const PreviewMimeType = z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const Preview = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('image'),
    mimeType: PreviewMimeType,
    base64: z.string().max(Math.ceil(PREVIEW_MAX_BYTES / 3) * 4),
  }),
  z.object({
    kind: z.literal('none'),
    /**
     * 'unsupported': the server kind serves no trash previews; 'not-image': Salvage asks only for images; 'missing':
     * the server has none.
     */
    reason: z.enum(['unsupported', 'not-image', 'folder', 'missing', 'too-large']),
    message: z.string(),
  }),
]);
export type Preview = z.infer<typeof Preview>;

/** A folder in the live files tree, for the folder picker. */
export const FolderRef = z.object({
  accountId: z.string(),
  /** WebDAV: path below the user's files root ("/Projects/2024"); DocSpace: folder id. */
  id: z.string(),
  name: z.string(),
  /** Display path for breadcrumbs and summaries. */
  path: z.string(),
  /** Whether items may be restored into it. */
  canWrite: z.boolean(),
  hasChildren: z.boolean().nullable(),
});
export type FolderRef = z.infer<typeof FolderRef>;

export const ItemRef = z.object({
  accountId: z.string().min(1).max(4096),
  id: z.string().min(1).max(4096),
  /** For an item inside a trashed folder: that folder's id, where the item's id does not say it. */
  parentId: z.string().min(1).max(4096).optional(),
});
export type ItemRef = z.infer<typeof ItemRef>;

/** The one way to build an item's key, unique across accounts (account ids hold no ':'; server ids may). */
export const itemKey = (accountId: string, id: string): string => `${accountId}:${id}`;

/** The account and server id of an item key (the inverse of itemKey). */
export function parseItemKey(key: string): ItemRef {
  const at = key.indexOf(':');
  return { accountId: key.slice(0, at), id: key.slice(at + 1) };
}

export const Destination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('original') }),
  z.object({ kind: z.literal('folder'), accountId: z.string().min(1).max(4096), folderId: z.string().max(4096) }),
]);
export type Destination = z.infer<typeof Destination>;

export const Resolution = z.enum(['replace', 'keep-both', 'skip']);
export type Resolution = z.infer<typeof Resolution>;

/**
 * An item whose target name is taken, with both sides for the user to compare. `source` says what
 * is in the way: a live file or folder already at the target ('existing'), or another item of the
 * same selection that would be restored to the same path first ('selection'; then `existing`
 * describes that other trashed item, its `modifiedAt` being when it was deleted).
 */
export const Conflict = z.object({
  itemKey: z.string(),
  name: z.string(),
  /** The full display path the item would take, e.g. "/Documents/Budget 2026.xlsx". */
  targetPath: z.string(),
  source: z.enum(['existing', 'selection']).default('existing'),
  /** For 'selection': the key of the other selected item that takes the path first. */
  otherKey: z.string().nullable().default(null),
  trashed: z.object({ size: z.number().nullable(), deletedAt: z.string().nullable(), kind: ItemKind }),
  existing: z.object({ size: z.number().nullable(), modifiedAt: z.string().nullable(), kind: ItemKind }),
  /** False when the server cannot replace (e.g. a folder onto a folder merges instead). */
  canReplace: z.boolean(),
  note: z.string().nullable(),
});
export type Conflict = z.infer<typeof Conflict>;

/**
 * What happened to one item. Undo adds three: 'trashed' (moved back to the trash), 'reverted'
 * (moved back to the trash and the file it had replaced put back), 'kept' (left in place because
 * it is no longer the file that was restored; `error` says why).
 */
export const Outcome = z.enum([
  'restored',
  'renamed',
  'replaced',
  'merged',
  'skipped',
  'deleted',
  'trashed',
  'reverted',
  'kept',
  'failed',
  'cancelled',
]);
export type Outcome = z.infer<typeof Outcome>;

/**
 * Several same-named files deleted in the same second, for which the server kept one trash file
 * (the last one's content) and lost the others' (Nextcloud, ownCloud 10: see
 * electron/providers/webdav/sameSecond.ts). Told as precisely as the server allows.
 */
export const SameSecondLoss = z.object({
  /** The trash entry that holds the one file the server kept. */
  itemKey: z.string().nullable(),
  name: z.string(),
  deletedAt: z.string().nullable(),
  /** Display paths ("/Work/F03/x4.txt") of the copies deleted then that the server lost. */
  lost: z.array(z.string()),
  /** The folder the kept content was deleted from, where known. */
  keptFrom: z.string().nullable(),
  /** Whether `lost` names every lost copy (false: at least these; the server names no others). */
  complete: z.boolean(),
});
export type SameSecondLoss = z.infer<typeof SameSecondLoss>;

/**
 * What a server tells about same-second losses among some trash items: from its activity records, its trash records, or
 * nothing.
 */
export const SameSecondReport = z.object({
  source: z.enum(['activity', 'trash-records', 'none']),
  losses: z.array(SameSecondLoss),
});
export type SameSecondReport = z.infer<typeof SameSecondReport>;

export const ItemResult = z.object({
  key: z.string(),
  name: z.string(),
  outcome: Outcome,
  /** Where it ended up (restores), as a display path. */
  finalPath: z.string().nullable(),
  error: ErrorValue.nullable(),
  /** Something the user should know about a successful outcome (e.g. where a replaced version went). */
  note: z.string().nullable().optional(),
  /**
   * A place the server's own records give for the item when it restored it elsewhere (several
   * same-named files deleted in one second: Nextcloud puts the kept file where the first was, the
   * listing showed the last; ownCloud 10 keeps the last one's content). ops:moveToListed moves it there.
   */
  movableTo: z.string().nullable().optional(),
});
export type ItemResult = z.infer<typeof ItemResult>;

export const OperationKind = z.enum(['restore', 'delete', 'empty', 'undo']);
export const OperationState = z.enum(['queued', 'running', 'needs-answer', 'done', 'cancelled', 'failed']);

/** A batch as the operations panel shows it. Sent whole on every update. */
export const OperationView = z.object({
  id: z.string(),
  kind: OperationKind,
  title: z.string(),
  accountIds: z.array(z.string()),
  state: OperationState,
  total: z.number(),
  done: z.number(),
  bytesTotal: z.number().nullable(),
  bytesDone: z.number().nullable(),
  current: z.string().nullable(),
  /** Items per second over the last seconds of a running batch; null before it can be said. */
  rate: z.number().nullable().default(null),
  /** Seconds left at that pace; null before it can be said and once finished. */
  secondsLeft: z.number().nullable().default(null),
  results: z.array(ItemResult),
  /** A conflict found mid-batch: that item waits for the user's answer (ops:answer). */
  question: Conflict.nullable(),
  error: ErrorValue.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Whether ops:undo can move the restored items back to the trash. */
  undoable: z.boolean(),
  /**
   * Why a restore can no longer be undone ("Already undone", "… was restored again by a later batch"); null otherwise.
   */
  undoNote: z.string().nullable().default(null),
  /** A batch cut short when Salvage was closed, which ops:retryFailed can finish (Resume). */
  resumable: z.boolean().default(false),
});
export type OperationView = z.infer<typeof OperationView>;

/** The states a batch ends in; once in one, it never changes again. */
export const FINISHED_STATES: ReadonlySet<OperationView['state']> = new Set(['done', 'cancelled', 'failed']);
export const isFinished = (view: Pick<OperationView, 'state'>) => FINISHED_STATES.has(view.state);

export const ServerProbe = z.object({
  kind: AccountKind,
  serverUrl: z.string(),
  productName: z.string(),
  version: z.string().nullable(),
  /** Which credentials the add-account dialog should ask for. */
  auth: z.enum(KIND_AUTHS),
  insecureHttp: z.boolean(),
  trashSupported: z.boolean(),
});
export type ServerProbe = z.infer<typeof ServerProbe>;
