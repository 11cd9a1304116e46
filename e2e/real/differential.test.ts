import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../electron/demo/servers/webdav/server';
import { dialects } from '../../electron/providers/webdav/dialect';
import { Dav, type Answer, type ServerKind, type TrashEntry } from './dav';
import { parseRealConfig, REAL_ENV } from './targets';

/**
 * The differential check: the same requests to a real server (SALVAGE_REAL_NEXTCLOUD /
 * SALVAGE_REAL_OWNCLOUD) and to Salvage's test server of that kind, in the same state, comparing
 * what Salvage reads or sends: status codes, the headers that matter (types, DAV, ETag and
 * OC-FileId shapes, compression, authentication, connection), the XML's shape and namespaces,
 * ids, what Replace does to the replaced file, and same-second name collisions. Values that only
 * say when or which (times, ids, ETags) are compared by their shape. Skips without the kits.
 *
 * Both sides get a user of their own for this (created on the real server through the
 * provisioning API), so the contract suite can run on the same server at the same time.
 */

const USER = 'salvagediff';
const PASSWORD = 'Salvage-diff-2026!x7Q';
const RUN = `diff-${Date.now().toString(36)}`;

/** The Depth 0 stat body the provider sends for a file or folder (provider.ts STAT_BODY). */
const STAT_BODY =
  '<?xml version="1.0"?>\n<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns">\n  <d:prop>\n    <d:resourcetype/>\n    <d:getcontentlength/>\n    <d:getlastmodified/>\n    <d:getetag/>\n    <oc:size/>\n    <oc:fileid/>\n    <oc:permissions/>\n  </d:prop>\n</d:propfind>';

interface Side {
  name: 'real' | 'test';
  kind: ServerKind;
  dav: Dav;
}

const side = (name: 'real' | 'test', kind: ServerKind, url: string): Side => ({
  name,
  kind,
  dav: new Dav(url, USER, PASSWORD, kind),
});

// ---------------------------------------------------------------------------------- shapes

/** How a header value compares: shapes for what differs by nature (ids, ETags), the value otherwise. */
function headerShape(name: string, value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  const v = Array.isArray(value) ? value.join(', ') : value;
  switch (name) {
    case 'content-type':
      return v.toLowerCase().replace(/\s+/g, '');
    case 'etag':
    case 'oc-etag':
      return v.replace(/^"[0-9a-f]{32}"$/, '"<md5>"').replace(/^"\d+"$/, '"<int>"');
    case 'oc-fileid':
      return v.replace(/^\d{8}oc[a-z0-9]{10}$/, '<padded id><instance id>');
    case 'content-length':
      return v === '0' ? '0' : '<n>';
    default:
      return v;
  }
}

const HEADERS = [
  'content-type',
  'content-encoding',
  'dav',
  'etag',
  'oc-etag',
  'oc-fileid',
  'www-authenticate',
  'connection',
  'content-length',
  'transfer-encoding',
  'retry-after',
];

/** Text values: shapes for times, numbers, ETags and trash names' stamps; the text otherwise. */
function textShape(s: string): string {
  if (s === '') return '';
  if (/^\d+$/.test(s)) return '<int>';
  if (/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(s)) return '<http date>';
  if (/^"[0-9a-f]{32}"$/.test(s)) return '"<md5>"';
  if (/^"[0-9a-f]{13}"$/.test(s)) return '"<uniqid>"';
  if (/^\d{8}oc[a-z0-9]{10}$/.test(s)) return '<padded id><instance id>';
  return s.replace(/\.d\d{9,}/g, '.d<time>');
}

/** Hrefs with ids and deletion stamps as shapes. */
const hrefShape = (href: string) =>
  decodeURIComponent(href)
    .replace(/\.d\d{9,}/g, '.d<time>')
    .replace(
      /\/(trash-bin\/[^/]+)((?:\/\d+)+)(\/?)$/,
      (_, root: string, ids: string, slash: string) => `/${root}${ids.replace(/\d+/g, '<id>')}${slash}`,
    );

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  ns: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(text: string): XmlNode | null {
  const sax = new SaxesParser({ xmlns: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  let failed = false;
  sax.on('error', () => (failed = true));
  sax.on('opentag', (t) => {
    const node: XmlNode = { name: `{${t.uri}}${t.local}`, attrs: {}, ns: {}, children: [], text: '' };
    for (const [k, a] of Object.entries(t.attributes)) {
      const attr = a as { prefix: string; local: string; value: string; uri: string };
      if (attr.prefix === 'xmlns') node.ns[attr.local] = attr.value;
      else if (k === 'xmlns') node.ns[''] = attr.value;
      else node.attrs[`{${attr.uri}}${attr.local}`] = attr.value;
    }
    stack[stack.length - 1]?.children.push(node);
    stack.push(node);
    root ??= node;
  });
  sax.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  sax.on('closetag', () => void stack.pop());
  try {
    sax.write(text).close();
  } catch {
    return null;
  }
  return failed ? null : root;
}

const child = (n: XmlNode, local: string) => n.children.find((c) => c.name.endsWith(`}${local}`));

/** A property's value as a shape: its children's names, or its text's shape. */
const valueShape = (p: XmlNode): string =>
  p.children.length ? `<${p.children.map((c) => c.name).join(' ')}>` : textShape(p.text.trim());

/**
 * The shape of an XML body: its root, namespaces, and for a multistatus each response's href and propstats; for an
 * error its exception and message.
 */
function xmlShape(text: string): unknown {
  const root = parseXml(text);
  if (!root) return { unparsable: text.slice(0, 200) };
  if (root.name === '{DAV:}multistatus') {
    const responses = root.children
      .filter((r) => r.name === '{DAV:}response')
      .map((r) => ({
        href: hrefShape(child(r, 'href')?.text ?? ''),
        propstats: r.children
          .filter((p) => p.name === '{DAV:}propstat')
          .map((p) => ({
            status: child(p, 'status')?.text.trim(),
            props: (child(p, 'prop')?.children ?? []).map((x) => `${x.name}=${valueShape(x)}`).sort(),
          }))
          .sort((a, b) => String(a.status).localeCompare(String(b.status))),
      }))
      .sort((a, b) => a.href.localeCompare(b.href));
    return { root: root.name, ns: root.ns, responses };
  }
  if (root.name === '{DAV:}error') {
    return {
      root: root.name,
      ns: root.ns,
      children: root.children.map((c) => c.name),
      exception: child(root, 'exception')?.text.trim(),
      // Nextcloud lists one reason per enabled auth backend: app_api's depends on the install, not on the server's
      // version.
      message: (child(root, 'message')?.text.trim() ?? '')
        .replace(/\d{4,}/g, '<n>')
        .replace(', AppAPIAuth has not passed', ''),
    };
  }
  return { root: root.name, ns: root.ns };
}

/** The shape of a JSON value: keys and value types, recursively. */
function jsonShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [jsonShape(v[0])] : [];
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => [k, jsonShape(x)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  return v === null ? 'null' : typeof v;
}

/** Everything Salvage reads of an answer, as shapes. `pick` limits a JSON body to some paths. */
function shape(a: Answer, options: { headers?: string[]; json?: (v: unknown) => unknown } = {}): unknown {
  const headers = Object.fromEntries((options.headers ?? HEADERS).map((h) => [h, headerShape(h, a.headers[h])]));
  const type = String(a.headers['content-type'] ?? '');
  let body: unknown;
  if (a.text === '') body = '<empty>';
  else if (/xml/.test(type)) body = xmlShape(a.text);
  else if (/json/.test(type)) {
    try {
      const v = JSON.parse(a.text) as unknown;
      body = options.json ? options.json(v) : jsonShape(v);
    } catch {
      body = { unparsable: a.text.slice(0, 200) };
    }
  } else body = /<html|<!DOCTYPE/i.test(a.text) ? '<html>' : { text: a.text.slice(0, 200) };
  return { status: a.status, headers, body };
}

// ---------------------------------------------------------------------------------- the sides

async function ensureRealUser(url: string, admin: { user: string; password: string }, kind: ServerKind): Promise<void> {
  const dav = new Dav(url, admin.user, admin.password, kind);
  const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
  const headers = {
    'OCS-APIRequest': 'true',
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  const made = await dav.request('POST', '/ocs/v1.php/cloud/users?format=json', {
    headers,
    body: form({ userid: USER, password: PASSWORD }),
  });
  const code = (JSON.parse(made.text) as { ocs: { meta: { statuscode: number } } }).ocs.meta.statuscode;
  if (code === 102) {
    // There from an earlier run: make sure of the password.
    const set = await dav.request('PUT', `/ocs/v1.php/cloud/users/${USER}?format=json`, {
      headers,
      body: form({ key: 'password', value: PASSWORD }),
    });
    if (set.status !== 200)
      throw new Error(`could not set ${USER}'s password: HTTP ${set.status} ${set.text.slice(0, 200)}`);
  } else if (code !== 100) throw new Error(`could not create the user ${USER}: ${made.text.slice(0, 300)}`);
}

/** The same files on both sides: D/a.txt, D/b.txt, D/sub/c.txt, D/gone/g.txt, D/same/{A,B,C}/same.txt. */
async function build(s: Side, D: string): Promise<void> {
  for (const f of [D, `${D}/sub`, `${D}/gone`, `${D}/keep`]) await s.dav.mkdirs(f);
  await s.dav.put(`${D}/a.txt`, 'alpha');
  await s.dav.put(`${D}/b.txt`, 'bravo');
  await s.dav.put(`${D}/sub/c.txt`, 'charlie');
  await s.dav.put(`${D}/gone/g.txt`, 'golf');
  await s.dav.put(`${D}/keep/k.txt`, 'kilo');
}

const byLocation = (entries: TrashEntry[], location: string) => entries.find((e) => e.location === location);

/** The path Salvage would send to restore a trash entry to its place (or to `to`). */
function restoreRequest(s: Side, e: TrashEntry, to: string): { path: string; destination: string } {
  const base = s.dav.base.origin;
  if (s.kind === 'nextcloud') {
    return {
      path: `/remote.php/dav/trashbin/${USER}/trash/${encodeURIComponent(e.id)}`,
      destination: `${base}/remote.php/dav/trashbin/${USER}/restore/${encodeURIComponent(e.id)}`,
    };
  }
  return { path: `/remote.php/dav/trash-bin/${USER}/${e.id}`, destination: `${base}${s.dav.filesPath(to)}` };
}

for (const kind of ['nextcloud', 'owncloud10'] as ServerKind[]) {
  describe(`differential: ${kind} test server against the real one`, () => {
    let real: Side | null = null;
    let test: Side | null = null;
    let server: WebDavServer | null = null;
    let why = '';
    const D = RUN;

    beforeAll(async () => {
      const value = process.env[REAL_ENV[kind]];
      if (!value) {
        why = `no real ${kind} to compare with: set ${REAL_ENV[kind]} (see README, "Real-server contract suite")`;
        return;
      }
      const config = parseRealConfig(value);
      await ensureRealUser(config.url, config, kind);
      server = await startWebDavServer({
        kind,
        transport: 'php',
        seed: (tree) => {
          tree.addUser(USER, { password: PASSWORD, displayName: USER });
          tree.bumpIds(100);
        },
      });
      real = side('real', kind, config.url);
      test = side('test', kind, server.url);
      for (const s of [real, test]) {
        await s.dav.emptyTrash();
        await build(s, D);
      }
    }, 5 * 60_000);
    afterAll(async () => {
      await server?.close();
    });

    /** One comparison: the same steps on both sides, then their shapes side by side. */
    const compare = (title: string, steps: (s: Side) => Promise<unknown>) =>
      it(title, { timeout: 5 * 60_000 }, async (c: TestContext) => {
        if (!real || !test) return c.skip(why);
        const fromReal = await steps(real);
        const fromTest = await steps(test);
        expect(fromTest, `${title}: the test server (left) against the real ${kind} (right)`).toEqual(fromReal);
      });

    compare('status.php', async (s) =>
      shape(await s.dav.request('GET', '/status.php', { headers: { Authorization: '' } }), { json: jsonShape }),
    );

    compare('OCS cloud/user (v1 and v2, with and without OCS-APIRequest, gzip accepted)', async (s) => {
      const pick = (v: unknown) => {
        const o = v as { ocs: { meta: Record<string, unknown>; data: Record<string, unknown> } };
        return {
          meta: { status: o.ocs.meta.status, statuscode: o.ocs.meta.statuscode },
          data: { id: o.ocs.data.id, 'display-name': o.ocs.data['display-name'] },
        };
      };
      const out: unknown[] = [];
      for (const v of ['v1', 'v2']) {
        for (const ocs of [true, false]) {
          const a = await s.dav.request('GET', `/ocs/${v}.php/cloud/user?format=json`, {
            headers: { ...(ocs ? { 'OCS-APIRequest': 'true' } : {}), 'Accept-Encoding': 'gzip' },
          });
          out.push(
            shape(a, {
              headers: ['content-type', 'content-encoding', 'www-authenticate'],
              json: a.status === 200 ? pick : jsonShape,
            }),
          );
        }
      }
      return out;
    });

    compare('a wrong password: 401 and how it says so', async (s) => {
      const wrong = new Dav(s.dav.base.origin, USER, 'not-the-password', kind);
      return [
        shape(await wrong.request('PROPFIND', wrong.filesPath(''), { headers: { Depth: '0' } })),
        shape(await wrong.request('PROPFIND', wrong.trashRoot(), { headers: { Depth: '1' } })),
      ];
    });

    compare('PUT, MKCOL and DELETE of live files: statuses and the headers Salvage reads', async (s) => [
      shape(
        await s.dav.request('PUT', s.dav.filesPath(`${D}/put.txt`), {
          body: 'one',
          headers: { 'Content-Type': 'text/plain' },
        }),
      ),
      shape(
        await s.dav.request('PUT', s.dav.filesPath(`${D}/put.txt`), {
          body: 'two',
          headers: { 'Content-Type': 'text/plain' },
        }),
      ),
      shape(await s.dav.request('MKCOL', s.dav.filesPath(`${D}/made`))),
      shape(await s.dav.request('MKCOL', s.dav.filesPath(`${D}/made`))),
      shape(await s.dav.request('MKCOL', s.dav.filesPath(`${D}/nowhere/made`))),
      shape(await s.dav.request('DELETE', s.dav.filesPath(`${D}/put.txt`))),
      shape(await s.dav.request('DELETE', s.dav.filesPath(`${D}/put.txt`))),
    ]);

    compare('stat and listing of live files (the provider’s own PROPFIND bodies)', async (s) => [
      shape(
        await s.dav.request('PROPFIND', s.dav.filesPath(`${D}/b.txt`), {
          headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
          body: STAT_BODY,
        }),
      ),
      shape(
        await s.dav.request('PROPFIND', s.dav.filesPath(`${D}/keep`), {
          headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
          body: STAT_BODY,
        }),
      ),
      shape(
        await s.dav.request('PROPFIND', s.dav.filesPath(`${D}/nothing-here.txt`), {
          headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
          body: STAT_BODY,
        }),
      ),
    ]);

    compare('the trash listing: the dialect’s body, Depth 0, 1 and infinity, compressed when asked', async (s) => {
      await s.dav.trash(`${D}/a.txt`);
      await s.dav.trash(`${D}/sub`);
      const body = dialects[kind].trashPropfind;
      const listing = (depth: string, extra: Record<string, string> = {}) =>
        s.dav.request('PROPFIND', s.dav.trashRoot(), {
          headers: { Depth: depth, 'Content-Type': 'application/xml; charset=utf-8', ...extra },
          body,
        });
      const gz = await listing('1', { 'Accept-Encoding': 'gzip, deflate' });
      const plain = await listing('1');
      return {
        depth0: shape(await listing('0')),
        depth1: shape(plain),
        infinity: shape(await listing('infinity'), { headers: ['content-type'] }),
        gzip: {
          encoding: gz.headers['content-encoding'] ?? null,
          framing:
            gz.headers['content-length'] !== undefined
              ? 'length'
              : gz.headers['transfer-encoding']
                ? 'chunked'
                : 'close',
          sameShape: JSON.stringify(xmlShape(gz.text)) === JSON.stringify(xmlShape(plain.text)),
        },
      };
    });

    compare('inside a trashed folder', async (s) => {
      const sub = byLocation(await s.dav.trashEntries(), `${D}/sub`)!;
      const path =
        s.kind === 'nextcloud'
          ? `/remote.php/dav/trashbin/${USER}/trash/${encodeURIComponent(sub.id)}/`
          : `/remote.php/dav/trash-bin/${USER}/${sub.id}/`;
      return shape(
        await s.dav.request('PROPFIND', path, {
          headers: { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' },
          body: dialects[kind].trashPropfind,
        }),
      );
    });

    compare('a restored file keeps its id, ETag and modification time', async (s) => {
      const stat = async () => (await s.dav.list(D))!.get('kept.txt') ?? null;
      await s.dav.put(`${D}/kept.txt`, 'kept');
      const before = await stat();
      await s.dav.trash(`${D}/kept.txt`);
      const e = byLocation(await s.dav.trashEntries(), `${D}/kept.txt`)!;
      const r = restoreRequest(s, e, `${D}/kept.txt`);
      const answer = shape(await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination } }));
      const after = await stat();
      return { answer, sameId: after?.fileId === before?.fileId, sameEtag: after?.etag === before?.etag };
    });

    compare('restore to a free name: the answer, and the file back', async (s) => {
      const a = byLocation(await s.dav.trashEntries(), `${D}/a.txt`)!;
      const r = restoreRequest(s, a, `${D}/a.txt`);
      const answer = await s.dav.request('MOVE', r.path, {
        headers: { Destination: r.destination, ...(s.kind === 'owncloud10' ? { Overwrite: 'F' } : {}) },
      });
      return {
        answer: shape(answer),
        content: await s.dav.read(`${D}/a.txt`),
        again: shape(await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination } })),
      };
    });

    compare(
      'restore onto a taken name: what happens to the file there (Replace) and to the one restored',
      async (s) => {
        await s.dav.trash(`${D}/b.txt`);
        await s.dav.put(`${D}/b.txt`, 'bravo, new');
        // Past the second of that deletion, so no same-second collision mixes in (that has its own check).
        await new Promise((r) => setTimeout(r, 1100));
        const b = byLocation(await s.dav.trashEntries(), `${D}/b.txt`)!;
        const r = restoreRequest(s, b, `${D}/b.txt`);
        const out: Record<string, unknown> = {};
        if (s.kind === 'owncloud10') {
          out.overwriteF = shape(
            await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination, Overwrite: 'F' } }),
          );
          out.overwriteX = shape(
            await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination, Overwrite: 'X' } }),
          );
          out.overwriteT = shape(
            await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination, Overwrite: 'T' } }),
          );
        } else {
          out.overwriteF = shape(
            await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination, Overwrite: 'F' } }),
          );
          out.restored = shape(await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination } }));
        }
        const live = await s.dav.list(D);
        const names = [...live!.keys()].filter((n) => n.startsWith('b')).sort();
        out.live = Object.fromEntries(
          await Promise.all(names.map(async (n) => [n, await s.dav.read(`${D}/${n}`)] as const)),
        );
        out.trash = (await s.dav.trashEntries())
          .filter((e) => e.location === `${D}/b.txt`)
          .map((e) => ({ name: e.name, location: e.location }));
        return out;
      },
    );

    compare('restore when the folder it was in is gone', async (s) => {
      await s.dav.trash(`${D}/gone/g.txt`);
      await s.dav.trash(`${D}/gone`);
      const g = byLocation(await s.dav.trashEntries(), `${D}/gone/g.txt`)!;
      const r = restoreRequest(s, g, `${D}/gone/g.txt`);
      const answer = shape(await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination } }));
      // Where did it go (Nextcloud puts it in the user's root)?
      return { answer, atRoot: await s.dav.read('g.txt'), inFolder: await s.dav.read(`${D}/gone/g.txt`) };
    });

    compare('delete one trash item, then again', async (s) => {
      const g = byLocation(await s.dav.trashEntries(), `${D}/gone`)!;
      const path =
        s.kind === 'nextcloud'
          ? `/remote.php/dav/trashbin/${USER}/trash/${encodeURIComponent(g.id)}`
          : `/remote.php/dav/trash-bin/${USER}/${g.id}`;
      return [shape(await s.dav.request('DELETE', path)), shape(await s.dav.request('DELETE', path))];
    });

    compare(
      'the same name deleted from three folders within one second: one trash file, which location it shows, where a restore puts it',
      async (s) => {
        // Three DELETEs at once, so the real server stamps them in one second (retried with fresh
        // names when it does not). Which one it takes last is its own business: the facts compared
        // are stated relative to the copy that survived (the one whose content the trash file has).
        for (let attempt = 0; attempt < 8; attempt++) {
          const name = `same${attempt}.txt`;
          for (const f of ['A', 'B', 'C']) {
            await s.dav.mkdirs(`${D}/same/${f}`);
            await s.dav.put(`${D}/same/${f}/${name}`, f);
          }
          await Promise.all(['A', 'B', 'C'].map((f) => s.dav.trash(`${D}/same/${f}/${name}`)));
          const entries = (await s.dav.trashEntries()).filter((e) => e.name === name);
          if (entries.length !== 1) {
            for (const e of entries)
              await s.dav.request(
                'DELETE',
                s.kind === 'nextcloud'
                  ? `/remote.php/dav/trashbin/${USER}/trash/${encodeURIComponent(e.id)}`
                  : `/remote.php/dav/trash-bin/${USER}/${e.id}`,
              );
            continue;
          }
          const [e] = entries;
          const shown = e!.location.split('/').slice(-2, -1)[0]!;
          // Restore to the place the listing shows (ownCloud 10 takes any destination; Nextcloud picks its own).
          const r = restoreRequest(s, e!, `${D}/same/${shown}/${name}`);
          const answer = await s.dav.request('MOVE', r.path, { headers: { Destination: r.destination } });
          const where = (
            await Promise.all(
              ['A', 'B', 'C'].map(async (f) => [f, await s.dav.read(`${D}/same/${f}/${name}`)] as const),
            )
          ).filter(([, c]) => c !== null);
          const [landed, content] = where[0] ?? [null, null];
          return {
            trashEntries: 1,
            restore: answer.status,
            filesAfterRestore: where.length,
            listingShowsTheSurvivor: shown === content,
            landedWhereTheListingSays: landed === shown,
            landedWhereTheSurvivorWas: landed === content,
            leftInTrash: (await s.dav.trashEntries()).filter((x) => x.name === name).length,
          };
        }
        return 'never three deletions within one second';
      },
    );

    compare('emptying the trash', async (s) => [
      shape(await s.dav.request('DELETE', s.dav.trashRoot())),
      (await s.dav.trashEntries()).length,
      shape(await s.dav.request('DELETE', s.dav.trashRoot())),
    ]);

    compare('how answers travel (PHP’s built-in server)', async (s) => {
      const a = await s.dav.request('PROPFIND', s.dav.filesPath(D), { headers: { Depth: '1' } });
      const e = await s.dav.request('PUT', s.dav.filesPath(`${D}/t.txt`), { body: 'x' });
      return {
        multistatus: {
          connection: a.headers.connection,
          length: a.headers['content-length'] ?? null,
          chunked: a.headers['transfer-encoding'] ?? null,
        },
        empty: { connection: e.headers.connection, length: e.headers['content-length'] ?? null },
      };
    });
  });
}
