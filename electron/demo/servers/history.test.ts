import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from './webdav/server';

/** The control API's past: history steps and bulk seeds that end at a given time. */
describe('control API: deletions in the past', () => {
  let server: WebDavServer;
  beforeAll(async () => void (server = await startWebDavServer({ kind: 'nextcloud' })));
  afterAll(() => server.close());
  const post = (route: string, body: unknown) =>
    fetch(`${server.url}/__control/${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('builds and trashes at the times given; the Nextcloud trash names carry them', async () => {
    const at = Date.UTC(2026, 5, 1, 12, 0, 5);
    const res = await post('history', {
      user: 'alice',
      steps: [
        { op: 'create', path: 'Old/Deep/a.txt', size: 5, at: at - 1000 },
        { op: 'create', path: 'Old/Empty', kind: 'folder' },
        { op: 'trash', path: 'Old/Deep/a.txt', at: new Date(at).toISOString() },
        { op: 'trash', path: 'Old/Deep', at: at + 60_000 },
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ created: 2, trashed: 2 });
    const entries = server.tree.trashOf('alice').slice(-2);
    expect(entries.map((e) => [e.originalPath, e.deletedAt])).toEqual([
      ['Old/Deep/a.txt', at],
      ['Old/Deep', at + 60_000],
    ]);
    expect(server.tree.resolve('alice', 'Old/Empty')?.kind).toBe('folder');
    const listing = await fetch(`${server.url}/remote.php/dav/trashbin/alice/trash/`, {
      method: 'PROPFIND',
      headers: {
        Depth: '1',
        'Content-Type': 'application/xml',
        Authorization: `Basic ${Buffer.from('alice:alice-password').toString('base64')}`,
      },
      body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:nc="http://nextcloud.org/ns"><d:prop><nc:trashbin-deletion-time/></d:prop></d:propfind>',
    }).then((r) => r.text());
    expect(listing).toContain(`a.txt.d${at / 1000}`);
    expect(listing).toContain(`<nc:trashbin-deletion-time>${at / 1000 + 60}</nc:trashbin-deletion-time>`);
  });

  it('answers 400 for a step it cannot do, and seeds in bulk ending at a past time', async () => {
    expect((await post('history', { user: 'alice', steps: [{ op: 'trash', path: 'No/such', at: 0 }] })).status).toBe(
      400,
    );
    expect(
      (await post('history', { user: 'alice', steps: [{ op: 'trash', path: 'Documents', at: 'soon' }] })).status,
    ).toBe(400);
    expect((await post('history', { steps: [] })).status).toBe(400);
    const end = Date.UTC(2026, 0, 10);
    const res = await post('seed', { user: 'alice', count: 3, prefix: 'past-', endAt: new Date(end).toISOString() });
    expect(await res.json()).toEqual({ count: 3 });
    expect(
      server.tree
        .trashOf('alice')
        .slice(-3)
        .map((e) => e.deletedAt),
    ).toEqual([end - 3000, end - 2000, end - 1000]);
  });
});
