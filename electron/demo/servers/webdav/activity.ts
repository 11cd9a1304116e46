import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FileTree, TreeChange, TreeUser } from '../tree';
import { sendJson } from './sabre';

/**
 * The activity app's feed as Nextcloud 32 (activity 5.0, OCS `/ocs/v2.php/apps/activity/api/v2/
 * activity/{filter}`) and ownCloud 10.15 (activity 2.7, `/index.php/apps/activity/api/v2/activity/
 * {filter}`) serve it, and the spaces' root ETags of oCIS: what the watch's cheap check reads
 * (electron/providers/webdav/changes.ts). Kept by listening to the tree (FileTree.onChange).
 *
 * Read in both servers' Data::get / setOffsetFromSince and APIv2Controller / OCSEndPoint, and
 * checked on the real kits: rows of the signed-in user (`affecteduser`), ordered by (timestamp, id);
 * `since` names a row: `sort=asc` gives the rows with timestamp ≥ its timestamp and id > it, `desc`
 * those with timestamp ≤ and id <; a `since` the server does not have (or none) starts from the
 * oldest row in that order and says so in `X-Activity-First-Known`; someone else's is a 403; limit
 * is at most 200 rows; `X-Activity-Last-Given` is the last row's id and `Link: <…>; rel="next"` says
 * there are more; no rows is a 304 with no body. Rows of one type by one user next to each other are
 * grouped into one entry (Nextcloud lists them in `objects`, at most 5 seen; ownCloud 10 in a
 * `collection` of `subjectparams`, at most 6). Nextcloud also answers 304 when If-None-Match is its
 * ETag. ownCloud 10 sends a browser without a valid session (wrong credentials too) to the login
 * page: 303. Not modelled: activities of other apps (shares, comments), the user's stream settings,
 * what the real grouping waits for (time, subject) beyond type and user.
 */

const TYPES: Record<Exclude<TreeChange['type'], 'reset'>, string> = {
  created: 'file_created',
  changed: 'file_changed',
  moved: 'file_changed',
  deleted: 'file_deleted',
  restored: 'file_restored',
};

const VERBS: Record<string, [string, string]> = {
  file_created: ['created', 'created_self'],
  file_changed: ['changed', 'changed_self'],
  file_deleted: ['deleted', 'deleted_self'],
  file_restored: ['restored', 'restored_self'],
};

export interface Activity {
  readonly id: number;
  readonly type: string;
  /** Who did it. */
  readonly user: string;
  /** Whose feed it is in. */
  readonly affecteduser: string;
  /** Path below the owner's files, with a leading slash. */
  readonly path: string;
  readonly fileId: number;
  /** Seconds since the epoch. */
  readonly timestamp: number;
}

const ORDER = (a: Activity, b: Activity) => a.timestamp - b.timestamp || a.id - b.id;

export class ActivityLog {
  /** Off: the activity app is disabled (its routes are not there). */
  enabled = true;
  private nextId = 1;
  private readonly rows = new Map<string, Activity[]>();
  private readonly byId = new Map<number, Activity>();
  private readonly revisions = new Map<string, number>();

  constructor(tree: FileTree) {
    const before = tree.onChange;
    tree.onChange = (change) => {
      before?.(change);
      this.record(change);
    };
  }

  private record(change: TreeChange): void {
    if (change.type === 'reset') {
      this.rows.clear();
      this.byId.clear();
      this.revisions.clear();
      return;
    }
    this.revisions.set(change.owner, (this.revisions.get(change.owner) ?? 0) + 1);
    const row: Activity = {
      id: this.nextId++,
      type: TYPES[change.type],
      user: change.by,
      affecteduser: change.owner,
      path: `/${change.path}`,
      fileId: change.nodeId,
      timestamp: Math.floor(change.at / 1000),
    };
    this.byId.set(row.id, row);
    let list = this.rows.get(change.owner);
    if (!list) this.rows.set(change.owner, (list = []));
    // Mostly in order; a row back-dated by a seed goes where its time puts it.
    const last = list[list.length - 1];
    if (!last || ORDER(last, row) <= 0) list.push(row);
    else
      list.splice(
        lowerBound(list, (r) => ORDER(r, row) < 0),
        0,
        row,
      );
  }

  /**
   * oCIS: a space's root eTag, new after every change in that space's tree (decomposedfs propagates them to the root).
   */
  spaceEtag(owner: string): string {
    return `"${createHash('md5')
      .update(`${owner}:${this.revisions.get(owner) ?? 0}`)
      .digest('hex')}"`;
  }

  /** The rows of one user's feed for one request, as Data::get picks them. */
  pick(
    user: string,
    q: { filter: string; since: number; sort: 'asc' | 'desc'; limit: number },
  ): { status: 200 | 304 | 403; rows: Activity[]; headers: Record<string, string>; more: boolean } {
    const all = this.rows.get(user) ?? [];
    const limit = Math.max(1, Math.min(200, q.limit || 50));
    const keep = (r: Activity) => (q.filter === 'self' ? r.user === user : q.filter === 'by' ? r.user !== user : true);
    const headers: Record<string, string> = {};
    const anchor = q.since ? this.byId.get(q.since) : undefined;
    let candidates: Activity[];
    if (anchor) {
      if (anchor.affecteduser !== user) return { status: 403, rows: [], headers, more: false };
      candidates =
        q.sort === 'asc'
          ? all.slice(lowerBound(all, (r) => r.timestamp < anchor.timestamp)).filter((r) => r.id > anchor.id)
          : all
              .slice(
                0,
                lowerBound(all, (r) => r.timestamp <= anchor.timestamp),
              )
              .filter((r) => r.id < anchor.id)
              .reverse();
    } else {
      candidates = q.sort === 'asc' ? all : [...all].reverse();
      if (candidates[0]) headers['X-Activity-First-Known'] = String(candidates[0].id);
    }
    const rows: Activity[] = [];
    let more = false;
    for (const r of candidates) {
      if (!keep(r)) continue;
      if (rows.length === limit) {
        more = true;
        break;
      }
      rows.push(r);
    }
    if (rows.length) headers['X-Activity-Last-Given'] = String(rows[rows.length - 1]!.id);
    return { status: rows.length ? 200 : 304, rows, headers, more };
  }

  /** Nextcloud: GET /ocs/v{1,2}.php/apps/activity/api/v2/activity[/{filter}] (OCS-APIRequest already checked). */
  serveNextcloud(req: IncomingMessage, res: ServerResponse, url: URL, user: TreeUser | null, v2: boolean): void {
    if (!user) {
      return sendJson(
        res,
        401,
        { ocs: { meta: { status: 'failure', statuscode: 997, message: 'Unauthorised' }, data: [] } },
        'application/json; charset=utf-8',
        {
          'WWW-Authenticate': 'Basic realm="Authorisation Required"',
        },
      );
    }
    const filter = filterOf(url, '/apps/activity/api/v2/activity');
    if (filter === null)
      return sendJson(res, 404, { ocs: { meta: { status: 'failure', statuscode: 404, message: '' }, data: [] } });
    const picked = this.pick(user.id, queryOf(url));
    if (picked.status === 403)
      return sendJson(res, 403, { ocs: { meta: { status: 'failure', statuscode: 403, message: '' }, data: [] } });
    const data = group(picked.rows, 5).map((g) => nextcloudEntry(g, user, origin(req)));
    const etag = createHash('md5').update(JSON.stringify(data)).digest('hex');
    const headers = {
      ...picked.headers,
      ETag: etag,
      ...(picked.more ? { Link: nextLink(req, url, picked.headers) } : {}),
    };
    if (picked.status === 304 || req.headers['if-none-match'] === etag) return notModified(res, headers);
    sendJson(
      res,
      200,
      { ocs: { meta: { status: 'ok', statuscode: v2 ? 200 : 100, message: 'OK' }, data } },
      'application/json; charset=utf-8',
      headers,
    );
  }

  /** ownCloud 10: GET /index.php/apps/activity/api/v2/activity[/{filter}]. */
  serveOwnCloud(req: IncomingMessage, res: ServerResponse, url: URL, user: TreeUser | null): void {
    if (!user) {
      const target = encodeURIComponent(encodeURIComponent(url.pathname));
      res.writeHead(303, 'See Other', {
        Location: `/index.php/login?redirect_url=${target}`,
        'Content-Type': 'text/html; charset=UTF-8',
        'Content-Length': '0',
      });
      return void res.end();
    }
    const filter = filterOf(url, '/index.php/apps/activity/api/v2/activity');
    if (filter === null) return notFound(res);
    const picked = this.pick(user.id, queryOf(url));
    if (picked.status === 403)
      return sendJson(
        res,
        403,
        { ocs: { meta: { status: 'ok', statuscode: 100, message: null }, data: null } },
        'application/json; charset=utf-8',
      );
    const headers = { ...picked.headers, ...(picked.more ? { Link: nextLink(req, url, picked.headers) } : {}) };
    if (picked.status === 304) return notModified(res, headers);
    const data = group(picked.rows, 6).map((g) => ownCloudEntry(g, user, origin(req)));
    sendJson(
      res,
      200,
      { ocs: { meta: { status: 'ok', statuscode: 100, message: null }, data } },
      'application/json; charset=utf-8',
      headers,
    );
  }
}

/** The first index whose element fails `before` (elements passing it come first). */
function lowerBound<T>(list: readonly T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const FILTERS = new Set(['all', 'self', 'by', 'files']);

/** The filter of a feed path: '' (the default, all), a known one, or null (404). */
function filterOf(url: URL, base: string): string | null {
  const rest = url.pathname.slice(url.pathname.indexOf(base) + base.length).replace(/^\//, '');
  if (rest === '') return 'all';
  return FILTERS.has(rest) ? rest : null;
}

function queryOf(url: URL): { filter: string; since: number; sort: 'asc' | 'desc'; limit: number } {
  const p = url.searchParams;
  const filter = url.pathname.split('/').pop() ?? 'all';
  return {
    filter,
    since: Number.parseInt(p.get('since') ?? '0', 10) || 0,
    sort: p.get('sort') === 'asc' ? 'asc' : 'desc',
    limit: Number.parseInt(p.get('limit') ?? '50', 10) || 50,
  };
}

/** Rows next to each other of one type by one user, at most `max` to an entry. */
function group(rows: readonly Activity[], max: number): Activity[][] {
  const out: Activity[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.length < max && last[0]!.type === r.type && last[0]!.user === r.user) last.push(r);
    else out.push([r]);
  }
  return out;
}

const origin = (req: IncomingMessage) => `http://${req.headers.host ?? '127.0.0.1'}`;
const atom = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

function nextLink(req: IncomingMessage, url: URL, headers: Record<string, string>): string {
  const next = new URLSearchParams({
    since: headers['X-Activity-Last-Given'] ?? '0',
    limit: url.searchParams.get('limit') ?? '50',
    sort: url.searchParams.get('sort') ?? 'desc',
  });
  const format = url.searchParams.get('format');
  if (format !== null) next.set('format', format);
  return `<${origin(req)}${url.pathname}?${next.toString()}>; rel="next"`;
}

function notModified(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(304, 'Not Modified', {
    'Cache-Control': 'no-cache, no-store, must-revalidate',
    'Content-Type': 'application/json; charset=utf-8',
    ...headers,
  });
  res.end();
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
  res.end('<!DOCTYPE html><html><body>Page not found</body></html>');
}

function subjectText(group: Activity[], self: boolean): string {
  const verb = VERBS[group[0]!.type]?.[0] ?? 'changed';
  const names = group.map((r) => base(r.path));
  const who = self ? 'You' : group[0]!.user;
  const list =
    names.length === 1
      ? names[0]!
      : names.length === 2
        ? `${names[0]} and ${names[1]}`
        : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  return `${who} ${verb} ${list}`;
}

function nextcloudEntry(g: Activity[], user: TreeUser, host: string) {
  const first = g[0]!;
  const objects = Object.fromEntries(g.map((r) => [String(r.fileId), r.path]));
  return {
    activity_id: g[g.length - 1]!.id,
    app: 'files',
    type: first.type,
    user: first.user,
    subject: subjectText(g, first.user === user.id),
    subject_rich: [subjectText(g, first.user === user.id), {}],
    message: '',
    message_rich: ['', []],
    object_type: 'files',
    object_id: first.fileId,
    object_name: first.path,
    objects,
    link: `${host}/index.php/apps/files/?dir=${encodeURIComponent(dirOf(first.path))}`,
    icon: `${host}/apps/files/img/${first.type === 'file_deleted' ? 'delete' : 'change'}-color.svg`,
    datetime: atom(first.timestamp),
  };
}

function ownCloudEntry(g: Activity[], user: TreeUser, host: string) {
  const first = g[0]!;
  const self = first.user === user.id;
  const [verb, selfSubject] = VERBS[first.type] ?? ['changed', 'changed_self'];
  const one = (r: Activity) => ({ value: { [String(r.fileId)]: r.path }, type: 'file' });
  return {
    activity_id: g[g.length - 1]!.id,
    type: first.type,
    user: first.user,
    affecteduser: user.id,
    app: 'files',
    subject: self ? selfSubject : `${verb}_by`,
    subjectparams: g.length === 1 ? [one(first)] : [{ value: g.map(one), type: 'collection' }],
    message: '',
    messageparams: [],
    link: `${host}/index.php/apps/files/?dir=${encodeURIComponent(dirOf(first.path))}`,
    object_type: 'files',
    object_id: first.fileId,
    object_name: first.path,
    subject_prepared: subjectText(g, self),
    message_prepared: '',
    typeicon: first.type === 'file_deleted' ? 'icon-delete-color' : 'icon-change',
    datetime: atom(first.timestamp),
  };
}
