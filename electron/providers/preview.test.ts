import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PREVIEW_MAX_BYTES, type Preview, type TrashItem } from '../../shared/model';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import { DocSpaceProvider } from './docspace/provider';
import { readPreviewImage, wantsPreview } from './preview';
import { WebDavProvider } from './webdav/provider';
import { createParseHost } from './webdav/trashStream';

const PNG_SIGNATURE = '89504e470d0a1a0a';
const isPng = (p: Preview) =>
  p.kind === 'image' &&
  p.mimeType === 'image/png' &&
  Buffer.from(p.base64, 'base64').subarray(0, 8).toString('hex') === PNG_SIGNATURE;

describe('readPreviewImage', () => {
  const png = Buffer.from(PNG_SIGNATURE + '0000', 'hex');
  it('takes PNG, JPEG, GIF and WebP as base64 data', async () => {
    const got = await readPreviewImage(new Response(png, { headers: { 'Content-Type': 'image/png' } }));
    expect(got).toEqual({ kind: 'image', mimeType: 'image/png', base64: png.toString('base64') });
    expect(
      await readPreviewImage(new Response(png, { headers: { 'Content-Type': 'image/jpg; charset=binary' } })),
    ).toMatchObject({ mimeType: 'image/jpeg' });
    expect(await readPreviewImage(new Response(png, { headers: { 'Content-Type': 'image/webp' } }))).toMatchObject({
      mimeType: 'image/webp',
    });
  });
  it('refuses SVG, HTML and JSON (BAD_RESPONSE)', async () => {
    for (const type of ['image/svg+xml', 'text/html', 'application/json', '']) {
      await expect(
        readPreviewImage(new Response('<svg/>', { headers: type ? { 'Content-Type': type } : {} })),
      ).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    }
  });
  it('stops at the size cap, whether the length is declared or not', async () => {
    const big = Buffer.alloc(PREVIEW_MAX_BYTES + 1);
    expect(
      await readPreviewImage(
        new Response(big, { headers: { 'Content-Type': 'image/png', 'Content-Length': String(big.length) } }),
      ),
    ).toMatchObject({ kind: 'none', reason: 'too-large' });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(PREVIEW_MAX_BYTES / 4));
        c.close();
      },
    });
    expect(await readPreviewImage(new Response(stream, { headers: { 'Content-Type': 'image/png' } }))).toMatchObject({
      kind: 'none',
      reason: 'too-large',
    });
  });
  it('an empty body is no preview', async () => {
    expect(
      await readPreviewImage(new Response(new Uint8Array(0), { headers: { 'Content-Type': 'image/png' } })),
    ).toMatchObject({ kind: 'none', reason: 'missing' });
  });
});

describe('wantsPreview', () => {
  it('asks only for image files', () => {
    expect(wantsPreview({ kind: 'file', mimeType: 'image/jpeg', ext: 'jpg' })).toBeNull();
    expect(wantsPreview({ kind: 'file', mimeType: null, ext: 'png' })).toBeNull();
    expect(wantsPreview({ kind: 'file', mimeType: 'application/pdf', ext: 'pdf' })).toMatchObject({
      reason: 'not-image',
    });
    expect(wantsPreview({ kind: 'folder', mimeType: null, ext: '' })).toMatchObject({ reason: 'folder' });
  });
});

const alice = WEBDAV_USERS.alice;
const parseHost = createParseHost();

for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) {
  describe(`trash previews on the ${kind} test server`, () => {
    let server: WebDavServer;
    beforeAll(async () => {
      server = await startWebDavServer({ kind });
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.control.reset();
      const tree = server.tree;
      const photo = tree.writeFile(alice.id, 'Photos/beach.png', 5_000, { parents: true });
      tree.trash(photo.id);
      tree.writeFile(alice.id, 'Album/inside.jpg', 4_000, { parents: true });
      tree.writeFile(alice.id, 'Album/raw.heic', 9_000, { parents: true });
      tree.trash(tree.resolve(alice.id, 'Album')!.id);
    });
    const provider = (secret: string = alice.appPassword) =>
      new WebDavProvider(
        kind,
        {
          id: 'acc',
          kind,
          label: 't',
          serverUrl: server.url,
          user: alice.id,
          userId: alice.id,
          userName: alice.id,
          demo: false,
        },
        { user: alice.id, secret },
        { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
      );
    const list = async (parentId: string | null = null) => {
      const all: TrashItem[] = [];
      for await (const chunk of provider().listTrash(parentId)) all.push(...chunk.items);
      return all;
    };
    const named = (items: TrashItem[], name: string) => items.find((i) => i.name === name)!;

    if (kind === 'ocis') {
      it('says Infinite Scale makes no previews of trashed files', async () => {
        expect(await provider().preview(named(await list(), 'beach.png'))).toMatchObject({
          kind: 'none',
          reason: 'unsupported',
        });
      });
      return;
    }

    it("fetches an image item's preview as PNG data", async () => {
      expect(isPng(await provider().preview(named(await list(), 'beach.png')))).toBe(true);
    });

    it('fetches the preview of an image inside a trashed folder', async () => {
      const album = named(await list(), 'Album');
      const inside = named(await list(album.id), 'inside.jpg');
      expect(isPng(await provider().preview({ ...inside, parentId: album.id }))).toBe(true);
    });

    it('does not ask for folders or files that are not images', async () => {
      const items = await list();
      expect(await provider().preview(named(items, 'Album'))).toMatchObject({ kind: 'none', reason: 'folder' });
      expect(await provider().preview(named(items, 'notes.txt'))).toMatchObject({ kind: 'none', reason: 'not-image' });
    });

    it('an item gone from the trash has no preview', async () => {
      const beach = named(await list(), 'beach.png');
      server.tree.untrash(
        Number(server.tree.trashOf(alice.id).find((e) => server.tree.node(e.nodeId).name === 'beach.png')!.nodeId),
        server.tree.user(alice.id).rootId,
        'beach.png',
      );
      expect(await provider().preview(beach)).toMatchObject({ kind: 'none', reason: 'missing' });
    });

    if (kind === 'nextcloud') {
      it('an image the server cannot render (has-preview false) is no preview, without asking for it', async () => {
        const album = named(await list(), 'Album');
        const raw = named(await list(album.id), 'raw.heic');
        expect(await provider().preview(raw)).toMatchObject({
          kind: 'none',
          reason: 'missing',
          message: 'Nextcloud has no preview of this file.',
        });
      });
    }

    it('a refused password is AUTH_FAILED, not "no preview"', async () => {
      const beach = named(await list(), 'beach.png');
      await expect(provider('wrong').preview(beach)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    });
  });
}

describe('trash previews on the DocSpace test server', () => {
  let server: DocSpaceServer;
  beforeAll(async () => {
    server = await startDocSpaceServer({ opItemMs: 2 });
  });
  afterAll(async () => {
    await server.close();
  });
  const provider = (key: string = TEST_KEYS.alice) =>
    new DocSpaceProvider(
      {
        id: 'acc',
        kind: 'docspace',
        label: 'Test',
        serverUrl: server.url,
        user: '',
        userId: '',
        userName: '',
        demo: false,
      },
      { user: '', secret: key },
      { pollMs: 5, maxPollMs: 20 },
    );
  const list = async (parentId: string | null = null) => {
    const all: TrashItem[] = [];
    for await (const chunk of provider().listTrash(parentId)) all.push(...chunk.items);
    return all;
  };

  it('fetches a created thumbnail (FileDto thumbnailStatus 1, FileHandler.ashx?action=thumb) as data', async () => {
    const photo = (await list()).find((i) => i.name === 'holiday.jpg')!;
    expect(isPng(await provider().preview(photo))).toBe(true);
  });

  it('and one of an image inside a trashed folder', async () => {
    const project = (await list()).find((i) => i.name === 'Old project')!;
    const assets = (await list(project.id)).find((i) => i.name === 'assets')!;
    const logo = (await list(assets.id)).find((i) => i.name === 'logo.png')!;
    expect(isPng(await provider().preview(logo))).toBe(true);
  });

  it('documents and folders get no request for a preview', async () => {
    const items = await list();
    expect(await provider().preview(items.find((i) => i.name === 'Q3 report.docx')!)).toMatchObject({
      kind: 'none',
      reason: 'not-image',
    });
    expect(await provider().preview(items.find((i) => i.name === 'Old project')!)).toMatchObject({
      kind: 'none',
      reason: 'folder',
    });
  });

  it('a thumbnail address that is relative, malformed or on another server is no preview, in words (never INTERNAL)', async () => {
    const photo = (await list()).find((i) => i.name === 'holiday.jpg')!;
    const id = photo.id.replace('file:', '');
    const real = (await (
      await fetch(`${server.url}/api/2.0/files/file/${id}`, { headers: { Authorization: `Bearer ${TEST_KEYS.alice}` } })
    ).json()) as { response: Record<string, unknown> };
    expect(real.response.thumbnailUrl).toMatch(/^http:/);
    const cases: [string, RegExp][] = [
      [`/filehandler.ashx?action=thumb&fileid=${id}`, /cannot use \(not a full web address\)/],
      ['http://[bad', /cannot use/],
      [
        `http://thumbs.example/filehandler.ashx?fileid=${id}`,
        /on another server \(thumbs\.example\); Salvage does not send the API key there/,
      ],
    ];
    server.control.seen.length = 0;
    for (const [thumbnailUrl, message] of cases) {
      const body = JSON.stringify({ ...real, response: { ...real.response, thumbnailUrl } });
      server.control.fault({
        method: 'GET',
        path: `/api/2.0/files/file/${id}`,
        status: 200,
        body,
        headers: { 'Content-Type': 'application/json' },
      });
      expect(await provider().preview(photo), thumbnailUrl).toEqual({
        kind: 'none',
        reason: 'missing',
        message: expect.stringMatching(message),
      });
    }
    expect(server.control.seen.filter((r) => r.path.includes('filehandler'))).toEqual([]);
  });

  it('the thumbnail is fetched with the key; a thumbnail not made yet (204) is no preview', async () => {
    const photo = (await list()).find((i) => i.name === 'holiday.jpg')!;
    const id = photo.id.replace('file:', '');
    const thumb = await fetch(`${server.url}/filehandler.ashx?action=thumb&fileid=${id}`);
    expect(thumb.status).toBe(401);
    const ok = await fetch(`${server.url}/filehandler.ashx?action=thumb&fileid=${id}`, {
      headers: { Authorization: `Bearer ${TEST_KEYS.alice}` },
    });
    expect(ok.headers.get('content-type')).toBe('image/png');
    const docx = (await list()).find((i) => i.name === 'Q3 report.docx')!.id.replace('file:', '');
    const none = await fetch(`${server.url}/filehandler.ashx?action=thumb&fileid=${docx}`, {
      headers: { Authorization: `Bearer ${TEST_KEYS.alice}` },
    });
    expect(none.status).toBe(204);
  });
});
