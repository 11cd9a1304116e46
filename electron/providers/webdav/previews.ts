import { AppError } from '../../base/errors';
import { kindInfo } from '../../../shared/kinds';
import type { Preview, TrashItem } from '../../../shared/model';
import { BODY_BUDGET } from '../../net/http';
import { none, PREVIEW_EDGE, readPreviewImage, wantsPreview } from '../preview';
import { prop } from './dialect';
import { clark, NS } from './multistatus';
import type { WebDavSession } from './requests';

/** Nextcloud: what a trash entry's preview needs (its file id, and whether the server can render one). */
const PREVIEW_PROBE_BODY = `<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
  <d:prop>
    <oc:fileid/>
    <nc:has-preview/>
  </d:prop>
</d:propfind>`;

export class Previews {
  constructor(private readonly s: WebDavSession) {}

  /**
   * A trashed file's preview through the files_trashbin app (see providers/preview.ts).
   * Nextcloud: GET index.php/apps/files_trashbin/preview?fileId=&x=&y=&a=1 (PreviewController,
   * 404 when it has none, 400 for a folder) with the entry's oc:fileid, asked for first with
   * nc:has-preview. ownCloud 10: GET index.php/apps/files_trashbin/ajax/preview.php?file=&x=&y=
   * with the entry's path in files_trashbin/files ("/name.d<deletion time>[/inside]"); it answers
   * 500 for a path it does not know. Infinite Scale serves no previews of trashed files.
   */
  async preview(item: TrashItem, signal?: AbortSignal): Promise<Preview> {
    const skip = wantsPreview(item);
    if (skip) return skip;
    if (!kindInfo(this.s.kind).previews)
      return none('unsupported', `${this.s.dialect.productName} makes no previews of trashed files.`);
    const edge = String(PREVIEW_EDGE);
    let path: string;
    let query: URLSearchParams;
    if (this.s.kind === 'nextcloud') {
      const found = await this.s.propfind(this.s.trashPath(item.id), '0', PREVIEW_PROBE_BODY, signal);
      const entry = found?.[0];
      if (!entry) return none('missing', 'It is no longer in the trash.');
      const fileId = prop(entry, clark(NS.oc, 'fileid'));
      if (prop(entry, clark(NS.nc, 'has-preview')) === 'false' || !fileId)
        return none('missing', 'Nextcloud has no preview of this file.');
      path = `${this.s.basePath}/index.php/apps/files_trashbin/preview`;
      query = new URLSearchParams({ fileId, x: edge, y: edge, a: '1' });
    } else {
      const file = await this.ownCloudTrashFile(item, signal);
      if (!file) return none('missing', 'It is no longer in the trash.');
      path = `${this.s.basePath}/index.php/apps/files_trashbin/ajax/preview.php`;
      query = new URLSearchParams({ file, x: edge, y: edge });
    }
    const res = await this.s.send('GET', path, {
      query: query.toString(),
      signal,
      headers: { Accept: 'image/*' },
      read: 'stream',
      maxBytes: BODY_BUDGET.preview,
    });
    if (res.ok && res.status !== 204) return readPreviewImage(res, signal);
    if (res.status >= 300 && res.status < 400 && /\/login\b/.test(res.headers.get('location') ?? '')) {
      // ownCloud 10's checkLoggedIn sends a refused sign-in to its login page.
      await res.body?.cancel();
      throw new AppError('AUTH_FAILED', this.s.refusedMessage(), { status: res.status });
    }
    if (
      res.status === 404 ||
      res.status === 400 ||
      res.status === 204 ||
      (this.s.kind === 'owncloud10' && res.status === 500)
    ) {
      await res.body?.cancel();
      return none('missing', `${this.s.dialect.productName} has no preview of this file.`);
    }
    throw await this.s.failure(res);
  }

  /**
   * ownCloud 10: where a trash entry lies in files_trashbin/files. A top-level entry is its name
   * with ".d<deletion time>"; an item inside a trashed folder is that folder's entry, then the path
   * inside it (the top entry is read, Depth 0, for its name and deletion time). Null when gone.
   */
  private async ownCloudTrashFile(item: TrashItem, signal?: AbortSignal): Promise<string | null> {
    const seconds = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : NaN);
    const [topId = item.id, ...inside] = item.id.split('/');
    if (inside.length === 0) {
      const at = seconds(item.deletedAt);
      return Number.isFinite(at) ? `/${item.name}.d${at}` : null;
    }
    const found = await this.s.propfind(this.s.trashPath(topId), '0', this.s.dialect.trashPropfind, signal);
    const topEntry = found?.[0];
    const top = topEntry
      ? this.s.dialect.readItem(topEntry, {
          accountId: this.s.account.id,
          parentId: null,
          listedPath: '',
          trashRootPath: this.s.trashPath(null),
        })
      : null;
    const at = seconds(top?.deletedAt ?? null);
    if (!top || !Number.isFinite(at)) return null;
    const full = (x: TrashItem) => `${x.originalFolder.replace(/\/+$/, '')}/${x.name}`;
    const within = full(item).startsWith(`${full(top)}/`) ? full(item).slice(full(top).length + 1) : null;
    return within === null ? null : `/${top.name}.d${at}/${within}`;
  }
}
