import { eachSliced, filterSliced } from '../../base/async';
import type { SameSecondReport, TrashItem } from '../../../shared/model';
import type { TrashListing } from './listing';
import type { WebDavSession } from './requests';
import {
  activityDeletions,
  nextcloudLosses,
  ownCloudLastLocations,
  ownCloudLosses,
  type RecordedDeletion,
} from './sameSecond';
import { SEARCH_MAX_IDS, type FileIdSearch } from './search';

/** Same-second losses as the servers tell them (what they say is read in sameSecond.ts). */

/** Pages of Nextcloud's activity records read back at most (200 each) to find same-second losses. */
const ACTIVITY_MAX_PAGES = 25;
/** Largest JSON answer read for same-second losses (activity pages, ownCloud's trash app listing). */
const SMALL_JSON_MAX_BYTES = 32 * 1024 * 1024;

export class SameSecondLosses {
  /** A whole trash's file ids by the listing they were read from (see idsIn). */
  private readonly idsByListing = new WeakMap<readonly TrashItem[], ReadonlySet<string>>();

  constructor(
    private readonly s: WebDavSession,
    private readonly listing: TrashListing,
    private readonly search: FileIdSearch,
  ) {}

  /**
   * Which of these trash entries stand for several same-named files deleted in one second, and
   * which copies the server lost, as far as it tells (see sameSecond.ts): ownCloud 10 from its
   * Deleted files app's listing, Nextcloud from its activity records (then `trash`, the whole
   * trash as just listed, tells which recorded files are still in it; read here when not given).
   * Nothing is guessed: a server that tells nothing gives source 'none'.
   */
  async sameSecondLosses(
    items: TrashItem[],
    trash?: readonly TrashItem[],
    signal?: AbortSignal,
  ): Promise<SameSecondReport> {
    // Every pass over the items runs in slices (filterSliced): an event can cover a whole trash of
    // 100k entries, and one pass over them holds main's event loop for tens of milliseconds.
    const top = await filterSliced(items, (i) => i.parentId === null && i.deletedAt !== null);
    if (this.s.kind === 'owncloud10') {
      const last = await this.ownCloudLastLocations(signal);
      return last ? { source: 'trash-records', losses: ownCloudLosses(top, last) } : { source: 'none', losses: [] };
    }
    if (this.s.kind !== 'nextcloud' || top.length === 0) return { source: 'none', losses: [] };
    // A loop, not Math.min(...): a million arguments overflow the stack.
    let from = Infinity;
    await eachSliced(top, (i) => (from = Math.min(from, Date.parse(i.deletedAt!))));
    const deleted = await this.recordedDeletions(from - 2_000, signal);
    if (deleted === null) return { source: 'none', losses: [] };
    const idsInTrash = await this.idsIn(trash ?? (await this.readTrash(signal)));
    const names = new Set<string>();
    await eachSliced(top, (i) => void names.add(i.name));
    const candidates = [
      ...new Set(
        deleted
          .filter((d) => !idsInTrash.has(d.id) && names.has(d.path.slice(d.path.lastIndexOf('/') + 1)))
          .map((d) => d.id),
      ),
    ];
    // A recorded deletion whose file is live again (restored since) is not lost.
    const live = new Set<string>();
    for (let i = 0; i < candidates.length; i += SEARCH_MAX_IDS) {
      const found = await this.search.findByFileIds(candidates.slice(i, i + SEARCH_MAX_IDS));
      if (found === null) return { source: 'none', losses: [] };
      for (const id of found.keys()) live.add(id);
    }
    // Only entries whose name the records mention can have lost copies (nextcloudLosses looks at no other).
    const recorded = new Set(
      deleted.map((d) => {
        const path = d.path.replace(/\/+$/, '');
        return path.slice(path.lastIndexOf('/') + 1);
      }),
    );
    const named = await filterSliced(top, (i) => recorded.has(i.name));
    return { source: 'activity', losses: nextcloudLosses(named, deleted, idsInTrash, live) };
  }

  /**
   * The file ids in a whole trash, kept per listing: every event on the timeline asks with the same
   * last listing (TrashService.lastListing), and 100k ids need not be gathered for each.
   */
  private async idsIn(trash: readonly TrashItem[]): Promise<ReadonlySet<string>> {
    const known = this.idsByListing.get(trash);
    if (known) return known;
    const ids = new Set<string>();
    await eachSliced(trash, (i) => void (i.fileId && ids.add(i.fileId)));
    this.idsByListing.set(trash, ids);
    return ids;
  }

  private async readTrash(signal?: AbortSignal): Promise<TrashItem[]> {
    const out: TrashItem[] = [];
    for await (const chunk of this.listing.listTrash(null, signal)) out.push(...chunk.items);
    return out;
  }

  /**
   * ownCloud 10's Deleted files app listing: per name and second, where the last such deletion was; null when it does
   * not answer.
   */
  private async ownCloudLastLocations(signal?: AbortSignal): Promise<Map<string, string> | null> {
    const res = await this.s.send('GET', `${this.s.basePath}/index.php/apps/files_trashbin/ajax/list.php`, {
      query: 'dir=%2F',
      headers: { Accept: 'application/json' },
      signal,
      maxBytes: SMALL_JSON_MAX_BYTES,
    });
    const json = await this.smallJson(res);
    return json === undefined ? null : ownCloudLastLocations(json);
  }

  /**
   * Nextcloud's activity records of deletions, newest first back to `since` (ms), in pages of 200
   * (at most ACTIVITY_MAX_PAGES); null when the activity app does not answer.
   */
  private async recordedDeletions(since: number, signal?: AbortSignal): Promise<RecordedDeletion[] | null> {
    const out: RecordedDeletion[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < ACTIVITY_MAX_PAGES; page++) {
      const res = await this.s.send('GET', `${this.s.basePath}/ocs/v2.php/apps/activity/api/v2/activity/files`, {
        query: `format=json&limit=200&sort=desc${cursor ? `&since=${cursor}` : ''}`,
        headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
        signal,
      });
      if (res.status === 304) {
        await res.body?.cancel();
        return out; // no more activities
      }
      const next = /[?&]since=(\d+)/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      const json = await this.smallJson(res);
      if (json === undefined) return page === 0 ? null : out;
      const { deleted, oldest, count } = activityDeletions(json);
      out.push(...deleted);
      if (count === 0 || next === null || (oldest !== null && oldest < since - 60_000)) return out;
      cursor = next;
    }
    return out;
  }

  /** A JSON answer of at most a few megabytes; undefined for any other status or body. */
  private async smallJson(res: Response): Promise<unknown> {
    if (
      res.status !== 200 ||
      !/json/i.test(res.headers.get('content-type') ?? '') ||
      Number(res.headers.get('content-length') ?? 0) > SMALL_JSON_MAX_BYTES
    ) {
      await res.body?.cancel();
      return undefined;
    }
    const text = await res.text();
    if (text.length > SMALL_JSON_MAX_BYTES) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
}
