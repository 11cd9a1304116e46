import { XmlScanner } from './xmlScan';

/**
 * A streaming reader for WebDAV multistatus bodies (RFC 4918), fed text as it arrives. Each
 * <d:response> comes out as soon as it is complete, with the properties of its 200 propstats as
 * plain strings (never numbers or booleans: "2024.10", "1e3" and "true" stay what they are).
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

type Level = 'none' | 'multistatus' | 'response' | 'href' | 'propstat' | 'prop' | 'propvalue' | 'status' | 'rstatus';

/** Incremental parser: write() text chunks, end() at the end; responses are pushed to onResponse. */
export class MultistatusParser {
  private readonly xml: XmlScanner;
  private stack: Level[] = [];
  private current: DavResponse | null = null;
  private pending = new Map<string, string>();
  private pendingCollection = false;
  private propName = '';
  private propDepth = 0;
  private text = '';
  private statusText = '';
  private sawRoot = false;
  private error: Error | null = null;

  constructor(private readonly onResponse: (r: DavResponse) => void) {
    this.xml = new XmlScanner({
      open: (uri, local) => this.open(uri, local),
      close: () => this.close(),
      text: (t) => (this.text += t),
    });
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
    if (!this.sawRoot) throw new Error('Not a WebDAV multistatus body');
  }

  private get top(): Level {
    return this.stack[this.stack.length - 1] ?? 'none';
  }

  private open(uri: string, local: string): void {
    const top = this.top;
    this.text = '';
    if (top === 'propvalue') {
      this.propDepth++;
      if (this.propName === clark(NS.dav, 'resourcetype') && uri === NS.dav && local === 'collection') this.pendingCollection = true;
      this.stack.push('propvalue');
      return;
    }
    const isDav = uri === NS.dav;
    if (top === 'none' && isDav && local === 'multistatus') {
      this.sawRoot = true;
      this.stack.push('multistatus');
    } else if (top === 'multistatus' && isDav && local === 'response') {
      this.current = { href: '', props: new Map(), collection: false, status: null };
      this.stack.push('response');
    } else if (top === 'response' && isDav && local === 'href') {
      this.stack.push('href');
    } else if (top === 'response' && isDav && local === 'propstat') {
      this.pending = new Map();
      this.pendingCollection = false;
      this.statusText = '';
      this.stack.push('propstat');
    } else if (top === 'response' && isDav && local === 'status') {
      this.stack.push('rstatus');
    } else if (top === 'propstat' && isDav && local === 'prop') {
      this.stack.push('prop');
    } else if (top === 'propstat' && isDav && local === 'status') {
      this.stack.push('status');
    } else if (top === 'prop') {
      this.propName = clark(uri, local);
      this.propDepth = 0;
      this.stack.push('propvalue');
    } else {
      // Anything else (d:error, d:responsedescription, unknown elements) is skipped with its subtree.
      this.stack.push(top === 'none' ? 'none' : 'propvalue');
      this.propName = '';
      this.propDepth = 1;
    }
  }

  private close(): void {
    const level = this.stack.pop();
    switch (level) {
      case 'href':
        if (this.current) this.current.href = this.text.trim();
        break;
      case 'rstatus':
        if (this.current) this.current.status = this.text.trim();
        break;
      case 'status':
        this.statusText = this.text.trim();
        break;
      case 'propvalue':
        if (this.propDepth > 0) {
          this.propDepth--;
        } else if (this.propName) {
          this.pending.set(this.propName, this.text);
          this.propName = '';
        }
        break;
      case 'propstat':
        if (this.current && / 2\d\d /.test(` ${this.statusText.split(' ')[1] ?? ''} `)) {
          for (const [k, v] of this.pending) this.current.props.set(k, v);
          if (this.pendingCollection) this.current.collection = true;
        }
        break;
      case 'response':
        if (this.current) this.onResponse(this.current);
        this.current = null;
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

/** Reads the Sabre error body's exception and message, when there is one. */
export function parseSabreError(body: string): { exception: string | null; message: string | null } {
  const exception = /<s:exception>([\s\S]*?)<\/s:exception>/.exec(body)?.[1] ?? null;
  const message = /<s:message>([\s\S]*?)<\/s:message>/.exec(body)?.[1] ?? null;
  const unescape = (s: string | null) =>
    s === null ? null : s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return { exception: unescape(exception), message: unescape(message) };
}
