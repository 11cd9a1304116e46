import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildTrashWorker } from '../../../e2e/faults/builtWorker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext } from './dialect';
import { startWebDavServer } from '../../demo/servers/webdav/server';
import { nextcloud } from './dialect';
import {
  createParseHost,
  createWorkerHost,
  fetchTrashItems,
  findWorker,
  InThreadHost,
  ListingStatusError,
  type ParseHost,
} from './trashStream';

// This file tests the start from source too: not the worker the run built for every file (scripts/vitest/setup.ts).
delete process.env.SALVAGE_TRASH_WORKER;

const ROOT = '/remote.php/dav/trashbin/admin/trash';
const ctx: ReadContext = { accountId: 'acc', parentId: null, listedPath: ROOT, trashRootPath: ROOT };
const body1000 = readFileSync(new URL('../../../e2e/fixtures/webdav/nextcloud-32.0.1-trash-1000.xml', import.meta.url));

/**
 * A server that answers every PROPFIND with the body posted for its path, 207, in small writes as
 * a socket would deliver them; it notes when a client went away before the body ended.
 */
const bodies = new Map<string, Uint8Array>();
const cutShort: string[] = [];
/** Bytes of each path's body the client has taken so far (written and drained). */
const sent = new Map<string, number>();
let bodyServer: Server;
let bodyUrl = '';

function serveBodies(): Promise<void> {
  bodyServer = createServer((req, res) => {
    const bytes = bodies.get(req.url ?? '') ?? new Uint8Array();
    res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
    let at = 0;
    let finished = false;
    res.on('close', () => {
      if (!finished) cutShort.push(req.url ?? '');
    });
    const next = () => {
      if (res.destroyed) return;
      if (at >= bytes.length) {
        finished = true;
        res.end();
        return;
      }
      const more = res.write(bytes.subarray(at, at + 1500));
      at += 1500;
      sent.set(req.url ?? '', Math.min(at, bytes.length));
      // As fast as the client reads, no faster.
      if (more) setImmediate(next);
      else res.once('drain', next);
    };
    next();
  });
  return new Promise((resolve) =>
    bodyServer.listen(0, '127.0.0.1', () => {
      bodyUrl = `http://127.0.0.1:${(bodyServer.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

let served = 0;
/** A listing request for these bytes (each call its own path). */
function requestFor(bytes: Uint8Array) {
  const path = `/listing-${++served}`;
  bodies.set(path, bytes);
  return {
    path,
    request: { url: bodyUrl + path, method: 'PROPFIND', headers: { Depth: '1' }, body: nextcloud.trashPropfind },
  };
}

/** The recorded 1,000-item answer with its items (the listed folder aside) repeated `copies` more times. */
function bodyOf(copies: number): Buffer {
  const end = body1000.lastIndexOf('</d:multistatus>');
  const items = body1000.subarray(body1000.indexOf('<d:response>', body1000.indexOf('<d:response>') + 1), end);
  return Buffer.concat([
    body1000.subarray(0, end),
    ...Array.from({ length: copies }, () => items),
    Buffer.from('</d:multistatus>'),
  ]);
}

async function collect(
  host: ParseHost,
  bytes: Uint8Array,
  account = ctx.accountId,
): Promise<{ items: TrashItem[]; chunks: number }> {
  const items: TrashItem[] = [];
  let chunks = 0;
  for await (const chunk of fetchTrashItems(
    requestFor(bytes).request,
    'nextcloud',
    { ...ctx, accountId: account },
    host,
  )) {
    items.push(...chunk);
    chunks++;
  }
  return { items, chunks };
}

describe('trash listing parse hosts', () => {
  let dir: string;
  let built: URL;
  beforeAll(async () => {
    await serveBodies();
    // The worker as the build ships it: one ESM file, no TypeScript loader.
    dir = mkdtempSync(join(tmpdir(), 'salvage-worker-'));
    built = pathToFileURL(await buildTrashWorker(dir));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => bodyServer.close(resolve));
  });

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
    await expect(
      collect(host, Buffer.from('<d:multistatus xmlns:d="DAV:"><d:response><d:href>/x</d:href></d:oops>')),
    ).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    // The worker survives for the next listing.
    expect((await collect(host, body1000)).items).toHaveLength(1000);
  });

  it('stops reading when the consumer stops early', async () => {
    const host = createWorkerHost({ url: built, typescript: false });
    const many = bodyOf(20);
    let seen = 0;
    const { path, request } = requestFor(many);
    for await (const chunk of fetchTrashItems(request, 'nextcloud', { ...ctx }, host)) {
      seen += chunk.length;
      break;
    }
    expect(seen).toBe(1000);
    // The worker dropped the connection rather than reading the other 20,000 items (~15 MB).
    await expect.poll(() => cutShort, { timeout: 10_000 }).toContain(path);
  });

  it('reads no further ahead of a slow reader than a few chunks, in the worker and in-thread', async () => {
    const many = bodyOf(40);
    for (const host of [createWorkerHost({ url: built, typescript: false }), new InThreadHost()]) {
      const { path, request } = requestFor(many);
      const reading = fetchTrashItems(request, 'nextcloud', { ...ctx }, host);
      let seen = ((await reading.next()).value as TrashItem[]).length;
      // The reader holds on to its first chunk a while: what the server managed to send by then
      // is a few chunks ahead and what socket buffers hold, far from the ~30 MB of 41,000 items.
      await new Promise((r) => setTimeout(r, 800));
      const early = sent.get(path) ?? 0;
      expect(early).toBeLessThan(many.length / 2);
      // Read on: every item comes, and the whole body is sent.
      for await (const chunk of reading) seen += chunk.length;
      expect(seen).toBe(41_000);
      expect(sent.get(path)).toBe(many.length);
    }
  });

  it('reads on without acknowledgements for a reader that does not pace (handlers without paced)', async () => {
    const many = bodyOf(20);
    for (const host of [createWorkerHost({ url: built, typescript: false }), new InThreadHost()]) {
      const { request } = requestFor(many);
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        host.fetch('nextcloud', { ...ctx }, request, {
          items: (c) => (seen += c.length),
          done: resolve,
          error: reject,
          status: (s) => reject(new Error(`HTTP ${s}`)),
        });
      });
      expect(seen).toBe(21_000);
    }
  });

  it('sends the PROPFIND from the bundled worker and maps a non-207 answer', async () => {
    const server = await startWebDavServer({ kind: 'nextcloud' });
    try {
      server.control.seed('alice', 2500);
      const root = '/remote.php/dav/trashbin/alice/trash';
      const request = (secret: string) => ({
        url: `${server.url}${root}`,
        method: 'PROPFIND',
        headers: {
          Authorization: `Basic ${Buffer.from(`alice:${secret}`).toString('base64')}`,
          Depth: '1',
          'Content-Type': 'application/xml',
        },
        body: nextcloud.trashPropfind,
      });
      const c: ReadContext = { accountId: 'a', parentId: null, listedPath: root, trashRootPath: root };
      for (const host of [createWorkerHost({ url: built, typescript: false }), new InThreadHost()]) {
        const sizes: number[] = [];
        for await (const chunk of fetchTrashItems(request('alice-app-password-0001'), 'nextcloud', c, host))
          sizes.push(chunk.length);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(2509);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
        const failing = (async () => {
          for await (const chunk of fetchTrashItems(request('wrong'), 'nextcloud', c, host)) void chunk;
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
    writeFileSync(bad, 'import "./does-not-exist.js";\n');
    const host = createParseHost({ url: pathToFileURL(bad), typescript: false });
    expect(host.mode).toBe('worker');
    await expect(collect(host, body1000)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(host.mode).toBe('in-thread');
    expect((await collect(host, body1000)).items).toHaveLength(1000);
  });

  it('starts the worker it finds, and hosts made apart share nothing', async () => {
    const a = createParseHost();
    const b = createParseHost(null);
    expect(a.mode).toBe('worker');
    expect((await collect(a, body1000)).items).toHaveLength(1000);
    expect((await collect(b, body1000)).items).toHaveLength(1000);
  });

  it('gives each account its own worker, reuses it for that account, and ends it when idle', async () => {
    const host = createWorkerHost({ url: built, typescript: false }, { idleMs: 5_000 });
    try {
      const both = Promise.all([collect(host, body1000, 'a'), collect(host, body1000, 'b')]);
      // The workers exist as soon as the listings are asked for.
      const [a, b] = [
        host.workers().find((w) => w.accounts.includes('a')),
        host.workers().find((w) => w.accounts.includes('b')),
      ];
      expect(a).toBeDefined();
      expect(b).toBeDefined();
      expect(a!.threadId).not.toBe(b!.threadId);
      await both;
      const again = collect(host, body1000, 'a');
      expect(host.workers().find((w) => w.accounts.includes('a'))?.threadId).toBe(a!.threadId);
      await again;
      // Idle workers go; the next listing starts a new one.
      await expect.poll(() => host.workers().length, { timeout: 20_000 }).toBe(0);
      expect((await collect(host, body1000, 'a')).items).toHaveLength(1000);
    } finally {
      await host.close();
    }
  });

  it("runs at most maxWorkers: beyond that, a new account takes an idle worker's place or shares the least busy", async () => {
    const host = createWorkerHost({ url: built, typescript: false }, { maxWorkers: 2 });
    try {
      await collect(host, body1000, 'a');
      await collect(host, body1000, 'b');
      await collect(host, body1000, 'c');
      expect(
        host
          .workers()
          .flatMap((w) => w.accounts)
          .sort(),
      ).toEqual(['b', 'c']);
      // Two listings running at once on both workers; a third account shares one of them.
      const slow = [requestFor(body1000), requestFor(body1000)];
      const running = slow.map(({ request }, i) =>
        fetchTrashItems(request, 'nextcloud', { ...ctx, accountId: ['b', 'c'][i]! }, host)[Symbol.asyncIterator](),
      );
      await Promise.all(running.map((r) => r.next()));
      const third = await collect(host, body1000, 'd');
      expect(third.items).toHaveLength(1000);
      expect(host.workers()).toHaveLength(2);
      expect(host.workers().some((w) => w.accounts.includes('d'))).toBe(true);
      await Promise.all(running.map((r) => r.return?.(undefined)));
    } finally {
      await host.close();
    }
  });

  it('names the server in the error of a body it cannot read', async () => {
    const host = createWorkerHost({ url: built, typescript: false });
    try {
      await expect(
        collect(host, Buffer.from('<d:multistatus xmlns:d="DAV:"><d:href>&#0;</d:href></d:multistatus>')),
      ).rejects.toThrow(
        `The trash listing from ${new URL(bodyUrl).host} could not be read: Character reference &#0; names NUL, which XML does not allow.`,
      );
      await expect(
        collect(new InThreadHost(), Buffer.from('<d:multistatus xmlns:d="DAV:"><d:href>&#0;</d:href></d:multistatus>')),
      ).rejects.toThrow(`The trash listing from ${new URL(bodyUrl).host}`);
    } finally {
      await host.close();
    }
  });

  it('in-thread too, stops reading a body the parser refused (and never reads faster than it parses)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('<d:multistatus xmlns:d="DAV:"><d:href>&#0;</d:href>'),
      Buffer.alloc(8 * 1024 * 1024, 0x20),
    ]);
    const { path, request } = requestFor(bytes);
    const failing = (async () => {
      for await (const chunk of fetchTrashItems(request, 'nextcloud', ctx, new InThreadHost())) void chunk;
    })();
    await expect(failing).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect.poll(() => cutShort, { timeout: 10_000 }).toContain(path);
  });
});
