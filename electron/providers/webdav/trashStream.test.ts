import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext } from './dialect';
import { startWebDavServer } from '../../demo/servers/webdav/server';
import { nextcloud } from './dialect';
import { createWorkerHost, fetchTrashItems, findWorker, InThreadHost, ListingStatusError, streamTrashItems, type ParseHost } from './trashStream';

const ROOT = '/remote.php/dav/trashbin/admin/trash';
const ctx: ReadContext = { accountId: 'acc', parentId: null, listedPath: ROOT, trashRootPath: ROOT };
const body1000 = readFileSync(new URL('../../../e2e/fixtures/webdav/nextcloud-32.0.1-trash-1000.xml', import.meta.url));

/** A response-like byte stream in small pieces, as a socket would deliver it. */
function stream(bytes: Uint8Array, piece = 1500): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + piece));
      at += piece;
    },
  });
}

async function collect(host: ParseHost, bytes: Uint8Array): Promise<{ items: TrashItem[]; chunks: number }> {
  const items: TrashItem[] = [];
  let chunks = 0;
  for await (const chunk of streamTrashItems(stream(bytes), 'nextcloud', ctx, undefined, host)) {
    items.push(...chunk);
    chunks++;
  }
  return { items, chunks };
}

describe('trash listing parse hosts', () => {
  let dir: string;
  let built: URL;
  beforeAll(async () => {
    // The worker as the build ships it: one ESM file, no TypeScript loader.
    dir = mkdtempSync(join(tmpdir(), 'salvage-worker-'));
    const outfile = join(dir, 'trash-worker.js');
    await build({
      entryPoints: [new URL('./trashWorker.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
      // CommonJS dependencies (undici, saxes) inside an ESM bundle need a require.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    built = pathToFileURL(outfile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the TypeScript worker when running from source', () => {
    expect(findWorker()).toMatchObject({ typescript: true });
    expect(findWorker()!.url.pathname.endsWith('/trashWorker.ts')).toBe(true);
  });

  it('gives the same items through the built worker, the source worker and in-thread', async () => {
    const inThread = await collect(new InThreadHost(), body1000);
    expect(inThread.items).toHaveLength(1000);
    const source = await collect(createWorkerHost(findWorker()!), body1000);
    const bundled = await collect(createWorkerHost({ url: built, typescript: false }), body1000);
    expect(source.items).toEqual(inThread.items);
    expect(bundled.items).toEqual(inThread.items);
    expect(bundled.chunks).toBe(1);
  });

  it('reports a broken body as BAD_RESPONSE from the worker', async () => {
    const host = createWorkerHost({ url: built, typescript: false });
    await expect(collect(host, Buffer.from('<d:multistatus xmlns:d="DAV:"><d:response><d:href>/x</d:href></d:oops>'))).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    // The worker survives for the next listing.
    expect((await collect(host, body1000)).items).toHaveLength(1000);
  });

  it('stops reading when the consumer stops early', async () => {
    const host = createWorkerHost({ url: built, typescript: false });
    const many = Buffer.concat([body1000.subarray(0, body1000.lastIndexOf('</d:multistatus>')), ...Array.from({ length: 3 }, () => {
      const start = body1000.indexOf('<d:response>', body1000.indexOf('<d:response>') + 1);
      return body1000.subarray(start, body1000.lastIndexOf('</d:multistatus>'));
    }), Buffer.from('</d:multistatus>')]);
    let seen = 0;
    for await (const chunk of streamTrashItems(stream(many), 'nextcloud', { ...ctx }, undefined, host)) {
      seen += chunk.length;
      break;
    }
    expect(seen).toBe(1000);
  });

  it('sends the PROPFIND from the bundled worker and maps a non-207 answer', async () => {
    const server = await startWebDavServer({ kind: 'nextcloud' });
    try {
      server.control.seed('alice', 2500);
      const root = '/remote.php/dav/trashbin/alice/trash';
      const request = (secret: string) => ({
        url: `${server.url}${root}`,
        method: 'PROPFIND',
        headers: { Authorization: `Basic ${Buffer.from(`alice:${secret}`).toString('base64')}`, Depth: '1', 'Content-Type': 'application/xml' },
        body: nextcloud.trashPropfind,
      });
      const c: ReadContext = { accountId: 'a', parentId: null, listedPath: root, trashRootPath: root };
      for (const host of [createWorkerHost({ url: built, typescript: false }), new InThreadHost()]) {
        const sizes: number[] = [];
        for await (const chunk of fetchTrashItems(request('alice-app-password-0001'), 'nextcloud', c, undefined, host)) sizes.push(chunk.length);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(2509);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
        const failing = (async () => {
          for await (const chunk of fetchTrashItems(request('wrong'), 'nextcloud', c, undefined, host)) void chunk;
        })();
        await expect(failing).rejects.toBeInstanceOf(ListingStatusError);
        await expect(failing).rejects.toMatchObject({ status: 401 });
      }
    } finally {
      await server.close();
    }
  });

  it('fails a listing when the worker cannot load, and parses in-thread from then on', async () => {
    const bad = join(dir, 'broken-worker.js');
    (await import('node:fs')).writeFileSync(bad, 'import "./does-not-exist.js";\n');
    const { setParseHost, parseHost: current } = await import('./trashStream');
    const host = createWorkerHost({ url: pathToFileURL(bad), typescript: false });
    setParseHost(host);
    await expect(collect(current(), body1000)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(current().mode).toBe('in-thread');
    expect((await collect(current(), body1000)).items).toHaveLength(1000);
    setParseHost(null);
  });
});
