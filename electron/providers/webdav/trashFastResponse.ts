import { clark, isSuccess, MAX_PROPS, NS, type DavResponse } from './multistatus';
import { decodeXmlText } from './xmlSyntax';
import { XML_LIMITS } from './xmlScan';

/**
 * The fast path's reader of one complete <d:response> (trashFast.ts frames the stream and hands it
 * each response's bytes): tag names matched by a hash of their bytes and learnt once, only the
 * texts the multistatus keeps made strings, and a GiveUp thrown on anything outside the subset the
 * fast path reads (trashFast.ts's header says which, and why this is hand-written).
 */

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

export const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Buffer's own slicers (what toString calls after picking the encoding): short texts are most of the work. */
type Slicers = Buffer & { latin1Slice(from: number, to: number): string; utf8Slice(from: number, to: number): string };
export const latin1 = (b: Buffer, from: number, to: number) => (b as Slicers).latin1Slice(from, to);
const utf8 = (b: Buffer, from: number, to: number) => (b as Slicers).utf8Slice(from, to);

export const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Thrown inside the fast path when it gives up; never leaves this file. */
export class GiveUp {
  constructor(readonly why: string) {}
}
export const giveUp = (why: string): never => {
  throw new GiveUp(why);
};

/** Reads complete responses of one multistatus, whose root bound the namespaces `ns`. */
export class ResponseReader {
  private readonly names = new Map<number, Name>();
  /** The start tags' names of the last response, in order: the next one most often has the same. */
  private readonly seq: Name[] = [];

  constructor(
    private readonly ns: ReadonlyMap<string, string>,
    private readonly stats: { maxDepth: number },
  ) {}

  /** Looks up (or learns) the name of bytes buf[from, to). */
  name(buf: Buffer, from: number, to: number, hash: number): Name {
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
  read(buf: Buffer, from: number, to: number): DavResponse {
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
    return current;
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
