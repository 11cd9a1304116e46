import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import { AppError } from '../../base/errors';
import { dialects, type DialectContext, type DialectIO } from './dialect';
import { clark, NS, type DavResponse } from './multistatus';

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
    if (nc.mode === 'restore-collection') expect(nc.target(ctx, item)).toBe('/cloud/remote.php/dav/trashbin/alice/restore/report.pdf');
    expect(dialects.owncloud10.restore).toEqual({ mode: 'move-to-destination' });
    expect(dialects.ocis.restore).toEqual({ mode: 'move-to-destination' });
  });

  it('file id of a trash entry: oc:fileid where listed; ownCloud 10 falls back to its trash id', () => {
    const listed = entry({ [clark(NS.oc, 'fileid')]: '4711' });
    const bare = entry({});
    for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) expect(dialects[kind].trashEntryFileId(listed, item)).toBe('4711');
    expect(dialects.nextcloud.trashEntryFileId(bare, item)).toBeNull();
    expect(dialects.ocis.trashEntryFileId(bare, item)).toBeNull();
    expect(dialects.owncloud10.trashEntryFileId(bare, { ...item, id: '12345' })).toBe('12345');
  });

  it('who: OCS user on ownCloud 10 and Nextcloud, keeping what the account says on a 4xx, failing on a 5xx', async () => {
    const known = { userId: 'alice', userName: 'alice-login' };
    const ocs = { ocs: { data: { id: 'alice2', 'display-name': 'Alice Adams' } } };
    for (const kind of ['nextcloud', 'owncloud10'] as const) {
      const ok = io({ '/cloud/ocs/v1.php/cloud/user': [200, ocs] });
      await expect(dialects[kind].whoAmI(ok.io, ctx, known)).resolves.toEqual({ userId: 'alice2', userName: 'Alice Adams' });
      expect(ok.asked).toEqual([{ path: '/cloud/ocs/v1.php/cloud/user', headers: { 'OCS-APIRequest': 'true', Accept: 'application/json' }, query: 'format=json' }]);
      await expect(dialects[kind].whoAmI(io({ '/cloud/ocs/v1.php/cloud/user': [404, null] }).io, ctx, known)).resolves.toEqual(known);
      await expect(dialects[kind].whoAmI(io({ '/cloud/ocs/v1.php/cloud/user': [503, null] }).io, ctx, known)).rejects.toMatchObject({ code: 'SERVER' });
    }
  });

  it('who: Graph on Infinite Scale (login name, else id; display name, else the id)', async () => {
    const known = { userId: 'alice', userName: '' };
    const me = (body: unknown) => io({ '/cloud/graph/v1.0/me': [200, body] }).io;
    await expect(dialects.ocis.whoAmI(me({ id: 'u-1', onPremisesSamAccountName: 'alice', displayName: 'Alice Adams' }), ctx, known)).resolves.toEqual({
      userId: 'alice',
      userName: 'Alice Adams',
    });
    await expect(dialects.ocis.whoAmI(me({ id: 'u-1' }), ctx, known)).resolves.toEqual({ userId: 'u-1', userName: 'u-1' });
    await expect(dialects.ocis.whoAmI(io({}).io, ctx, known)).rejects.toMatchObject({ message: 'failed with 404' });
  });

  it('prepare: only Infinite Scale needs one, to find the personal space', async () => {
    expect(dialects.nextcloud.prepare).toBeUndefined();
    expect(dialects.owncloud10.prepare).toBeUndefined();
    const drives = { value: [{ driveType: 'project', id: 'p-1' }, { driveType: 'personal', id: 'storage-users-1$alice' }] };
    await expect(dialects.ocis.prepare!(io({ '/cloud/graph/v1.0/me/drives': [200, drives] }).io, ctx)).resolves.toEqual({ spaceId: 'storage-users-1$alice' });
    await expect(dialects.ocis.prepare!(io({ '/cloud/graph/v1.0/me/drives': [200, { value: [] }] }).io, ctx)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('trash-check messages: the ownCloud ones name the Deleted files app; Infinite Scale keeps the generic ones', () => {
    expect(dialects.nextcloud.trashCheckMessages[404]).toContain('Deleted files app');
    expect(dialects.owncloud10.trashCheckMessages).toBe(dialects.nextcloud.trashCheckMessages);
    expect(dialects.ocis.trashCheckMessages).toEqual({});
  });
});
