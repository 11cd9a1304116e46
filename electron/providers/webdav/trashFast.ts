import { clark, MAX_PROPS, NS, type DavResponse } from './multistatus';
import { decodeXmlText, readAttributes, XML_NS, XMLNS_NS } from './xmlSyntax';
import { XML_LIMITS } from './xmlScan';

/**
 * The listing worker's fast path: reads a trash PROPFIND answer (a WebDAV multistatus) straight
 * from the bytes as they arrive and hands out each <d:response> as the same DavResponse the full
 * parser (MultistatusParser over XmlScanner) makes, for the same dialect code to turn into items.
 *
 * Why hand-written: the full parser decodes the whole body to a UTF-16 string, tokenizes it and
 * makes an event per tag and text; on the 100k-item Nextcloud answer (84 MB) that was ~2.4 s of
 * the worker's time, most of `list100k_ms` (3.8 s against a wire floor of 0.22 s). `npm run bench
 * xml-parse` (bench/xml-parse.bench.ts) measures both on a Nextcloud-shaped listing: listing parse
 * 35 MB/s before this file; the figures with it are in bench/results and the README. It looks only
 * at bytes: tag names are matched by a hash of their bytes (checked byte for byte), and only the
 * texts the multistatus keeps (href, status, property values) become strings.
 *
 * What it reads is a strict subset of XML, the shape Nextcloud, ownCloud and Infinite Scale send:
 * an optional ASCII XML declaration, a root <multistatus> in DAV: whose start tag only declares
 * namespaces, then responses made of tags without attributes or white space inside (`<p:name>`,
 * `<p:name/>`, `</p:name>`), text without markup, and white space between responses. Anything else
 * (a namespace declared below the root, an attribute, a comment, CDATA, a processing instruction,
 * a doctype, a BOM, a control character, text it cannot decode exactly as the full parser does, a
 * response longer than FAST_HOLD bytes, a name it does not know the namespace of, going past a
 * limit of the full parser) makes it give up: `write` and `end` then return the bytes the full
 * parser must read from there, which are the root's start tag and everything from the first byte
 * of the response (or the root's end tag) that was not handed out yet. The full parser reads those
 * from a state identical to the one it would have been in (inside the root, between responses,
 * the root's namespaces bound), so the items are the same as its own, and its errors and limits
 * apply as before (only the character positions in its messages differ). The differential tests
 * (trashFast.test.ts) hold it to giving the full parser's items or giving up.
 *
 * Bounded: every byte is looked at a bounded number of times (the end of an unfinished response
 * is searched for in the new piece only; a response is parsed once, when complete); it holds at
 * most FAST_HOLD bytes of an unfinished response and HEAD_HOLD of the prolog; names are cached
 * for at most MAX_NAMES distinct names; `steps` counts the bytes searched, copied and parsed.
 */

/** An unfinished response held longer than this goes to the full parser (real ones are < 4 KB). */
export const FAST_HOLD = 32 * 1024;
/** The prolog and the root's start tag (Nextcloud's: 160 bytes). */
const HEAD_HOLD = 16 * 1024;
/** White space between two responses (the root's text, limited by the full parser): beyond this, handed over. */
const SPACE_HOLD = 64 * 1024;
const MAX_NAMES = 512;
const MAX_DEPTH = XML_LIMITS.maxDepth - 2;

// What a tag name is to the multistatus (the DAV: elements it looks for).
const OTHER = 0;
const D_RESPONSE = 1;
const D_HREF = 2;
const D_PROPSTAT = 3;
const D_STATUS = 4;
const D_PROP = 5;
const D_COLLECTION = 6;
const D_MULTISTATUS = 7;
const DAV_LOCAL: Record<string, number> = {
  response: D_RESPONSE,
  href: D_HREF,
  propstat: D_PROPSTAT,
  status: D_STATUS,
  prop: D_PROP,
  collection: D_COLLECTION,
  multistatus: D_MULTISTATUS,
};

interface Name {
  bytes: Uint8Array;
  hash: number;
  /** Which DAV: element (0: another). */
  role: number;
  /** Clark name, "{uri}local". */
  clark: string;
}

// Where the multistatus is (one per open element), as in MultistatusParser.
const RESPONSE = 2;
const HREF = 3;
const PROPSTAT = 4;
const PROP = 5;
const PROPVALUE = 6;
const STATUS = 7;
const RSTATUS = 8;

const RESOURCETYPE = clark(NS.dav, 'resourcetype');

/** Bytes allowed in a tag name on the fast path: ASCII letters, digits, '.', '-', '_', ':'. */
const NAME_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9._:-]/.test(ch)) NAME_BYTE[c] = 1;
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ufffd]/;

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Buffer's own slicers (what toString calls after picking the encoding): short texts are most of the work. */
type Slicers = Buffer & { latin1Slice(from: number, to: number): string; utf8Slice(from: number, to: number): string };
const latin1 = (b: Buffer, from: number, to: number) => (b as Slicers).latin1Slice(from, to);
const utf8 = (b: Buffer, from: number, to: number) => (b as Slicers).utf8Slice(from, to);

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Thrown inside the fast path when it gives up; never leaves this file. */
class GiveUp {
  constructor(readonly why: string) {}
}
const giveUp = (why: string): never => {
  throw new GiveUp(why);
};

const HEAD = 0;
const BODY = 1;
const AFTER = 2;

export interface FastStats {
  /** Bytes written. */
  chars: number;
  steps: number;
  maxHeld: number;
  maxDepth: number;
}

export class FastMultistatus {
  readonly stats: FastStats = { chars: 0, steps: 0, maxHeld: 0, maxDepth: 0 };
  /** Why it gave up (tests, logs), once it did. */
  gaveUp: string | null = null;
  private phase = HEAD;
  /** The prolog and the root's start tag (while in HEAD: every byte so far). */
  private head: Buffer = Buffer.alloc(0);
  private ns = new Map<string, string>();
  private openTag: Buffer = Buffer.alloc(0);
  private closeTag: Buffer = Buffer.alloc(0);
  private rootClose: Buffer = Buffer.alloc(0);
  /** An unfinished response (or the start of a tag between responses): pieces held. */
  private held: Buffer[] = [];
  private heldLen = 0;
  /** The held bytes are a response whose start tag is complete (its end is searched for in new pieces only). */
  private inResponse = false;
  /** The last bytes held, for an end tag split across pieces. */
  private tail: Buffer = Buffer.alloc(0);
  /** The part of the current piece not handed out yet, from the point the full parser would resume at. */
  private pending: Buffer | null = null;
  private readonly names = new Map<number, Name>();
  /** White space read between responses since the last tag. */
  private space = 0;
  /** The start tags' names of the last response, in order: the next one most often has the same. */
  private readonly seq: Name[] = [];

  constructor(private readonly onResponse: (r: DavResponse) => void) {}

  /** Reads a piece; returns null, or (having given up) the bytes the full parser must read from here. */
  write(chunk: Uint8Array): Buffer[] | null {
    if (!chunk.byteLength) return null;
    const buf = asBuffer(chunk);
    this.stats.chars += buf.length;
    this.stats.steps += buf.length;
    try {
      if (this.phase === HEAD) this.readHead(buf);
      else this.readBody(buf);
      this.pending = null;
      return null;
    } catch (e) {
      if (e instanceof GiveUp) return this.surrender(e.why);
      throw e;
    }
  }

  /**
   * The body ended: null when it was a complete multistatus read here, else the bytes the full parser must read (it
   * then says what is wrong).
   */
  end(): Buffer[] | null {
    if (this.phase === AFTER && !this.heldLen) return null;
    return this.surrender(this.phase === HEAD ? 'the body ended in its prolog' : 'the body ended early');
  }

  /** Gives up: the prolog again, then the bytes from the resumption point. */
  private surrender(why: string): Buffer[] {
    this.gaveUp = why;
    const out: Buffer[] = [this.head];
    if (this.phase !== HEAD) {
      if (this.phase === AFTER) out.push(this.rootClose);
      // The white space read since the last tag (as spaces): the full parser counts it as the root's text.
      if (this.space) out.push(Buffer.alloc(this.space, 0x20));
      out.push(...this.held);
      if (this.pending?.length) out.push(this.pending);
    }
    this.held = [];
    this.heldLen = 0;
    this.pending = null;
    return out;
  }

  /** Collects the prolog and the root's start tag, then reads the body after it. */
  private readHead(buf: Buffer): void {
    const head = (this.head = this.head.length ? Buffer.concat([this.head, buf]) : buf);
    // ASCII only, no doctype or comment: then bytes and characters are the same.
    let end = -1;
    let inDecl = false;
    let rootAt = -1;
    let quote = 0;
    for (let i = 0; i < head.length; i++) {
      const c = head[i]!;
      if (i >= HEAD_HOLD) giveUp('a long prolog');
      if (c >= 0x80 || (c < 0x20 && !isWs(c))) giveUp('a prolog that is not plain ASCII');
      if (rootAt === -1) {
        if (inDecl) {
          if (c === 0x3e && head[i - 1] === 0x3f) inDecl = false;
          continue;
        }
        if (isWs(c)) continue;
        if (c !== 0x3c) giveUp('text before the root');
        if (i + 1 >= head.length) return;
        const next = head[i + 1]!;
        if (next === 0x3f) {
          if (i !== 0) giveUp('a processing instruction in the prolog');
          inDecl = true;
          i++;
          continue;
        }
        if (next === 0x21 || next === 0x2f) giveUp('markup in the prolog');
        rootAt = i;
        continue;
      }
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3e) {
        end = i;
        break;
      }
    }
    if (end === -1) {
      // Not complete yet.
      if (head.length > this.stats.maxHeld) this.stats.maxHeld = head.length;
      return;
    }
    this.stats.steps += 2 * (end + 1);
    const text = latin1(head, 0, end + 1);
    if (text.charCodeAt(end - 1) === 0x2f) giveUp('an empty root');
    let j = rootAt + 1;
    while (j < end && !isWs(text.charCodeAt(j))) j++;
    const rootName = text.slice(rootAt + 1, j);
    const ns = new Map<string, string>([
      ['xml', XML_NS],
      ['xmlns', XMLNS_NS],
    ]);
    // The root's namespaces, as the full parser binds them (anything it would refuse: given up).
    try {
      readAttributes(text, j, end, ns, XML_LIMITS, { chars: 0, steps: 0 });
    } catch {
      giveUp('root attributes the full parser refuses');
    }
    const colon = rootName.indexOf(':');
    const prefix = colon === -1 ? '' : rootName.slice(0, colon);
    const local = colon === -1 ? rootName : rootName.slice(colon + 1);
    if (
      local !== 'multistatus' ||
      ns.get(prefix) !== NS.dav ||
      (colon !== -1 && !prefix) ||
      rootName.length > XML_LIMITS.maxName
    )
      giveUp('not a DAV: multistatus root');
    this.ns = ns;
    const p = prefix ? `${prefix}:` : '';
    this.openTag = Buffer.from(`<${p}response>`, 'latin1');
    this.closeTag = Buffer.from(`</${p}response>`, 'latin1');
    this.rootClose = Buffer.from(`</${rootName}>`, 'latin1');
    // Kept: the full parser is given the prolog again if this gives up later.
    const body = head.subarray(end + 1);
    this.head = Buffer.from(head.subarray(0, end + 1));
    this.phase = BODY;
    if (body.length) this.scan(body, 0);
  }

  /** Reads responses from a piece (after any held bytes). */
  private readBody(piece: Buffer): void {
    this.pending = piece;
    if (!this.heldLen) return this.scan(piece, 0);
    if (!this.inResponse) {
      // A short start of a tag between responses: joined to the piece.
      const buf = Buffer.concat([...this.held, piece]);
      this.stats.steps += this.heldLen;
      this.held = [];
      this.heldLen = 0;
      return this.scan(buf, 0);
    }
    // Search the new piece only (and the held tail, for an end tag split across pieces).
    const close = this.closeTag;
    let found = -1;
    const joint = Buffer.concat([this.tail, piece.subarray(0, close.length - 1)]);
    const j = joint.indexOf(close);
    this.stats.steps += joint.length;
    if (j !== -1) found = j - this.tail.length + close.length;
    else {
      const at = piece.indexOf(close);
      this.stats.steps += at === -1 ? piece.length : at + close.length;
      if (at !== -1) found = at + close.length;
    }
    if (found === -1) {
      this.pending = null;
      this.holdResponse(piece);
      return;
    }
    // Complete: put together once and parsed (the pieces stay held until then, for giving up).
    const whole = Buffer.concat([...this.held, piece.subarray(0, found)]);
    if (whole.length > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
    this.stats.steps += 2 * whole.length;
    this.response(whole, 0, whole.length);
    this.space = 0;
    this.held = [];
    this.heldLen = 0;
    this.inResponse = false;
    this.scan(piece, found);
  }

  private holdResponse(b: Buffer): void {
    this.held.push(b);
    this.heldLen += b.length;
    const k = this.closeTag.length - 1;
    this.tail = b.length >= k ? Buffer.from(b.subarray(b.length - k)) : Buffer.concat([this.tail, b]).subarray(-k);
    if (this.heldLen > this.stats.maxHeld) this.stats.maxHeld = this.heldLen;
    if (this.heldLen > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
  }

  /** Between responses in buf from pos: whitespace, responses, the root's end. */
  private scan(buf: Buffer, pos: number): void {
    const n = buf.length;
    const open = this.openTag;
    const close = this.closeTag;
    while (pos < n) {
      const c = buf[pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
        pos++;
        // Text of the root to the full parser, held to its limit: a long run is handed over.
        if (this.phase === BODY && ++this.space > SPACE_HOLD) {
          this.pending = buf.subarray(pos);
          giveUp('a long run of white space');
        }
        continue;
      }
      this.pending = buf.subarray(pos);
      if (this.phase === AFTER) giveUp('something after the root');
      if (c !== 0x3c) giveUp('text between responses');
      if (matches(buf, pos, open)) {
        const at = buf.indexOf(close, pos + open.length);
        if (at === -1) {
          this.stats.steps += n - pos;
          this.inResponse = true;
          this.tail = Buffer.alloc(0);
          this.pending = null;
          this.holdResponse(Buffer.from(buf.subarray(pos)));
          return;
        }
        const end = at + close.length;
        if (end - pos > FAST_HOLD) giveUp('a response longer than FAST_HOLD');
        this.stats.steps += 2 * (end - pos);
        this.response(buf, pos, end);
        this.space = 0;
        pos = end;
        continue;
      }
      if (matches(buf, pos, this.rootClose)) {
        this.space = 0;
        this.phase = AFTER;
        pos += this.rootClose.length;
        continue;
      }
      // A tag split at the end of the piece, or something else.
      const rest = n - pos;
      if (
        (rest < open.length && isPrefix(buf, pos, open)) ||
        (rest < this.rootClose.length && isPrefix(buf, pos, this.rootClose))
      ) {
        this.inResponse = false;
        this.pending = null;
        this.held = [Buffer.from(buf.subarray(pos))];
        this.heldLen = rest;
        return;
      }
      giveUp('an element other than a response');
    }
    this.pending = null;
  }

  /** Looks up (or learns) the name of bytes buf[from, to). */
  private name(buf: Buffer, from: number, to: number, hash: number): Name {
    const known = this.names.get(hash);
    if (known) {
      const b = known.bytes;
      if (b.length === to - from) {
        let k = 0;
        while (k < b.length && b[k] === buf[from + k]) k++;
        if (k === b.length) return known;
      }
    }
    const text = latin1(buf, from, to);
    const colon = text.indexOf(':');
    let uri: string | undefined;
    let local = text;
    if (colon === -1) uri = this.ns.get('') ?? '';
    else {
      local = text.slice(colon + 1);
      if (colon === 0 || !local || local.includes(':')) giveUp('a malformed name');
      uri = this.ns.get(text.slice(0, colon));
      if (uri === undefined) giveUp('an unbound prefix');
    }
    const entry: Name = {
      bytes: Buffer.from(buf.subarray(from, to)),
      hash,
      role: uri === NS.dav ? (DAV_LOCAL[local] ?? OTHER) : OTHER,
      clark: clark(uri!, local),
    };
    if (!known && this.names.size < MAX_NAMES) this.names.set(hash, entry);
    return entry;
  }

  /**
   * Parses one complete response, buf[from, to) (from `<d:response>` to `</d:response>` included),
   * as MultistatusParser would, and hands it out; gives up on anything outside the subset.
   */
  private response(buf: Buffer, from: number, to: number): void {
    const stack: number[] = [];
    const names: Name[] = [];
    const current: DavResponse = { href: '', props: new Map(), collection: false, status: null };
    // The current propstat's properties, kept if its status is 2xx (the response's own map when it is the first kept).
    let pending = new Map<string, string>();
    let pendingCollection = false;
    let propName = '';
    let propDepth = 0;
    let statusText = '';
    let props = 0;
    // The text since the last tag: buf[textFrom, textTo), with what it holds.
    let textFrom = from;
    let textTo = from;
    let textFlags = 0; // 1: not all white space; 2: needs decoding (&, CR, non-ASCII)
    let pos = from;
    let done = false;
    const seq = this.seq;
    let opened = 0;
    while (pos < to) {
      // Text up to the next '<'.
      const tStart = pos;
      let flags = 0;
      let c = buf[pos]!;
      while (c !== 0x3c) {
        if (c > 0x20) {
          flags |= 1;
          if (c >= 0x80 || c === 0x26) flags |= 2;
        } else if (c !== 0x20 && c !== 0x0a && c !== 0x09) {
          if (c === 0x0d) flags |= 2;
          else giveUp('a control character');
        }
        if (++pos >= to) giveUp('text after the response');
        c = buf[pos]!;
      }
      if (pos > tStart) {
        textFrom = tStart;
        textTo = pos;
        textFlags = flags;
      }
      // A tag at pos.
      let i = pos + 1;
      const closing = buf[i] === 0x2f;
      const top = stack.length ? stack[stack.length - 1]! : 0;
      // Text the multistatus does not keep must still be text the full parser accepts.
      if (textFlags & 1 && !(closing && keepsText(top, propDepth, propName)))
        decodeText(buf, textFrom, textTo, textFlags);
      let selfClosing = false;
      if (closing) {
        // An end tag: exactly the open element's name, then '>'.
        const open = names.pop();
        if (!open) return giveUp('an end tag with nothing open');
        const ob = open.bytes;
        i++;
        for (let k = 0; k < ob.length; k++, i++) if (ob[k] !== buf[i]) giveUp('a mismatched end tag');
        if (buf[i] !== 0x3e || i >= to) giveUp('a mismatched end tag');
        pos = i + 1;
      } else {
        // A start tag: the name the previous response had here (most often), else read and looked up.
        const guess = seq[opened];
        let name: Name | undefined;
        let end = -1;
        if (guess) {
          const nb = guess.bytes;
          let k = 0;
          while (k < nb.length && nb[k] === buf[i + k]) k++;
          const after = buf[i + k];
          if (k === nb.length && (after === 0x3e || after === 0x2f)) {
            end = i + k;
            name = guess;
          }
        }
        if (!name) {
          const nameAt = i;
          let hash = 0;
          for (;;) {
            const b = buf[i];
            if (b === undefined || i >= to) giveUp('an unfinished tag');
            if (!NAME_BYTE[b!]) break;
            hash = (Math.imul(hash, 31) + b!) | 0;
            i++;
          }
          if (i === nameAt) giveUp('a tag without a name');
          if (i - nameAt > XML_LIMITS.maxName) giveUp('a long name');
          name = this.name(buf, nameAt, i, hash);
          seq[opened] = name;
          end = i;
        }
        opened++;
        i = end;
        if (buf[i] === 0x2f) {
          selfClosing = true;
          i++;
        }
        if (buf[i] !== 0x3e || i >= to) giveUp('a tag with more than a name');
        pos = i + 1;
        if (names.length >= MAX_DEPTH) giveUp('deep nesting');
        // open (MultistatusParser.open)
        if (top === PROPVALUE) {
          propDepth++;
          if (propName === RESOURCETYPE && name.role === D_COLLECTION) pendingCollection = true;
          stack.push(PROPVALUE);
        } else if (top === PROP) {
          if (++props > MAX_PROPS) giveUp('too many properties');
          propName = name.clark;
          propDepth = 0;
          stack.push(PROPVALUE);
        } else if (top === 0) {
          if (name.role !== D_RESPONSE) giveUp('not a response');
          stack.push(RESPONSE);
        } else if (top === RESPONSE && name.role === D_HREF) stack.push(HREF);
        else if (top === RESPONSE && name.role === D_PROPSTAT) {
          pending = new Map();
          pendingCollection = false;
          statusText = '';
          stack.push(PROPSTAT);
        } else if (top === RESPONSE && name.role === D_STATUS) stack.push(RSTATUS);
        else if (top === PROPSTAT && name.role === D_PROP) stack.push(PROP);
        else if (top === PROPSTAT && name.role === D_STATUS) stack.push(STATUS);
        else {
          stack.push(PROPVALUE);
          propName = '';
          propDepth = 1;
        }
        names.push(name);
        if (names.length + 1 > this.stats.maxDepth) this.stats.maxDepth = names.length + 1;
        textFrom = textTo = pos;
        textFlags = 0;
        if (!selfClosing) continue;
      }
      // close (MultistatusParser.close); the text is what came since the last tag.
      switch (stack.pop()) {
        case PROPVALUE:
          if (propDepth > 0) propDepth--;
          else if (propName) {
            pending.set(propName, textTo > textFrom ? decodeText(buf, textFrom, textTo, textFlags) : '');
            propName = '';
          }
          break;
        case HREF:
          current.href = textTo > textFrom ? decodeText(buf, textFrom, textTo, textFlags).trim() : '';
          break;
        case STATUS:
          statusText = textTo > textFrom ? decodeText(buf, textFrom, textTo, textFlags).trim() : '';
          break;
        case PROPSTAT:
          if (isSuccess(statusText)) {
            if (!current.props.size) current.props = pending;
            else for (const [k, v] of pending) current.props.set(k, v);
            if (pendingCollection) current.collection = true;
          }
          break;
        case RESPONSE:
          done = true;
          break;
        case RSTATUS:
          current.status = textTo > textFrom ? decodeText(buf, textFrom, textTo, textFlags).trim() : '';
          break;
        default:
          break;
      }
      if (selfClosing) names.pop();
      textFrom = textTo = pos;
      textFlags = 0;
      if (done) break;
    }
    if (!done || pos !== to) giveUp('a response that does not end where its end tag is');
    this.onResponse(current);
  }
}

/** Whether the multistatus keeps the text of the element on top (it is read at its close). */
function keepsText(top: number, propDepth: number, propName: string): boolean {
  return top === HREF || top === STATUS || top === RSTATUS || (top === PROPVALUE && propDepth === 0 && !!propName);
}

/**
 * Text as the full parser reads it (TextDecoder, then entities and line ends); gives up where it would not be the same
 * or would throw.
 */
function decodeText(buf: Buffer, from: number, to: number, flags: number): string {
  if (!(flags & 2)) return latin1(buf, from, to);
  const raw = utf8(buf, from, to);
  // U+FFFD: bytes that are not UTF-8 (left to TextDecoder, the full parser's decoder).
  if (NOT_XML.test(raw)) giveUp('a character the full parser refuses or replaces');
  if (raw.indexOf('&') === -1 && raw.indexOf('\r') === -1) return raw;
  try {
    return decodeXmlText(raw);
  } catch {
    return giveUp('a reference the full parser refuses');
  }
}

function matches(buf: Buffer, at: number, what: Uint8Array): boolean {
  if (at + what.length > buf.length) return false;
  for (let k = 0; k < what.length; k++) if (buf[at + k] !== what[k]) return false;
  return true;
}

function isPrefix(buf: Buffer, at: number, what: Uint8Array): boolean {
  for (let k = 0; at + k < buf.length; k++) if (buf[at + k] !== what[k]) return false;
  return true;
}

/** "HTTP/1.1 200 OK": whether the code after the first space is 2xx (as multistatus.ts). */
function isSuccess(status: string): boolean {
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
