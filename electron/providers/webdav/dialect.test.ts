import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import { AppError } from '../../base/errors';
import { dialects, spacesFromDrives, splitSpaceItemId, type DialectContext, type DialectIO } from './dialect';
import { clark, NS, parseMultistatus, type DavResponse } from './multistatus';

/**
 * What differs between the WebDAV servers is in the dialect objects, behind hooks the provider
 * calls the same way for every kind. These pin each dialect's answers; the provider tests run
 * them against the test servers.
 */

const ctx: DialectContext = { basePath: '/cloud', userId: 'alice', spaceId: 'storage-users-1$abc' };
const item = { id: 'Folder.d1700000000/report.pdf', name: 'report.pdf' } as TrashItem;
const entry = (props: Record<string, string>): DavResponse => ({
  href: '/x',
  collection: false,
  props: new Map(Object.entries(props)),
  status: null,
});

/** A DialectIO answering GETs from a table of path → [status, JSON body]; records what was asked. */
function io(answers: Record<string, [number, unknown]>) {
  const asked: { path: string; headers: Record<string, string>; query: string | undefined }[] = [];
  const value: DialectIO = {
    async get(path, init) {
      asked.push({ path, headers: init.headers ?? {}, query: init.query });
      const [status, body] = answers[path] ?? [404, null];
      return new Response(body === null ? null : JSON.stringify(body), { status });
    },
    async failure(res) {
      return new AppError('SERVER', `failed with ${res.status}`, { status: res.status });
    },
  };
  return { io: value, asked };
}

describe('WebDAV dialects', () => {
  it('restore: Nextcloud through its restore collection, the others by MOVE to the destination', () => {
    const nc = dialects.nextcloud.restore;
    expect(nc.mode).toBe('restore-collection');
    if (nc.mode === 'restore-collection')
      expect(nc.target(ctx, item)).toBe('/cloud/remote.php/dav/trashbin/alice/restore/report.pdf');
    expect(dialects.owncloud10.restore).toEqual({ mode: 'move-to-destination' });
    expect(dialects.ocis.restore).toEqual({ mode: 'move-to-destination' });
  });

  it('file id of a trash entry: oc:fileid where listed; ownCloud 10 falls back to its trash id', () => {
    const listed = entry({ [clark(NS.oc, 'fileid')]: '4711' });
    const bare = entry({});
    for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const)
      expect(dialects[kind].trashEntryFileId(listed, item)).toBe('4711');
    expect(dialects.nextcloud.trashEntryFileId(bare, item)).toBeNull();
    expect(dialects.ocis.trashEntryFileId(bare, item)).toBeNull();
    expect(dialects.owncloud10.trashEntryFileId(bare, { ...item, id: '12345' })).toBe('12345');
  });

  it('who: OCS user on ownCloud 10 and Nextcloud, keeping what the account says on a 4xx, failing on a 5xx', async () => {
    const known = { userId: 'alice', userName: 'alice-login' };
    const ocs = { ocs: { data: { id: 'alice2', 'display-name': 'Alice Adams' } } };
    for (const kind of ['nextcloud', 'owncloud10'] as const) {
      const ok = io({ '/cloud/ocs/v1.php/cloud/user': [200, ocs] });
      await expect(dialects[kind].whoAmI(ok.io, ctx, known)).resolves.toEqual({
        userId: 'alice2',
        userName: 'Alice Adams',
      });
      expect(ok.asked).toEqual([
        {
          path: '/cloud/ocs/v1.php/cloud/user',
          headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' },
          query: 'format=json',
        },
      ]);
      await expect(
        dialects[kind].whoAmI(io({ '/cloud/ocs/v1.php/cloud/user': [404, null] }).io, ctx, known),
      ).resolves.toEqual(known);
      await expect(
        dialects[kind].whoAmI(io({ '/cloud/ocs/v1.php/cloud/user': [503, null] }).io, ctx, known),
      ).rejects.toMatchObject({ code: 'SERVER' });
    }
  });

  it('who: Graph on Infinite Scale (login name, else id; display name, else the id)', async () => {
    const known = { userId: 'alice', userName: '' };
    const me = (body: unknown) => io({ '/cloud/graph/v1.0/me': [200, body] }).io;
    await expect(
      dialects.ocis.whoAmI(
        me({ id: 'u-1', onPremisesSamAccountName: 'alice', displayName: 'Alice Adams' }),
        ctx,
        known,
      ),
    ).resolves.toEqual({
      userId: 'alice',
      userName: 'Alice Adams',
    });
    await expect(dialects.ocis.whoAmI(me({ id: 'u-1' }), ctx, known)).resolves.toEqual({
      userId: 'u-1',
      userName: 'u-1',
    });
    await expect(dialects.ocis.whoAmI(io({}).io, ctx, known)).rejects.toMatchObject({ message: 'failed with 404' });
  });

  it('prepare: only Infinite Scale needs one, to find the personal space', async () => {
    expect(dialects.nextcloud.prepare).toBeUndefined();
    expect(dialects.owncloud10.prepare).toBeUndefined();
    const drives = {
      value: [
        { driveType: 'project', id: 'p-1' },
        { driveType: 'personal', id: 'storage-users-1$alice' },
      ],
    };
    await expect(dialects.ocis.prepare!(io({ '/cloud/graph/v1.0/me/drives': [200, drives] }).io, ctx)).resolves.toEqual(
      {
        spaceId: 'storage-users-1$alice',
        spaces: [
          { id: 'storage-users-1$alice', name: 'Personal', personal: true, role: 'manager' },
          { id: 'p-1', name: 'p-1', personal: false, role: 'unknown' },
        ],
      },
    );
    await expect(
      dialects.ocis.prepare!(io({ '/cloud/graph/v1.0/me/drives': [200, { value: [] }] }).io, ctx),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('trash-check messages: the ownCloud ones name the Deleted files app; Infinite Scale keeps the generic ones', () => {
    expect(dialects.nextcloud.trashCheckMessages[404]).toContain('Deleted files app');
    expect(dialects.owncloud10.trashCheckMessages).toBe(dialects.nextcloud.trashCheckMessages);
    expect(dialects.ocis.trashCheckMessages).toEqual({});
  });
});

describe("oCIS spaces and reva's trash listing", () => {
  const MANAGER = '312c0871-5ef7-4b3a-85b6-0e4074c64049';
  const VIEWER = 'a8d5fe5e-96e3-418d-825b-534dbdf22b99';
  const grant = (role: string, id = 'uuid-alice') => ({
    roles: [role],
    grantedToV2: { user: { id, displayName: 'x' } },
  });

  it('keeps the personal drive and project drives the user is a member of; skips Shares, mount points and disabled spaces', () => {
    const drives = {
      value: [
        {
          driveType: 'project',
          id: 's$m',
          name: 'Marketing',
          root: { permissions: [grant(VIEWER, 'uuid-bob'), grant(MANAGER)] },
        },
        { driveType: 'personal', id: 's$alice', name: 'Alice Adams' },
        { driveType: 'virtual', id: 'a0ca6a90$a0ca6a90', name: 'Shares' },
        { driveType: 'mountpoint', id: 'm$1', name: 'shared.txt' },
        { driveType: 'project', id: 's$b', name: 'Board', root: { permissions: [grant(VIEWER)] } },
        {
          driveType: 'project',
          id: 's$e',
          name: 'Eng',
          root: { permissions: [{ roles: ['editor'], grantedToIdentities: [{ user: { id: 'uuid-alice' } }] }] },
        },
        {
          driveType: 'project',
          id: 's$old',
          name: 'Old',
          root: { deleted: { state: 'trashed' }, permissions: [grant(MANAGER)] },
        },
      ],
    };
    expect(spacesFromDrives(drives, 'uuid-alice')).toEqual([
      { id: 's$alice', name: 'Personal', personal: true, role: 'manager' },
      { id: 's$m', name: 'Marketing', personal: false, role: 'manager' },
      { id: 's$b', name: 'Board', personal: false, role: 'viewer' },
      { id: 's$e', name: 'Eng', personal: false, role: 'editor' },
    ]);
    expect(spacesFromDrives(null, null)).toEqual([]);
  });

  it('item ids carry the space: "<space id>!<key>[/path]"', () => {
    expect(splitSpaceItemId('storage-users-1$abc!k-1/sub/a.txt')).toEqual({
      spaceId: 'storage-users-1$abc',
      rest: 'k-1/sub/a.txt',
    });
    expect(splitSpaceItemId('k-1/sub!x')).toEqual({ spaceId: null, rest: 'k-1/sub!x' });
    expect(splitSpaceItemId('k-1')).toEqual({ spaceId: null, rest: 'k-1' });
  });

  // reva's itemToPropResponse, byte for byte in shape: one line, "$" as %24, allprop for the root
  // listing (folders: oc:size; files: d:getcontentlength; RFC 1123Z datetime), and a 404 propstat
  // for what a named PROPFIND asked and reva does not give (oc:size, getlastmodified).
  const REVA = [
    '<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns">',
    '<d:response><d:href>/remote.php/dav/spaces/trash-bin/storage-users-1%24m-1/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat><d:propstat><d:prop><oc:trashbin-original-filename></oc:trashbin-original-filename><oc:trashbin-original-location></oc:trashbin-original-location><oc:trashbin-delete-datetime></oc:trashbin-delete-datetime><d:getcontentlength></d:getcontentlength></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>',
    '<d:response><d:href>/remote.php/dav/spaces/trash-bin/storage-users-1%24m-1/k-folder/</d:href><d:propstat><d:status>HTTP/1.1 200 OK</d:status><d:prop><oc:trashbin-original-filename>Assets</oc:trashbin-original-filename><oc:trashbin-original-location>Assets</oc:trashbin-original-location><oc:trashbin-delete-timestamp>1763629260</oc:trashbin-delete-timestamp><oc:trashbin-delete-datetime>Thu, 20 Nov 2025 09:01:00 +0000</oc:trashbin-delete-datetime><d:resourcetype><d:collection/></d:resourcetype><oc:size>1000</oc:size><oc:spaceid>m-1</oc:spaceid></d:prop></d:propstat></d:response>',
    '<d:response><d:href>/remote.php/dav/spaces/trash-bin/storage-users-1%24m-1/k-file</d:href><d:propstat><d:status>HTTP/1.1 200 OK</d:status><d:prop><oc:trashbin-original-filename>plan.pdf</oc:trashbin-original-filename><oc:trashbin-original-location>Campaigns/2025/plan.pdf</oc:trashbin-original-location><oc:trashbin-delete-datetime>Thu, 20 Nov 2025 09:02:00 +0000</oc:trashbin-delete-datetime><d:resourcetype></d:resourcetype><d:getcontentlength>1000</d:getcontentlength></d:prop></d:propstat><d:propstat><d:status>HTTP/1.1 404 Not Found</d:status><d:prop><oc:size></oc:size><d:getlastmodified></d:getlastmodified></d:prop></d:propstat></d:response>',
    '<d:response><d:href>/remote.php/dav/spaces/trash-bin/storage-users-1%24m-1/k-named/</d:href><d:propstat><d:status>HTTP/1.1 200 OK</d:status><d:prop><oc:trashbin-original-location>Old</oc:trashbin-original-location><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:propstat><d:propstat><d:status>HTTP/1.1 404 Not Found</d:status><d:prop><oc:size></oc:size><d:getcontentlength></d:getcontentlength></d:prop></d:propstat></d:response>',
    '</d:multistatus>',
  ].join('');

  it('reads reva\'s multistatus: space ids with "$", folder sizes from allprop, unknown (not 0) without, RFC 1123Z dates', () => {
    const root = '/remote.php/dav/spaces/trash-bin/storage-users-1$m-1';
    const read = {
      accountId: 'a',
      parentId: null,
      listedPath: root,
      trashRootPath: root,
      space: { id: 'storage-users-1$m-1', name: 'Marketing', personal: false },
    };
    const items = parseMultistatus(REVA)
      .map((r) => dialects.ocis.readItem(r, read))
      .filter((i) => i !== null);
    expect(items).toHaveLength(3);
    const [folder, file, named] = items;
    expect(folder).toMatchObject({
      id: 'storage-users-1$m-1!k-folder',
      name: 'Assets',
      kind: 'folder',
      size: 1000,
      originalFolder: 'Marketing',
      originalFolderId: '/storage-users-1$m-1!',
    });
    expect(folder!.deletedAt).toBe(new Date(1763629260 * 1000).toISOString());
    expect(file).toMatchObject({
      id: 'storage-users-1$m-1!k-file',
      name: 'plan.pdf',
      size: 1000,
      originalFolder: 'Marketing › Campaigns/2025',
      originalFolderId: '/storage-users-1$m-1!/Campaigns/2025',
    });
    expect(file!.deletedAt).toBe('2025-11-20T09:02:00.000Z');
    // A named oc:size answered 404 for a folder: the size is unknown, never 0.
    expect(named).toMatchObject({ name: 'Old', kind: 'folder', size: null });
  });

  it("lists with allprop: only allprop carries a trashed folder's size in reva", () => {
    expect(dialects.ocis.trashPropfind).toContain('<d:allprop/>');
    expect(dialects.ocis.trashPropfind).not.toMatch(/nextcloud|oc:size/);
  });
});
