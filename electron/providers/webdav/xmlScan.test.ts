import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { startWebDavServer } from '../../demo/servers/webdav/server';
import { seedTestState, WEBDAV_USERS } from '../../demo/servers/webdav/seed';
import { dialects } from './dialect';
import { parseMultistatus } from './multistatus';
import { XmlScanner } from './xmlScan';

/**
 * The tokenizer behind every WebDAV answer against saxes (the XML parser it replaced, kept as the
 * reference): the same events for real test-server bodies with odd names, whole and cut into
 * pieces at arbitrary places, and errors where saxes finds the body broken.
 */
type Event = string;

function viaScanner(chunks: string[]): Event[] {
  const out: Event[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push(`text ${JSON.stringify(text)}`);
    text = '';
  };
  const scanner = new XmlScanner({
    open: (uri, local) => (flush(), out.push(`open {${uri}}${local}`)),
    close: () => (flush(), out.push('close')),
    text: (t) => (text += t),
  });
  for (const c of chunks) scanner.write(c);
  scanner.end();
  flush();
  return out;
}

function viaSaxes(body: string): Event[] {
  const out: Event[] = [];
  let text = '';
  let depth = 0;
  const flush = () => {
    if (text && depth > 0) out.push(`text ${JSON.stringify(text)}`);
    text = '';
  };
  const sax = new SaxesParser({ xmlns: true, position: false });
  let error: Error | null = null;
  sax.on('opentag', (t) => (flush(), depth++, out.push(`open {${t.uri ?? ''}}${t.local ?? t.name}`)));
  sax.on('closetag', () => (flush(), depth--, out.push('close')));
  sax.on('text', (t) => (text += t));
  sax.on('cdata', (t) => (text += t));
  sax.on('error', (e) => (error ??= e));
  sax.write(body);
  sax.close();
  if (error) throw error;
  flush();
  return out;
}

/** Cuts `s` at `n` pseudo-random places (fixed seed). */
function cut(s: string, n: number, seed: number): string[] {
  let x = seed;
  const at = Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % s.length)).sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const i of at) {
    parts.push(s.slice(from, i));
    from = i;
  }
  parts.push(s.slice(from));
  return parts;
}

const ODD = ['a&b <c>.txt', `quote's "double".txt`, 'caf\u00e9 \u{1F98A}.txt', '100% ]]> done.txt', 'tab\there.txt', '#x26; &amp; literal.txt'];

describe('XML tokenizer (WebDAV answers)', () => {
  for (const kind of ['nextcloud', 'owncloud10'] as const) {
    it(`gives saxes' events for a ${kind} trash listing with odd names, whole and in pieces`, async () => {
      const server = await startWebDavServer({
        kind,
        seed: (tree) => {
          seedTestState(tree);
          for (const name of ODD) tree.trash(tree.writeFile('alice', name, 10).id);
        },
      });
      try {
        const user = WEBDAV_USERS.alice;
        const dialect = dialects[kind];
        const root = dialect.trashRoot({ basePath: '', userId: user.id, spaceId: '' });
        const res = await fetch(server.url + root, {
          method: 'PROPFIND',
          headers: { Authorization: `Basic ${Buffer.from(`${user.id}:${user.appPassword}`).toString('base64')}`, Depth: '1', 'Content-Type': 'application/xml' },
          body: dialect.trashPropfind,
        });
        const body = await res.text();
        expect(res.status).toBe(207);
        for (const name of ODD.slice(0, 3)) expect(parseMultistatus(body).some((r) => [...r.props.values()].includes(name))).toBe(true);
        const reference = viaSaxes(body);
        expect(viaScanner([body])).toEqual(reference);
        for (let seed = 1; seed <= 20; seed++) expect(viaScanner(cut(body, 40, seed))).toEqual(reference);
      } finally {
        await server.close();
      }
    });
  }

  it('reads what saxes reads in hand-made bodies: prefixes, default namespaces, CDATA, comments, references, line ends', () => {
    const body = [
      '<?xml version="1.0" encoding="utf-8"?>\r\n<!DOCTYPE multistatus>',
      '<!-- a comment -->',
      '<multistatus xmlns="DAV:" xmlns:x=\'http://x.test/ns\'><response><href>/a%20b</href>',
      '<propstat><prop><x:v a="1 > 0">one &lt;two&gt; &#233;&#x1F98A; &quot;&apos;</x:v><empty/><x:e x:attr="y"/>',
      '<y:w xmlns:y="urn:y"><![CDATA[<raw & ]] stuff>]]></y:w><inner xmlns="urn:z"><deep/></inner>',
      '</prop><status>HTTP/1.1 200 OK</status></propstat>\r\n<?pi here?></response></multistatus>\n',
    ].join('');
    const reference = viaSaxes(body);
    expect(viaScanner([body])).toEqual(reference);
    for (let seed = 1; seed <= 50; seed++) expect(viaScanner(cut(body, 12, seed))).toEqual(reference);
  });

  it('throws where the body is broken, as saxes does', () => {
    for (const broken of [
      '<d:multistatus xmlns:d="DAV:"><d:response>',
      '<d:multistatus xmlns:d="DAV:"></d:response>',
      '<d:multistatus xmlns:d="DAV:"><x:y/></d:multistatus>',
      '<d:multistatus xmlns:d="DAV:">a & b</d:multistatus>',
      '<d:multistatus xmlns:d="DAV:">&nbsp;</d:multistatus>',
      '<d:multistatus xmlns:d="DAV:"/><again/>',
      'text before <a/>',
      '',
    ]) {
      expect(() => viaSaxes(broken), broken).toThrow();
      expect(() => viaScanner([broken]), broken).toThrow();
    }
  });
});
