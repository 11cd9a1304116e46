import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from './server';
import { OCIS_SPACES, seedOcisSpaces, seedTestState, WEBDAV_USERS } from './seed';

/**
 * The oCIS front end answers as reva's ocdav does (owncloud/reva internal/http/services/owncloud/
 * ocdav trashbin.go, spaces.go) and oCIS's Graph /me/drives.
 */
describe('oCIS test server: reva trash-bin and Graph drives', () => {
  let server: WebDavServer;
  const auth = { Authorization: `Bearer ${WEBDAV_USERS.alice.appPassword}` };
  const trashUrl = (spaceId: string, rest = '') =>
    `${server.url}/remote.php/dav/spaces/trash-bin/${encodeURIComponent(spaceId)}${rest}`;
  const propfind = async (url: string, body: string, depth = '1') => {
    const res = await fetch(url, { method: 'PROPFIND', headers: { ...auth, Depth: depth }, body });
    return { status: res.status, text: await res.text() };
  };
  const ALLPROP = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>';
  const NAMED =
    '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop><oc:size/><d:getcontentlength/><d:getlastmodified/><oc:trashbin-delete-datetime/></d:prop></d:propfind>';

  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'ocis', seed: (t) => (seedTestState(t), seedOcisSpaces(t)) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('/me/drives: personal, the project spaces alice is in (roles as unified role ids), a disabled one marked trashed, and Shares', async () => {
    const res = await fetch(`${server.url}/graph/v1.0/me/drives`, { headers: auth });
    const { value } = (await res.json()) as {
      value: {
        driveType: string;
        name: string;
        root: {
          deleted?: { state: string };
          permissions?: { roles: string[]; grantedToV2: { user: { id: string } } }[];
        };
      }[];
    };
    expect(value.map((d) => [d.driveType, d.name])).toEqual([
      ['personal', 'Alice Adams'],
      ['project', 'Marketing'],
      ['project', 'Engineering'],
      ['project', 'Board'],
      ['project', 'Archive'],
      ['virtual', 'Shares'],
    ]);
    expect(value[4]!.root.deleted).toEqual({ state: 'trashed' });
    const board = value[3]!.root.permissions!.find((p) => p.grantedToV2.user.id === 'uuid-alice');
    expect(board?.roles).toEqual(['a8d5fe5e-96e3-418d-825b-534dbdf22b99']);
  });

  it('allprop: folders carry oc:size, files d:getcontentlength; dates in RFC 1123Z and Unix seconds', async () => {
    const { status, text } = await propfind(trashUrl(OCIS_SPACES.marketing.id), ALLPROP);
    expect(status).toBe(207);
    const assets = text.split('<d:response>').find((r) => r.includes('>Assets<'))!;
    expect(assets).toMatch(/<oc:size>1000<\/oc:size>/);
    expect(assets).not.toContain('getcontentlength');
    expect(assets).toMatch(
      /<oc:trashbin-delete-datetime>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000<\/oc:trashbin-delete-datetime>/,
    );
    expect(assets).toMatch(/<oc:trashbin-delete-timestamp>\d+<\/oc:trashbin-delete-timestamp>/);
    const plan = text.split('<d:response>').find((r) => r.includes('>plan.pdf<'))!;
    expect(plan).toMatch(/<d:getcontentlength>1000<\/d:getcontentlength>/);
    // The href encodes the "$" of the space id.
    expect(plan).toContain('/remote.php/dav/spaces/trash-bin/storage-users-1%24');
  });

  it('named properties: oc:size is a 404 propstat for folders (and files), so is getcontentlength for folders', async () => {
    const { text } = await propfind(trashUrl(OCIS_SPACES.marketing.id), NAMED);
    // A trashed folder's href ends in "/" below the trash root.
    const folder = text.split('<d:response>').find((r) => /trash-bin\/[^/<]+\/[^/<]+\/<\/d:href>/.test(r))!;
    const [found, missing] = folder.split('HTTP/1.1 200 OK');
    expect(found).toContain('trashbin-delete-datetime');
    expect(missing).toContain('HTTP/1.1 404 Not Found');
    expect(missing).toMatch(/<oc:size\s*\/>/);
    expect(missing).toMatch(/<d:getcontentlength\s*\/>/);
    expect(folder).not.toMatch(/<oc:size>\d+/);
  });

  it('a Depth 0 PROPFIND of a trash root is a canned 207 whatever the space; deleting an unknown key is a 409', async () => {
    expect((await propfind(trashUrl('storage-users-1$nope'), ALLPROP, '0')).status).toBe(207);
    expect((await propfind(trashUrl('storage-users-1$nope'), ALLPROP, '1')).status).toBe(404);
    const res = await fetch(trashUrl(OCIS_SPACES.marketing.id, '/no-such-key'), { method: 'DELETE', headers: auth });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('xmlns:d="DAV"');
  });

  it('a disabled space and a space alice is not in are not found', async () => {
    expect((await propfind(trashUrl(OCIS_SPACES.archive.id), ALLPROP)).status).toBe(404);
  });
});
