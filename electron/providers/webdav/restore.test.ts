import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemResult, Resolution, TrashItem } from '../../../shared/model';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type { BatchContext, Landed } from '../types';
import { WebDavProvider } from './provider';
import { createParseHost } from './trashStream';

/**
 * What a restore costs and what it reports when the server is busy or refuses midway: one write per
 * item (Nextcloud's restored items found by file id, many per DAV SEARCH; ownCloud's from the MOVE's
 * answer), 423 Locked retried and checked, and an item the batch moved reported with where it is
 * even when a later step failed.
 */

const alice = WEBDAV_USERS.alice;
const parseHost = createParseHost();

function batch(resolutions: Record<string, Resolution> = {}) {
  const results: ItemResult[] = [];
  const landed = new Map<string, Landed>();
  const ctx: BatchContext = {
    signal: new AbortController().signal,
    itemDone(result, extra) {
      results.push(result);
      if (extra?.landed) landed.set(result.key, extra.landed);
    },
    progress() {},
    resolutionFor: (key) => resolutions[key],
    ask: async () => 'skip',
  };
  return { ctx, results, landed };
}

for (const kind of ['nextcloud', 'owncloud10'] as const) {
  describe(`restores on the ${kind} test server`, () => {
    let server: WebDavServer;
    const provider = () =>
      new WebDavProvider(
        kind,
        {
          id: 'acc',
          kind,
          label: 'test',
          serverUrl: server.url,
          user: alice.id,
          userId: alice.id,
          userName: alice.id,
          demo: false,
        },
        { user: alice.id, secret: alice.appPassword },
        { parseHost, http: { retries: 0, timeoutMs: 10_000 }, lockedPauseMs: 5 },
      );
    const list = async (p: WebDavProvider) => {
      const all: TrashItem[] = [];
      for await (const chunk of p.listTrash(null)) all.push(...chunk.items);
      return all;
    };
    /** Trashes `count` files of Inbox/ (a folder that keeps 20 others), each in its own second. */
    const trashInbox = (count: number) => {
      const tree = server.tree;
      tree.mkdirs(alice.id, 'Inbox');
      for (let i = 0; i < 20; i++) tree.writeFile(alice.id, `Inbox/keep${i}.txt`, 10);
      const start = tree.now();
      for (let i = 0; i < count; i++)
        tree.trash(tree.writeFile(alice.id, `Inbox/n${i}.txt`, 100 + i).id, { at: start - (count - i) * 1000 });
    };
    const inboxItems = async (p: WebDavProvider) => (await list(p)).filter((i) => i.originalFolder === '/Inbox');
    const requests = () => server.control.seen.filter((r) => r.method !== 'GET' || !r.path.startsWith('/__control'));

    beforeAll(async () => {
      server = await startWebDavServer({ kind });
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.control.reset();
    });

    it('costs one write per item: no read of each item before or after, and every item can be undone', async () => {
      trashInbox(30);
      const p = provider();
      const items = await inboxItems(p);
      expect(items).toHaveLength(30);
      if (kind === 'nextcloud') expect(items.every((i) => /^\d+$/.test(i.fileId ?? ''))).toBe(true);
      server.control.seen.length = 0;
      const b = batch();
      await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results.map((r) => r.outcome)).toEqual(items.map(() => 'restored'));
      expect(new Set(b.results.map((r) => r.finalPath))).toEqual(new Set(items.map((i) => `/Inbox/${i.name}`)));

      const seen = requests();
      const moves = seen.filter((r) => r.method === 'MOVE');
      const reads = seen.filter((r) => r.method === 'PROPFIND');
      const searches = seen.filter((r) => r.method === 'SEARCH');
      expect(moves).toHaveLength(30);
      // The destination folder: checked once (Depth 0) and listed once (Depth 1); nothing per item.
      expect(reads.map((r) => r.headers.depth).sort()).toEqual(['0', '1']);
      expect(searches.length).toBe(kind === 'nextcloud' ? 1 : 0);

      // What landed is what the server has (so Undo can prove it acts on the same file).
      for (const item of items) {
        const node = server.tree.resolve(alice.id, `Inbox/${item.name}`)!;
        expect(b.landed.get(item.key)).toMatchObject({
          ref: `/Inbox/${item.name}`,
          fileId: String(node.id),
          etag: `"${node.etag}"`,
        });
      }
    });

    it('finds items by file id in lookups of at most 99', async () => {
      if (kind !== 'nextcloud') return;
      trashInbox(120);
      const p = provider();
      const items = await inboxItems(p);
      server.control.seen.length = 0;
      const b = batch();
      await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results.filter((r) => r.outcome === 'restored')).toHaveLength(120);
      const searches = server.control.seen.filter((r) => r.method === 'SEARCH');
      expect(searches.length).toBeGreaterThanOrEqual(2);
      expect(server.control.seen.filter((r) => r.method === 'PROPFIND')).toHaveLength(2);
    });

    it('still finds restored items where the server has no SEARCH (one read each instead)', async () => {
      if (kind !== 'nextcloud') return;
      trashInbox(5);
      const p = provider();
      const items = await inboxItems(p);
      server.control.fault({ method: 'SEARCH', status: 501, times: Infinity, faithful: true });
      const b = batch();
      await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results.map((r) => r.outcome)).toEqual(items.map(() => 'restored'));
      expect(b.landed.size).toBe(5);
    });

    it('retries a MOVE answered 423 Locked, and restores the item', async () => {
      trashInbox(3);
      const p = provider();
      const items = await inboxItems(p);
      const locked = server.control.fault({ method: 'MOVE', status: 423, faithful: true, times: 2 });
      const b = batch();
      await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(locked.hits).toBe(2);
      expect(b.results.map((r) => r.outcome)).toEqual(['restored', 'restored', 'restored']);
      for (const item of items) expect(server.tree.resolve(alice.id, `Inbox/${item.name}`)).not.toBeNull();
    });

    it('counts a 423 that came after the move went through as restored (it asks the server, it does not send it again)', async () => {
      trashInbox(2);
      const p = provider();
      const items = await inboxItems(p);
      server.control.fault({ method: 'MOVE', status: 423, faithful: true, after: true, times: 2 });
      const b = batch();
      await p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results.map((r) => r.outcome)).toEqual(['restored', 'restored']);
      expect(server.control.seen.filter((r) => r.method === 'MOVE')).toHaveLength(2);
      expect(b.landed.size).toBe(2);
    });

    it('reports an item still locked after the retries as failed, with a reason, and leaves it in the trash', async () => {
      trashInbox(1);
      const p = provider();
      const [item] = await inboxItems(p);
      server.control.fault({ method: 'MOVE', status: 423, faithful: true, times: Infinity });
      const b = batch();
      await p.restore([item!], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results[0]).toMatchObject({
        outcome: 'failed',
        finalPath: null,
        error: { code: 'SERVER', message: expect.stringContaining('locked') },
      });
      expect((await inboxItems(p)).map((i) => i.id)).toEqual([item!.id]);
    });
  });
}

describe('Nextcloud: restore into a folder when the sign-in is refused from the third write on', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'nextcloud' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports each item it moved with where it is now, then stops with AUTH_FAILED', async () => {
    const p = new WebDavProvider(
      'nextcloud',
      {
        id: 'acc',
        kind: 'nextcloud',
        label: 'test',
        serverUrl: server.url,
        user: alice.id,
        userId: alice.id,
        userName: alice.id,
        demo: false,
      },
      { user: alice.id, secret: alice.appPassword },
      { parseHost, http: { retries: 0, timeoutMs: 10_000 }, concurrency: 2 },
    );
    const tree = server.tree;
    tree.mkdirs(alice.id, 'From');
    tree.mkdirs(alice.id, 'Target');
    const start = tree.now();
    for (let i = 0; i < 4; i++)
      tree.trash(tree.writeFile(alice.id, `From/f${i}.txt`, 10).id, { at: start - (4 - i) * 1000 });
    const items: TrashItem[] = [];
    for await (const c of p.listTrash(null)) items.push(...c.items.filter((i) => i.originalFolder === '/From'));
    // Writes 1 and 2 (two items back to /From) go through; every write after is refused.
    server.control.fault({ method: 'MOVE', status: 401, faithful: true, nth: 3, times: Infinity });
    const b = batch();
    await expect(
      p.restore(items, { kind: 'folder', folderId: '/Target' }, { recreateMissingFolders: false }, b.ctx),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const live = tree.snapshot(alice.id).files.filter((f) => f.startsWith('/From/') && f !== '/From/');
    expect(live).toHaveLength(2);
    // Each item that left the trash has its own result saying where it is.
    expect(b.results.map((r) => r.finalPath).sort()).toEqual(live.sort());
    for (const r of b.results) {
      expect(r).toMatchObject({
        outcome: 'failed',
        error: { code: 'AUTH_FAILED', message: expect.stringContaining(`Restored to ${r.finalPath}`) },
      });
    }
    // ... and can be put back in the trash by Undo.
    expect(b.landed.size).toBe(2);
  });

  it('says where an item most likely is when the sign-in is refused right after the server restored it', async () => {
    const p = new WebDavProvider(
      'nextcloud',
      {
        id: 'acc',
        kind: 'nextcloud',
        label: 'test',
        serverUrl: server.url,
        user: alice.id,
        userId: alice.id,
        userName: alice.id,
        demo: false,
      },
      { user: alice.id, secret: alice.appPassword },
      { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
    );
    server.control.reset();
    server.tree.mkdirs(alice.id, 'Solo');
    server.tree.trash(server.tree.writeFile(alice.id, 'Solo/one.txt', 10).id);
    const items: TrashItem[] = [];
    for await (const c of p.listTrash(null)) items.push(...c.items.filter((i) => i.originalFolder === '/Solo'));
    // The MOVE goes through; the lookup of where it landed is refused.
    server.control.fault({ method: 'SEARCH', status: 401, faithful: true, times: Infinity });
    const b = batch();
    await expect(
      p.restore(items, { kind: 'original' }, { recreateMissingFolders: false }, b.ctx),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(server.tree.resolve(alice.id, 'Solo/one.txt')).not.toBeNull();
    expect(b.results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        finalPath: '/Solo/one.txt',
        error: expect.objectContaining({
          code: 'AUTH_FAILED',
          message: expect.stringContaining('most likely to /Solo/one.txt'),
        }),
      }),
    ]);
  });
});

describe('same-named files deleted in one second (one trash file kept for them)', () => {
  for (const kind of ['nextcloud', 'owncloud10'] as const) {
    let server: WebDavServer;
    const provider = () =>
      new WebDavProvider(
        kind,
        {
          id: 'acc',
          kind,
          label: 'test',
          serverUrl: server.url,
          user: alice.id,
          userId: alice.id,
          userName: alice.id,
          demo: false,
        },
        { user: alice.id, secret: alice.appPassword },
        { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
      );
    beforeAll(async () => {
      server = await startWebDavServer({ kind });
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => server.control.reset());

    /**
     * Col/A/same.txt and Col/C/same.txt; the one from C in the trash, listed as from /Col/C (Nextcloud) or /Col/A
     * (ownCloud).
     */
    const collided = async () => {
      const tree = server.tree;
      tree.mkdirs(alice.id, 'Col/A');
      tree.mkdirs(alice.id, 'Col/C');
      const c = tree.writeFile(alice.id, 'Col/C/same.txt', 15);
      const entry = tree.trash(c.id);
      const p = provider();
      const items: TrashItem[] = [];
      for await (const chunk of p.listTrash(null)) items.push(...chunk.items);
      return { p, entry, item: items.find((i) => i.name === 'same.txt')!, node: c };
    };

    it(`${kind}: a restore reports where the server really put the file, which copy it lost, and where the file belongs`, async () => {
      const { p, entry, item, node } = await collided();
      const ajaxAnswer = {
        data: { files: [{ name: 'same.txt', mtime: entry.deletedAt, extraData: 'Col/C/same.txt' }] },
        status: 'success',
      };
      if (kind === 'nextcloud') {
        // Nextcloud lists the last row (/Col/C) and restores to the first (/Col/A).
        entry.originalPath = 'Col/A/same.txt';
      } else {
        // ownCloud lists the first row (/Col/A) over WebDAV; its trash app lists the last (/Col/C).
        item.originalFolder = '/Col/A';
        item.originalFolderId = '/Col/A';
        server.control.fault({
          method: 'GET',
          path: 'files_trashbin/ajax/list.php',
          status: 200,
          body: JSON.stringify(ajaxAnswer),
          headers: { 'Content-Type': 'application/json' },
          times: Infinity,
        });
      }
      const b = batch();
      await p.restore([item], { kind: 'original' }, { recreateMissingFolders: false }, b.ctx);
      expect(b.results).toEqual([
        expect.objectContaining({
          outcome: 'restored',
          finalPath: '/Col/A/same.txt',
          movableTo: '/Col/C/same.txt',
          note: expect.stringMatching(/kept only the last of them.*\/Col\/C.*copy deleted from \/Col\/A is lost/s),
        }),
      ]);
      expect(server.tree.resolve(alice.id, 'Col/A/same.txt')?.id).toBe(node.id);
      // What landed is the real file there: Undo can act on it.
      expect(b.landed.get(item.key)).toMatchObject({ ref: '/Col/A/same.txt', fileId: String(node.id) });
    });

    it(`${kind}: tells which copies the server lost before anything is restored, as far as it tells`, async () => {
      const { p, entry, item } = await collided();
      if (kind === 'nextcloud') {
        // The activity app recorded three deletions of same.txt; A's and B's files are gone for good.
        const activity = {
          ocs: {
            data: [
              {
                type: 'file_deleted',
                objects: {
                  [String(entry.nodeId)]: '/Col/C/same.txt',
                  '900001': '/Col/B/same.txt',
                  '900002': '/Col/A/same.txt',
                },
                datetime: new Date(entry.deletedAt).toISOString(),
              },
            ],
          },
        };
        server.control.fault({
          method: 'GET',
          path: '/apps/activity/api/v2/activity/files',
          status: 200,
          body: JSON.stringify(activity),
          headers: { 'Content-Type': 'application/json' },
          times: Infinity,
        });
        const report = await p.sameSecondLosses([item]);
        expect(report).toEqual({
          source: 'activity',
          losses: [
            expect.objectContaining({
              itemKey: item.key,
              lost: ['/Col/A/same.txt', '/Col/B/same.txt'],
              keptFrom: '/Col/C',
              complete: true,
            }),
          ],
        });
        // Without the activity app: nothing is guessed.
        server.control.clearFaults();
        server.frontEnd.activity.enabled = false;
        try {
          expect(await p.sameSecondLosses([item])).toEqual({ source: 'none', losses: [] });
        } finally {
          server.frontEnd.activity.enabled = true;
        }
      } else {
        const ajaxAnswer = {
          data: { files: [{ name: 'same.txt', mtime: entry.deletedAt, extraData: 'Col/C/same.txt' }] },
          status: 'success',
        };
        server.control.fault({
          method: 'GET',
          path: 'files_trashbin/ajax/list.php',
          status: 200,
          body: JSON.stringify(ajaxAnswer),
          headers: { 'Content-Type': 'application/json' },
        });
        const listedAsA = { ...item, originalFolder: '/Col/A', originalFolderId: '/Col/A' };
        expect(await p.sameSecondLosses([listedAsA])).toEqual({
          source: 'trash-records',
          losses: [expect.objectContaining({ lost: ['/Col/A/same.txt'], keptFrom: '/Col/C', complete: false })],
        });
      }
    });
  }
});

describe('movedStat: what a MOVE answer says about the file it placed', async () => {
  const { movedStat } = await import('./requests');
  const answer = (headers: Record<string, string>) => new Response(null, { status: 201, headers });
  it('reads ownCloud 10 / Nextcloud ids and ETags, and nothing of another form', () => {
    const file = { kind: 'file' as const, size: 5 };
    expect(movedStat(answer({ 'OC-FileId': '00000014ocr9ak1mfml1', ETag: '"b603"' }), file)).toMatchObject({
      fileId: '14',
      etag: '"b603"',
    });
    expect(movedStat(answer({ 'OC-FileId': '12345678901ocqbgw8tzdol', ETag: '"e"' }), file)).toMatchObject({
      fileId: '12345678901',
    });
    // Folders (no ETag), no header, and oCIS's resource ids (which may start with digits) are read back instead.
    expect(movedStat(answer({ 'OC-FileId': '00000014ocr9ak1mfml1' }), file)).toBeNull();
    expect(
      movedStat(answer({ 'OC-FileId': '00000014ocr9ak1mfml1', ETag: '"e"' }), { kind: 'folder', size: null }),
    ).toBeNull();
    expect(
      movedStat(answer({ 'OC-FileId': '1284d238-aa92-42ce-bdc4-0b0000009157$a!b', ETag: '"e"' }), file),
    ).toBeNull();
    expect(movedStat(answer({}), file)).toBeNull();
  });

  it('reads nothing from a 204 (something was replaced): ownCloud 10.15.2 names the replaced file there', () => {
    const replaced = new Response(null, {
      status: 204,
      headers: { 'OC-FileId': '00000881ocany53kye34', ETag: '"aba97b4d"' },
    });
    expect(movedStat(replaced, { kind: 'file', size: 4 })).toBeNull();
  });
});
