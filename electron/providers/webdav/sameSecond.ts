import type { SameSecondLoss, TrashItem } from '../../../shared/model';
import { displayPath } from './paths';

/**
 * Same-named files deleted in one second. Nextcloud and ownCloud 10 name a trashed file
 * "name.d<second>": the second such deletion replaces the first one's trash file (the content of
 * the last one deleted is kept) while the trash database keeps a row per deletion. The WebDAV
 * listing shows one entry: Nextcloud with the last row's folder, ownCloud with the first's; a
 * restore puts it back where the first row says (ownCloud: wherever the client asks). What else each
 * server tells, and so how precisely Salvage can say which copies the server lost:
 *
 * - Nextcloud: its activity app (on by default) records every deletion with the file's id and path
 *   (ocs/v2.php/apps/activity/api/v2/activity/files). A deleted file whose id is neither in the
 *   trash nor live any more, with the name of a trash entry deleted at about that time, is a copy
 *   the server lost: each one is named.
 * - ownCloud 10: the Deleted files app's own listing (index.php/apps/files_trashbin/ajax/list.php)
 *   gives each entry the last row's location, where WebDAV gives the first row's: when they differ,
 *   the kept content came from the last folder and the copy deleted from the first folder is lost
 *   (any deleted in between are not named anywhere).
 *
 * Pure functions over what the servers answered; the provider makes the requests.
 */

const basename = (path: string) => path.replace(/\/+$/, '').slice(path.replace(/\/+$/, '').lastIndexOf('/') + 1);
const folderOf = (path: string) => {
  const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const slash = clean.lastIndexOf('/');
  return displayPath(slash < 0 ? [] : clean.slice(0, slash).split('/'));
};
const shownPath = (path: string) =>
  displayPath(
    path
      .replace(/^\/+/, '')
      .replace(/\/+$/, '')
      .split('/')
      .filter((p) => p !== ''),
  );
const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : NaN);

// ---------------------------------------------------------------- ownCloud 10

/** ownCloud 10's ajax/list.php answer: per "name\0second", the location of the last deletion (with its name). */
export function ownCloudLastLocations(json: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const files = (json as { data?: { files?: unknown } } | null)?.data?.files;
  if (!Array.isArray(files)) return out;
  for (const f of files as { name?: unknown; mtime?: unknown; extraData?: unknown }[]) {
    if (typeof f?.name !== 'string' || typeof f.mtime !== 'number' || typeof f.extraData !== 'string') continue;
    // A file deleted from the root is "./name" there.
    out.set(`${f.name}\0${Math.floor(f.mtime / 1000)}`, f.extraData.replace(/^\.\//, ''));
  }
  return out;
}

/** ownCloud 10: the entries whose WebDAV location (first deletion) differs from the app's listing (last deletion). */
export function ownCloudLosses(items: readonly TrashItem[], last: ReadonlyMap<string, string>): SameSecondLoss[] {
  const out: SameSecondLoss[] = [];
  for (const item of items) {
    if (item.parentId !== null) continue;
    const lastLocation = last.get(`${item.name}\0${seconds(item.deletedAt)}`);
    if (lastLocation === undefined) continue;
    const keptFrom = folderOf(lastLocation);
    if (keptFrom === item.originalFolder) continue;
    out.push({
      itemKey: item.key,
      name: item.name,
      deletedAt: item.deletedAt,
      lost: [displayPath([...item.originalFolder.split('/').filter(Boolean), item.name])],
      keptFrom,
      complete: false,
    });
  }
  return out;
}

// ---------------------------------------------------------------- Nextcloud

/**
 * A deletion as Nextcloud's activity app recorded it: the file's id and path, and the time of its activity (a group's
 * newest).
 */
export interface RecordedDeletion {
  id: string;
  path: string;
  at: number;
}

/**
 * One page of ocs/v2.php/apps/activity/api/v2/activity/files (JSON): the deletions on it and the oldest time it
 * reaches.
 */
export function activityDeletions(json: unknown): {
  deleted: RecordedDeletion[];
  oldest: number | null;
  count: number;
} {
  const data = (json as { ocs?: { data?: unknown } } | null)?.ocs?.data;
  const deleted: RecordedDeletion[] = [];
  let oldest: number | null = null;
  if (!Array.isArray(data)) return { deleted, oldest, count: 0 };
  for (const a of data as { type?: unknown; datetime?: unknown; objects?: unknown }[]) {
    const at = typeof a?.datetime === 'string' ? Date.parse(a.datetime) : NaN;
    if (Number.isNaN(at)) continue;
    oldest = oldest === null ? at : Math.min(oldest, at);
    if (a.type !== 'file_deleted' || !a.objects || typeof a.objects !== 'object') continue;
    for (const [id, path] of Object.entries(a.objects as Record<string, unknown>)) {
      if (/^\d{1,20}$/.test(id) && typeof path === 'string' && path) deleted.push({ id, path, at });
    }
  }
  return { deleted, oldest, count: data.length };
}

/** The last of these (sorted by `at`) with `at` ≤ `limit`, by binary search; null when none is. */
function lastAtOrBefore<T extends { at: number }>(sorted: readonly T[], limit: number): T | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.at <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : sorted[lo - 1]!;
}

/**
 * The copies Nextcloud lost among `items` (trash entries): recorded deletions of a file with an
 * entry's name, from when it was deleted to a minute after (an activity group carries its newest
 * time), whose id is in no trash entry and no live file. Each goes to the entry of its name deleted
 * last before its activity (the one its trash file could have replaced).
 */
export function nextcloudLosses(
  items: readonly TrashItem[],
  deleted: readonly RecordedDeletion[],
  idsInTrash: ReadonlySet<string>,
  liveIds: ReadonlySet<string>,
): SameSecondLoss[] {
  // Per name, its entries with their deletion times (parsed once), oldest first: a whole trash can
  // hold 100k entries and the activity records thousands of deletions.
  // Only names the records mention are looked at.
  const recorded = new Set<string>();
  for (const d of deleted) recorded.add(basename(d.path));
  const byName = new Map<string, { item: TrashItem; at: number }[]>();
  for (const item of items) {
    if (item.parentId !== null || !item.deletedAt || !recorded.has(item.name)) continue;
    const entry = { item, at: Date.parse(item.deletedAt) };
    const list = byName.get(item.name);
    if (list) list.push(entry);
    else byName.set(item.name, [entry]);
  }
  for (const list of byName.values()) list.sort((a, b) => a.at - b.at);
  const losses = new Map<string, SameSecondLoss>();
  const seen = new Set<string>();
  for (const d of deleted) {
    if (seen.has(d.id) || idsInTrash.has(d.id) || liveIds.has(d.id)) continue;
    const entries = byName.get(basename(d.path));
    if (!entries) continue;
    // The last entry of that name deleted by the activity's time (a second of slack), within a minute of it.
    const last = lastAtOrBefore(entries, d.at + 1000);
    if (!last || d.at - last.at > 60_000) continue;
    const entry = last.item;
    seen.add(d.id);
    let loss = losses.get(entry.key);
    if (!loss)
      losses.set(
        entry.key,
        (loss = {
          itemKey: entry.key,
          name: entry.name,
          deletedAt: entry.deletedAt,
          lost: [],
          keptFrom: entry.originalFolder,
          complete: true,
        }),
      );
    loss.lost.push(shownPath(d.path));
  }
  for (const loss of losses.values()) loss.lost.sort();
  return [...losses.values()];
}
