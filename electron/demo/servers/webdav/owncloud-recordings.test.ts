import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from './server';

/**
 * Our ownCloud 10 test server must answer like the real ownCloud 10.15.2 did in the recordings
 * (/work/shared/recordings/owncloud-10.15.2, as data in e2e/fixtures/webdav/owncloud-10.15.2.json):
 * the recorded topics are replayed in order on one server, and every exchange must get the
 * recorded status, the headers that matter and, for errors, the same exception and message.
 * File ids are the server's own, so the recording's ids are mapped to ours through the OC-FileId
 * headers of the PUTs and MKCOLs that made them (and ETags through the answers that gave them);
 * an exchange that names an id or ETag the replay cannot map, or needs a state the recording did
 * not make (bob's account, a 500-item trash), is left out and counted. Where the recording waited
 * for the second to turn ("> 1 s after", "right after a second boundary"), the replay waits too.
 */

interface Exchange {
  file: string;
  title: string;
  auth: string | null;
  method: string;
  target: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  body: string;
}

const exchanges = JSON.parse(
  readFileSync(new URL('../../../../e2e/fixtures/webdav/owncloud-10.15.2.json', import.meta.url), 'utf8'),
) as Exchange[];
const HOST = 'http://127.0.0.1:8081';

/**
 * What the test server does not model, each because Salvage never sends it: OCS's XML format (it
 * asks for JSON), the DAV root's listing, COPY into or a folder COPY out of the trash (a 500 and a
 * stray empty folder on the real server) and the folder that stray COPY left, and which headers a
 * trashed file restored onto a folder gets.
 */
const NOT_MODELLED = [
  'GET capabilities v1 (default XML format, auth)',
  'PROPFIND /remote.php/dav/ Depth 1 (auth): the DAV root collections',
  'COPY c1.txt trash item inside the trash (trash-bin/admin/c1-copy)',
  'COPY a live file (files/admin/live.txt) to trash-bin/admin/live.txt',
  'PROPFIND files/admin/CF-copy/ Depth 1 (empty: created before the 403)',
  'MOVE c1.txt trash item onto the existing FOLDER files/admin/Target with Overwrite: T',
];

/**
 * Topics replayed whole (06 needs bob's account as the recording had it; 08 made 499 of its 500 files off the record).
 */
const TOPICS = [
  '01-upload-delete.txt',
  '02-propfind-trash.txt',
  '03-restore.txt',
  '04-restore-elsewhere.txt',
  '05-delete-trash.txt',
  '07-status-capabilities.txt',
  '09-odd-names.txt',
  '10-etag-ifmatch.txt',
];

const fileIdOf = (h: string | undefined | null) => (h ? String(Number(/^(\d+)oc/.exec(h)?.[1] ?? NaN)) : null);
const errorOf = (body: string) => ({
  exception: /<s:exception>([^<]*)<\/s:exception>/.exec(body)?.[1] ?? null,
  message:
    (/<s:message>([^<]*)<\/s:message>/.exec(body)?.[1] ?? /<s:message\/>/.exec(body)?.[0] ?? null)?.replace(
      /\d{3,}/g,
      '<n>',
    ) ?? null,
});

/** Waits until the wall clock's second turns (the recording's "right after a second boundary"). */
const nextSecond = () => new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));

describe('ownCloud 10 test server answers like the ownCloud 10.15.2 recordings', () => {
  // One server for the topics in order: each recording went on from the state the one before left.
  let server: WebDavServer | null = null;
  const ids = new Map<string, string>();
  const etags = new Map<string, string>();
  beforeAll(async () => {
    server = await startWebDavServer({
      kind: 'owncloud10',
      seed: (tree) => {
        tree.addUser('admin', { password: 'admin', displayName: 'admin' });
        tree.bumpIds(100);
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const topic of TOPICS) {
    it(`replays ${topic}`, { timeout: 60_000 }, async () => {
      const base = server!.url;
      const mapIds = (s: string) =>
        s.replace(
          /(\/trash-bin\/admin)((?:\/\d+)+)/g,
          (_, root: string, path: string) => root + path.replace(/\d+/g, (n) => ids.get(n) ?? `unmapped-${n}`),
        );
      const mapEtag = (s: string) =>
        s.replace(/("?)([0-9a-f]{32}|[0-9a-f]{13})("?)/g, (e, open: string, tag: string, close: string) => {
          const ours = etags.get(tag);
          return ours ? `${open}${ours}${close}` : `unmapped-${e}`;
        });
      let replayed = 0;
      const skipped: string[] = [];
      const mismatches: string[] = [];
      for (const e of exchanges.filter((x) => x.file === topic)) {
        if (/> 1 s|more than a second|after a second/i.test(e.title) && !/same second/i.test(e.title))
          await new Promise((r) => setTimeout(r, 1100));
        if (/right after a second boundary|starts right after a second boundary/i.test(e.title)) await nextSecond();
        const target = mapIds(e.target);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(e.requestHeaders)) {
          if (k === 'destination') headers[k] = mapIds(v.replace(HOST, base));
          else if (k === 'if-match' || k === 'if-none-match') headers[k] = v === '*' ? v : mapEtag(v);
          else headers[k] = v;
        }
        if (e.auth) headers.authorization = `Basic ${Buffer.from(e.auth).toString('base64')}`;
        if (
          NOT_MODELLED.some((t) => e.title.startsWith(t)) ||
          /unmapped-/.test(target + JSON.stringify(headers)) ||
          /bob/.test(target + JSON.stringify(headers) + (e.auth ?? ''))
        ) {
          skipped.push(e.title);
          continue;
        }
        const res = await fetch(base + target, {
          method: e.method,
          headers,
          ...(e.requestBody ? { body: e.requestBody } : {}),
        });
        const body = await res.text();
        replayed++;
        // Learn our ids and ETags for the recording's.
        const theirs = fileIdOf(e.responseHeaders['oc-fileid']);
        const ours = fileIdOf(res.headers.get('oc-fileid'));
        if (theirs && ours) ids.set(theirs, ours);
        const theirEtag = e.responseHeaders.etag?.replace(/"/g, '');
        const ourEtag = res.headers.get('etag')?.replace(/"/g, '');
        if (theirEtag && ourEtag) etags.set(theirEtag, ourEtag);
        for (const m of e.body.matchAll(/<d:getetag>&quot;([0-9a-f]+)&quot;<\/d:getetag>/g)) {
          const mine = [...body.matchAll(/<d:getetag>&quot;([0-9a-f]+)&quot;<\/d:getetag>/g)].map((x) => x[1]!);
          if (mine.length === 1) etags.set(m[1]!, mine[0]!);
        }
        const where = `${topic} · ${e.title}`;
        if (res.status !== e.status) {
          mismatches.push(`${where}: status ${res.status}, recorded ${e.status}`);
          continue;
        }
        for (const h of ['content-type', 'dav', 'www-authenticate']) {
          const want = e.responseHeaders[h];
          if (want !== undefined && res.headers.get(h)?.toLowerCase() !== want.toLowerCase())
            mismatches.push(`${where}: ${h} ${res.headers.get(h)}, recorded ${want}`);
        }
        for (const h of ['oc-fileid', 'etag', 'oc-etag']) {
          if ((e.responseHeaders[h] !== undefined) !== res.headers.has(h))
            mismatches.push(
              `${where}: ${h} ${res.headers.has(h) ? 'sent' : 'missing'}, recorded ${e.responseHeaders[h] ?? 'none'}`,
            );
        }
        if (e.status >= 400 && /<d:error/.test(e.body)) {
          const want = errorOf(e.body);
          const got = errorOf(body);
          if (want.exception !== got.exception || want.message !== got.message)
            mismatches.push(`${where}: ${JSON.stringify(got)}, recorded ${JSON.stringify(want)}`);
        }
      }
      expect(mismatches, `${replayed} replayed, ${skipped.length} left out`).toEqual([]);
      expect(replayed).toBeGreaterThan(skipped.length);
    });
  }
});
