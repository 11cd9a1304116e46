import type { TrashChangeCheck } from '../types';
import type { DocSpaceApi } from './api';
import { itemId, replies, type EntryDto } from './dto';
import { PAGE_SIZE } from './pages';

/**
 * The watch on DocSpace (see TrashProvider.checkTrashChanges). DocSpace sorts its trash by deletion
 * time (`updated` is stamped when an entry moves into the trash: FileDao.MoveFileAsync sets
 * ModifiedOn when the target is the trash), and answers how many entries it holds (`total`), so:
 *
 * - the cheap check is one page of one entry, newest first (`GET files/@trash?count=1&sortBy=
 *   DateAndTime&sortOrder=descending`, ~1 KB): the total and the newest entry. Folders come before
 *   files in every listing (EntryManager pages folders first), so that entry is the newest folder
 *   when there is one: a file deleted while another item left the trash (a restore, an expiry) would
 *   change neither. So every other check asks for files only (`filterType=1`): their total and the
 *   newest file, which any file deletion changes. A deletion of files shows at the next check in the
 *   total, or at the one after in the newest file; a folder's in the newest folder. One request a
 *   check; two when something changed (both answers are taken afresh) and at the first.
 * - what is new is read newest first, folders (filterType 2) then files (filterType 1), a page of
 *   100 at a time, down to the first entry deleted before the newest one the watch knew: a check
 *   that found news costs one or two pages, not the whole trash (1,000 pages for 100k items).
 */

const FOLDERS_ONLY = 2;
const FILES_ONLY = 1;
/** Pages read newest-first before giving up on finding the known part (the watch then lists everything). */
export const NEWEST_MAX_PAGES = 50;

const newestFirst = { sortBy: 'DateAndTime', sortOrder: 'descending' } as const;

type Variant = 'all' | 'files';
interface Cursor {
  all: string;
  files: string;
  next: Variant;
}

/** The total and the newest entry of the trash (or of its files), as one string. */
async function signature(api: DocSpaceApi, variant: Variant, signal?: AbortSignal): Promise<string> {
  const query = { ...newestFirst, count: 1, startIndex: 0, ...(variant === 'files' ? { filterType: FILES_ONLY } : {}) };
  const content = await api.call({ method: 'GET', path: 'files/@trash', query, signal }, replies.folderContent);
  const first: EntryDto | undefined = [...(content.folders ?? []), ...(content.files ?? [])][0];
  const total = content.total ?? (content.folders?.length ?? 0) + (content.files?.length ?? 0);
  return `${total}|${first ? itemId(first) : ''}|${first?.updated ?? ''}`;
}

function parse(since: string | null): Cursor | null {
  if (!since) return null;
  try {
    const c = JSON.parse(since) as Partial<Cursor>;
    if (typeof c.all === 'string' && typeof c.files === 'string' && (c.next === 'all' || c.next === 'files'))
      return { all: c.all, files: c.files, next: c.next };
  } catch {
    /* start again */
  }
  return null;
}

export async function checkDocSpaceTrash(
  api: DocSpaceApi,
  since: string | null,
  signal?: AbortSignal,
): Promise<TrashChangeCheck> {
  const via = 'trash total';
  const before = parse(since);
  if (!before) {
    const [all, files] = [await signature(api, 'all', signal), await signature(api, 'files', signal)];
    return {
      cursor: JSON.stringify({ all, files, next: 'all' } satisfies Cursor),
      change: 'unknown',
      deletions: null,
      via,
    };
  }
  const asked = before.next;
  const other: Variant = asked === 'all' ? 'files' : 'all';
  const now = await signature(api, asked, signal);
  if (now === before[asked])
    return {
      cursor: JSON.stringify({ ...before, next: other } satisfies Cursor),
      change: 'same',
      deletions: null,
      via,
    };
  // Changed: take the other answer afresh too, so it does not report this same change at its turn.
  const fresh = await signature(api, other, signal);
  const cursor: Cursor = { all: asked === 'all' ? now : fresh, files: asked === 'files' ? now : fresh, next: other };
  return { cursor: JSON.stringify(cursor), change: 'changed', deletions: null, via };
}

const timeOf = (e: EntryDto) => (e.updated ? Date.parse(e.updated) : NaN);

/**
 * The top-level entries deleted at or after `after` (ms), newest first: folders, then files. Ends
 * early on a page holding an older entry; throws a RangeError past NEWEST_MAX_PAGES pages.
 */
export async function* readNewest(api: DocSpaceApi, after: number, signal?: AbortSignal): AsyncGenerator<EntryDto[]> {
  let pages = 0;
  for (const filterType of [FOLDERS_ONLY, FILES_ONLY]) {
    for (let start = 0; ; start += PAGE_SIZE) {
      if (++pages > NEWEST_MAX_PAGES) throw new RangeError('More new items than the newest-first reading covers.');
      const content = await api.call(
        {
          method: 'GET',
          path: 'files/@trash',
          query: { ...newestFirst, filterType, count: PAGE_SIZE, startIndex: start },
          signal,
        },
        replies.folderContent,
      );
      const entries = [...(content.folders ?? []), ...(content.files ?? [])];
      // An entry without a readable time could be anything: it is taken (the watch drops what it knows).
      const fresh = entries.filter((e) => !(timeOf(e) < after));
      if (fresh.length) yield fresh;
      const total = content.total ?? 0;
      if (entries.length < PAGE_SIZE || fresh.length < entries.length || start + PAGE_SIZE >= total) break;
    }
  }
}
