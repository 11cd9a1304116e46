import { setMaxListeners } from 'node:events';
import { forEachLimited } from '../../base/async';
import type { DocSpaceApi, Query } from './api';
import { itemId, replies, type EntryDto, type FolderContentDto, type ItemDto } from './dto';

/** DocSpace answers at most 100 entries per page (ApiContext.MaxCount); more is a 400. */
export const PAGE_SIZE = 100;
/** Pages read at once: well under the server's 50 concurrent GETs per user. */
export const PAGE_CONCURRENCY = 8;

export interface Page {
  content: FolderContentDto;
  /** Folders then files, as the page listed them, without entries an earlier page already gave. */
  entries: EntryDto[];
  total: number;
}

/**
 * Reads a folder-content route page by page: the first page says `total`, the rest are fetched
 * `PAGE_CONCURRENCY` at a time and handed out as they arrive (not necessarily in order).
 */
export async function* readPages(
  api: DocSpaceApi,
  path: string,
  query: Query,
  signal?: AbortSignal,
  options: { concurrency?: number; pageSize?: number } = {},
): AsyncGenerator<Page> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const seen = new Set<string>();
  const fresh = (content: FolderContentDto) => {
    const out: EntryDto[] = [];
    for (const e of [...(content.folders ?? []), ...(content.files ?? [])]) {
      const id = itemId(e);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(e);
    }
    return out;
  };
  const get = (startIndex: number, s?: AbortSignal) =>
    api.call(
      { method: 'GET', path, query: { ...query, count: pageSize, startIndex }, signal: s },
      replies.folderContent,
    );

  const first = await get(0, signal);
  const total = first.total ?? (first.files?.length ?? 0) + (first.folders?.length ?? 0);
  yield { content: first, entries: fresh(first), total };
  const firstCount = (first.files?.length ?? 0) + (first.folders?.length ?? 0);
  if (firstCount === 0 || total <= pageSize) return;

  const starts: number[] = [];
  for (let s = pageSize; s < total; s += pageSize) starts.push(s);

  const inner = new AbortController();
  setMaxListeners(64, inner.signal); // one listener per request in flight
  const onAbort = () => inner.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const arrived: Page[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const work = forEachLimited(starts, options.concurrency ?? PAGE_CONCURRENCY, inner.signal, async (start) => {
    const content = await get(start, inner.signal);
    arrived.push({ content, entries: fresh(content), total: content.total ?? total });
    wake?.();
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (e: unknown) => {
      failure = e;
      finished = true;
      inner.abort();
      wake?.();
    },
  );
  try {
    for (;;) {
      const next = arrived.shift();
      if (next) {
        yield next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    await work;
    if (failure) throw failure;
  } finally {
    inner.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Every entry of a folder (all pages). */
export async function readAllEntries(
  api: DocSpaceApi,
  path: string,
  query: Query,
  signal?: AbortSignal,
): Promise<{ entries: EntryDto[]; current: ItemDto | undefined }> {
  const entries: EntryDto[] = [];
  let current: ItemDto | undefined;
  for await (const page of readPages(api, path, query, signal)) {
    current ??= page.content.current ?? undefined;
    entries.push(...page.entries);
  }
  return { entries, current };
}
