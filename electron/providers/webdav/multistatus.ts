import { AppError } from '../../base/errors';
import { XmlError, XmlScanner, type XmlLimits, type XmlScanStats } from './xmlScan';

/**
 * A streaming reader for WebDAV multistatus bodies (RFC 4918), fed text as it arrives. Each
 * <d:response> comes out as soon as it is complete, with the properties of its 200 propstats as
 * plain strings (never numbers or booleans: "2024.10", "1e3" and "true" stay what they are).
 * Linear in the body and bounded per response (XmlScanner's limits, and MAX_PROPS properties per
 * response); the work it did is in `stats`.
 */

export const NS = {
  dav: 'DAV:',
  oc: 'http://owncloud.org/ns',
  nc: 'http://nextcloud.org/ns',
} as const;

export interface DavResponse {
  /** The href exactly as sent (still percent-encoded). */
  href: string;
  /** Found properties by Clark name ("{DAV:}getcontentlength"); text content as is. */
  props: Map<string, string>;
  /** Whether {DAV:}resourcetype contained {DAV:}collection. */
  collection: boolean;
  /** The response-level status line, when the server sent one instead of propstats. */
  status: string | null;
}

export const clark = (ns: string, local: string) => `{${ns}}${local}`;

/** Properties one <d:response> may carry (Nextcloud's trash answer has 11; an allprop answer ~30). */
export const MAX_PROPS = 1000;

const RESOURCETYPE = clark(NS.dav, 'resourcetype');

// Where the parser is (a stack of these, one per open element).
const NONE = 0;
const MULTISTATUS = 1;
const RESPONSE = 2;
const HREF = 3;
const PROPSTAT = 4;
const PROP = 5;
const PROPVALUE = 6;
const STATUS = 7;
const RSTATUS = 8;

/** Incremental parser: write() text chunks, end() at the end; responses are pushed to onResponse. */
export class MultistatusParser {
  private readonly xml: XmlScanner;
  private readonly stack: number[] = [];
  private current: DavResponse | null = null;
  /** The current propstat's properties (names and values side by side), kept if its status is 2xx. */
  private readonly pendingNames: string[] = [];
  private readonly pendingValues: string[] = [];
  private pendingCollection = false;
  private propName = '';
  private propDepth = 0;
  private text = '';
  private statusText = '';
  private sawRoot = false;
  private props = 0;
  private error: Error | null = null;

  constructor(
    private readonly onResponse: (r: DavResponse) => void,
    limits: Partial<XmlLimits> = {},
  ) {
    this.xml = new XmlScanner(
      {
        open: (uri, local) => this.open(uri, local),
        close: () => this.close(),
        text: (t) => (this.text += t),
      },
      limits,
    );
  }

  /** What the tokenizer has done so far (characters, steps, most held). */
  get stats(): Readonly<XmlScanStats> {
    return this.xml.stats;
  }

  write(chunk: string): void {
    if (this.error) throw this.error;
    try {
      this.xml.write(chunk);
    } catch (e) {
      throw (this.error = e instanceof Error ? e : new Error(String(e)));
    }
  }

  end(): void {
    if (this.error) throw this.error;
    try {
      this.xml.end();
    } catch (e) {
      throw (this.error = e instanceof Error ? e : new Error(String(e)));
    }
    if (!this.sawRoot) throw new XmlError('Not a WebDAV multistatus body');
  }

  private open(uri: string, local: string): void {
    const stack = this.stack;
    const top = stack.length ? stack[stack.length - 1]! : NONE;
    this.text = '';
    if (top === PROPVALUE) {
      this.propDepth++;
      if (this.propName === RESOURCETYPE && uri === NS.dav && local === 'collection') this.pendingCollection = true;
      stack.push(PROPVALUE);
      return;
    }
    if (top === PROP) {
      if (++this.props > MAX_PROPS)
        throw new XmlError(`The answer goes past a limit: more than ${MAX_PROPS} properties in one response`, true);
      this.propName = clark(uri, local);
      this.propDepth = 0;
      stack.push(PROPVALUE);
      return;
    }
    const isDav = uri === NS.dav;
    if (top === NONE && isDav && local === 'multistatus') {
      this.sawRoot = true;
      stack.push(MULTISTATUS);
    } else if (top === MULTISTATUS && isDav && local === 'response') {
      this.current = { href: '', props: new Map(), collection: false, status: null };
      this.props = 0;
      stack.push(RESPONSE);
    } else if (top === RESPONSE && isDav && local === 'href') {
      stack.push(HREF);
    } else if (top === RESPONSE && isDav && local === 'propstat') {
      this.pendingNames.length = 0;
      this.pendingValues.length = 0;
      this.pendingCollection = false;
      this.statusText = '';
      stack.push(PROPSTAT);
    } else if (top === RESPONSE && isDav && local === 'status') {
      stack.push(RSTATUS);
    } else if (top === PROPSTAT && isDav && local === 'prop') {
      stack.push(PROP);
    } else if (top === PROPSTAT && isDav && local === 'status') {
      stack.push(STATUS);
    } else {
      // Anything else (d:error, d:responsedescription, unknown elements) is skipped with its subtree.
      stack.push(top === NONE ? NONE : PROPVALUE);
      this.propName = '';
      this.propDepth = 1;
    }
  }

  private close(): void {
    switch (this.stack.pop()) {
      case PROPVALUE:
        if (this.propDepth > 0) {
          this.propDepth--;
        } else if (this.propName) {
          this.pendingNames.push(this.propName);
          this.pendingValues.push(this.text);
          this.propName = '';
        }
        break;
      case HREF:
        if (this.current) this.current.href = this.text.trim();
        break;
      case STATUS:
        this.statusText = this.text.trim();
        break;
      case PROPSTAT:
        if (this.current && isSuccess(this.statusText)) {
          const props = this.current.props;
          const names = this.pendingNames;
          const values = this.pendingValues;
          for (let i = 0; i < names.length; i++) props.set(names[i]!, values[i]!);
          if (this.pendingCollection) this.current.collection = true;
        }
        break;
      case RESPONSE:
        if (this.current) this.onResponse(this.current);
        this.current = null;
        break;
      case RSTATUS:
        if (this.current) this.current.status = this.text.trim();
        break;
      default:
        break;
    }
    this.text = '';
  }
}

/** Parses a whole body (small responses, tests). */
export function parseMultistatus(body: string): DavResponse[] {
  const out: DavResponse[] = [];
  const parser = new MultistatusParser((r) => out.push(r));
  parser.write(body);
  parser.end();
  return out;
}

/** "HTTP/1.1 200 OK": whether the code after the first space is 2xx. */
export function isSuccess(status: string): boolean {
  const space = status.indexOf(' ');
  if (space === -1) return false;
  const c = status.charCodeAt(space + 1);
  const digit = (k: number) => {
    const d = status.charCodeAt(k);
    return d >= 0x30 && d <= 0x39;
  };
  return (
    c === 0x32 &&
    digit(space + 2) &&
    digit(space + 3) &&
    (space + 4 === status.length || status.charCodeAt(space + 4) === 0x20)
  );
}

/** Only this much of an error body is searched for a Sabre exception and message (Sabre's are well under 1 KiB). */
export const SABRE_SCAN = 64 * 1024;

/**
 * Reads the Sabre error body's exception and message, when there is one: two indexOf searches in
 * the first SABRE_SCAN characters, so any body costs at most that (a lazy regular expression here
 * was quadratic on repeated unclosed <s:exception>).
 */
export function parseSabreError(body: string): { exception: string | null; message: string | null } {
  const head = body.length > SABRE_SCAN ? body.slice(0, SABRE_SCAN) : body;
  return {
    exception: between(head, '<s:exception>', '</s:exception>'),
    message: between(head, '<s:message>', '</s:message>'),
  };
}

function between(s: string, open: string, close: string): string | null {
  const start = s.indexOf(open);
  if (start === -1) return null;
  const end = s.indexOf(close, start + open.length);
  if (end === -1) return null;
  return s
    .slice(start + open.length, end)
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}

/** Characters of a body parsed per event-loop turn when a multistatus is read on the main thread. */
export const MAIN_SLICE = 32 * 1024;

/**
 * Text per element on the main thread: a stat or folder listing carries names, hrefs, dates,
 * ETags and permissions (a few KiB at most), and a text completed in one turn is joined and
 * decoded in that turn, so this also bounds the turn.
 */
export const MAIN_MAX_TEXT = 64 * 1024;

/**
 * Reads a multistatus answer (a Depth 0 stat, a Depth 1 folder listing) on this thread without
 * holding it up: the body is parsed as it arrives, MAIN_SLICE bytes per event-loop turn. The
 * tokenizer being linear with bounded tokens, one turn costs at most the slice plus the one held
 * token it completes (≤ MAIN_MAX_TEXT characters of text, XML_LIMITS.maxTag of a tag);
 * `onSlice` sees the stats after each (tests).
 * A body that is not a multistatus it can read is a BAD_RESPONSE naming the server.
 */
export async function readMultistatus(
  res: Response,
  url: string,
  onSlice?: (stats: Readonly<XmlScanStats>) => void,
): Promise<DavResponse[]> {
  const out: DavResponse[] = [];
  const parser = new MultistatusParser((r) => out.push(r), { maxText: MAIN_MAX_TEXT });
  const decoder = new TextDecoder('utf-8');
  const reader = res.body?.getReader();
  let first = true;
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let i = 0; i < value.byteLength; i += MAIN_SLICE) {
          // One slice per turn: chunks already buffered would otherwise be read in one go.
          if (!first) await new Promise<void>((r) => setImmediate(r));
          first = false;
          parser.write(decoder.decode(value.subarray(i, i + MAIN_SLICE), { stream: true }));
          onSlice?.(parser.stats);
        }
      }
    }
    parser.write(decoder.decode());
    parser.end();
  } catch (e) {
    await reader?.cancel().catch(() => undefined);
    if (e instanceof XmlError)
      throw new AppError('BAD_RESPONSE', `The answer from ${hostOf(url)} could not be read: ${e.message}.`);
    throw e;
  }
  return out;
}

/** host[:port] of a URL, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
