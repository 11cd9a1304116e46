/**
 * Every react-query key the renderer uses, in one place. Queries, invalidations and cache writes
 * all take their keys from here, so a prefix (`keys.trashAll()`, `keys.foldersOf(id)`) always
 * matches what the queries below it wrote.
 */
export const keys = {
  appInfo: () => ['app', 'info'] as const,
  accounts: () => ['accounts'] as const,
  /** Nextcloud Login Flow v2: the poll for one flow. */
  loginFlow: (flowId: string | null) => ['loginFlow', flowId] as const,
  /** OpenID Connect browser sign-in (Infinite Scale): the poll for one sign-in. */
  oidcSignIn: (flowId: string | null) => ['oidcSignIn', flowId] as const,
  trashAll: () => ['trash'] as const,
  /** One account's trash listing. */
  trash: (accountId: string) => [...keys.trashAll(), accountId] as const,
  /**
   * Every trashed folder's listing of one account (a prefix; under the account's key, so invalidating the account
   * covers them).
   */
  trashInsideOf: (accountId: string) => [...keys.trash(accountId), 'inside'] as const,
  /** What is inside one trashed folder. */
  trashInside: (accountId: string, folderId: string) => [...keys.trashInsideOf(accountId), folderId] as const,
  /** Every cached level of one account's live files tree (a prefix). */
  foldersOf: (accountId: string) => ['folders', accountId] as const,
  /** One level of the live files tree; the root when parentId is null. */
  folders: (accountId: string, parentId: string | null) => [...keys.foldersOf(accountId), parentId ?? ''] as const,
  /** What the server lost among one event's items of one account (same-named files deleted in one second). */
  sameSecond: (accountId: string, eventId: string) => [...keys.trash(accountId), 'sameSecond', eventId] as const,
  /** One trashed file's preview (data from main). */
  preview: (accountId: string, id: string) => ['preview', accountId, id] as const,
  ops: () => ['ops'] as const,
  /** The keys of the items one batch is about. */
  opItems: (operationId: string) => [...keys.ops(), 'items', operationId] as const,
  /** The watch: its settings, each account's last check, its alerts. */
  watch: () => ['watch'] as const,
  /**
   * The alert the window is asked to show (a notification or Show event clicked): the window's own, never overwritten
   * by main's view.
   */
  watchShow: () => ['watch-show'] as const,
};
