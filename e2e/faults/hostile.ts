import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Hostile answers for the hostile-server suite (hostile.test.ts): what a server under an
 * attacker's control (or a broken one) can send as a WebDAV multistatus, each made lazily as
 * pieces so 40 MB or endless bodies cost nothing until read; and a server that sends any of them
 * as a 207 (or another status) over a real socket, noting how much it sent and whether the client
 * went away first.
 */

/** A body as pieces of text or bytes; may be endless. */
export type Body = () => Iterable<string | Uint8Array>;

export interface HostileCase {
  name: string;
  body: Body;
  /**
   * What reading it must end with: an error matching this, `items` read, or (endless) still reading with bounded memory
   * when stopped.
   */
  expect: { error: RegExp } | { items: number } | { endless: true };
  /** Which limit bounds what the tokenizer may hold for this case (characters); default the largest (text). */
  held?: number;
  /** On the main thread (readMultistatus: text per element ≤ 64 KiB), when the outcome differs. */
  main?: { error: RegExp };
}

const OPEN =
  '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">';
const CLOSE = '</d:multistatus>';

/** One trash item as Nextcloud 32 sends it, with `inner` in place of the file name. */
export function item(i: number, name = `file ${i}.txt`): string {
  return (
    `<d:response><d:href>/remote.php/dav/trashbin/admin/trash/f${i}.txt.d1795635121</d:href><d:propstat><d:prop>` +
    `<nc:trashbin-filename>${name}</nc:trashbin-filename><nc:trashbin-original-location>${name}</nc:trashbin-original-location>` +
    `<nc:trashbin-deletion-time>1795635121</nc:trashbin-deletion-time><oc:fileid>${1000 + i}</oc:fileid><oc:size>11</oc:size>` +
    `<d:getcontentlength>11</d:getcontentlength><d:resourcetype/><d:getlastmodified>Wed, 25 Nov 2026 19:32:01 GMT</d:getlastmodified>` +
    `<d:getcontenttype>text/plain</d:getcontenttype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`
  );
}

/** `unit` repeated until `chars` characters, in pieces of ~64 KiB (never the whole string at once). */
function* repeat(unit: string, chars: number): Generator<string> {
  const per = Math.max(1, Math.floor(65_536 / unit.length));
  const piece = unit.repeat(per);
  let left = Math.ceil(chars / unit.length);
  while (left > 0) {
    const n = Math.min(per, left);
    yield n === per ? piece : unit.repeat(n);
    left -= n;
  }
}

function* forever(unit: string): Generator<string> {
  const piece = unit.repeat(Math.max(1, Math.floor(65_536 / unit.length)));
  for (;;) yield piece;
}

const wrap =
  (...parts: Array<string | (() => Iterable<string>)>): Body =>
  () =>
    (function* () {
      for (const p of parts) {
        if (typeof p === 'string') yield p;
        else yield* p();
      }
    })();

/** Inside a trash item's file name. */
const inName = (...parts: Array<string | (() => Iterable<string>)>): Body =>
  wrap(
    OPEN,
    item(0),
    '<d:response><d:href>/remote.php/dav/trashbin/admin/trash/x.txt.d1795635121</d:href><d:propstat><d:prop><nc:trashbin-filename>',
    ...parts,
    '</nc:trashbin-filename></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>',
    CLOSE,
  );

const MB = 1_000_000;

export const CASES: HostileCase[] = [
  // The answers issue #21 measured.
  {
    name: 'one 150 KB start tag (xmlns aaaa…)',
    body: wrap(OPEN, '<oc:x xmlns ', () => repeat('a', 150_000), '/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
  },
  {
    name: 'one 300 KB start tag (xmlns aaaa…)',
    body: wrap(OPEN, '<oc:x xmlns ', () => repeat('a', 300_000), '/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
  },
  {
    name: '60 KB attribute name without "=" (regex backtracking bait)',
    body: wrap(OPEN, '<oc:x ', () => repeat('a', 60_000), '/>', CLOSE),
    expect: { error: /a name longer than 1,024 characters/ },
  },
  {
    name: '1,000 attributes of 50 characters without "="',
    body: wrap(OPEN, '<oc:x ', () => repeat(`${'a'.repeat(49)} `, 50_000), '/>', CLOSE),
    expect: { error: /without a value/ },
  },
  {
    name: '100,000 levels, each declaring a namespace',
    body: wrap(OPEN, () => repeat('<a xmlns:p="urn:p">', 100_000 * 19)),
    expect: { error: /nested deeper than 256 levels/ },
  },
  {
    name: '40 MB unterminated text',
    body: wrap(OPEN, '<d:response><d:href>', () => repeat('x', 40 * MB)),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: '40 MB unterminated start tag',
    body: wrap(OPEN, '<d:response a="', () => repeat('x', 40 * MB)),
    expect: { error: /a tag longer than 65,536 characters/ },
    held: 65_536,
  },
  // Size and shape.
  {
    name: '1,000,000 nested elements',
    body: wrap(OPEN, () => repeat('<a>', 3 * MB)),
    expect: { error: /nested deeper than 256 levels/ },
  },
  {
    name: 'nesting inside a property value',
    body: inName(() => repeat('<x>', 300 * 3)),
    expect: { error: /nested deeper than 256 levels/ },
  },
  {
    name: '100,000 namespace declarations on one element',
    body: wrap(OPEN, '<oc:x', () => repeat(' xmlns:p="urn:p"', 100_000 * 16), '/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
  },
  {
    name: '300 namespace declarations on one element',
    body: wrap(OPEN, '<oc:x', ...Array.from({ length: 300 }, (_, i) => ` xmlns:p${i}="urn:${i}"`), '/>', CLOSE),
    expect: { error: /more than 256 attributes/ },
  },
  {
    name: '300 attributes on one element',
    body: wrap(OPEN, '<oc:x', ...Array.from({ length: 300 }, (_, i) => ` a${i}="${i}"`), '/>', CLOSE),
    expect: { error: /more than 256 attributes/ },
  },
  {
    name: 'a 2 KB element name',
    body: wrap(OPEN, `<${'n'.repeat(2000)}/>`, CLOSE),
    expect: { error: /a name longer than 1,024 characters/ },
  },
  {
    name: 'a 1 MB element name',
    body: wrap(OPEN, '<', () => repeat('n', MB), '/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
    held: 65_536,
  },
  {
    name: 'a 1 MB end tag',
    body: wrap(OPEN, '<d:response></d:response', () => repeat(' ', MB), '>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
    held: 65_536,
  },
  {
    name: 'a 1 MB namespace URI',
    body: wrap(OPEN, '<oc:x xmlns:q="', () => repeat('u', MB), '"/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters/ },
    held: 65_536,
  },
  {
    name: '10 MB file name',
    body: inName(() => repeat('n', 10 * MB)),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: '10 MB of text cut into runs by comments',
    body: inName(() => repeat('nnnnnnnnnnnnnnnnnnnnnnnn<!---->', 10 * MB)),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: '10 MB CDATA section',
    body: inName('<![CDATA[', () => repeat('c', 10 * MB), ']]>'),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: '10 MB of whitespace between responses',
    body: wrap(OPEN, () => repeat(' \n', 10 * MB), CLOSE),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: '2,000 properties in one response',
    body: wrap(
      OPEN,
      '<d:response><d:href>/x</d:href><d:propstat><d:prop>',
      () => repeat('<oc:p/>', 2000 * 7),
      '</d:prop></d:propstat></d:response>',
      CLOSE,
    ),
    expect: { error: /more than 1000 properties in one response/ },
  },
  {
    name: 'unterminated comment',
    body: wrap(OPEN, '<!--', () => repeat('-', 10 * MB)),
    expect: { error: /a comment longer than 65,536 characters/ },
    held: 65_536,
  },
  {
    name: 'unterminated CDATA',
    body: inName('<![CDATA[', () => repeat(']', 10 * MB)),
    expect: { error: /more than 1,048,576 characters of text/ },
  },
  {
    name: 'unterminated processing instruction',
    body: wrap(OPEN, '<?pi ', () => repeat('?', 10 * MB)),
    expect: { error: /longer than 65,536 characters/ },
    held: 65_536,
  },
  {
    name: '1 MB of quotes inside a start tag',
    body: wrap(OPEN, '<oc:x', () => repeat(` a="'" b='"'`, MB), '/>', CLOSE),
    expect: { error: /a tag longer than 65,536 characters|given twice/ },
    held: 65_536,
  },
  // Entities, doctype, characters.
  {
    name: 'billion laughs (entities in an internal subset)',
    body: wrap(
      '<?xml version="1.0"?><!DOCTYPE d:multistatus [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
      OPEN.slice(22),
      '<d:response><d:href>&c;</d:href></d:response>',
      CLOSE,
    ),
    expect: { error: /internal subset/ },
  },
  {
    name: 'external entity (file:///etc/passwd)',
    body: wrap(
      '<?xml version="1.0"?><!DOCTYPE d:multistatus SYSTEM "file:///etc/passwd">',
      OPEN.slice(22),
      '<d:response><d:href>&xxe;</d:href></d:response>',
      CLOSE,
    ),
    expect: { error: /Unknown entity &xxe;/ },
  },
  {
    name: 'a doctype after the root',
    body: wrap(OPEN, '<!DOCTYPE x>', CLOSE),
    expect: { error: /doctype after the root element/ },
  },
  { name: '&#0; in a file name', body: inName('a&#0;b'), expect: { error: /&#0; names NUL/ } },
  { name: '&#x0000000; in a file name', body: inName('a&#x0000000;b'), expect: { error: /names NUL/ } },
  { name: 'a lone surrogate &#xD800; in a file name', body: inName('a&#xD800;b'), expect: { error: /lone surrogate/ } },
  { name: 'a surrogate pair as two references', body: inName('&#xD83D;&#xDE00;'), expect: { error: /lone surrogate/ } },
  { name: '&#x110000; (beyond Unicode)', body: inName('&#x110000;'), expect: { error: /beyond Unicode/ } },
  {
    name: 'a 20-digit character reference',
    body: inName('&#99999999999999999999;'),
    expect: { error: /beyond Unicode/ },
  },
  { name: 'a raw NUL in a file name', body: inName('a\u0000b'), expect: { error: /contains NUL/ } },
  { name: 'a raw ESC in a file name', body: inName('a\u001b]0;title\u0007b'), expect: { error: /contains U\+001B/ } },
  {
    name: '&#65; with 500,000 leading zeros',
    body: inName('&#', () => repeat('0', 500_000), '65;'),
    expect: { items: 2 },
    main: { error: /more than 65,536 characters of text/ },
  },
  {
    name: '1,000,000 "&" without a name',
    body: inName(() => repeat('&', MB)),
    expect: { error: /Bare "&"/ },
    main: { error: /more than 65,536 characters of text/ },
  },
  {
    name: '200,000 &amp; in a file name',
    body: inName(() => repeat('&amp;', MB)),
    expect: { items: 2 },
    main: { error: /more than 65,536 characters of text/ },
  },
  {
    name: '500,000 carriage returns in a file name',
    body: inName(() => repeat('\r', 500_000)),
    expect: { items: 2 },
    main: { error: /more than 65,536 characters of text/ },
  },
  {
    name: 'invalid UTF-8 in a file name',
    body: () => [
      OPEN,
      item(0),
      '<d:response><d:href>/remote.php/dav/trashbin/admin/trash/x.txt.d1795635121</d:href><d:propstat><d:prop><nc:trashbin-filename>',
      new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      '</nc:trashbin-filename></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>',
      CLOSE,
    ],
    expect: { items: 2 },
  },
  {
    name: '255 levels, 200 namespaces declared on each',
    body: inName(
      ...Array.from(
        { length: 250 },
        (_, l) => `<x${l} ${Array.from({ length: 200 }, (_, i) => `xmlns:p${i}="urn:${l}:${i}"`).join(' ')}>`,
      ),
      ...Array.from({ length: 250 }, (_, l) => `</x${250 - 1 - l}>`),
    ),
    expect: { items: 2 },
  },
  // Broken.
  {
    name: 'truncated in the middle of a response',
    body: wrap(OPEN, item(0), item(1).slice(0, 200)),
    expect: { error: /ended/ },
  },
  {
    name: 'an HTML login page sent as 207',
    body: wrap(
      '<!DOCTYPE html><html><head><title>Login</title></head><body><form><input name="user"><br></form></body></html>',
    ),
    expect: { error: /closes|ended|Unexpected|Text/ },
  },
  { name: 'two roots', body: wrap(OPEN, item(0), CLOSE, OPEN, CLOSE), expect: { error: /second root/ } },
  // Endless: no limit trips; memory must stay flat and the listing must end when asked.
  {
    name: 'endless stream of skipped elements',
    body: wrap(
      OPEN,
      '<d:response><d:href>/x</d:href><d:propstat><d:prop><nc:trashbin-filename>a</nc:trashbin-filename><oc:x>',
      () => forever('<y/>'),
    ),
    expect: { endless: true },
  },
  { name: 'endless stream of comments', body: wrap(OPEN, () => forever('<!-- x -->')), expect: { endless: true } },
];

/**
 * A 207 Multi-Status answer with the given body, written as fast as the client reads (or `pace`: one piece every
 * `pace.ms`).
 */
export interface Served {
  status?: number;
  body: Body;
  pace?: { bytes: number; ms: number };
}

export interface HostileServer {
  url: string;
  /** Serves this answer at this path (any method). */
  serve(path: string, answer: Served): void;
  /** Bytes sent for a path so far, and whether the client went away before the body ended. */
  sent(path: string): { bytes: number; cutShort: boolean; done: boolean };
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const answers = new Map<string, Served>();
  const sent = new Map<string, { bytes: number; cutShort: boolean; done: boolean }>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/(.)\/$/, '$1');
    req.resume();
    const answer = answers.get(path);
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const note = { bytes: 0, cutShort: false, done: false };
    sent.set(path, note);
    res.writeHead(answer.status ?? 207, { 'Content-Type': 'application/xml; charset=utf-8' });
    res.on('close', () => {
      if (!note.done) note.cutShort = true;
    });
    const pieces = answer.body()[Symbol.iterator]();
    let pending: Uint8Array | null = null;
    const next = () => {
      while (!res.destroyed) {
        if (!pending) {
          const r = pieces.next();
          if (r.done) {
            note.done = true;
            res.end();
            return;
          }
          pending = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
        }
        let piece: Uint8Array = pending;
        if (answer.pace) {
          piece = pending.subarray(0, answer.pace.bytes);
          pending = pending.length > answer.pace.bytes ? pending.subarray(answer.pace.bytes) : null;
        } else pending = null;
        note.bytes += piece.length;
        const more = res.write(piece);
        if (answer.pace) {
          setTimeout(next, answer.pace.ms);
          return;
        }
        if (!more) {
          res.once('drain', next);
          return;
        }
      }
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve: (path, answer) => void answers.set(path.replace(/(.)\/$/, '$1'), answer),
    sent: (path) => sent.get(path.replace(/(.)\/$/, '$1')) ?? { bytes: 0, cutShort: false, done: false },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
