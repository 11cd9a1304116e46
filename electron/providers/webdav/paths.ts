import { AppError } from '../../base/errors';

/**
 * Path handling for WebDAV: every segment percent-encoded on its own (so spaces, unicode, `#`,
 * `?`, `%`, `+`, `&` survive), hrefs decoded back, and paths from the server checked so an
 * original location can never point outside the user's own files tree.
 */

/** Characters Sabre leaves as they are in hrefs; everything else is percent-encoded. */
const KEEP = /[A-Za-z0-9_\-.~()]/;

/** Encodes one path segment the way Sabre does (lowercase hex). A `/` inside a segment is encoded too. */
export function encodeSegment(segment: string): string {
  let out = '';
  for (const ch of segment) {
    if (KEEP.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Encodes a "/a/b c/d" path segment by segment; keeps the slashes. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => (s === '' ? '' : encodeSegment(s)))
    .join('/');
}

/** Decodes an href (or its path part); malformed escapes are kept as written rather than throwing. */
export function decodeHref(href: string): string {
  let path = href;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      /* keep as is */
    }
  }
  // Most hrefs decode whole (a listing has one per item); the same string as decoding each segment,
  // unless an escape is bad somewhere: then segment by segment, keeping the bad ones as sent.
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    /* below */
  }
  return path
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join('/');
}

/**
 * Splits a server-given path (e.g. an original location "Documents/a.txt" or "/Team/plan.txt")
 * into safe segments. Throws BAD_RESPONSE for anything that could step out of the tree:
 * "..", ".", NUL or backslashes used as separators.
 */
export function safeSegments(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  for (const p of parts) {
    if (p === '.' || p === '..' || p.includes('\0') || p.includes('\\')) {
      throw new AppError(
        'BAD_RESPONSE',
        `The server gave an unsafe path (${JSON.stringify(path)}); Salvage will not write there.`,
      );
    }
  }
  return parts;
}

/** "/a/b" from segments; "/" for none. */
export const displayPath = (segments: string[]): string => `/${segments.join('/')}`;

/** Normalises a FolderRef id ("/", "", "/Projects/2024/") into segments, refusing unsafe ones. */
export function folderSegments(folderId: string | null): string[] {
  if (!folderId) return [];
  const parts = folderId.split('/').filter((p) => p !== '');
  for (const p of parts) {
    if (p === '.' || p === '..' || p.includes('\0'))
      throw new AppError('INVALID_INPUT', `Invalid folder path ${JSON.stringify(folderId)}.`);
  }
  return parts;
}

/** "name.ext" → ["name", ".ext"]; folders and names without a dot (or only a leading dot) have no extension. */
export function splitExt(name: string, isFolder = false): [string, string] {
  const dot = name.lastIndexOf('.');
  if (isFolder || dot <= 0) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** The n-th "keep both" name: "a (restored).txt", "a (restored 2).txt", ... (n starts at 1). */
export function restoredName(name: string, n: number, isFolder = false): string {
  const [base, ext] = splitExt(name, isFolder);
  return `${base} (restored${n === 1 ? '' : ` ${n}`})${ext}`;
}

/** Lower-case extension without the dot ("" for none and for folders). */
export function extOf(name: string, isFolder: boolean): string {
  return splitExt(name, isFolder)[1].slice(1).toLowerCase();
}
