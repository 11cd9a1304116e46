import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../shared/model';
import type { ReadContext, WebDavKind } from './dialect';
import type { DavResponse } from './multistatus';
import { FAST_HOLD } from './trashFast';
import { createMultistatusReader, createTrashParse, type ParseMode } from './trashParse';

/**
 * Differential tests of the fast path (trashFast.ts): for every body, read in pieces, the fast path
 * (with the full parser behind it) must give exactly the responses and items of the full parser
 * alone, or the same error; and it must read the real servers' answers without giving up.
 */

const fixtures = new URL('../../../e2e/fixtures/webdav/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');

interface Exchange {
  title: string;
  body: string;
}

/** Every recorded multistatus body of the real servers (the JSON recordings and the .xml fixtures). */
function recordedBodies(): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  for (const file of readdirSync(fixtures)) {
    if (file.endsWith('.xml')) out.push({ name: file, body: read(file) });
    if (!file.endsWith('.json')) continue;
    for (const e of JSON.parse(read(file)) as Exchange[]) {
      const body = e.body.startsWith('@') ? read(e.body.slice(1)) : e.body;
      if (body.includes('multistatus>')) out.push({ name: `${file}: ${e.title}`, body });
    }
  }
  return out;
}

type Outcome =
  | { responses: Array<[string, Array<[string, string]>, boolean, string | null]>; gaveUp: string | null }
  | { error: string; gaveUp: string | null };

const plain = (r: DavResponse) =>
  [r.href, [...r.props], r.collection, r.status] as [string, Array<[string, string]>, boolean, string | null];

/** Positions in messages differ once the full parser resumes mid-body: compared without numbers. */
const noNumbers = (m: string) => m.replace(/\d[\d,]*/g, '#');

function readAll(pieces: Uint8Array[], mode: ParseMode): Outcome {
  const responses: DavResponse[] = [];
  const reader = createMultistatusReader((r) => responses.push(r), mode);
  try {
    for (const p of pieces) reader.write(p);
    reader.end();
  } catch (e) {
    return { error: noNumbers(e instanceof Error ? e.message : String(e)), gaveUp: reader.fastGaveUp };
  }
  return { responses: responses.map(plain), gaveUp: reader.fastGaveUp };
}

const split = (bytes: Uint8Array, at: number[]): Uint8Array[] => {
  const cuts = [0, ...at.filter((a) => a > 0 && a < bytes.length).sort((a, b) => a - b), bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
};
const inPieces = (bytes: Uint8Array, size: number) => {
  const at: number[] = [];
  for (let i = size; i < bytes.length; i += size) at.push(i);
  return split(bytes, at);
};

/** Fast and full agree on `body` cut into `pieces`; returns what the fast path did. */
function same(body: string | Uint8Array, pieces?: (b: Uint8Array) => Uint8Array[]): Outcome {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const cut = pieces ? pieces(bytes) : [bytes];
  const full = readAll(cut, 'full');
  const fast = readAll(cut, 'fast');
  expect(stripGaveUp(fast), `fast path (gave up: ${fast.gaveUp})`).toEqual(stripGaveUp(full));
  return fast;
}
const stripGaveUp = (o: Outcome) => {
  const { gaveUp: _, ...rest } = o;
  void _;
  return rest;
};

// A small Nextcloud answer: the root collection and three items of the real recording.
const real = read('nextcloud-32.0.1-trash-1000.xml');
const starts: number[] = [];
for (let at = real.indexOf('<d:response>'); at !== -1; at = real.indexOf('<d:response>', at + 1)) starts.push(at);
const SMALL = real.slice(0, starts[4]) + '</d:multistatus>';
const ROOT = '/remote.php/dav/trashbin/admin/trash';

describe('fast path: the real servers’ answers', () => {
  const bodies = recordedBodies();
  it('has recordings to read', () => expect(bodies.length).toBeGreaterThan(50));
  for (const { name, body } of bodies) {
    it(`${name}: same responses, whole and in 7-byte and 1 KiB pieces`, () => {
      const whole = same(body);
      same(body, (b) => inPieces(b, 7));
      same(body, (b) => inPieces(b, 1024));
      // Real answers are read by the fast path to the end (a few recordings are abridged, with a note before the XML).
      if (!('error' in whole)) expect(whole.gaveUp).toBeNull();
    });
  }

  it('the 1,000-item Nextcloud answer gives the same items for every dialect root', () => {
    const bytes = Buffer.from(real);
    for (const kind of ['nextcloud', 'owncloud10', 'ocis'] as WebDavKind[]) {
      const items = (mode: ParseMode) => {
        const out: TrashItem[] = [];
        const ctx: ReadContext = { accountId: 'a', parentId: null, listedPath: ROOT, trashRootPath: ROOT };
        const parse = createTrashParse(kind, ctx, (c) => out.push(...c), 1000, mode);
        for (const p of inPieces(bytes, 64 * 1024)) parse.write(p);
        parse.end();
        return out;
      };
      const fast = items('fast');
      expect(fast).toEqual(items('full'));
      if (kind === 'nextcloud') expect(fast).toHaveLength(1000);
    }
  });
});

describe('fast path: every split of a small answer', () => {
  const bytes = Buffer.from(SMALL);
  it('cut in two at every byte', () => {
    for (let i = 1; i < bytes.length; i++) {
      const out = same(bytes, (b) => split(b, [i]));
      expect(out.gaveUp, `cut at ${i}`).toBeNull();
    }
  });
  it('cut in three at many pairs of bytes', () => {
    for (let i = 1; i < bytes.length; i += 13)
      for (let j = i + 1; j < bytes.length; j += 29) same(bytes, (b) => split(b, [i, j]));
  });
  it('cut after every byte', () => {
    expect(same(bytes, (b) => inPieces(b, 1)).gaveUp).toBeNull();
  });
});

/** Variants of the small answer: each must be read the same (by the fast path, or by handing over). */
const VARIANTS: Array<[string, string, 'fast' | 'either']> = [
  ['upper-case prefix D:', SMALL.replaceAll('d:', 'D:').replace('xmlns:d=', 'xmlns:D='), 'fast'],
  ['default namespace', SMALL.replaceAll('<d:', '<').replaceAll('</d:', '</').replace('xmlns:d=', 'xmlns='), 'fast'],
  ['another prefix for DAV:', SMALL.replaceAll('d:', 'dav:').replace('xmlns:d=', 'xmlns:dav='), 'fast'],
  ['oc and nc swapped', SMALL.replaceAll('nc:', 'zz:').replaceAll('oc:', 'nc:').replaceAll('zz:', 'oc:'), 'fast'],
  ['no XML declaration', SMALL.replace('<?xml version="1.0"?>\n', ''), 'fast'],
  ['single-quoted namespaces', SMALL.replace(/"([^"]*)"/g, "'$1'"), 'fast'],
  ['pretty-printed', SMALL.replaceAll('><', '>\n  <'), 'fast'],
  ['CRLF line ends', SMALL.replaceAll('><', '>\r\n<'), 'fast'],
  ['CR inside a file name', SMALL.replace('bulk-0998 file.txt<', 'bulk-0998\r\nfile.txt<'), 'fast'],
  ['&amp; in a file name', SMALL.replace('bulk-0998 file.txt<', 'a &amp; b &lt;c&gt; &quot;&apos;<'), 'fast'],
  ['character references', SMALL.replace('bulk-0998 file.txt<', 'R&#233;sum&#xE9; &#x1F600;<'), 'fast'],
  ['UTF-8 names', SMALL.replace('bulk-0998 file.txt<', 'Résumé 日本語 😀.txt<'), 'fast'],
  ['an unknown entity', SMALL.replace('bulk-0998 file.txt<', 'a&nbsp;b<'), 'either'],
  ['a bare &', SMALL.replace('bulk-0998 file.txt<', 'a & b<'), 'either'],
  ['&#0;', SMALL.replace('bulk-0998 file.txt<', 'a&#0;b<'), 'either'],
  ['a raw NUL', SMALL.replace('bulk-0998 file.txt<', 'a\u0000b<'), 'either'],
  ['a raw ESC', SMALL.replace('bulk-0998 file.txt<', 'a\u001bb<'), 'either'],
  ['U+FFFE', SMALL.replace('bulk-0998 file.txt<', 'a\ufffeb<'), 'either'],
  ['U+FFFD sent as such', SMALL.replace('bulk-0998 file.txt<', 'a\ufffdb<'), 'either'],
  ['CDATA in a file name', SMALL.replace('bulk-0998 file.txt<', '<![CDATA[a <b> & c]]><'), 'either'],
  [
    'a comment between responses',
    SMALL.replace('</d:response><d:response>', '</d:response><!-- x --><d:response>'),
    'either',
  ],
  ['a comment inside a property', SMALL.replace('bulk-0998 file.txt<', 'a<!-- x -->b<'), 'either'],
  ['a processing instruction inside', SMALL.replace('<d:propstat>', '<?pi x?><d:propstat>'), 'either'],
  ['a doctype', SMALL.replace('<d:multistatus', '<!DOCTYPE d:multistatus>\n<d:multistatus'), 'either'],
  ['a BOM', `\ufeff${SMALL}`, 'either'],
  ['a namespace declared on a response', SMALL.replace('<d:response>', '<d:response xmlns:x="urn:x">'), 'either'],
  ['DAV: redeclared below', SMALL.replace('<d:prop>', '<d:prop xmlns:d="urn:not-dav">'), 'either'],
  ['an attribute on a property', SMALL.replace('<oc:size>', '<oc:size a="1">'), 'either'],
  ['white space in a tag', SMALL.replace('<oc:size>', '<oc:size >').replace('</oc:size>', '</oc:size >'), 'either'],
  ['an unbound prefix', SMALL.replace('<oc:size>11</oc:size>', '<zz:size>11</zz:size>'), 'either'],
  ['a mismatched end tag', SMALL.replace('</oc:size>', '</nc:size>'), 'either'],
  ['text between responses', SMALL.replace('</d:response><d:response>', '</d:response>x<d:response>'), 'either'],
  ['text before the root', `x${SMALL}`, 'either'],
  ['a comment after the root', `${SMALL}<!-- end -->`, 'either'],
  ['text after the root', `${SMALL}x`, 'either'],
  ['white space after the root', `${SMALL}\n\n`, 'fast'],
  ['a second root', `${SMALL}<d:multistatus xmlns:d="DAV:"/>`, 'either'],
  ['truncated before the root ends', SMALL.slice(0, -5), 'either'],
  ['no end of the root', SMALL.slice(0, -'</d:multistatus>'.length), 'either'],
  [
    'a response nested in a response',
    SMALL.replace('<d:propstat>', '<d:response><d:href>/x</d:href></d:response><d:propstat>'),
    'either',
  ],
  [
    'an unknown element in a response',
    SMALL.replace('<d:propstat>', '<d:error><x:y xmlns:x="u"/></d:error><d:propstat>'),
    'either',
  ],
  [
    'a response-level status',
    SMALL.replace('<d:propstat>', '<d:status>HTTP/1.1 404 Not Found</d:status><d:propstat>'),
    'fast',
  ],
  ['a 404 propstat only', SMALL.replaceAll('HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found'), 'fast'],
  ['a 2xx status with a reason', SMALL.replace('HTTP/1.1 200 OK', 'HTTP/1.1 207'), 'fast'],
  ['two hrefs', SMALL.replace('<d:propstat>', '<d:href>/other</d:href><d:propstat>'), 'fast'],
  ['nested values', SMALL.replace('<oc:size>11</oc:size>', '<oc:size>1<x:a xmlns:x="u">2</x:a>3</oc:size>'), 'either'],
  [
    'nested values, prefix bound at the root',
    SMALL.replace('<oc:size>11</oc:size>', '<oc:size>1<nc:a>2<nc:b/></nc:a>3</oc:size>'),
    'fast',
  ],
  [
    'collection deep in resourcetype',
    SMALL.replace('<d:resourcetype/>', '<d:resourcetype><oc:x><d:collection/></oc:x></d:resourcetype>'),
    'fast',
  ],
  ['a root that is not multistatus', SMALL.replaceAll('multistatus', 'multistatuz'), 'either'],
  ['a root in another namespace', SMALL.replace('xmlns:d="DAV:"', 'xmlns:d="urn:x" xmlns:e="DAV:"'), 'either'],
  ['an empty root', '<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>', 'either'],
  ['an empty body', '', 'either'],
  ['an HTML page', '<!DOCTYPE html><html><body>Login</body></html>', 'either'],
  ['an attribute on the root', SMALL.replace('<d:multistatus', '<d:multistatus x="1"'), 'fast'],
  ['xml:lang on the root', SMALL.replace('<d:multistatus', '<d:multistatus xml:lang="en"'), 'fast'],
  ['a response longer than FAST_HOLD', SMALL.replace('bulk-0998 file.txt<', `${'x'.repeat(FAST_HOLD)}<`), 'either'],
  [
    '70 KB of white space between responses',
    SMALL.replace('</d:response><d:response>', `</d:response>${' \n'.repeat(35_000)}<d:response>`),
    'either',
  ],
  ['a 2 KB element name', SMALL.replace('<d:resourcetype/>', `<d:${'r'.repeat(2048)}/>`), 'either'],
];

describe('fast path: variants of a small answer', () => {
  for (const [name, body, expected] of VARIANTS) {
    it(`${name}: same outcome whole, in 5-byte pieces and cut at every byte`, () => {
      const whole = same(body);
      if (expected === 'fast') expect(whole.gaveUp, 'read by the fast path').toBeNull();
      same(body, (b) => inPieces(b, 5));
      const bytes = Buffer.from(body);
      const step = Math.max(1, Math.floor(bytes.length / 300));
      for (let i = 1; i < bytes.length; i += step) same(bytes, (b) => split(b, [i]));
    });
  }

  it('white space between responses past the full parser’s text limit: its error', () => {
    const body = SMALL.replace('</d:response><d:response>', `</d:response>${' '.repeat(1_100_000)}<d:response>`);
    const out = same(body, (b) => inPieces(b, 64 * 1024));
    expect('error' in out && out.error).toMatch(/more than # characters of text/);
  });

  it('invalid UTF-8 in a file name', () => {
    const [a, b] = SMALL.split('bulk-0998 file.txt<');
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0xc0, 0xaf]]) {
      const body = Buffer.concat([Buffer.from(a!), Buffer.from(bad), Buffer.from('x<'), Buffer.from(b!)]);
      same(body);
      same(body, (x) => inPieces(x, 3));
    }
  });
});

describe('fast path: random mutations of a small answer', () => {
  // A fixed-seed generator: the same mutations every run.
  let seed = 0x5eed;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const ALPHABET = [
    '<',
    '>',
    '/',
    '&',
    ';',
    ':',
    '"',
    "'",
    '=',
    '!',
    '?',
    '[',
    ']',
    '-',
    ' ',
    '\r',
    '\n',
    '\t',
    'd',
    'x',
    '#',
    'é',
    '\u0000',
    '<d:x/>',
    '</d:prop>',
    '<![CDATA[',
    '-->',
    'xmlns:d="DAV:"',
  ];
  it('2,000 mutants: the same responses or the same error', () => {
    let fastRead = 0;
    for (let k = 0; k < 2000; k++) {
      let body = SMALL;
      for (let e = 0, edits = 1 + rand(3); e < edits; e++) {
        const at = rand(body.length);
        const op = rand(3);
        const piece = ALPHABET[rand(ALPHABET.length)]!;
        body =
          op === 0
            ? body.slice(0, at) + piece + body.slice(at)
            : op === 1
              ? body.slice(0, at) + body.slice(at + 1 + rand(4))
              : body.slice(0, at) + piece + body.slice(at + 1);
      }
      const out = same(body, (b) => split(b, [rand(b.length), rand(b.length)]));
      if (out.gaveUp === null) fastRead++;
    }
    // Most mutants break the XML, but some stay in the fast path's subset.
    expect(fastRead).toBeGreaterThan(50);
  });
});
