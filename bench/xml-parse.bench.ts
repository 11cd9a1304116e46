import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SaxesParser } from 'saxes';
import type { ReadContext } from '../electron/providers/webdav/dialect';
import { createTrashParse, type ParseMode } from '../electron/providers/webdav/trashParse';
import { XmlScanner } from '../electron/providers/webdav/xmlScan';
import { record, type Bench, type BenchRow } from './harness';

/**
 * The WebDAV XML tokenizer (electron/providers/webdav/xmlScan.ts) against saxes, on a
 * Nextcloud-shaped trash listing: the real Nextcloud 32.0.1 answer of 1,000 items
 * (e2e/fixtures/webdav) with its responses repeated to SALVAGE_BENCH_XML_ITEMS items (default
 * 50,000: ~38 MB), fed in 64 KiB pieces as a socket delivers them. Best of three runs each:
 *   - tokenize: saxes (xmlns on) vs XmlScanner, events counted, nothing else done;
 *   - listing: bytes → TrashItems through createTrashParse (UTF-8 decoding, multistatus, dialect),
 *     the whole parse the listing worker does per body, against saxes tokenizing alone;
 *   - the same through the full parser alone (mode 'full') against the fast path in front of it
 *     (trashFast.ts, the default), which this bench is the reason for (target: 3× faster).
 * This is the benchmark xmlScan.ts's header cites as the reason it exists.
 */
const ITEMS = Number(process.env.SALVAGE_BENCH_XML_ITEMS ?? 50_000);
const PIECE = 64 * 1024;

export function nextcloudListing(items: number): Buffer {
  const real = readFileSync(new URL('../e2e/fixtures/webdav/nextcloud-32.0.1-trash-1000.xml', import.meta.url), 'utf8');
  const first = real.indexOf('<d:response>', real.indexOf('<d:response>') + 1);
  const end = real.lastIndexOf('</d:multistatus>');
  const responses = real.slice(first, end);
  const per = (responses.match(/<d:response>/g) ?? []).length;
  const parts = [real.slice(0, first)];
  for (let i = 0; i < Math.ceil(items / per); i++) parts.push(responses);
  parts.push(real.slice(end));
  return Buffer.from(parts.join(''));
}

function pieces(body: Buffer): { bytes: Buffer[]; text: string[] } {
  const bytes: Buffer[] = [];
  for (let i = 0; i < body.length; i += PIECE) bytes.push(body.subarray(i, i + PIECE));
  const decoder = new TextDecoder();
  return { bytes, text: bytes.map((b) => decoder.decode(b, { stream: true })) };
}

function best(runs: number, fn: () => number): { ms: number; count: number } {
  let ms = Infinity;
  let count = 0;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const t0 = performance.now();
    count = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, count };
}

const bench: Bench = async () => {
  const body = nextcloudListing(ITEMS);
  const { bytes, text } = pieces(body);
  const mb = body.length / 1e6;
  const viaSaxes = best(3, () => {
    let events = 0;
    const sax = new SaxesParser({ xmlns: true, position: false });
    sax.on('opentag', () => events++);
    sax.on('closetag', () => events++);
    sax.on('text', () => events++);
    sax.on('error', (e) => {
      throw e;
    });
    for (const t of text) sax.write(t);
    sax.close();
    return events;
  });
  const viaScanner = best(3, () => {
    let events = 0;
    const scanner = new XmlScanner({ open: () => events++, close: () => events++, text: () => events++ });
    for (const t of text) scanner.write(t);
    scanner.end();
    return events;
  });
  const root = '/remote.php/dav/trashbin/admin/trash';
  const ctx: ReadContext = { accountId: 'bench', parentId: null, listedPath: root, trashRootPath: root };
  const parseWith = (mode: ParseMode) => () => {
    let items = 0;
    const parse = createTrashParse('nextcloud', ctx, (chunk) => (items += chunk.length), undefined, mode);
    for (const b of bytes) parse.write(b);
    parse.end();
    return items;
  };
  // The full parser alone, then the fast path in front of it (what the listing worker runs), best of three each.
  const listingFull = best(3, parseWith('full'));
  const listing = best(3, parseWith('fast'));
  process.stderr.write(
    `xml-parse: ${mb.toFixed(1)} MB, ${listing.count} items; saxes ${viaSaxes.ms.toFixed(0)} ms, scanner ${viaScanner.ms.toFixed(0)} ms, listing ${listing.ms.toFixed(0)} ms (full parser alone ${listingFull.ms.toFixed(0)} ms)\n`,
  );
  record(
    'xml_tokenize_mb_per_s',
    'nextcloud',
    mb / (viaScanner.ms / 1000),
    'MB/s',
    true,
    `XmlScanner on a ${mb.toFixed(0)} MB Nextcloud-shaped listing, 64 KiB pieces`,
  );
  record(
    'xml_listing_parse_mb_per_s',
    'nextcloud',
    mb / (listing.ms / 1000),
    'MB/s',
    true,
    `bytes → TrashItems (createTrashParse: the fast path, trashFast.ts) on the same listing`,
  );
  record(
    'xml_listing_parse_full_mb_per_s',
    'nextcloud',
    mb / (listingFull.ms / 1000),
    'MB/s',
    true,
    `bytes → TrashItems through the full parser alone (createTrashParse mode 'full') on the same listing`,
  );
  const name = `xml parse ${mb.toFixed(0)} MB`;
  const rows: BenchRow[] = [
    {
      bench: name,
      measure: 'tokenize',
      unit: 'ms',
      baseline: viaSaxes.ms,
      baselineLabel: 'saxes',
      candidate: viaScanner.ms,
      candidateLabel: 'xmlScan',
      target: viaSaxes.ms,
    },
    {
      bench: name,
      measure: 'bytes → items',
      unit: 'ms',
      baseline: viaSaxes.ms,
      baselineLabel: 'saxes tokenize only',
      candidate: listing.ms,
      candidateLabel: 'trashParse',
      target: null,
    },
    {
      bench: name,
      measure: 'bytes → items: fast path vs full parser',
      unit: 'ms',
      baseline: listingFull.ms,
      baselineLabel: 'full parser',
      candidate: listing.ms,
      candidateLabel: 'fast path',
      target: listingFull.ms / 3,
    },
  ];
  return rows;
};

export default bench;
