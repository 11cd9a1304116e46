import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WEBDAV_USERS } from './seed';
import type { WebDavServerKind } from './common';
import { ocisSpaceId, sabreFileId } from './ids';
import { startWebDavServer, type WebDavServer } from './server';

/**
 * Conditional requests on the files tree ("undo by identity"): Nextcloud and ownCloud 10 run Sabre's
 * checkPreconditions before DELETE/MOVE/PUT/GET, oCIS (reva ocdav) ignores If-Match on DELETE and
 * MOVE and answers a failed If-Match on PUT with a bodiless 409. Saving over a file keeps its id.
 */

const auth = `Basic ${Buffer.from(`alice:${WEBDAV_USERS.alice.password}`).toString('base64')}`;

const sabre412 = (message: string, header: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n  <s:exception>Sabre\\DAV\\Exception\\PreconditionFailed</s:exception>\n  <s:message>${message}</s:message>\n  <s:header>${header}</s:header>\n</d:error>\n`;
const NONE_MATCHED = 'An If-Match header was specified, but none of the specified ETags matched.';

function client(server: () => WebDavServer, kind: WebDavServerKind) {
  const base = () =>
    kind === 'ocis'
      ? `/remote.php/dav/spaces/${encodeURIComponent(ocisSpaceId('alice'))}`
      : '/remote.php/dav/files/alice';
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const res = await fetch(`${server().url}${base()}/${path}`, {
      method,
      headers: { Authorization: auth, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  /** getetag, oc:fileid and getcontentlength of one item, as a client reads them. */
  const stat = async (path: string) => {
    const r = await call(
      'PROPFIND',
      path,
      { Depth: '0' },
      '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><d:getetag/><oc:fileid/><d:getcontentlength/></d:prop></d:propfind>',
    );
    if (r.status !== 207) return null;
    const pick = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(r.text)?.[1] ?? null;
    return {
      etag: pick('d:getetag')!.replace(/&quot;/g, '"'),
      fileId: pick('oc:fileid'),
      size: pick('d:getcontentlength'),
    };
  };
  const destination = (path: string) => `${server().url}${base()}/${path}`;
  return { call, stat, destination };
}

describe.each(['nextcloud', 'owncloud10'] as const)('%s: Sabre preconditions on the files tree', (kind) => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.control.reset());
  const { call, stat, destination } = client(() => server, kind);

  it('sends getetag quoted, the same value as the ETag and OC-ETag headers of PUT', async () => {
    const put = await call('PUT', 'Documents/new.txt', {}, 'hello');
    expect(put.status).toBe(201);
    const s = await stat('Documents/new.txt');
    expect(s!.etag).toMatch(/^"[^"]+"$/);
    expect(put.headers.get('etag')).toBe(s!.etag);
    expect(put.headers.get('oc-etag')).toBe(s!.etag);
    expect(put.headers.get('oc-fileid')).toBe(sabreFileId(Number(s!.fileId)));
    expect(put.headers.get('oc-fileid')).toMatch(/^\d{8}oc[a-z0-9]{10}$/);
  });

  it('keeps the file id when saving over a file, with a new ETag and size (204)', async () => {
    const before = (await stat('Documents/report.pdf'))!;
    const put = await call(
      'PUT',
      'Documents/report.pdf',
      { 'X-OC-Mtime': '1795000000' },
      'someone saved this meanwhile',
    );
    expect(put.status).toBe(204);
    expect(put.headers.get('x-oc-mtime')).toBe('accepted');
    const after = (await stat('Documents/report.pdf'))!;
    expect(after.fileId).toBe(before.fileId);
    expect(after.etag).not.toBe(before.etag);
    expect(after.size).toBe(String('someone saved this meanwhile'.length));
    expect(put.headers.get('etag')).toBe(after.etag);
    expect(put.headers.get('oc-fileid')).toBe(sabreFileId(Number(before.fileId)));
  });

  it('DELETE with the current ETag trashes the file (204)', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    const r = await call('DELETE', 'Documents/report.pdf', { 'If-Match': s.etag });
    expect(r.status).toBe(204);
    expect(await stat('Documents/report.pdf')).toBeNull();
    expect(server.tree.trashOf('alice').some((e) => e.nodeId === Number(s.fileId))).toBe(true);
  });

  it('DELETE with a stale ETag is refused with 412, the current ETag and the If-Match header named', async () => {
    const stale = (await stat('Documents/report.pdf'))!;
    await call('PUT', 'Documents/report.pdf', {}, 'edited since the restore');
    const current = (await stat('Documents/report.pdf'))!;
    const r = await call('DELETE', 'Documents/report.pdf', { 'If-Match': stale.etag });
    expect(r.status).toBe(412);
    expect(r.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(r.headers.get('etag')).toBe(current.etag);
    expect(r.text).toBe(sabre412(NONE_MATCHED, 'If-Match'));
    expect(await stat('Documents/report.pdf')).toMatchObject({ fileId: stale.fileId, etag: current.etag });
  });

  it('compares tags verbatim: an unquoted or weak ETag does not match; a list matches when one does', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    expect((await call('DELETE', 'Documents/report.pdf', { 'If-Match': s.etag.slice(1, -1) })).status).toBe(412);
    expect((await call('DELETE', 'Documents/report.pdf', { 'If-Match': `W/${s.etag}` })).status).toBe(412);
    expect((await call('DELETE', 'Documents/report.pdf', { 'If-Match': `"nope", ${s.etag}` })).status).toBe(204);
  });

  it('If-Match on a missing file is a 412 (the resource did not exist), not a 404', async () => {
    const r = await call('DELETE', 'Documents/gone.txt', { 'If-Match': '"abc"' });
    expect(r.status).toBe(412);
    expect(r.headers.get('etag')).toBeNull();
    expect(r.text).toBe(sabre412('An If-Match header was specified and the resource did not exist', 'If-Match'));
    expect((await call('DELETE', 'Documents/gone.txt')).status).toBe(404);
  });

  it('a folder has no ETag for If-Match: its getetag never matches, "*" does', async () => {
    const s = (await stat('Photos'))!;
    const r = await call('DELETE', 'Photos', { 'If-Match': s.etag });
    expect(r.status).toBe(412);
    expect(r.headers.get('etag')).toBeNull();
    expect(r.text).toBe(sabre412(NONE_MATCHED, 'If-Match'));
    expect((await call('DELETE', 'Photos', { 'If-Match': '*' })).status).toBe(204);
  });

  it('MOVE checks If-Match on the source: 412 when stale, 201 when current', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    const stale = await call('MOVE', 'Documents/report.pdf', {
      Destination: destination('Shared/report.pdf'),
      'If-Match': '"stale"',
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(s.etag);
    expect(stale.text).toBe(sabre412(NONE_MATCHED, 'If-Match'));
    const ok = await call('MOVE', 'Documents/report.pdf', {
      Destination: destination('Shared/report.pdf'),
      'If-Match': s.etag,
    });
    expect(ok.status).toBe(201);
    expect((await stat('Shared/report.pdf'))!.fileId).toBe(s.fileId);
  });

  it('If-None-Match: 412 on DELETE/PUT when it matches, 304 on GET', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    const del = await call('DELETE', 'Documents/report.pdf', { 'If-None-Match': '*' });
    expect(del.status).toBe(412);
    expect(del.text).toBe(
      sabre412('An If-None-Match header was specified, but the ETag matched (or * was specified).', 'If-None-Match'),
    );
    expect((await call('PUT', 'Documents/report.pdf', { 'If-None-Match': '*' }, 'x')).status).toBe(412);
    expect((await call('PUT', 'Documents/fresh.txt', { 'If-None-Match': '*' }, 'x')).status).toBe(201);
    const get = await call('GET', 'Documents/report.pdf', { 'If-None-Match': s.etag });
    expect(get.status).toBe(304);
    expect(get.headers.get('etag')).toBe(s.etag);
    expect(get.text).toBe('');
    expect((await call('DELETE', 'Documents/report.pdf', { 'If-None-Match': '"other"' })).status).toBe(204);
  });

  it('PUT with a stale If-Match is refused (412) and the file is unchanged', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    const r = await call('PUT', 'Documents/report.pdf', { 'If-Match': '"stale"' }, 'x');
    expect(r.status).toBe(412);
    expect(r.text).toBe(sabre412(NONE_MATCHED, 'If-Match'));
    expect(await stat('Documents/report.pdf')).toEqual(s);
    expect((await call('PUT', 'Documents/report.pdf', { 'If-Match': s.etag }, 'x')).status).toBe(204);
  });

  it('If-Unmodified-Since: 412 when changed since, ignored when unparseable', async () => {
    const r = await call('DELETE', 'Documents/report.pdf', { 'If-Unmodified-Since': 'Sun, 06 Nov 1994 08:49:37 GMT' });
    expect(r.status).toBe(412);
    expect(r.text).toBe(
      sabre412(
        'An If-Unmodified-Since header was specified, but the entity has been changed since the specified date.',
        'If-Unmodified-Since',
      ),
    );
    expect((await call('DELETE', 'Documents/report.pdf', { 'If-Unmodified-Since': 'yesterday' })).status).toBe(204);
  });

  it('an unknown user in the path fails If-Match with 412 before the 404', async () => {
    const r = await fetch(`${server.url}/remote.php/dav/files/nosuchuser/x.txt`, {
      method: 'DELETE',
      headers: { Authorization: auth, 'If-Match': '"a"' },
    });
    expect(r.status).toBe(412);
    expect(await r.text()).toBe(
      sabre412('An If-Match header was specified and the resource did not exist', 'If-Match'),
    );
  });
});

describe('ocis: reva ignores If-Match on DELETE and MOVE', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'ocis' });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => server.control.reset());
  const { call, stat, destination } = client(() => server, 'ocis');

  it('sends getetag quoted and keeps the file id when saving over a file (204, new ETag and size)', async () => {
    const before = (await stat('Documents/report.pdf'))!;
    expect(before.etag).toMatch(/^"[^"]+"$/);
    const put = await call('PUT', 'Documents/report.pdf', {}, 'new content');
    expect(put.status).toBe(204);
    const after = (await stat('Documents/report.pdf'))!;
    expect(after).toMatchObject({ fileId: before.fileId, size: String('new content'.length) });
    expect(after.etag).not.toBe(before.etag);
    expect(put.headers.get('etag')).toBe(after.etag);
    expect(put.headers.get('oc-etag')).toBe(after.etag);
    expect(put.headers.get('last-modified')).toMatch(/GMT$/);
  });

  it('DELETE with a stale If-Match still deletes (204)', async () => {
    const r = await call('DELETE', 'Documents/report.pdf', { 'If-Match': '"stale"' });
    expect(r.status).toBe(204);
    expect(await stat('Documents/report.pdf')).toBeNull();
  });

  it('MOVE with a stale If-Match still moves (201)', async () => {
    const r = await call('MOVE', 'Documents/report.pdf', {
      Destination: destination('Shared/report.pdf'),
      'If-Match': '"stale"',
    });
    expect(r.status).toBe(201);
    expect(await stat('Shared/report.pdf')).not.toBeNull();
  });

  it('PUT with a stale If-Match is a bodiless 409 (FAILED_PRECONDITION), the current one saves', async () => {
    const s = (await stat('Documents/report.pdf'))!;
    const stale = await call('PUT', 'Documents/report.pdf', { 'If-Match': '"stale"' }, 'x');
    expect(stale.status).toBe(409);
    expect(stale.text).toBe('');
    expect(await stat('Documents/report.pdf')).toEqual(s);
    expect((await call('PUT', 'Documents/report.pdf', { 'If-Match': '*' }, 'x')).status).toBe(409);
    expect((await call('PUT', 'Documents/report.pdf', { 'If-Match': s.etag }, 'x')).status).toBe(204);
  });
});
