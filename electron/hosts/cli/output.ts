import { stripVTControlCharacters } from 'node:util';
import type { ItemResult, TrashItem } from '../../../shared/model';

/**
 * Everything the command line prints goes through `Out`, and so through one filter: text a
 * server sent (names, paths, ids, error messages, product names) is data, never terminal
 * commands and never a flood.
 *
 * - Plain lines: escape sequences (CSI such as colours, OSC such as window titles and
 *   hyperlinks) are removed whole; any other control character (C0 such as NUL, BEL and newline,
 *   DEL, C1), the bidirectional overrides and isolates that reorder what a terminal shows
 *   (U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators are shown as '?'.
 *   A line longer than LINE_MAX characters is cut, saying how much was left out.
 * - JSON lines: every string is kept exact up to its cap (JSON escapes C0 itself); C1, DEL,
 *   bidi controls and separators are written as \u escapes, so the bytes on the terminal are
 *   plain ASCII punctuation while a JSON reader gets the string back unchanged.
 *
 * Server text is also capped where it is put into a line (`cap`): an error message at
 * MESSAGE_MAX characters, anything else at TEXT_MAX.
 */
export const LINE_MAX = 8_192;
export const TEXT_MAX = 4_096;
export const MESSAGE_MAX = 1_000;

/** Control characters a terminal acts on, and code points that reorder or break what it shows. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_ONE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A string cut to `max` characters, saying how many were left out. */
export function cap(text: string, max = TEXT_MAX): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en-US')} more characters)`;
}

/** One line as a terminal may show it (see above). */
export function printable(text: string, max = LINE_MAX): string {
  // Cut first (bounded work whatever the server sent), then remove whole escape sequences.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const clean = stripVTControlCharacters(head).replace(UNSAFE, '?');
  const left = clean.length + (text.length - head.length);
  return left > max ? `${clean.slice(0, max)}… (${(left - max).toLocaleString('en-US')} more characters)` : clean;
}

/** A value as one JSON line: strings capped (error messages shorter), unsafe code points escaped. */
export function jsonLine(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) =>
    typeof v === 'string' ? cap(v, key === 'message' ? MESSAGE_MAX : TEXT_MAX) : v,
  );
  return text.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes to stdout (or stderr), waiting for the pipe to drain so big listings all arrive. */
export class Out {
  private muted = false;

  constructor(readonly stream: NodeJS.WritableStream = process.stdout) {}

  /** Writes nothing from now on (the safety net takes over the stream to say what happened). */
  mute(): void {
    this.muted = true;
  }

  /** One line of text (see printable). */
  async line(text: string): Promise<void> {
    await this.write(printable(text));
  }

  /** Several lines of Salvage's own text (the usage), each filtered like any other. */
  async lines(text: string): Promise<void> {
    for (const l of text.split('\n')) await this.line(l);
  }

  /** One value as a JSON line (see jsonLine). */
  async json(value: unknown): Promise<void> {
    await this.write(jsonLine(value));
  }

  /** Writes a line without waiting (the safety net, on its way out). */
  lineNow(text: string): void {
    if (!this.muted) this.stream.write(`${printable(text)}\n`);
  }

  async flush(): Promise<void> {
    await new Promise<void>((r) => this.stream.write('', () => r()));
  }

  private async write(line: string): Promise<void> {
    if (this.muted) return;
    if (!this.stream.write(`${line}\n`)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }
}

/** A size as people read it. */
export function size(n: number | null): string {
  if (n === null) return '-';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A trash item as one line of `list`. */
export function itemLine(i: TrashItem): string {
  const where = i.originalFolder.endsWith('/') ? i.originalFolder : `${i.originalFolder}/`;
  return [
    cap(i.id),
    i.kind === 'folder' ? 'dir ' : 'file',
    size(i.size).padStart(9),
    (i.deletedAt ?? '-').slice(0, 19),
    cap(`${where}${i.name}`) + movedNote(i),
  ].join('  ');
}

/**
 * Salvage's own moves (its ledger): an item an Undo put back keeps its old time; a file a Replace moved is no deletion.
 */
function movedNote(i: TrashItem): string {
  const m = i.movedBySalvage;
  if (!m) return '';
  if (m.why === 'replace')
    return `  (moved to the trash by Salvage ${m.at.slice(0, 19)}: replaced by the restored ${cap(m.by ?? 'item')})`;
  return `  (moved back by Salvage ${m.at.slice(0, 19)}${m.trashedAs ? `; the server keeps it as ${cap(`${m.trashedAs.folder.replace(/\/?$/, '/')}${m.trashedAs.name}`)}` : ''})`;
}

/** One item's result as one line. */
export function resultLine(r: ItemResult): string {
  // A failed item with a place left the trash and is there now: both are said.
  const tail = r.error
    ? `: ${r.error.code} ${cap(r.error.message, MESSAGE_MAX)}${r.finalPath ? ` (now at ${cap(r.finalPath)})` : ''}`
    : r.finalPath
      ? ` → ${cap(r.finalPath)}`
      : '';
  const note = r.note ? ` (${cap(r.note, MESSAGE_MAX)})` : '';
  const belongs = r.movableTo ? ` [it belongs at ${cap(r.movableTo)}]` : '';
  return `${r.outcome.padEnd(8)} ${cap(r.name)}${tail}${note}${belongs}`;
}

/** `n thing(s)`, with thousands separators. */
export const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * An id as one shell word: bare when it is plain, else in single quotes, or as $'…' with \x/\u
 * escapes when it holds characters a terminal must not see raw (so the command still works).
 */
export function shellWord(id: string): string {
  if (/^[\w.@:/+-]+$/.test(id)) return id;
  if (!UNSAFE_ONE.test(id)) return `'${id.replace(/'/g, `'\\''`)}'`;
  const escaped = [...id]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (c === "'" || c === '\\') return `\\${c}`;
      if (!UNSAFE_ONE.test(c)) return c;
      return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .join('');
  return `$'${escaped}'`;
}
