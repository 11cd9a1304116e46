import type { TrashItem } from '../../../shared/model';
import { dialects, type ReadContext, type WebDavKind } from './dialect';
import { MultistatusParser, type DavResponse } from './multistatus';
import { FastMultistatus } from './trashFast';
import type { XmlScanStats } from './xmlScan';

/** Items per chunk handed on while a listing is read. */
export const CHUNK_SIZE = 1000;

export interface TrashParseSession {
  /**
   * Feeds bytes as they arrive (UTF-8, possibly split inside a character); a promise when the session parses later (the
   * caller waits for it before reading on).
   */
  write(bytes: Uint8Array): void | Promise<void>;
  /** The body ended: flushes the last chunk; throws when the body was not a complete multistatus. */
  end(): void;
  /** The tokenizer's counters so far (characters, steps, most held): the hostile-server suite bounds them. */
  readonly stats: Readonly<XmlScanStats>;
}

/**
 * How a session reads: the byte-level fast path with the full parser behind it (the default), or the full parser alone.
 */
export type ParseMode = 'fast' | 'full';

/**
 * Streaming trash-listing reader: bytes in, chunks of TrashItems out. Runs in the listing worker
 * (and in-thread as a fallback); knows nothing about HTTP. It reads with FastMultistatus
 * (trashFast.ts) while the answer is in the shape real servers send, and hands the rest to the
 * full parser (MultistatusParser) the moment it is not: the items are the same either way.
 */
export function createTrashParse(
  kind: WebDavKind,
  ctx: ReadContext,
  onItems: (items: TrashItem[]) => void,
  chunkSize = CHUNK_SIZE,
  mode: ParseMode = 'fast',
): MultistatusSession {
  const dialect = dialects[kind];
  let batch: TrashItem[] = [];
  const reader = createMultistatusReader((r) => {
    const item = dialect.readItem(r, ctx);
    if (!item) return;
    batch.push(item);
    if (batch.length >= chunkSize) {
      onItems(batch);
      batch = [];
    }
  }, mode);
  return {
    get stats() {
      return reader.stats;
    },
    get fastGaveUp() {
      return reader.fastGaveUp;
    },
    write(bytes) {
      reader.write(bytes);
    },
    end() {
      reader.end();
      if (batch.length) onItems(batch);
      batch = [];
    },
  };
}

/** A parse session that also says whether (and why) the fast path handed over to the full parser. */
export interface MultistatusSession extends TrashParseSession {
  /** Why the fast path gave the rest of the body to the full parser, or null (it read all of it, or mode 'full'). */
  readonly fastGaveUp: string | null;
  write(bytes: Uint8Array): void;
}

/**
 * Bytes of a multistatus in, DavResponses out: FastMultistatus while it can, then MultistatusParser
 * from where it stopped (or the full parser alone, mode 'full': the reference the tests compare with).
 */
export function createMultistatusReader(
  onResponse: (r: DavResponse) => void,
  mode: ParseMode = 'fast',
): MultistatusSession {
  let fast: FastMultistatus | null = mode === 'fast' ? new FastMultistatus(onResponse) : null;
  let gaveUp: string | null = null;
  /** What the fast path threw (a dialect's error): thrown again, as the full parser does. */
  let failed: unknown = null;
  let full: { parser: MultistatusParser; decoder: TextDecoder } | null = null;
  let written = 0;
  /** The fast path's counters when the full parser took over. */
  let before: XmlScanStats = { chars: 0, steps: 0, maxHeld: 0, maxDepth: 0 };
  const fullParser = () => (full ??= { parser: new MultistatusParser(onResponse), decoder: new TextDecoder('utf-8') });
  const feed = (bytes: Uint8Array) => {
    const f = fullParser();
    f.parser.write(f.decoder.decode(bytes, { stream: true }));
  };
  /**
   * The fast path gave up: the full parser reads what it left, in the pieces they came in (held
   * pieces of an unfinished response, then the rest of the piece being written), so it holds and
   * checks them as it would have.
   */
  const takeOver = (from: FastMultistatus, backlog: Uint8Array[]) => {
    gaveUp = from.gaveUp;
    fast = null;
    before = {
      chars: 0,
      steps: from.stats.steps,
      maxHeld: from.stats.maxHeld,
      maxDepth: from.stats.maxDepth,
    };
    for (const b of backlog) feed(b);
  };
  return {
    get stats(): XmlScanStats {
      if (fast) return fast.stats;
      const s = full ? full.parser.stats : { chars: 0, steps: 0, maxHeld: 0, maxDepth: 0 };
      return {
        // Bytes written to the session (the full parser re-reads some of them: its own count would say less).
        chars: written,
        steps: before.steps + s.steps,
        maxHeld: Math.max(before.maxHeld, s.maxHeld),
        maxDepth: Math.max(before.maxDepth, s.maxDepth),
      };
    },
    get fastGaveUp() {
      return gaveUp;
    },
    write(bytes: Uint8Array) {
      if (failed) throw failed;
      written += bytes.byteLength;
      if (fast) {
        try {
          const backlog = fast.write(bytes);
          if (backlog) takeOver(fast, backlog);
        } catch (e) {
          throw (failed = e);
        }
        return;
      }
      feed(bytes);
    },
    end() {
      if (failed) throw failed;
      if (fast) {
        const backlog = fast.end();
        if (!backlog) return;
        takeOver(fast, backlog);
      }
      const f = fullParser();
      f.parser.write(f.decoder.decode());
      f.parser.end();
    },
  };
}
