import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../base/errors';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import type { TrashChangeCheck } from '../types';
import { checkTrashChanges, deletionsIn } from './changes';
import type { DialectIO } from './dialect';
import { WebDavProvider } from './provider';
import { createParseHost } from './trashStream';

/**
 * The watch's cheap check on WebDAV servers: the activity feed of Nextcloud and ownCloud 10 (read
 * against answers recorded from the real kits, then against the test servers), and the spaces'
 * ETags of oCIS.
 */

interface Recorded {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}
type Fixture = Record<'first' | 'page' | 'same' | 'lost' | 'deletions', Recorded>;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../e2e/fixtures/activity/${name}.json`, import.meta.url), 'utf8')) as Fixture;

/** Serves the recorded answer whose query matches (since, sort, limit), counting requests. */
function recordedIo(f: Fixture) {
  const asked: string[] = [];
  // 'page' asks the same as 'deletions' but for fewer rows: only the others are served here.
  delete (f as Partial<Fixture>).page;
  const io: DialectIO = {
    async get(path, init) {
      asked.push(`${path}?${init.query ?? ''}`);
      const q = new URLSearchParams(init.query);
      const match = Object.values(f).find((r) => {
        const rq = new URL(r.url, 'http://x').searchParams;
        return rq.get('since') === q.get('since') && rq.get('sort') === q.get('sort');
      });
      if (!match) return new Response(null, { status: 304 });
      return new Response(match.status === 304 ? null : match.body, { status: match.status, headers: match.headers });
    },
    async failure(res) {
      return new AppError('SERVER', `HTTP ${res.status}`);
    },
  };
  return { io, asked };
}

const cursorId = (c: TrashChangeCheck) => (JSON.parse(c.cursor!) as { id: number }).id;

describe('activity feed answers recorded from the real servers', () => {
  for (const [name, kind, newest, deleted, since] of [
    ['nextcloud-32.0.1', 'nextcloud', 72, 30, 42],
    ['owncloud-10.15.2', 'owncloud10', 31, 12, 14],
  ] as const) {
    it(`${name}: the newest id to start from, a 304 for nothing new, grouped deletions counted, a forgotten id`, async () => {
      const f = fixture(name);
      const { io, asked } = recordedIo(f);
      const first = await checkTrashChanges(kind, io, '', null);
      expect(first).toMatchObject({ change: 'unknown', via: 'activity feed' });
      expect(cursorId(first)).toBe(newest);
      expect(asked[0]).toMatch(
        kind === 'nextcloud'
          ? /^\/ocs\/v2\.php\/apps\/activity\/api\/v2\/activity\/files\?sort=desc&limit=1&format=json$/
          : /^\/index\.php\/apps\/activity\/api\/v2\/activity\/files\?sort=desc&limit=1$/,
      );

      const same = await checkTrashChanges(kind, io, '', first.cursor);
      expect(same).toMatchObject({ change: 'same', deletions: null });
      expect(cursorId(same)).toBe(newest);

      // The grouped entries: Nextcloud 6 of 5 files, ownCloud 10 two collections of 6.
      const news = await checkTrashChanges(kind, io, '', JSON.stringify({ m: 'activity', id: since }));
      expect(news).toMatchObject({ change: 'changed', deletions: deleted });
      expect(cursorId(news)).toBe(newest);

      const lost = await checkTrashChanges(kind, io, '', JSON.stringify({ m: 'activity', id: 999999 }));
      expect(lost.change).toBe('unknown');
    });
  }

  it('counts only deletions, each grouped file once', () => {
    expect(deletionsIn({ type: 'file_created', objects: { 1: '/a' } })).toBe(0);
    expect(deletionsIn({ type: 'file_deleted', objects: { 1: '/a', 2: '/b' } })).toBe(2);
    expect(deletionsIn({ type: 'file_deleted', subjectparams: [{ type: 'collection', value: [{}, {}, {}] }] })).toBe(3);
    expect(deletionsIn({ type: 'file_deleted', subjectparams: [{ type: 'file', value: { 1: '/a' } }] })).toBe(1);
    expect(deletionsIn(null)).toBe(0);
  });
});

const alice = WEBDAV_USERS.alice;
const parseHost = createParseHost();

for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as const) {
  describe(`the cheap check against the ${kind} test server`, () => {
    let server: WebDavServer;
    let provider: WebDavProvider;
    beforeAll(async () => {
      server = await startWebDavServer({ kind });
      provider = new WebDavProvider(
        kind,
        {
          id: 'a1',
          kind,
          label: 't',
          serverUrl: server.url,
          user: alice.id,
          userId: alice.id,
          userName: alice.id,
          demo: false,
        },
        { user: alice.id, secret: alice.appPassword },
        { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
      );
    });
    afterAll(() => server?.close());

    it('says nothing changed until something does, and counts deletions where the server does', async () => {
      const first = await provider.checkTrashChanges(null);
      expect(first.change).toBe('unknown');
      let c = await provider.checkTrashChanges(first.cursor);
      expect(c.change).toBe('same');
      c = await provider.checkTrashChanges(c.cursor);
      expect(c.change).toBe('same');

      // Ordinary work: a new file. The feed says changed with no deletion; oCIS only that the space changed.
      server.tree.writeFile(alice.id, 'Documents/new.txt', 10);
      c = await provider.checkTrashChanges(c.cursor);
      expect(c).toMatchObject({ change: 'changed', deletions: kind === 'ocis' ? null : 0 });
      c = await provider.checkTrashChanges(c.cursor);
      expect(c.change).toBe('same');

      for (let i = 0; i < 12; i++) server.tree.writeFile(alice.id, `Documents/d${i}.txt`, 10);
      for (let i = 0; i < 12; i++) server.tree.trash(server.tree.resolve(alice.id, `Documents/d${i}.txt`)!.id);
      c = await provider.checkTrashChanges(c.cursor);
      expect(c).toMatchObject({ change: 'changed', deletions: kind === 'ocis' ? null : 12 });
      c = await provider.checkTrashChanges(c.cursor);
      expect(c.change).toBe('same');

      // Another user's deletions are not in this account's answer.
      server.tree.writeFile('bob', 'b.txt', 1);
      server.tree.trash(server.tree.resolve('bob', 'b.txt')!.id);
      expect((await provider.checkTrashChanges(c.cursor)).change).toBe('same');
    });

    if (kind !== 'ocis') {
      it('reads several pages of news, and says changed without counting past five', async () => {
        let c = await provider.checkTrashChanges(null);
        for (let i = 0; i < 450; i++) server.tree.writeFile(alice.id, `Documents/p${i}.txt`, 10);
        for (let i = 0; i < 450; i++) server.tree.trash(server.tree.resolve(alice.id, `Documents/p${i}.txt`)!.id);
        server.control.seen.length = 0;
        c = await provider.checkTrashChanges(c.cursor);
        expect(c).toMatchObject({ change: 'changed', deletions: 450 });
        expect(server.control.seen.filter((r) => r.path.includes('/activity')).length).toBe(5); // 900 rows, 200 a page
        for (let i = 0; i < 1100; i++) server.tree.writeFile(alice.id, `Documents/q${i}.txt`, 10);
        c = await provider.checkTrashChanges(c.cursor);
        expect(c).toMatchObject({ change: 'changed', deletions: null });
        c = await provider.checkTrashChanges(c.cursor);
        expect(c).toMatchObject({ change: 'changed', deletions: 0 }); // the last 100 rows
        expect((await provider.checkTrashChanges(c.cursor)).change).toBe('same');
      });

      it('starts again when the server forgot where the last check stopped, and says when it has no feed', async () => {
        const c = await provider.checkTrashChanges(null);
        await fetch(`${server.url}/__control/reset`, { method: 'POST' }); // the activity table starts again
        server.tree.writeFile(alice.id, 'x.txt', 1);
        expect((await provider.checkTrashChanges(c.cursor)).change).toBe('unknown');
        server.frontEnd.activity.enabled = false;
        try {
          expect(await provider.checkTrashChanges(c.cursor)).toMatchObject({ change: 'unsupported', cursor: null });
          expect(await provider.checkTrashChanges(null)).toMatchObject({ change: 'unsupported' });
        } finally {
          server.frontEnd.activity.enabled = true;
        }
      });

      it('is refused with the wrong password as the server refuses it', async () => {
        const wrong = new WebDavProvider(
          kind,
          {
            id: 'a2',
            kind,
            label: 't',
            serverUrl: server.url,
            user: alice.id,
            userId: alice.id,
            userName: alice.id,
            demo: false,
          },
          { user: alice.id, secret: 'wrong' },
          { parseHost, http: { retries: 0, timeoutMs: 10_000 } },
        );
        // Nextcloud: 401 (AUTH_FAILED); ownCloud 10 sends a browser to its login page (303): no feed to read.
        if (kind === 'nextcloud')
          await expect(wrong.checkTrashChanges(null)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
        else expect((await wrong.checkTrashChanges(null)).change).toBe('unsupported');
      });
    } else {
      it('notices a change in a project space too', async () => {
        server.tree.addSpace('storage-users-1$proj-0001', 'Board', { [alice.id]: 'manager' });
        let c = await provider.checkTrashChanges(null);
        c = await provider.checkTrashChanges(c.cursor);
        expect(c.change).toBe('same');
        server.tree.writeFile('storage-users-1$proj-0001', 'minutes.txt', 5);
        c = await provider.checkTrashChanges(c.cursor);
        expect(c.change).toBe('changed');
      });
    }
  });
}
