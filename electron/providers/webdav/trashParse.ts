import type { TrashItem } from '../../../shared/model';
import { dialects, type ReadContext, type WebDavKind } from './dialect';
import { MultistatusParser } from './multistatus';
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
 * Streaming trash-listing reader: bytes in, chunks of TrashItems out. Runs in the listing worker
 * (and in-thread as a fallback); knows nothing about HTTP.
 */
export function createTrashParse(
  kind: WebDavKind,
  ctx: ReadContext,
  onItems: (items: TrashItem[]) => void,
  chunkSize = CHUNK_SIZE,
): TrashParseSession {
  const dialect = dialects[kind];
  const decoder = new TextDecoder('utf-8');
  let batch: TrashItem[] = [];
  const parser = new MultistatusParser((r) => {
    const item = dialect.readItem(r, ctx);
    if (!item) return;
    batch.push(item);
    if (batch.length >= chunkSize) {
      onItems(batch);
      batch = [];
    }
  });
  return {
    get stats() {
      return parser.stats;
    },
    write(bytes) {
      parser.write(decoder.decode(bytes, { stream: true }));
    },
    end() {
      parser.write(decoder.decode());
      parser.end();
      if (batch.length) onItems(batch);
      batch = [];
    },
  };
}
