import type { TrashItem } from '../../shared/model';
import { formatBytes, formatCount, plural } from './format';

/**
 * What is known about each account's trash while listings stream in: for the status bar (is the
 * total final yet?) and for the Empty-trash dialog (how much goes, from where). Pure and tested
 * in trashTotals.test.ts.
 */

/** What these totals read of an item. */
export type TotalsItem = { size: number | null; kind: 'file' | 'folder' } & Partial<
  Pick<TrashItem, 'cannotDelete' | 'originalFolder' | 'name'>
>;

/** One account's listing query as react-query gives it (only the parts used here). */
export interface ListingQuery {
  data?: { items: readonly TotalsItem[]; total: number | null; complete: boolean } | undefined;
  isError: boolean;
}

/** Items an Empty leaves out, for one reason (an Infinite Scale space whose managers alone may delete). */
export interface LeftOut {
  count: number;
  reason: string;
}

export interface AccountTotals {
  /** waiting: nothing arrived yet; loading: pages arriving; complete; error: the listing failed. */
  state: 'waiting' | 'loading' | 'complete' | 'error';
  /** Items loaded so far. */
  loaded: number;
  /** Items in the trash: exact once complete, the server's total while loading when it gives one, else null. */
  count: number | null;
  /** Sum of the sizes the server gave for the loaded items. */
  knownBytes: number;
  /** Loaded items the server gives no size for (folders on DocSpace): their size is unknown, not 0. */
  unknownSizes: number;
  /** Whether every item of unknown size is a folder (for wording). */
  unknownAreFolders: boolean;
  /**
   * Loaded items that an Empty leaves out (the user's role keeps them from deleting), by reason; sizes above leave them
   * out.
   */
  leftOut: LeftOut[];
  /** Infinite Scale: the items an Empty deletes, per space (only when they lie in more than one). */
  spaces: { name: string; count: number }[];
  /** Trashed folders among what is deleted: each goes with everything in it. */
  folders: number;
}

/**
 * The Infinite Scale space an item was deleted from, as its location reads ("Marketing › …" → Marketing,
 * a personal space's "/…" → Home); null for other servers' items, which have no spaces.
 */
export function spaceOf(item: Pick<TrashItem, 'originalFolder'>): string | null {
  const at = item.originalFolder.indexOf(' › ');
  if (at > 0) return item.originalFolder.slice(0, at);
  return null;
}

/** What an Empty of these loaded items leaves out, per reason, and what it deletes, per space. */
function tallyScope(
  items: readonly TotalsItem[],
): Pick<AccountTotals, 'leftOut' | 'spaces' | 'folders'> & { deletable: TotalsItem[] } {
  const leftOut = new Map<string, number>();
  const spaces = new Map<string, number>();
  const deletable: TotalsItem[] = [];
  let folders = 0;
  let projectSpaces = false;
  for (const i of items) {
    if (i.cannotDelete) {
      leftOut.set(i.cannotDelete, (leftOut.get(i.cannotDelete) ?? 0) + 1);
      continue;
    }
    deletable.push(i);
    if (i.kind === 'folder') folders += 1;
    const space = i.originalFolder === undefined ? null : spaceOf({ originalFolder: i.originalFolder });
    if (space !== null) projectSpaces = true;
    const name = space ?? 'Home';
    spaces.set(name, (spaces.get(name) ?? 0) + 1);
  }
  return {
    deletable,
    folders,
    leftOut: [...leftOut].map(([reason, count]) => ({ reason, count })),
    spaces: projectSpaces && spaces.size > 1 ? [...spaces].map(([name, count]) => ({ name, count })) : [],
  };
}

/** What some items weigh: the sum of the sizes the server gave, and how many it gave none for. */
function tallySizes(
  items: readonly { size: number | null; kind: 'file' | 'folder' }[],
): Pick<AccountTotals, 'knownBytes' | 'unknownSizes' | 'unknownAreFolders'> {
  let knownBytes = 0;
  let unknownSizes = 0;
  let unknownAreFolders = true;
  for (const i of items) {
    if (i.size !== null) knownBytes += i.size;
    else {
      unknownSizes += 1;
      if (i.kind !== 'folder') unknownAreFolders = false;
    }
  }
  return { knownBytes, unknownSizes, unknownAreFolders };
}

export function accountTotals(q: ListingQuery): AccountTotals {
  const items = q.data?.items ?? [];
  const complete = Boolean(q.data?.complete);
  const state = q.isError
    ? 'error'
    : complete
      ? 'complete'
      : q.data && (items.length > 0 || q.data.total !== null)
        ? 'loading'
        : 'waiting';
  const count = complete ? items.length : q.isError ? null : (q.data?.total ?? null);
  const { deletable, ...scope } = tallyScope(items);
  return { state, loaded: items.length, count, ...tallySizes(deletable), ...scope };
}

/** How many items an Empty leaves out (of those loaded). */
export const leftOutCount = (t: Pick<AccountTotals, 'leftOut'>) => t.leftOut.reduce((n, l) => n + l.count, 0);
/** How many items an Empty deletes: the count less what it leaves out; null while unknown. */
export const deletableCount = (t: Pick<AccountTotals, 'count' | 'leftOut'>) =>
  t.count === null ? null : t.count - leftOutCount(t);

/** An account has answered once its listing is complete or failed. */
export const answered = (t: AccountTotals) => t.state === 'complete' || t.state === 'error';

/** "1.2 GB", "1.2 GB + 3 folders of unknown size", "size unknown". Unknown sizes never count as 0. */
export function sizeText(
  t: Pick<AccountTotals, 'knownBytes' | 'unknownSizes' | 'unknownAreFolders' | 'loaded'>,
): string {
  if (t.unknownSizes === 0) return formatBytes(t.knownBytes);
  if (t.unknownSizes === t.loaded) return 'size unknown';
  return `${formatBytes(t.knownBytes)} + ${plural(t.unknownSizes, t.unknownAreFolders ? 'folder' : 'item')} of unknown size`;
}

/**
 * One account's two lines in the Empty-trash dialog: the count ("1,204 items", "count unknown") and its detail (size,
 * or why unknown).
 */
export function accountLines(t: AccountTotals): { count: string; detail: string } {
  switch (t.state) {
    case 'waiting':
      return { count: 'count unknown', detail: 'not loaded yet' };
    case 'error':
      return { count: 'count unknown', detail: 'its trash could not be loaded' };
    case 'loading':
      return {
        count: t.count !== null ? plural(t.count, 'item') : 'count unknown',
        detail: `still loading, ${formatCount(t.loaded)} so far`,
      };
    case 'complete': {
      if (t.loaded === 0) return { count: 'already empty', detail: '' };
      const n = t.loaded - leftOutCount(t);
      return {
        count: n === 0 ? 'nothing it may delete' : plural(n, 'item'),
        detail: n === 0 ? '' : sizeText({ ...t, loaded: n }),
      };
    }
  }
}

/** Several accounts together: the count when every one is known, else a lower bound. */
export function combine(list: readonly AccountTotals[]) {
  let count = 0;
  let exact = true;
  let knownBytes = 0;
  let unknownSizes = 0;
  let unknownAreFolders = true;
  let loaded = 0;
  let sizeExact = true;
  let leftOut = 0;
  for (const t of list) {
    if (t.count === null) exact = false;
    // What an Empty deletes: everything but what the user's role keeps them from deleting.
    const out = leftOutCount(t);
    count += (t.count ?? t.loaded) - out;
    knownBytes += t.knownBytes;
    unknownSizes += t.unknownSizes;
    if (t.unknownSizes > 0 && !t.unknownAreFolders) unknownAreFolders = false;
    loaded += t.loaded - out;
    leftOut += out;
    if (t.state !== 'complete') sizeExact = false;
  }
  return { count, exact, knownBytes, unknownSizes, unknownAreFolders, loaded, sizeExact, leftOut };
}

/** The confirm button of the Empty-trash dialog: exactly what pressing it does. */
export function emptyButtonLabel(ticked: readonly AccountTotals[]): string {
  if (ticked.length === 0) return 'Choose accounts to empty';
  const from = plural(ticked.length, 'account');
  const c = combine(ticked);
  if (c.exact) return `Delete ${plural(c.count, 'item')} from ${from}`;
  if (c.count > 0) return `Delete at least ${plural(c.count, 'item')} from ${from}`;
  return `Delete everything in the trash of ${from}`;
}

/** "Work", "Work and Home", "Work, Home and Club"; "4 accounts" beyond three. */
export function accountNames(labels: readonly string[]): string {
  if (labels.length > 3 || labels.length === 0) return plural(labels.length, 'account');
  if (labels.length === 1) return labels[0]!;
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The sentence above the button: what goes from which accounts, with its size when known. */
export function emptySummary(ticked: readonly AccountTotals[], labels: readonly string[]): string {
  if (ticked.length === 0) return 'Tick the accounts whose trash you want to empty.';
  const c = combine(ticked);
  const from = accountNames(labels);
  let what: string;
  if (c.exact) what = `${plural(c.count, 'item')}${c.sizeExact ? ` (${sizeText(c)})` : ''} from ${from}`;
  else what = `everything in the trash of ${from}${c.count > 0 ? ` — at least ${plural(c.count, 'item')}` : ''}`;
  return `Permanently deletes ${what}. This cannot be undone.`;
}

/**
 * The one-account confirmation: "Permanently delete 12 items (78 KB) from Work? This cannot be
 * undone." — counting only what will go (what the user's role keeps out is said apart, see leftOut).
 */
export function oneAccountEmptyMessage(label: string, t: AccountTotals): string {
  const out = leftOutCount(t);
  const n = t.loaded - out;
  let what: string;
  if (t.state === 'complete') what = `${plural(n, 'item')} (${sizeText({ ...t, loaded: n })})`;
  else if (t.count !== null) what = `everything in the trash (${plural(t.count - out, 'item')})`;
  else if (t.loaded > 0) what = `everything in the trash (at least ${plural(n, 'item')})`;
  else what = 'everything in the trash';
  return `Permanently delete ${what} from ${label}? This cannot be undone.`;
}

/** "It holds 3 folders: each goes with everything in it." — what deleting folders from the trash means. */
export const foldersNote = (folders: number): string | null =>
  folders === 0
    ? null
    : folders === 1
      ? 'That includes a folder, with everything in it.'
      : `That includes ${plural(folders, 'folder')}, each with everything in it.`;

/** "2 items of Board are left out: You are an editor of Board: …" — one line per reason. */
export const leftOutText = (l: LeftOut): string => `${plural(l.count, 'item')} left out: ${l.reason}`;

/** Loading progress of the accounts in view, for the status bar. */
export function loadProgress(list: readonly AccountTotals[]) {
  const waiting = list.filter((t) => !answered(t)).length;
  return {
    accounts: list.length,
    waiting,
    failed: list.filter((t) => t.state === 'error').length,
    complete: waiting === 0,
  };
}

/**
 * The size of some items as sizeText words it: what the server gave, and how many it gave none for (folders on
 * DocSpace).
 */
export function sizeOfItems(items: readonly { size: number | null; kind: 'file' | 'folder' }[]): string {
  return sizeText({ ...tallySizes(items), loaded: items.length });
}

/**
 * The status bar's count: final once every account answered ("16 items · 3.4 MB"), else what is
 * loaded so far and what is still coming. `shownSize` words the shown items' size (sizeOfItems),
 * so folders of unknown size never read as "0 B".
 */
export function statusCountText(p: {
  totals: readonly AccountTotals[];
  shown: number;
  shownBytes: number;
  shownSize?: string;
  loadedItems: number;
  filtered: boolean;
}): string {
  const progress = loadProgress(p.totals);
  const ofAll = p.filtered ? ` (of ${formatCount(p.loadedItems)}${progress.complete ? '' : ' loaded'})` : '';
  if (progress.complete) return `${plural(p.shown, 'item')} · ${p.shownSize ?? formatBytes(p.shownBytes)}${ofAll}`;
  if (p.loadedItems === 0) return 'Loading the trash…';
  let rest: string;
  if (progress.accounts > 1)
    rest = `still loading ${formatCount(progress.waiting)} of ${plural(progress.accounts, 'account')}…`;
  else {
    const total = p.totals[0]?.count ?? null;
    rest =
      total !== null && total > p.loadedItems ? `${formatCount(total)} in the trash, still loading…` : 'still loading…';
  }
  return `${plural(p.shown, 'item')} so far${ofAll} · ${rest}`;
}
