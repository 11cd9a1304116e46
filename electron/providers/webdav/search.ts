import { readMultistatus } from './multistatus';
import { decodeHref } from './paths';
import { statOf, type Stat, type WebDavSession } from './requests';

/**
 * Finding live items by file id, many per request (Nextcloud's DAV SEARCH): restores find where the server put an item,
 * same-second losses tell a restored file from a lost one.
 */

/** Ids per DAV SEARCH: Nextcloud refuses a query of more than 100 operators (the "or" and one "eq" per id). */
export const SEARCH_MAX_IDS = 99;

/** A DAV SEARCH for the items with these file ids below `scope`, with what a Stat needs. */
const searchBody = (scope: string, ids: string[]) => `<?xml version="1.0"?>
<d:searchrequest xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">
  <d:basicsearch>
    <d:select><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/><d:getetag/><oc:size/><oc:fileid/><oc:permissions/></d:prop></d:select>
    <d:from><d:scope><d:href>${escapeXml(scope)}</d:href><d:depth>infinity</d:depth></d:scope></d:from>
    <d:where>${ids.length === 1 ? fileIdIs(ids[0]!) : `<d:or>${ids.map(fileIdIs).join('')}</d:or>`}</d:where>
    <d:orderby/>
  </d:basicsearch>
</d:searchrequest>`;
const fileIdIs = (id: string) => `<d:eq><d:prop><oc:fileid/></d:prop><d:literal>${id}</d:literal></d:eq>`;
const escapeXml = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A live item found by its file id: its path (segments below the files root) and what it is. */
export interface Found {
  segments: string[];
  stat: Stat;
}

export class FileIdSearch {
  constructor(private readonly s: WebDavSession) {}

  /** Whether the server answers DAV SEARCH by file id (cleared after it refused one). */
  searchable = true;

  /**
   * Finds live items by file id, wherever they are, in one DAV SEARCH (Nextcloud): their paths and
   * stats by file id; null when the server cannot be searched this way (then each is looked up
   * where it should be).
   */
  async findByFileIds(ids: string[]): Promise<Map<string, Found> | null> {
    const restore = this.s.dialect.restore;
    const where = restore.mode === 'restore-collection' ? restore.search?.(this.s.ctx) : undefined;
    const wanted = ids.filter((id) => /^\d{1,20}$/.test(id));
    if (!where || !this.searchable) return null;
    const out = new Map<string, Found>();
    if (wanted.length === 0) return out;
    const res = await this.s.send('SEARCH', where.path, {
      body: searchBody(where.scope, wanted),
      idempotent: true,
      signal: new AbortController().signal,
    });
    if (res.status !== 207) {
      await res.body?.cancel();
      this.searchable = false;
      return null;
    }
    const root = `${this.s.filesPath([]).replace(/\/+$/, '')}/`;
    for (const r of await readMultistatus(res, this.s.url(where.path))) {
      const path = decodeHref(r.href).replace(/\/+$/, '');
      const stat = statOf(r);
      if (!path.startsWith(root) || !stat.fileId || !wanted.includes(stat.fileId)) continue;
      out.set(stat.fileId, { segments: path.slice(root.length).split('/'), stat });
    }
    return out;
  }
}
