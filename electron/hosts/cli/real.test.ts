import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBatchJournals } from '../../operations/journal';
import { jsonLines, runCli, runMain } from './run-cli';

/**
 * The command line against a REAL Nextcloud 32 / ownCloud 10 (the kits in ../shared/servers/),
 * given as SALVAGE_CLI_REAL_NEXTCLOUD / SALVAGE_CLI_REAL_OWNCLOUD: the JSON line their `up`
 * prints (or just the URL; user admin, password admin unless the JSON says otherwise). Skipped
 * when neither is set. The server's state is read with plain WebDAV requests, never through the
 * code under test. In front of the server, a small proxy on loopback can spoil the trash listing
 * (truncated, malformed, an HTML login page) and hold the nth MOVE after the server did it, so
 * the command line can be killed there (SIGKILL, at a point chosen by that counter).
 */

interface Kit {
  kind: 'nextcloud' | 'owncloud10';
  url: string;
  user: string;
  password: string;
}

function kitOf(kind: Kit['kind'], value: string | undefined): Kit | null {
  if (!value) return null;
  try {
    const j = JSON.parse(value) as { url: string; user?: string; password?: string };
    return { kind, url: j.url.replace(/\/$/, ''), user: j.user ?? 'admin', password: j.password ?? 'admin' };
  } catch {
    return { kind, url: value.replace(/\/$/, ''), user: 'admin', password: 'admin' };
  }
}

const KITS = [
  kitOf('nextcloud', process.env.SALVAGE_CLI_REAL_NEXTCLOUD),
  kitOf('owncloud10', process.env.SALVAGE_CLI_REAL_OWNCLOUD),
];

/** Plain WebDAV against the kit (the truth, not the code under test). */
function dav(kit: Kit) {
  const auth = `Basic ${Buffer.from(`${kit.user}:${kit.password}`).toString('base64')}`;
  const files = `${kit.url}/remote.php/dav/files/${kit.user}`;
  const trash =
    kit.kind === 'nextcloud'
      ? `${kit.url}/remote.php/dav/trashbin/${kit.user}/trash`
      : `${kit.url}/remote.php/dav/trash-bin/${kit.user}`;
  const req = async (method: string, url: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method,
      headers: { Authorization: auth, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, text };
  };
  const names = (xml: string) =>
    [...xml.matchAll(/<d:href>([^<]+)<\/d:href>/g)].map((m) =>
      decodeURIComponent(m[1]!.replace(/\/$/, '').split('/').pop()!),
    );
  return {
    put: (path: string, content: string) => req('PUT', `${files}/${path}`, content),
    mkcol: (path: string) => req('MKCOL', `${files}/${path}`),
    remove: (path: string) => req('DELETE', `${files}/${path}`),
    /** Names in a live folder (the folder itself left out). */
    async list(path: string): Promise<string[]> {
      const r = await req('PROPFIND', `${files}/${path}`, undefined, { Depth: '1' });
      if (r.status === 404) return [];
      return names(r.text).slice(1);
    },
    /** Original names of what is in the trash (ownCloud names entries by id: ask for the original name). */
    async trash(): Promise<string[]> {
      const prop = kit.kind === 'nextcloud' ? '<nc:trashbin-filename/>' : '<oc:trashbin-original-filename/>';
      const r = await req(
        'PROPFIND',
        trash,
        `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns"><d:prop>${prop}</d:prop></d:propfind>`,
        { Depth: '1' },
      );
      return [...r.text.matchAll(/trashbin-(?:original-)?filename>([^<]*)</g)].map((m) => m[1]!);
    },
  };
}

type Spoil = 'truncate' | 'malformed' | 'html' | null;

/**
 * A loopback proxy in front of the kit that can spoil the trash listing or hold the nth MOVE (after the server answered
 * it).
 */
async function startProxy(kit: Kit) {
  const state = { spoil: null as Spoil, holdMove: 0, moves: 0, held: 0 };
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      // The server sees its own address (Destination headers name the proxy).
      if (headers.destination) headers.destination = headers.destination.replace(/^http:\/\/127\.0\.0\.1:\d+/, kit.url);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(`${kit.url}${req.url}`, { method: req.method!, headers, ...(body ? { body } : {}) });
      let data = Buffer.from(await upstream.arrayBuffer());
      const isTrashListing =
        req.method === 'PROPFIND' &&
        /\/(trashbin\/[^/]+\/trash|trash-bin\/[^/]+)\/?$/.test(req.url!.split('?')[0]!) &&
        req.headers.depth === '1';
      if (req.method === 'MOVE' && ++state.moves === state.holdMove) {
        state.held++;
        held.push(res); // the server did it; the answer never comes
        return;
      }
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) out[k] = v;
      });
      if (isTrashListing && state.spoil === 'html') {
        res
          .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
          .end('<!DOCTYPE html><html><body><form action="/login"><input name="user"></form></body></html>');
        return;
      }
      if (isTrashListing && state.spoil === 'malformed') data = data.subarray(0, Math.floor(data.length / 2));
      if (isTrashListing && state.spoil === 'truncate') {
        res.writeHead(upstream.status, { ...out, 'Content-Length': String(data.length) });
        res.write(data.subarray(0, Math.floor(data.length / 2)));
        res.socket?.destroy();
        return;
      }
      res.writeHead(upstream.status, { ...out, 'Content-Length': String(data.length) }).end(data);
    });
  });
  await new Promise<void>((r) => server.listen(Number(process.env.SALVAGE_CLI_REAL_PROXY_PORT ?? 0), '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        for (const h of held) h.socket?.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

for (const kit of KITS) {
  if (!kit) continue;
  describe(`the command line against a real ${kit.kind} at ${kit.url}`, () => {
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    const truth = dav(kit);
    const dataDir = mkdtempSync(join(tmpdir(), 'salvage-real-'));
    const env = { SALVAGE_PASSWORD: kit.password, SALVAGE_DATA_DIR: dataDir };
    const via = (url: string) => ['--server', url, '--user', kit.user, '--kind', kit.kind];
    const folder = `cli-${Date.now().toString(36)}`;
    const names = Array.from({ length: 30 }, (_, i) => `r${i}.txt`);

    /** Puts the 30 files in a folder of their own and deletes them (into the trash). */
    const seed = async () => {
      expect([201, 405]).toContain((await truth.mkcol(folder)).status); // 405: it is there already
      for (const n of names) expect((await truth.put(`${folder}/${n}`, `content of ${n}`)).status).toBe(201);
      for (const n of names) expect((await truth.remove(`${folder}/${n}`)).status).toBe(204);
    };
    const ours = async () => (await truth.trash()).filter((n) => names.includes(n));

    beforeAll(async () => void (proxy = await startProxy(kit)));
    afterAll(async () => {
      await proxy?.close();
      await truth.remove(folder);
    });

    it(
      'empty --yes --json on a trash answered truncated, malformed or as an HTML page: exit 1 and the reason, nothing deleted',
      { timeout: 300_000 },
      async () => {
        await seed();
        for (const spoil of ['truncate', 'malformed', 'html'] as const) {
          proxy.state.spoil = spoil;
          const r = await runMain(['empty', '--yes', '--json', ...via(proxy.url)], env);
          proxy.state.spoil = null;
          expect(r.code, spoil).toBe(1);
          expect(r.stdout, spoil).toBe('');
          const last = jsonLines(r.stderr).at(-1) as { error: { code: string; message: string } };
          expect(last.error.message, spoil).toMatch(/^The trash could not be read, so nothing was deleted: /);
          expect(['BAD_RESPONSE', 'NETWORK', 'AUTH_FAILED'], spoil).toContain(last.error.code);
          expect((await ours()).sort(), spoil).toEqual([...names].sort());
        }
        // And straight to the server: every item a line, the trash empty.
        const r = await runMain(['empty', '--yes', '--json', ...via(kit.url)], env);
        expect(r.code, r.stderr).toBe(0);
        const lines = jsonLines(r.stdout);
        expect(lines.length).toBeGreaterThanOrEqual(names.length);
        expect(lines.filter((l) => l.outcome !== 'deleted')).toEqual([]);
        expect(await truth.trash()).toEqual([]);
      },
    );

    it(
      'a restore killed (SIGKILL) at the 12th MOVE, after the server did it, is finished by salvage resume: each file back once, nothing twice',
      { timeout: 600_000 },
      async () => {
        await seed();
        const listed = jsonLines((await runMain(['list', '--json', ...via(kit.url)], env)).stdout).filter((i) =>
          names.includes(String(i.name)),
        );
        expect(listed).toHaveLength(names.length);
        proxy.state.moves = 0;
        proxy.state.holdMove = 12;
        let timer: NodeJS.Timeout | null = null;
        const killed = await runCli(
          ['restore', ...listed.map((i) => String(i.id)), ...via(proxy.url)],
          env,
          (child) => {
            timer = setInterval(() => {
              if (proxy.state.held > 0) {
                clearInterval(timer!);
                child.kill('SIGKILL');
              }
            }, 20);
            child.on('exit', () => clearInterval(timer!));
          },
        );
        proxy.state.holdMove = 0;
        expect(killed.code).toBe(128);
        const backBefore = await truth.list(folder);
        expect(backBefore.length).toBeGreaterThanOrEqual(12); // the held one included: the server did it

        const journal = listBatchJournals(join(dataDir, 'batches')).find((b) => b.end === null)!;
        expect(journal.sent.size).toBe(names.length);
        const resumed = await runMain(['resume', journal.id.slice(0, 8), '--json'], env);
        expect(resumed.code, resumed.stderr).toBe(0);
        const results = jsonLines(resumed.stdout);
        expect(results.filter((r) => r.outcome !== 'restored')).toEqual([]);
        expect(results.filter((r) => r.note === 'restored before the interruption').length).toBeGreaterThanOrEqual(1);
        // The truth: all 30 in their folder, exactly these names (no "(restored)" twin), none in the trash.
        expect((await truth.list(folder)).sort()).toEqual([...names].sort());
        expect(await ours()).toEqual([]);
        expect(jsonLines((await runMain(['resume', '--json'], env)).stdout)).toEqual([]);
      },
    );
  });
}

if (!KITS.some(Boolean)) {
  describe('real-server runs of the command line', () => {
    it.skip('need a kit: set SALVAGE_CLI_REAL_NEXTCLOUD and/or SALVAGE_CLI_REAL_OWNCLOUD to the JSON line its `up` prints', () => {});
  });
}
