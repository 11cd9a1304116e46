import { AppError } from '../../base/errors';
import type { TrashChangeCheck } from '../types';
import type { DialectIO, WebDavKind } from './dialect';

/**
 * The watch's cheap check on WebDAV servers (see TrashProvider.checkTrashChanges). None of them
 * says anything about the trash itself in a small answer: a Depth 0 PROPFIND of the trash root
 * gives nothing but resourcetype on Nextcloud 32 and ownCloud 10.15 (getetag, getlastmodified,
 * oc:size, quota and the rest all 404, checked on the real kits), and reva answers it with a root
 * it makes up without asking the storage. So:
 *
 * - Nextcloud and ownCloud 10: the activity app's feed, which both ship enabled
 *   (apps/activity, APIv2Controller / OCSEndPoint and Data::get): `GET …/api/v2/activity/files
 *   ?since=<last activity id>&sort=asc&limit=200` answers **304 Not Modified with no body** when
 *   nothing happened since that id (~1.1–1.3 KB of headers, whatever the size of the trash), or the
 *   newer rows, oldest first, with `X-Activity-Last-Given` (the newest id given) and a `Link: …;
 *   rel="next"` when there are more. Deletions are rows of type `file_deleted`, several of them
 *   grouped into one entry (Nextcloud: `objects`, up to 5 seen; ownCloud 10: a `collection` in
 *   `subjectparams[0]`, up to 6). A `since` the server no longer has (activities expire after a
 *   year) is answered from the oldest row with `X-Activity-First-Known`. Nextcloud serves it under
 *   OCS (`/ocs/v2.php/apps/activity/…`, needs `OCS-APIRequest: true`), ownCloud 10 as an app route
 *   (`/index.php/apps/activity/…`; wrong credentials get a 303 to the login page there). The
 *   `files` filter: only file rows, and on ownCloud 10 also the user's own (its `all` leaves them
 *   out when "list your own actions" is off), on Nextcloud never limited to favourites.
 * - oCIS: `GET /graph/v1.0/me/drives`, once for every space: each drive's `root.eTag` comes from
 *   the space root's tree time, which decomposedfs propagates on every change below it, a move to
 *   the trash included (tree.Delete → Propagate). It changes with any change in the space, not only
 *   deletions: a changed space is listed.
 *
 * A server without the feed (the activity app turned off: 404; every stream setting off: 204)
 * answers 'unsupported', and the watch reads the trash instead.
 */

/** Rows asked for per page (the activity app's maximum). */
export const ACTIVITY_LIMIT = 200;
/** Pages read in one check; past them the check says 'changed' without counting further. */
export const ACTIVITY_PAGES = 5;
/** An activity page is at most a few hundred KB; anything bigger is not the feed. */
const MAX_BODY = 4 * 1024 * 1024;

interface ActivityCursor {
  m: 'activity';
  /** The newest activity id seen (0: the feed was empty). */
  id: number;
}

interface DrivesCursor {
  m: 'drives';
  /** Drive id → root eTag. */
  etags: Record<string, string>;
}

function parseCursor(since: string | null): ActivityCursor | DrivesCursor | null {
  if (!since) return null;
  try {
    const c = JSON.parse(since) as unknown;
    if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      if (o.m === 'activity' && typeof o.id === 'number' && Number.isSafeInteger(o.id) && o.id >= 0)
        return { m: 'activity', id: o.id };
      if (o.m === 'drives' && o.etags && typeof o.etags === 'object') {
        const etags: Record<string, string> = {};
        for (const [k, v] of Object.entries(o.etags as Record<string, unknown>))
          if (typeof v === 'string') etags[k] = v;
        return { m: 'drives', etags };
      }
    }
  } catch {
    /* not ours: start again */
  }
  return null;
}

export function checkTrashChanges(
  kind: WebDavKind,
  io: DialectIO,
  basePath: string,
  since: string | null,
  signal?: AbortSignal,
): Promise<TrashChangeCheck> {
  return kind === 'ocis' ? checkDrives(io, basePath, since, signal) : checkActivity(kind, io, basePath, since, signal);
}

/** A JSON body of bounded size, or null when it is not JSON (the body is always read or cancelled). */
async function jsonOf(res: Response): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > MAX_BODY) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

const unsupported = (via: string): TrashChangeCheck => ({ cursor: null, change: 'unsupported', deletions: null, via });

/** How many items one feed entry says were deleted (0 for any other kind of entry). */
export function deletionsIn(entry: unknown): number {
  if (!entry || typeof entry !== 'object') return 0;
  const e = entry as Record<string, unknown>;
  if (e.type !== 'file_deleted') return 0;
  // Nextcloud: every grouped file in `objects` ({ id: path }).
  if (e.objects && typeof e.objects === 'object' && !Array.isArray(e.objects))
    return Math.max(1, Object.keys(e.objects).length);
  // ownCloud 10: subjectparams[0] is { type: 'file', value: { id: path } } or { type: 'collection', value: [ … ] }.
  const first = Array.isArray(e.subjectparams)
    ? (e.subjectparams[0] as Record<string, unknown> | undefined)
    : undefined;
  if (first && first.type === 'collection' && Array.isArray(first.value)) return Math.max(1, first.value.length);
  return 1;
}

function idOf(entry: unknown): number | null {
  const id = (entry as { activity_id?: unknown } | null)?.activity_id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

async function checkActivity(
  kind: 'nextcloud' | 'owncloud10',
  io: DialectIO,
  basePath: string,
  since: string | null,
  signal?: AbortSignal,
): Promise<TrashChangeCheck> {
  const via = 'activity feed';
  const path =
    kind === 'nextcloud'
      ? `${basePath}/ocs/v2.php/apps/activity/api/v2/activity/files`
      : `${basePath}/index.php/apps/activity/api/v2/activity/files`;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(kind === 'nextcloud' ? { 'OCS-APIRequest': 'true' } : {}),
  };
  const format = kind === 'nextcloud' ? '&format=json' : '';
  const get = (query: string) => io.get(path, { headers, query: query + format, signal });
  const cursor = parseCursor(since);
  const known = cursor?.m === 'activity' ? cursor : null;

  /** What a status other than 200/304 means: the feed is not there, or the request failed. */
  const notFeed = async (res: Response): Promise<TrashChangeCheck> => {
    const status = res.status;
    // 404: the app is off; 204: every stream setting off; a redirect: an app route that wants a browser session.
    if (status === 404 || status === 204 || (status >= 300 && status < 400)) {
      await res.body?.cancel().catch(() => undefined);
      return unsupported(via);
    }
    throw await io.failure(res);
  };

  if (!known) {
    // The first check: the newest id is where the next one starts; the trash itself is read anyway.
    const res = await get('sort=desc&limit=1');
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      return {
        cursor: JSON.stringify({ m: 'activity', id: 0 } satisfies ActivityCursor),
        change: 'unknown',
        deletions: null,
        via,
      };
    }
    if (res.status !== 200) return notFeed(res);
    const body = await jsonOf(res);
    const data = (body as { ocs?: { data?: unknown } } | null)?.ocs?.data;
    if (!Array.isArray(data)) return unsupported(via);
    const newest = Number(res.headers.get('x-activity-last-given') ?? NaN);
    const id = Number.isSafeInteger(newest) ? newest : (data.map(idOf).find((x) => x !== null) ?? 0);
    return {
      cursor: JSON.stringify({ m: 'activity', id } satisfies ActivityCursor),
      change: 'unknown',
      deletions: null,
      via,
    };
  }

  let id = known.id;
  let deletions = 0;
  for (let page = 0; page < ACTIVITY_PAGES; page++) {
    const res = await get(`since=${id}&sort=asc&limit=${ACTIVITY_LIMIT}`);
    if (res.status === 304) {
      await res.body?.cancel().catch(() => undefined);
      // A 304 also comes with X-Activity-First-Known when the server no longer has `since` and holds nothing at all.
      const lost = id > 0 && res.headers.has('x-activity-first-known');
      const change = lost ? 'unknown' : page === 0 ? 'same' : 'changed';
      return {
        cursor: JSON.stringify({ m: 'activity', id } satisfies ActivityCursor),
        change,
        deletions: change === 'changed' ? deletions : null,
        via,
      };
    }
    if (res.status === 403 && id > 0) {
      // "Invalid since": the id is someone else's (the account now signs in as another user). Start again.
      await res.body?.cancel().catch(() => undefined);
      return checkActivity(kind, io, basePath, null, signal);
    }
    if (res.status !== 200) return notFeed(res);
    // The server no longer has `since` (expired): it answered from its oldest row. Read the trash.
    const lost = id > 0 && res.headers.has('x-activity-first-known');
    const body = await jsonOf(res);
    const data = (body as { ocs?: { data?: unknown } } | null)?.ocs?.data;
    if (!Array.isArray(data))
      throw new AppError('BAD_RESPONSE', 'The activity feed answered something that is not a list of activities.');
    for (const entry of data) deletions += deletionsIn(entry);
    const last = Number(res.headers.get('x-activity-last-given') ?? NaN);
    const next = Number.isSafeInteger(last) && last > id ? last : Math.max(id, ...data.map((e) => idOf(e) ?? 0));
    if (lost)
      return {
        cursor: JSON.stringify({ m: 'activity', id: next } satisfies ActivityCursor),
        change: 'unknown',
        deletions: null,
        via,
      };
    const more = /rel="?next"?/.test(res.headers.get('link') ?? '');
    if (next === id) break; // nothing to move on to: what was read is all there is
    id = next;
    if (!more)
      return {
        cursor: JSON.stringify({ m: 'activity', id } satisfies ActivityCursor),
        change: 'changed',
        deletions,
        via,
      };
  }
  // More than ACTIVITY_PAGES pages of news: changed, without counting further (the next check goes on from here).
  return {
    cursor: JSON.stringify({ m: 'activity', id } satisfies ActivityCursor),
    change: 'changed',
    deletions: null,
    via,
  };
}

/** oCIS: every space's root eTag in one request (the spaces whose trash the provider lists). */
async function checkDrives(
  io: DialectIO,
  basePath: string,
  since: string | null,
  signal?: AbortSignal,
): Promise<TrashChangeCheck> {
  const via = 'space ETags';
  const res = await io.get(`${basePath}/graph/v1.0/me/drives`, { headers: { Accept: 'application/json' }, signal });
  if (res.status !== 200) {
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      return unsupported(via);
    }
    throw await io.failure(res);
  }
  const body = await jsonOf(res);
  const drives = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(drives)) throw new AppError('BAD_RESPONSE', 'The list of spaces could not be read.');
  const etags: Record<string, string> = {};
  for (const d of drives) {
    if (!d || typeof d !== 'object') continue;
    const drive = d as { id?: unknown; driveType?: unknown; root?: { eTag?: unknown; deleted?: unknown } };
    if (typeof drive.id !== 'string' || (drive.driveType !== 'personal' && drive.driveType !== 'project')) continue;
    if (drive.root?.deleted) continue; // a disabled space: no trash to list
    etags[drive.id] = typeof drive.root?.eTag === 'string' ? drive.root.eTag : '';
  }
  const cursor = JSON.stringify({ m: 'drives', etags } satisfies DrivesCursor);
  const before = parseCursor(since);
  if (!before || before.m !== 'drives') return { cursor, change: 'unknown', deletions: null, via };
  const ids = new Set([...Object.keys(etags), ...Object.keys(before.etags)]);
  // A space without an eTag cannot be compared: it counts as changed.
  const changed = [...ids].some((id) => etags[id] !== before.etags[id] || !etags[id]);
  return { cursor, change: changed ? 'changed' : 'same', deletions: null, via };
}
